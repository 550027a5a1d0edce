// n-gram counts: hand-checked small cases, Python's Counter.most_common (golden), a brute-force
// count over random sequences on both the packed-key and the hashed path, and the Zipf plot.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "d2l/text/ngrams.h"
#include "d2l/text/py_random.h"
#include "d2l/train/zipf.h"
#include "error_of.h"
#include "text_golden.h"

using namespace d2l::text;
using d2l::train::zipf_plot_svg;
using d2l::train::zipf_series;
using Gram = std::vector<std::int64_t>;

namespace {

std::vector<std::pair<Gram, std::int64_t>> entries(const std::vector<Ngram>& top) {
  std::vector<std::pair<Gram, std::int64_t>> out;
  for (const auto& g : top) out.emplace_back(g.indices, g.count);
  return out;
}

// Counter.most_common, the slow way: counts and first positions in a std::map, then a stable sort.
std::vector<std::pair<Gram, std::int64_t>> brute_force(const std::vector<std::int64_t>& tokens, int n) {
  std::map<Gram, std::pair<std::int64_t, std::size_t>> seen;  // gram -> (count, first position)
  for (std::size_t s = 0; s + n <= tokens.size(); ++s) {
    auto [it, added] = seen.try_emplace(Gram(tokens.begin() + s, tokens.begin() + s + n), 0, s);
    ++it->second.first;
  }
  std::vector<std::tuple<std::size_t, Gram, std::int64_t>> order;
  for (const auto& [g, v] : seen) order.emplace_back(v.second, g, v.first);
  std::sort(order.begin(), order.end());
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return std::get<2>(a) > std::get<2>(b); });
  std::vector<std::pair<Gram, std::int64_t>> out;
  for (const auto& [pos, g, c] : order) out.emplace_back(g, c);
  return out;
}

}  // namespace

TEST(Ngrams, SmallSequenceCountsAndTies) {
  const std::vector<std::int64_t> t = {1, 2, 1, 2, 3, 1, 2};
  const NgramCounter uni(t, 1), bi(t, 2), tri(t, 3);
  EXPECT_EQ(uni.total(), 7);
  EXPECT_EQ(uni.size(), 3);
  // 1 and 2 both occur 3 times: 1 appeared first.
  EXPECT_EQ(entries(uni.top_k(-1)), (std::vector<std::pair<Gram, std::int64_t>>{{{1}, 3}, {{2}, 3}, {{3}, 1}}));
  EXPECT_EQ(entries(bi.top_k(-1)),
            (std::vector<std::pair<Gram, std::int64_t>>{{{1, 2}, 3}, {{2, 1}, 1}, {{2, 3}, 1}, {{3, 1}, 1}}));
  EXPECT_EQ(entries(bi.top_k(2)), (std::vector<std::pair<Gram, std::int64_t>>{{{1, 2}, 3}, {{2, 1}, 1}}));
  EXPECT_EQ(bi.total(), 6);
  EXPECT_EQ(tri.size(), 5);
  EXPECT_EQ(tri.count(Gram{1, 2, 3}), 1);
  EXPECT_EQ(tri.count(Gram{1, 2, 1}), 1);
  EXPECT_EQ(tri.count(Gram{3, 2, 1}), 0);
  EXPECT_EQ(bi.count(Gram{1, 2}), 3);
  EXPECT_EQ(bi.count(Gram{1, 99}), 0);  // an index larger than any counted one
  EXPECT_EQ(bi.count(Gram{-1, 2}), 0);
  EXPECT_EQ(uni.frequencies(), (std::vector<std::int64_t>{3, 3, 1}));
  EXPECT_EQ(bi.top_k(0).size(), 0u);
  EXPECT_EQ(bi.top_k(100).size(), 4u);
  EXPECT_EQ(tri.gram(0), (Gram{1, 2, 1}));
  EXPECT_EQ(NgramCounter(std::vector<std::int64_t>{5, 1LL << 40, 5}, 2).gram(1), (Gram{1LL << 40, 5}));  // hashed
  EXPECT_EQ(tri.count_of(0), 1);
}

