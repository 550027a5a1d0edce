// The language-model samplers: equal to the course's Python output for the same seeds
// (tests/golden/make_text_golden.py), and their properties over many corpus lengths, batch
// sizes, step counts and seeds.
#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "d2l/text/samplers.h"
#include "error_of.h"
#include "text_golden.h"

using namespace d2l;
using namespace d2l::text;
using nlohmann::json;

namespace {

std::vector<std::int64_t> iota_corpus(std::int64_t n) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

std::vector<std::vector<std::int64_t>> rows(const Tensor& t) {
  std::vector<std::vector<std::int64_t>> out;
  const auto flat = t.to_vector<std::int64_t>();
  for (std::int64_t r = 0; r < t.size(0); ++r)
    out.emplace_back(flat.begin() + r * t.size(1), flat.begin() + (r + 1) * t.size(1));
  return out;
}

// Every epoch of one golden case, from one generator seeded once.
void expect_golden(const json& c, const std::string& name) {
  const auto corpus = iota_corpus(c.at("length"));
  const std::int64_t bs = c.at("batch_size"), ns = c.at("num_steps");
  PyRandom rng(c.at("seed").get<std::int64_t>());
  for (const json& epoch : c.at(name)) {
    const SeqBatches batches = name == "random" ? seq_data_iter_random(corpus, bs, ns, rng)
                                                : seq_data_iter_sequential(corpus, bs, ns, rng);
    std::size_t k = 0;
    for (const auto& [X, Y] : batches) {
      ASSERT_LT(k, epoch.size()) << "more batches than Python";
      EXPECT_EQ(rows(X), epoch[k][0].get<std::vector<std::vector<std::int64_t>>>()) << "batch " << k;
      EXPECT_EQ(rows(Y), epoch[k][1].get<std::vector<std::vector<std::int64_t>>>()) << "batch " << k;
      ++k;
    }
    EXPECT_EQ(k, epoch.size()) << "batch count";
  }
}

// A corpus whose values are not their positions: every X row must be a window of it.
std::vector<std::int64_t> scrambled_corpus(std::int64_t n, std::uint64_t seed) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  PyRandom r(static_cast<std::int64_t>(seed));
  for (auto& x : v) x = r.randrange(50);
  return v;
}

// f(length, batch_size, num_steps, seed) for every combination that leaves a complete batch.
template <class F>
void for_each_config(F f) {
  for (std::int64_t len : {11, 12, 35, 36, 97, 500})
    for (std::int64_t bs : {1, 2, 3, 5})
      for (std::int64_t ns : {1, 2, 5, 7})
        for (std::int64_t seed : {0, 1, 2, 3}) {
          if ((len - 1) / ns < bs) continue;
          SCOPED_TRACE(::testing::Message() << "len " << len << " bs " << bs << " ns " << ns << " seed " << seed);
          f(len, bs, ns, seed);
        }
}

}  // namespace

TEST(Samplers, CourseDemoEqualsPython) {
  const json& cases = text_golden().at("samplers");
  ASSERT_GE(cases.size(), 5u);
  for (const json& c : cases) {
    SCOPED_TRACE("length " + c["length"].dump() + ", batch " + c["batch_size"].dump() + ", steps " +
                 c["num_steps"].dump() + ", seed " + c["seed"].dump());
    expect_golden(c, "random");
    expect_golden(c, "sequential");
  }
}

TEST(Samplers, RandomSamplingProperties) {
  for_each_config([](std::int64_t len, std::int64_t bs, std::int64_t ns, std::int64_t seed) {
    const auto corpus = scrambled_corpus(len, static_cast<std::uint64_t>(seed + 100 * len));
    PyRandom rng(seed);
    const SeqBatches epoch = seq_data_iter_random(corpus, bs, ns, rng);
    EXPECT_GE(epoch.offset(), 0);
    EXPECT_LE(epoch.offset(), ns - 1);
    EXPECT_EQ(epoch.size(), (len - epoch.offset() - 1) / ns / bs);
    std::set<std::int64_t> starts;
    std::int64_t k = 0;
    for (const auto& [X, Y] : epoch) {
      ASSERT_EQ(X.shape(), (Shape{bs, ns}));
      ASSERT_EQ(Y.shape(), (Shape{bs, ns}));
      EXPECT_EQ(X.dtype(), kInt64);
      EXPECT_TRUE(X.is_contiguous() && Y.is_contiguous());
      const auto x = X.to_vector<std::int64_t>(), y = Y.to_vector<std::int64_t>();
      for (std::int64_t r = 0; r < bs; ++r) {
        const std::int64_t s = epoch.row_start(k, r);
        // Subsequences start on the offset's grid and never twice in an epoch.
        EXPECT_EQ((s - epoch.offset()) % ns, 0);
        EXPECT_TRUE(starts.insert(s).second) << "subsequence at " << s << " drawn twice";
        ASSERT_LE(s + ns + 1, len);
        for (std::int64_t t = 0; t < ns; ++t) {
          EXPECT_EQ(x[r * ns + t], corpus[s + t]);
          EXPECT_EQ(y[r * ns + t], corpus[s + t + 1]);
        }
      }
      ++k;
    }
    EXPECT_EQ(k, epoch.size());
  });
}

