// nn::init: fills in place without a graph; bounds and statistics with fixed seeds; fans.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "d2l/autograd.h"
#include "d2l/nn/init.h"
#include "d2l/ops.h"
#include "d2l/random.h"

using namespace d2l;
namespace init = d2l::nn::init;

namespace {

struct Stats {
  double mean, std, min, max;
};

Stats stats(const Tensor& t) {
  const auto v = t.to_vector<double>();
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  for (double x : v) s += (x - m) * (x - m);
  return {m, std::sqrt(s / static_cast<double>(v.size() - 1)), *std::min_element(v.begin(), v.end()),
          *std::max_element(v.begin(), v.end())};
}

TEST(Init, FanInAndFanOut) {
  EXPECT_EQ(init::calculate_fan_in_and_fan_out(empty({8, 5})), (std::pair<std::int64_t, std::int64_t>{5, 8}));
  // Conv-shaped weights multiply by the receptive field (as torch does).
  EXPECT_EQ(init::calculate_fan_in_and_fan_out(empty({16, 8, 3, 3})),
            (std::pair<std::int64_t, std::int64_t>{72, 144}));
  EXPECT_EQ(init::calculate_fan_in_and_fan_out(empty({4, 6, 5})), (std::pair<std::int64_t, std::int64_t>{30, 20}));
  EXPECT_THROW(init::calculate_fan_in_and_fan_out(empty({4})), Error);
  EXPECT_THROW(init::xavier_uniform_(empty({4})), Error);
}

TEST(Init, NormalHasTheRequestedMeanAndStd) {
  manual_seed(11);
  Tensor t = init::normal_(empty({400, 250}), 0.5, 0.01);  // 1e5 draws
  const Stats s = stats(t);
  // Standard errors: mean 0.01/316 = 3.2e-5, std 0.01/447 = 2.2e-5.
  EXPECT_NEAR(s.mean, 0.5, 2e-4);
  EXPECT_NEAR(s.std, 0.01, 2e-4);
  // Bell-shaped: ~68.3% within one std (standard error 0.15%).
  const auto v = t.to_vector<double>();
  const double within = static_cast<double>(std::count_if(v.begin(), v.end(), [](double x) {
                          return std::abs(x - 0.5) < 0.01;
                        })) / static_cast<double>(v.size());
  EXPECT_NEAR(within, 0.6827, 0.01);
  // Default arguments: standard normal.
  const Stats d = stats(init::normal_(empty({100000}, kFloat64)));
  EXPECT_NEAR(d.mean, 0.0, 0.02);
  EXPECT_NEAR(d.std, 1.0, 0.02);
}

TEST(Init, UniformStaysInItsBoundsAndFillsThem) {
  manual_seed(12);
  Tensor t = init::uniform_(empty({100000}, kFloat64), -0.3, 0.5);
  const Stats s = stats(t);
  EXPECT_GE(s.min, -0.3);
  EXPECT_LT(s.max, 0.5);
  EXPECT_LT(s.min, -0.299);
  EXPECT_GT(s.max, 0.499);
  EXPECT_NEAR(s.mean, 0.1, 5e-3);
  EXPECT_NEAR(s.std, 0.8 / std::sqrt(12.0), 5e-3);
  const Stats d = stats(init::uniform_(empty({10000})));  // default U(0, 1)
  EXPECT_GE(d.min, 0.0);
  EXPECT_LT(d.max, 1.0);
  EXPECT_NEAR(d.mean, 0.5, 0.02);
}

TEST(Init, ConstantZerosOnes) {
  Tensor t = empty({3, 4});
  Tensor r = init::constant_(t, 2.5);
  EXPECT_TRUE(r.is_same(t));  // in place, returns its argument
  EXPECT_EQ(t.to_vector<float>(), std::vector<float>(12, 2.5f));
  init::zeros_(t);
  EXPECT_EQ(t.to_vector<float>(), std::vector<float>(12, 0.0f));
  init::ones_(t);
  EXPECT_EQ(t.to_vector<float>(), std::vector<float>(12, 1.0f));
}

TEST(Init, WorksOnParametersWithoutRecordingAGraph) {
  // net[0].weight.data.normal_(0, 0.01) / nn.init.normal_(m.weight, std=0.01) on a leaf
  // that requires grad: allowed, and it stays a leaf.
  Tensor w = zeros({4, 3}).requires_grad_();
  for (auto fill : {+[](Tensor x) { init::normal_(x, 0, 0.01); }, +[](Tensor x) { init::uniform_(x, -1, 1); },
                    +[](Tensor x) { init::constant_(x, 3); }, +[](Tensor x) { init::zeros_(x); },
                    +[](Tensor x) { init::xavier_uniform_(x); }, +[](Tensor x) { init::xavier_normal_(x); },
                    +[](Tensor x) { init::kaiming_uniform_(x); }}) {
    fill(w);
    EXPECT_TRUE(w.is_leaf());
    EXPECT_TRUE(w.requires_grad());
  }
  // Usable as a parameter afterwards.
  (w * w).sum().backward();
  EXPECT_TRUE(w.grad().defined());
}

TEST(Init, FillsOnlyTheViewItIsGiven) {
  manual_seed(13);
  Tensor m = zeros({4, 5});
  init::uniform_(m.select(1, 2), 1.0, 2.0);  // column 2: a strided view
  init::constant_(m.select(0, 0), -1.0);     // then row 0
  for (std::int64_t i = 0; i < 4; ++i)
    for (std::int64_t j = 0; j < 5; ++j) {
      const double v = m.at({i, j});
      if (i == 0) EXPECT_EQ(v, -1.0);
      else if (j == 2) EXPECT_TRUE(v >= 1.0 && v < 2.0) << v;
      else EXPECT_EQ(v, 0.0) << i << "," << j;
    }
}

TEST(Init, SameSeedSameDraws) {
  manual_seed(5);
  const auto a = init::normal_(empty({50})).to_vector<float>();
  const auto b = init::uniform_(empty({50})).to_vector<float>();
  manual_seed(5);
  EXPECT_EQ(init::normal_(empty({50})).to_vector<float>(), a);
  EXPECT_EQ(init::uniform_(empty({50})).to_vector<float>(), b);
  manual_seed(6);
  EXPECT_NE(init::normal_(empty({50})).to_vector<float>(), a);
}

TEST(Init, XavierUniform) {
  manual_seed(21);
  Tensor w = init::xavier_uniform_(empty({300, 200}));  // fan_in 200, fan_out 300
  const double a = std::sqrt(6.0 / 500.0);
  Stats s = stats(w);
  EXPECT_GE(s.min, -a);
  EXPECT_LE(s.max, a);
  EXPECT_LT(s.min, -0.99 * a);
  EXPECT_GT(s.max, 0.99 * a);
  EXPECT_NEAR(s.std, a / std::sqrt(3.0), 0.02 * a / std::sqrt(3.0));
  EXPECT_NEAR(s.mean, 0.0, 0.01 * a);
  // gain scales the bound.
  s = stats(init::xavier_uniform_(empty({300, 200}), 2.0));
  EXPECT_LE(s.max, 2 * a);
  EXPECT_GT(s.max, 1.98 * a);
  EXPECT_NEAR(s.std, 2 * a / std::sqrt(3.0), 0.04 * a / std::sqrt(3.0));
}

TEST(Init, XavierNormal) {
  manual_seed(22);
  const double want = std::sqrt(2.0 / 500.0);
  Stats s = stats(init::xavier_normal_(empty({200, 300})));  // fan_in 300, fan_out 200
  EXPECT_NEAR(s.std, want, 0.02 * want);
  EXPECT_NEAR(s.mean, 0.0, 0.02 * want);
  s = stats(init::xavier_normal_(empty({200, 300}), 0.5));
  EXPECT_NEAR(s.std, 0.5 * want, 0.01 * want);
}

TEST(Init, KaimingUniform) {
  manual_seed(23);
  // a = 0 (ReLU gain sqrt(2)): bound sqrt(6 / fan_in).
  const double b0 = std::sqrt(6.0 / 250.0);
  Stats s = stats(init::kaiming_uniform_(empty({400, 250})));
  EXPECT_LE(s.max, b0);
  EXPECT_GE(s.min, -b0);
  EXPECT_GT(s.max, 0.99 * b0);
  EXPECT_NEAR(s.std, b0 / std::sqrt(3.0), 0.02 * b0 / std::sqrt(3.0));
  // a = sqrt(5), Linear's default: bound 1 / sqrt(fan_in).
  s = stats(init::kaiming_uniform_(empty({400, 250}), std::sqrt(5.0)));
  EXPECT_LE(s.max, 1.0 / std::sqrt(250.0));
  EXPECT_GT(s.max, 0.99 / std::sqrt(250.0));
}

}  // namespace