TEST(Ngrams, EqualsPythonCounterMostCommon) {
  const auto& g = text_golden().at("ngrams");
  const auto tokens = g.at("tokens").get<std::vector<std::int64_t>>();
  for (int n = 1; n <= 4; ++n) {
    std::vector<std::pair<Gram, std::int64_t>> want;
    for (const auto& e : g.at("most_common").at(std::to_string(n))) want.emplace_back(e[0].get<Gram>(), e[1].get<std::int64_t>());
    EXPECT_EQ(entries(NgramCounter(tokens, n).top_k(-1)), want) << "n = " << n;
  }
}

TEST(Ngrams, PackedAndHashedPathsEqualBruteForce) {
  PyRandom r(11);
  // (vocabulary size, n): 5 x 3 bits and 2 x 20 bits pack into one key; 10 x 4 bits, 3 x 31
  // bits and 2 x 41 bits do not, so those windows are hashed.
  const std::vector<std::pair<std::int64_t, int>> cases = {
      {1, 1}, {6, 1}, {6, 5}, {1000000, 2}, {10, 10}, {1LL << 31, 3}, {1LL << 40, 2}, {3, 30}};
  for (const auto& [vocab, n] : cases) {
    for (std::int64_t len : {0, 1, 2, 50, 3000}) {
      std::vector<std::int64_t> tokens(static_cast<std::size_t>(len));
      // Few distinct values in a large range, so that n-grams repeat.
      for (auto& t : tokens) t = (vocab - 1) / (1 + r.randrange(3));
      const NgramCounter c(tokens, n);
      const auto want = brute_force(tokens, n);
      EXPECT_EQ(entries(c.top_k(-1)), want) << "vocab " << vocab << " n " << n << " len " << len;
      EXPECT_EQ(c.total(), std::max<std::int64_t>(0, len - n + 1));
      for (const auto& [gram, count] : want) ASSERT_EQ(c.count(gram), count);
    }
  }
}

TEST(Ngrams, BadInputIsAnError) {
  const std::vector<std::int64_t> t = {0, 4, -2};
  EXPECT_NE(error_of([&] { NgramCounter(t, 0); }).find("n must be >= 1, got n=0"), std::string::npos);
  EXPECT_NE(error_of([&] { NgramCounter(t, 1); }).find("token index -2 at position 2 is negative"),
            std::string::npos);
  const NgramCounter c(std::vector<std::int64_t>{1, 2}, 2);
  EXPECT_NE(error_of([&] { c.count(Gram{1}); }).find("expected 2 indices, got 1"), std::string::npos);
  EXPECT_NE(error_of([&] { c.gram(1); }).find("out of range"), std::string::npos);
  EXPECT_NE(error_of([&] { c.count_of(-1); }).find("out of range"), std::string::npos);
}

TEST(Zipf, SeriesKeepsTheEndsOfEachRun) {
  const std::vector<std::int64_t> f = {5, 3, 3, 3, 1, 1};
  const auto s = zipf_series(f, "unigram");
  EXPECT_EQ(s.label, "unigram");
  EXPECT_EQ(s.x, (std::vector<double>{1, 2, 4, 5, 6}));
  EXPECT_EQ(s.y, (std::vector<double>{5, 3, 3, 1, 1}));
  EXPECT_TRUE(zipf_series({}, "").x.empty());
}

TEST(Zipf, PlotHasOneLabelledLinePerN) {
  std::vector<std::int64_t> tokens;
  PyRandom r(3);
  for (int i = 0; i < 2000; ++i) tokens.push_back(r.randrange(1 + r.randrange(100)));
  std::vector<NgramCounter> counters;
  for (int n = 1; n <= 4; ++n) counters.emplace_back(tokens, n);
  const std::string svg = zipf_plot_svg(counters);
  for (const char* label : {"unigram", "bigram", "trigram", "4-gram", "token: x", "frequency: n(x)"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  std::size_t lines = 0;
  for (std::size_t p = svg.find("<polyline"); p != std::string::npos; p = svg.find("<polyline", p + 1)) ++lines;
  EXPECT_EQ(lines, 4u);
}
