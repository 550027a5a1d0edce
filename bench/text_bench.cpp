// bench_text CORPUS [--repeats N] [--seed S] [--batch-size B] [--num-steps T]
//
// Our side of bench/text.py: the steps of bench/reference/text_pipeline.py, timed the same
// way. For "word" and "char", each repeat runs load_corpus (read, clean to letters, tokenize,
// vocab, map; the steps timed inside it) on the file; then one full pass of each sampler over
// the whole char corpus (batch 32, 35 steps, PyRandom seeded like random.seed(seed)). Prints
// one JSON line with the same keys as the Python program, so the two can be compared: seconds
// per step and repeat, the counts, and each sampler's batch count and checksum (equal to
// Python's when the batches are).
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "d2l/memory.h"
#include "d2l/text/corpus.h"
#include "d2l/text/samplers.h"

using namespace d2l;
using namespace d2l::text;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The Python program's checksum: sum over batches k (from 1) of k * (sum(X) + 3 * sum(Y)).
std::int64_t checksum(const SeqBatches& batches, std::int64_t& count) {
  std::int64_t total = 0;
  count = 0;
  for (const auto& [X, Y] : batches) {
    ++count;
    std::int64_t sx = 0, sy = 0;
    const std::int64_t *x = X.data_ptr<std::int64_t>(), *y = Y.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < X.numel(); ++i) sx += x[i], sy += y[i];
    total += count * (sx + 3 * sy);
  }
  return total;
}

int run(int argc, char** argv) {
  std::string path;
  int repeats = 3;
  std::int64_t seed = 0, batch_size = 32, num_steps = 35;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      D2L_CHECK(i + 1 < argc, "bench_text: ", a, " needs a value");
      return argv[++i];
    };
    if (a == "--repeats") repeats = std::stoi(value());
    else if (a == "--seed") seed = std::stoll(value());
    else if (a == "--batch-size") batch_size = std::stoll(value());
    else if (a == "--num-steps") num_steps = std::stoll(value());
    else if (!a.empty() && a[0] == '-') throw Error("bench_text: unknown option " + a);
    else path = a;
  }
  D2L_CHECK(!path.empty(), "usage: bench_text CORPUS [--repeats N] [--seed S] [--batch-size B] [--num-steps T]");

  nlohmann::ordered_json out = {{"seconds", nlohmann::ordered_json::object()},
                                {"counts", nlohmann::ordered_json::object()},
                                {"samplers", nlohmann::ordered_json::object()}};
  auto& secs = out["seconds"];
  std::vector<std::int64_t> char_corpus;
  for (const std::string token : {"word", "char"}) {
    for (int r = 0; r < repeats; ++r) {
      const auto start = Clock::now();
      Corpus c = load_corpus(path, token, -1, Clean::letters);
      const double wall = seconds(start);
      const CorpusTiming& t = c.timing;
      for (const auto& [step, s] : {std::pair{"read", t.read}, {"clean", t.clean}, {"tokenize", t.tokenize},
                                    {"vocab", t.vocab}, {"map", t.map}, {"wall", wall}})
        secs[token + "_" + step].push_back(s);
      if (r + 1 < repeats) continue;
      nlohmann::ordered_json top = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < 5 && i < c.vocab.token_freqs().size(); ++i)
        top.push_back({c.vocab.token_freqs()[i].first, c.vocab.token_freqs()[i].second});
      out["counts"][token] = {{"lines", c.lines}, {"tokens", c.tokens}, {"vocab_size", c.vocab.size()}, {"top", top}};
      if (token == "char") char_corpus = std::move(c.corpus);
    }
  }

  for (const std::string name : {"random", "sequential"}) {
    auto epoch = [&](PyRandom& rng) {
      return name == "random" ? seq_data_iter_random(char_corpus, batch_size, num_steps, rng)
                              : seq_data_iter_sequential(char_corpus, batch_size, num_steps, rng);
    };
    for (int r = 0; r < repeats; ++r) {
      PyRandom rng(seed);
      const auto start = Clock::now();
      std::int64_t sink = 0;
      for (const auto& [X, Y] : epoch(rng)) sink += X.data_ptr<std::int64_t>()[0];  // every batch made
      secs["sampler_" + name].push_back(seconds(start));
      if (sink < 0) std::cerr << sink;  // keeps the loop from being optimized away
    }
    PyRandom rng(seed);
    std::int64_t count = 0;
    const std::int64_t sum = checksum(epoch(rng), count);
    out["samplers"][name] = {{"batches", count}, {"checksum", sum}};
  }
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  d2l::keep_freed_memory();  // as the d2l program does
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bench_text: " << e.what() << "\n";
    return 1;
  }
}
