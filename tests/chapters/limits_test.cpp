// Flag values the machine cannot honour, and runs that diverge: each ends at once with one
// line naming the flag (exit status 2) or the epoch and step (exit status 1), never a hang,
// an abort or a run that ends only when the machine kills it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "chapters/fake_fashion_mnist.h"
#include "chapters/run_command.h"

namespace {

struct Timed {
  CommandResult result;
  double seconds = 0;
};

Timed timed_run(const std::string& command_line) {
  const auto start = std::chrono::steady_clock::now();
  Timed t{run_shell(command_line), 0};
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

// Sanitizer runtimes reserve terabytes of address space, so no `ulimit -v` fits them.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kCanLimitMemory = false;
#else
constexpr bool kCanLimitMemory = true;
#endif

}  // namespace

TEST(Limits, OutOfRangeFlagsExitTwoWithOneLineAtOnce) {
  const struct {
    const char* args;
    const char* says;
  } cases[] = {
      {"linreg-scratch --threads 100000", "--threads: must be between 0 and "},
      {"linreg-scratch --threads -1", "--threads: must be between 0 and "},
      {"linreg-scratch --threads lots", "--threads: must be a whole number"},
      {"linreg-scratch --threads 99999999999999999999999", "--threads: must be between 0 and "},
      {"linreg-concise --num-workers 100000", "--num-workers: must be between 0 and 64"},
      {"linreg-concise --batch-size 0", "--batch-size: must be between 1 and "},
      {"linreg-concise --batch-size 1000000000000", "--batch-size: must be between 1 and "},
      {"linreg-scratch --epochs 1000000000", "--epochs: must be between 0 and 1000000"},
      {"linreg-scratch --epochs 2.5", "--epochs: must be a whole number"},
      {"linreg-scratch --lr 0", "--lr: must be a finite number > 0"},
      {"mlp-concise --hidden 1000000000", "--hidden: must be between 1 and 16384"},
      {"rnn-scratch --hidden 1000000000", "--hidden: must be between 1 and 16384"},
      {"rnn-scratch --num-steps 0", "--num-steps: must be between 1 and "},
      {"rnn-concise --num-preds -1", "--num-preds: must be between 0 and "},
      {"rnn-concise --clip nan", "--clip: must be a finite number > 0"},
      {"rnn-concise --max-tokens -5", "--max-tokens: must be at least 0"},
      {"rnn-scratch --sample-every -1", "--sample-every: must be between 0 and "},
      {"text --top -1", "--top: must be at least 0"},
      {"text --min-freq -2", "--min-freq: must be at least 0"},
  };
  for (const auto& c : cases) {
    const Timed t = timed_run(std::string(D2L_BINARY) + " " + c.args);
    EXPECT_EQ(t.result.status, 2) << c.args << ": " << t.result.output;
    EXPECT_EQ(lines(t.result.output), 1u) << c.args << ": " << t.result.output;
    EXPECT_NE(t.result.output.find(c.says), std::string::npos) << c.args << ": " << t.result.output;
    EXPECT_LT(t.seconds, 5.0) << c.args;  // a parse error, well under a second unless the machine is busy
  }
}

TEST(Limits, TooManyThreadsIsRefusedUnderAMemoryLimit) {
  // 100000 threads' stacks alone are 800 GB of address space: started, they would fail or
  // thrash until killed. Refused, the program never gets near the limit.
  const std::string limit = kCanLimitMemory ? "ulimit -v 4000000; " : "";
  const Timed t = timed_run(limit + std::string(D2L_BINARY) + " mlp-concise --threads 100000 --epochs 1");
  EXPECT_EQ(t.result.status, 2) << t.result.output;
  EXPECT_EQ(lines(t.result.output), 1u) << t.result.output;
  EXPECT_NE(t.result.output.find("--threads: must be between 0 and "), std::string::npos) << t.result.output;
  EXPECT_NE(t.result.output.find("one per core"), std::string::npos) << t.result.output;
  EXPECT_LT(t.seconds, 5.0);
}

TEST(Limits, ZeroThreadsStillMeansOnePerCore) {
  TempDir dir("limits-threads0");
  const CommandResult r = run_d2l("linreg-scratch --threads 0 --epochs 1 --quiet --out " + dir.path.string());
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST(Limits, ADivergentRunStopsNamingTheEpochAndStep) {
  TempDir dir("limits-diverge");
  FakeFashionMnist data;
  for (const std::string& args : std::vector<std::string>{"linreg-scratch --lr 1e30 --epochs 3",
                                                          "linreg-concise --lr 1e30 --epochs 3",
                                 "mlp-scratch --lr 1e30 --epochs 2 --hidden 8 --batch-size 50 --data-dir " +
                                     data.path()}) {
    const Timed t = timed_run(std::string(D2L_BINARY) + " " + args + " --quiet --out " + dir.path.string());
    EXPECT_EQ(t.result.status, 1) << args << ": " << t.result.output;
    EXPECT_EQ(lines(t.result.output), 1u) << args << ": " << t.result.output;
    EXPECT_NE(t.result.output.find("training diverged: the loss is "), std::string::npos) << args << ": "
                                                                                          << t.result.output;
    EXPECT_NE(t.result.output.find(" at epoch 1, step "), std::string::npos) << args << ": " << t.result.output;
  }
}
