// SeqDataLoader / load_data_lm: epochs drawn in the course's order, batches that decode back
// to the text, the corpus kept alive by the batches, and one-line errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <unistd.h>

#include "d2l/text/lm_data.h"
#include "error_of.h"
#include "text_golden.h"

using namespace d2l;
using namespace d2l::text;

namespace {

std::string temp_text_file(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("d2l_lm_data_test_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST(SeqDataLoader, EpochsEqualThePythonLoader) {
  // The golden case with three epochs: the course's SeqDataLoader calls the sampler once per epoch.
  for (const auto& c : text_golden().at("samplers")) {
    if (c.at("random").size() < 3) continue;
    for (const bool use_random_iter : {true, false}) {
      Corpus corpus;
      corpus.corpus.resize(c.at("length").get<std::size_t>());
      std::iota(corpus.corpus.begin(), corpus.corpus.end(), 0);
      PyRandom rng(c.at("seed").get<std::int64_t>());
      const SeqDataLoader loader(std::move(corpus), c.at("batch_size"), c.at("num_steps"), use_random_iter, rng);
      for (const auto& epoch : c.at(use_random_iter ? "random" : "sequential")) {
        std::size_t k = 0;
        for (const auto& [X, Y] : loader) {
          ASSERT_LT(k, epoch.size());
          const auto want_x = epoch[k][0].get<std::vector<std::vector<std::int64_t>>>();
          const auto want_y = epoch[k][1].get<std::vector<std::vector<std::int64_t>>>();
          std::vector<std::int64_t> flat_x, flat_y;
          for (std::size_t r = 0; r < want_x.size(); ++r) {
            flat_x.insert(flat_x.end(), want_x[r].begin(), want_x[r].end());
            flat_y.insert(flat_y.end(), want_y[r].begin(), want_y[r].end());
          }
          EXPECT_EQ(X.to_vector<std::int64_t>(), flat_x);
          EXPECT_EQ(Y.to_vector<std::int64_t>(), flat_y);
          ++k;
        }
        EXPECT_EQ(k, epoch.size());
      }
      return;
    }
  }
  FAIL() << "no golden case with three epochs";
}

TEST(SeqDataLoader, LoadDataLmDecodesBackToTheText) {
  const std::string text = "the quick brown fox jumps over the lazy dog\nand the dog sleeps\n";
  const std::string path = temp_text_file(text);
  LmCorpusOptions options;
  options.corpus = path;
  PyRandom rng(0);
  auto [train_iter, vocab] = load_data_lm(2, 4, true, 10000, options, rng);
  std::remove(path.c_str());
  EXPECT_EQ(vocab.size(), train_iter.vocab().size());
  EXPECT_EQ(train_iter.corpus().corpus.size(), text.size() - 2);  // line ends are not tokens
  const std::string joined = "the quick brown fox jumps over the lazy dogand the dog sleeps";
  for (int epoch = 0; epoch < 2; ++epoch) {
    std::int64_t batches = 0;
    for (const auto& [X, Y] : train_iter) {
      const auto x = X.to_vector<std::int64_t>(), y = Y.to_vector<std::int64_t>();
      for (int r = 0; r < 2; ++r) {
        std::string xs, ys;
        for (int t = 0; t < 4; ++t) {
          xs += vocab.to_token(x[r * 4 + t]);
          ys += vocab.to_token(y[r * 4 + t]);
        }
        EXPECT_NE(joined.find(xs + ys.back()), std::string::npos) << xs << " / " << ys;
        EXPECT_EQ(xs.substr(1), ys.substr(0, 3));
      }
      ++batches;
    }
    EXPECT_GE(batches, 6);
  }
}

TEST(SeqDataLoader, BatchesKeepTheCorpusAlive) {
  SeqBatches::Iterator it;
  {
    Corpus corpus;
    corpus.corpus.assign(100, 7);
    const SeqDataLoader loader(std::move(corpus), 2, 3, false);
    it = loader.begin();
  }
  ++it;  // reads the corpus after the loader is gone
  EXPECT_EQ(it->X.to_vector<std::int64_t>(), std::vector<std::int64_t>(6, 7));
}

TEST(SeqDataLoader, ErrorsAreOneLine) {
  Corpus corpus;
  corpus.corpus.assign(10, 1);
  EXPECT_NE(error_of([&] { SeqDataLoader(corpus, 2, 5, true); })
                .find("seq_data_iter_random: a corpus of 10 tokens leaves no complete batch of batch_size=2 x num_steps=5"),
            std::string::npos);
  LmCorpusOptions options;
  options.corpus = "/nonexistent/book.txt";
  EXPECT_NE(error_of([&] { load_data_lm(2, 5, false, 100, options); }).find("/nonexistent/book.txt"), std::string::npos);
}
