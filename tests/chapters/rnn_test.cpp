// `d2l rnn-scratch` and `d2l rnn-concise` on a small text the tests write: the printed lines,
// the metrics JSON, the samples, and the errors of bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chapters/run_command.h"
#include "d2l/threads.h"
#include "rnn.h"  // chapters/rnn.h

namespace d2l::chapters {
namespace {

// A short English text repeated: 1700 characters after the course's cleaning.
std::string write_book(const TempDir& dir) {
  const std::string path = dir / "book.txt";
  std::ofstream f(path);
  for (int i = 0; i < 50; ++i) f << "The cat sat on the mat; the dog ran.\n";
  return path;
}

RnnOptions quick_options(const TempDir& dir) {
  RnnOptions o;
  o.corpus = write_book(dir);
  o.clean = "letters";
  o.data_dir = dir.path.string();
  o.common.out = dir / "out";
  o.common.metrics = dir / "metrics.json";
  o.common.epochs = 2;
  o.common.batch_size = 4;
  o.num_steps = 8;
  o.hidden = 16;
  o.num_preds = 10;
  return o;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

TEST(RnnChapter, ScratchPrintsEpochsAndSamplesAndWritesMetrics) {
  TempDir dir("rnn-scratch");
  RnnOptions o = quick_options(dir);
  o.prefixes = {"the ", "Cat"};  // 'C' is not in the cleaned text's vocabulary
  std::ostringstream log;
  const RnnResult r = rnn_scratch(o, log);
  const std::string out = log.str();
  EXPECT_NE(out.find("book.txt (clean letters), training on 1700 of 1700 characters, vocabulary 14"), std::string::npos) << out;
  EXPECT_NE(out.find("note: prefix 'Cat': 'C' not in the vocabulary, read as <unk>"), std::string::npos) << out;
  EXPECT_NE(out.find("epoch 1, perplexity "), std::string::npos) << out;
  EXPECT_NE(out.find("epoch 2, perplexity "), std::string::npos) << out;
  EXPECT_NE(out.find("\nperplexity "), std::string::npos) << out;
  EXPECT_NE(out.find("\nthe "), std::string::npos) << out;
  EXPECT_NE(out.find("\n<unk>at"), std::string::npos) << out;
  ASSERT_EQ(r.train.history.size(), 2u);
  EXPECT_TRUE(std::isfinite(r.train.perplexity) && r.train.perplexity > 1);

  const nlohmann::json m = read_json(o.common.metrics);
  EXPECT_EQ(m["chapter"], "rnn-scratch");
  for (const char* key : {"epochs", "lr", "batch_size", "seed", "threads", "corpus", "path", "clean", "max_tokens",
                          "hidden", "num_steps", "clip", "sampling", "prefixes", "num_preds", "sample_every"})
    EXPECT_TRUE(m["config"].contains(key)) << key;
  EXPECT_FALSE(m["config"].contains("cell"));
  ASSERT_EQ(m["history"].size(), 2u);
  for (const char* key : {"epoch", "perplexity", "tokens_per_sec", "seconds"})
    EXPECT_TRUE(m["history"][1].contains(key)) << key;
  EXPECT_EQ(m["final"]["perplexity"], r.train.perplexity);
  EXPECT_GT(m["final"]["tokens_per_sec"].get<double>(), 0);
  EXPECT_EQ(m["final"]["samples"]["the "].get<std::string>().size(), 14u);
  EXPECT_TRUE(m["final"]["samples"].contains("Cat"));
  EXPECT_TRUE(m["timing"].contains("train_seconds"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/rnn-scratch.svg"));
}

TEST(RnnChapter, ScratchOneHotLoopTrainsLikeTheFusedRecurrence) {
  // --one-hot runs the course's loop op by op on float one-hot rows: the same sums as the
  // fused recurrence over token indices, added in another order (float32 rounding apart).
  TempDir dir("rnn-one-hot");
  RnnOptions o = quick_options(dir);
  std::ostringstream log;
  const double fused = rnn_scratch(o, log).train.perplexity;
  o.one_hot = true;
  const double loop = rnn_scratch(o, log).train.perplexity;
  EXPECT_NEAR(loop, fused, 1e-4 * fused);
  EXPECT_EQ(read_json(o.common.metrics)["config"]["one_hot"], true);
  EXPECT_EQ(run_d2l("rnn-concise --one-hot").status, 2);  // a scratch-only flag: a usage error
}

TEST(RnnChapter, ConciseCellsAndOptimizers) {
  TempDir dir("rnn-concise");
  for (const char* cell : {"rnn", "gru", "lstm"}) {
    SCOPED_TRACE(cell);
    RnnOptions o = quick_options(dir);
    o.cell = cell;
    o.common.epochs = 1;
    o.sampling = "random";
    if (std::string(cell) == "lstm") {
      o.optimizer = "adam";
      o.common.lr = 0.01;
    }
    std::ostringstream log;
    const RnnResult r = rnn_concise(o, log);
    ASSERT_EQ(r.train.history.size(), 1u);
    EXPECT_TRUE(std::isfinite(r.train.perplexity));
    const nlohmann::json m = read_json(o.common.metrics);
    EXPECT_EQ(m["config"]["cell"], cell);
    EXPECT_EQ(m["config"]["sampling"], "random");
    EXPECT_EQ(m["final"]["samples"]["the "].get<std::string>().rfind("the ", 0), 0u);
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "out/rnn-concise-gru.svg"));
}

TEST(RnnChapter, CommandLineRunsAndRejectsBadInput) {
  TempDir dir("rnn-cli");
  const std::string book = write_book(dir);
  const std::string base = "--corpus " + book + " --clean letters --hidden 8 --batch-size 4 --num-steps 8 --epochs 1 ";
  CommandResult r = run_d2l("rnn-concise " + base + "--cell gru --prefix 'the ' --prefix 'a' --num-preds 5 --out " +
                            dir.path.string() + " --metrics " + (dir / "m.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("epoch 1, perplexity "), std::string::npos) << r.output;
  EXPECT_EQ(read_json(dir / "m.json")["final"]["samples"].size(), 2u);
  // Adam's default learning rate when --lr is not given
  r = run_d2l("rnn-concise " + base + "--optimizer adam --quiet --out " + dir.path.string() + " --metrics " +
              (dir / "adam.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "");
  EXPECT_EQ(read_json(dir / "adam.json")["config"]["lr"], 0.001);

  r = run_d2l("rnn-scratch " + base + "--num-steps 0");
  EXPECT_EQ(r.status, 2) << r.output;
  r = run_d2l("rnn-scratch " + base + "--prefix ''");
  EXPECT_EQ(r.status, 2) << r.output;
  r = run_d2l("rnn-scratch " + base + "--max-tokens 30 --out " + dir.path.string());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("too few for a batch of 4 x 8"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--max-tokens"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  // A learning rate that makes the loss overflow: one line suggesting a lower one.
  r = run_d2l("rnn-scratch " + base + "--lr 1e30 --clip 1e30 --quiet --out " + dir.path.string());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("training diverged"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--lr"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  r = run_d2l("rnn-scratch --corpus " + (dir / "missing.txt"));
  EXPECT_EQ(r.status, 1) << r.output;
}

TEST(RnnChapter, TextKeptAsIsHasOneSpaceBetweenLines) {
  // As the course's Chinese chapter reads its text (replace('\\n', ' ')); cleaned to letters,
  // lines are joined with nothing (ScratchPrintsEpochsAndSamplesAndWritesMetrics: 1700 = 50 x 34).
  TempDir dir("rnn-kept");
  RnnOptions o = quick_options(dir);
  o.corpus = dir / "poem.txt";
  o.clean = "";  // a file's default: kept as it is
  o.common.epochs = 1;
  {
    std::ofstream f(o.corpus);
    for (int i = 0; i < 100; ++i) f << "白日依山尽\n";
  }
  std::ostringstream log;
  const RnnResult r = rnn_concise(o, log);
  EXPECT_EQ(r.tokens, 100 * 5 + 99);
  EXPECT_EQ(r.vocab_size, 7);  // <unk>, five characters and the space
  EXPECT_NE(log.str().find("(clean none), training on 599 of 599 characters, vocabulary 7"), std::string::npos)
      << log.str();
}

TEST(RnnChapter, UsesEveryCoreUnlessThreadsAreGiven) {
  // Each thread runs its own batch rows through the recurrence, so a batch of 16 rows or more
  // shares the work; the results are the same on any number of threads.
  TempDir dir("rnn-threads");
  const std::string path = dir / "text.txt";
  {
    std::ofstream f(path);
    for (int i = 0; i < 40; ++i) f << "the time machine by h g wells\n";
  }
  const int before = get_num_threads();
  set_num_threads(0);
  const int cores = get_num_threads();
  set_num_threads(before);
  const std::string args = "rnn-concise --corpus " + path + " --epochs 1 --hidden 8 --batch-size 16 --num-steps 5 "
                           "--num-preds 2 --quiet --out " + (dir / "out") + " --metrics " + (dir / "m.json");
  CommandResult r = run_d2l(args);
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json every_core = read_json(dir / "m.json");
  EXPECT_EQ(every_core["timing"]["threads"], cores);
  r = run_d2l(args + " --threads 1");
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json one_thread = read_json(dir / "m.json");
  EXPECT_EQ(one_thread["timing"]["threads"], 1);
  EXPECT_EQ(one_thread["final"]["perplexity"], every_core["final"]["perplexity"]);
}

}  // namespace
}  // namespace d2l::chapters