TEST(Samplers, SequentialPartitioningProperties) {
  for_each_config([](std::int64_t len, std::int64_t bs, std::int64_t ns, std::int64_t seed) {
    const auto corpus = iota_corpus(len);  // values are positions: continuity is visible
    PyRandom rng(seed);
    const SeqBatches epoch = seq_data_iter_sequential(corpus, bs, ns, rng);
    EXPECT_GE(epoch.offset(), 0);
    EXPECT_LE(epoch.offset(), ns);
    EXPECT_EQ(epoch.size(), (len - epoch.offset() - 1) / bs / ns);
    std::vector<std::int64_t> previous;
    std::int64_t k = 0;
    for (const auto& [X, Y] : epoch) {
      ASSERT_EQ(X.shape(), (Shape{bs, ns}));
      const auto x = X.to_vector<std::int64_t>(), y = Y.to_vector<std::int64_t>();
      for (std::int64_t r = 0; r < bs; ++r) {
        for (std::int64_t t = 0; t < ns; ++t) {
          EXPECT_EQ(x[r * ns + t], x[r * ns] + t);  // a window
          EXPECT_EQ(y[r * ns + t], x[r * ns + t] + 1);
          EXPECT_LT(y[r * ns + t], len);
        }
        // Row r of this batch continues row r of the previous one.
        if (k > 0) {
          EXPECT_EQ(x[r * ns], previous[r * ns + ns - 1] + 1);
        } else if (r == 0) {
          EXPECT_EQ(x[0], epoch.offset());
        }
      }
      previous = x;
      ++k;
    }
    EXPECT_EQ(k, epoch.size());
  });
}

TEST(Samplers, BadSizesAreErrors) {
  const auto corpus = iota_corpus(35);
  PyRandom rng(0);
  for (auto* fn : {&seq_data_iter_random, &seq_data_iter_sequential}) {
    const std::string name = fn == &seq_data_iter_random ? "seq_data_iter_random" : "seq_data_iter_sequential";
    std::string e = error_of([&] { fn(corpus, 0, 5, rng); });
    EXPECT_NE(e.find(name + ": batch_size must be >= 1, got batch_size=0"), std::string::npos) << e;
    e = error_of([&] { fn(corpus, 2, -3, rng); });
    EXPECT_NE(e.find("num_steps must be >= 1, got num_steps=-3"), std::string::npos) << e;
    e = error_of([&] { fn(std::span<const std::int64_t>(corpus).first(10), 2, 5, rng); });
    EXPECT_NE(e.find("a corpus of 10 tokens leaves no complete batch of batch_size=2 x num_steps=5"),
              std::string::npos) << e;
    e = error_of([&] { fn({}, 1, 1, rng); });
    EXPECT_NE(e.find("a corpus of 0 tokens"), std::string::npos) << e;
    EXPECT_NO_THROW(fn(std::span<const std::int64_t>(corpus).first(11), 2, 5, rng));
    e = error_of([&] { fn(corpus, INT64_MAX, INT64_MAX, rng); });
    EXPECT_NE(e.find("no complete batch"), std::string::npos) << e;
  }
  const auto epoch = seq_data_iter_sequential(corpus, 2, 5, rng);
  EXPECT_NE(error_of([&] { epoch.batch(epoch.size()); }).find("out of range"), std::string::npos);
  EXPECT_NE(error_of([&] { epoch.row_start(0, 2); }).find("out of range"), std::string::npos);
}

TEST(Samplers, DefaultGeneratorIsPythonsModuleLevelOne) {
  const auto corpus = iota_corpus(35);
  python_random().seed(3);
  const auto a = seq_data_iter_random(corpus, 2, 5);
  PyRandom rng(3);
  const auto b = seq_data_iter_random(corpus, 2, 5, rng);
  EXPECT_EQ(a.batch(0).X.to_vector<std::int64_t>(), b.batch(0).X.to_vector<std::int64_t>());
}
