// The seeded generator: same seed, same numbers; different seeds, different numbers; and the
// distributions are right. The statistical bounds are many standard errors wide: for the fixed
// seeds they pass with a huge margin (the test is deterministic), while a broken generator
// (wrong scale, a shift, a uniform in place of a normal, a biased shuffle) lands far outside.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "gradcheck.h"  // PrintTo(DType)
#include "d2l/random.h"

namespace d2l {
namespace {

struct Moments {
  double mean = 0, std = 0, within_one_std = 0;
};

Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v) m.mean += x;
  m.mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m.mean) * (x - m.mean);
  m.std = std::sqrt(ss / static_cast<double>(v.size() - 1));
  for (double x : v) m.within_one_std += std::abs(x - m.mean) < m.std;
  m.within_one_std /= static_cast<double>(v.size());
  return m;
}

TEST(Random, SameSeedSameNumbers) {
  manual_seed(42);
  const auto a = randn({1000}).to_vector<float>();
  const auto b = rand({3, 7}).to_vector<float>();
  const auto c = randperm(50).to_vector<std::int64_t>();
  const auto d = normal(2.0, 0.5, {11}, kFloat64).to_vector<double>();
  manual_seed(42);
  EXPECT_EQ(randn({1000}).to_vector<float>(), a);
  EXPECT_EQ(rand({3, 7}).to_vector<float>(), b);
  EXPECT_EQ(randperm(50).to_vector<std::int64_t>(), c);
  EXPECT_EQ(normal(2.0, 0.5, {11}, kFloat64).to_vector<double>(), d);
}

TEST(Random, ReseedingDiscardsTheCachedNormal) {
  // Box-Muller makes normals in pairs; an odd-sized draw leaves one cached. Re-seeding must
  // drop it, or the stream after manual_seed would depend on what ran before.
  manual_seed(7);
  const auto fresh = randn({5}).to_vector<float>();
  manual_seed(123);
  randn({3});  // leaves a spare
  manual_seed(7);
  EXPECT_EQ(randn({5}).to_vector<float>(), fresh);
}

TEST(Random, DifferentSeedsDiffer) {
  manual_seed(1);
  const auto a = randn({100}).to_vector<float>();
  const auto p = randperm(100).to_vector<std::int64_t>();
  manual_seed(2);
  const auto b = randn({100}).to_vector<float>();
  const auto q = randperm(100).to_vector<std::int64_t>();
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  EXPECT_EQ(same, 0);
  EXPECT_NE(p, q);
  // ...and consecutive draws from one seed differ too.
  EXPECT_NE(randn({100}).to_vector<float>(), b);
}

TEST(Random, InPlaceFillsFollowTheSeed) {
  manual_seed(9);
  Tensor a = empty({4, 5});
  a.normal_(1.0, 2.0);
  Tensor b = empty({4, 5}, kFloat64);
  b.uniform_(-3.0, 3.0);
  manual_seed(9);
  EXPECT_EQ(normal(1.0, 2.0, {4, 5}).to_vector<float>(), a.to_vector<float>());
  Tensor c = empty({5, 4}, kFloat64).t();  // a strided destination gets the same stream
  c.uniform_(-3.0, 3.0);
  EXPECT_EQ(c.contiguous().to_vector<double>(), b.to_vector<double>());
}

TEST(Random, RandnIsStandardNormal) {
  manual_seed(2024);
  const auto m = moments(randn({100000}, kFloat64).to_vector<double>());
  // Standard errors for n = 1e5: mean 0.0032, std 0.0022, fraction 0.0015.
  EXPECT_NEAR(m.mean, 0.0, 0.02);
  EXPECT_NEAR(m.std, 1.0, 0.02);
  EXPECT_NEAR(m.within_one_std, 0.6827, 0.01) << "the shape of a normal, not just its first two moments";
  const auto n = moments(normal(3.0, 0.25, {100000}).to_vector<double>());
  EXPECT_NEAR(n.mean, 3.0, 0.005);
  EXPECT_NEAR(n.std, 0.25, 0.005);
}

TEST(Random, RandIsUniformOnZeroOne) {
  manual_seed(77);
  const auto v = rand({100000}, kFloat64).to_vector<double>();
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.0);
  EXPECT_LT(*std::max_element(v.begin(), v.end()), 1.0);
  const auto m = moments(v);
  EXPECT_NEAR(m.mean, 0.5, 0.01);
  EXPECT_NEAR(m.std, std::sqrt(1.0 / 12.0), 0.01);
  // Ten equal bins each hold about a tenth (standard error ~0.001).
  std::vector<int> bins(10, 0);
  for (double x : v) ++bins[static_cast<int>(x * 10)];
  for (int b : bins) EXPECT_NEAR(b / 100000.0, 0.1, 0.01);
}

TEST(Random, RandpermIsAPermutation) {
  manual_seed(3);
  for (std::int64_t n : {0, 1, 2, 10, 1000}) {
    const Tensor p = randperm(n);
    EXPECT_EQ(p.dtype(), kInt64);
    auto v = p.to_vector<std::int64_t>();
    ASSERT_EQ(static_cast<std::int64_t>(v.size()), n);
    std::sort(v.begin(), v.end());
    std::vector<std::int64_t> expected(static_cast<std::size_t>(n));
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(v, expected) << "n = " << n;
  }
  auto v = randperm(100).to_vector<std::int64_t>();
  std::vector<std::int64_t> identity(100);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_NE(v, identity) << "a shuffle";
}

TEST(Random, RandpermIsUnbiased) {
  // All 6 orders of 3 items equally likely (a classic off-by-one in Fisher-Yates is not).
  manual_seed(11);
  std::vector<int> counts(9, 0);  // counts[3 * position + value]
  const int draws = 30000;
  for (int i = 0; i < draws; ++i) {
    const auto p = randperm(3).to_vector<std::int64_t>();
    for (int pos = 0; pos < 3; ++pos) ++counts[3 * pos + p[pos]];
  }
  for (int c : counts) EXPECT_NEAR(c / static_cast<double>(draws), 1.0 / 3.0, 0.02);
}

TEST(Random, GeneratorBelowIsUniform) {
  Generator g(5);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 90000; ++i) ++counts[g.below(3)];
  for (int c : counts) EXPECT_NEAR(c / 90000.0, 1.0 / 3.0, 0.01);
  // Independent generators with one seed agree; the global one is not disturbed by them.
  Generator a(99), b(99);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next_u64(), b.next_u64());
}

}  // namespace
}  // namespace d2l
