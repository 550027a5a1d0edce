// nn::Linear: PyTorch's default init, forward x W^T + b, gradients, errors.
#include <gtest/gtest.h>

#include <cmath>

#include "d2l/autograd.h"
#include "d2l/nn/linear.h"
#include "d2l/ops.h"
#include "d2l/random.h"

using namespace d2l;
using nn::Linear;

namespace {

double sample_std(const std::vector<float>& v) {
  double m = 0, s = 0;
  for (float x : v) m += x;
  m /= static_cast<double>(v.size());
  for (float x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

TEST(Linear, ParametersHaveTorchShapesAndNames) {
  Linear l(3, 5);
  EXPECT_EQ(l.in_features, 3);
  EXPECT_EQ(l.out_features, 5);
  EXPECT_EQ(l.weight.shape(), (Shape{5, 3}));
  EXPECT_EQ(l.bias.shape(), (Shape{5}));
  EXPECT_EQ(l.weight.dtype(), kFloat32);
  EXPECT_TRUE(l.weight.requires_grad() && l.bias.requires_grad());
  EXPECT_TRUE(l.weight.is_leaf() && l.bias.is_leaf());
  const auto named = l.named_parameters();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].first, "weight");
  EXPECT_TRUE(named[0].second.is_same(l.weight));
  EXPECT_EQ(named[1].first, "bias");
  EXPECT_TRUE(named[1].second.is_same(l.bias));

  Linear no_bias(3, 5, false);
  EXPECT_FALSE(no_bias.bias.defined());
  ASSERT_EQ(no_bias.parameters().size(), 1u);
  EXPECT_EQ(no_bias.named_parameters()[0].first, "weight");
  EXPECT_THROW(Linear(-1, 2), Error);
}

TEST(Linear, DefaultInitIsUniformWithinOneOverSqrtInFeatures) {
  manual_seed(0);
  Linear l(100, 60);
  const double bound = 1.0 / std::sqrt(100.0);
  const auto w = l.weight.to_vector<float>();
  const auto b = l.bias.to_vector<float>();
  float wmin = 1, wmax = -1;
  for (float x : w) {
    EXPECT_GE(x, -bound);
    EXPECT_LE(x, bound);
    wmin = std::min(wmin, x);
    wmax = std::max(wmax, x);
  }
  // 6000 draws fill the interval: the extremes lie within 0.5% of the bounds...
  EXPECT_LT(wmin, -0.995 * bound);
  EXPECT_GT(wmax, 0.995 * bound);
  // ...with the spread of U(-bound, bound): std = bound / sqrt(3) (standard error ~0.9%).
  EXPECT_NEAR(sample_std(w), bound / std::sqrt(3.0), 0.05 * bound / std::sqrt(3.0));
  for (float x : b) {
    EXPECT_GE(x, -bound);
    EXPECT_LE(x, bound);
  }
  // The bias is drawn too (not left zero) and uses the same bound.
  EXPECT_GT(*std::max_element(b.begin(), b.end()), 0.5 * bound);
  EXPECT_LT(*std::min_element(b.begin(), b.end()), -0.5 * bound);

  // A narrow layer: bound 1/sqrt(2).
  Linear small(2, 200);
  for (float x : small.weight.to_vector<float>()) EXPECT_LE(std::abs(x), 1.0 / std::sqrt(2.0));
  EXPECT_GT(sample_std(small.weight.to_vector<float>()), 0.9 * (1.0 / std::sqrt(2.0)) / std::sqrt(3.0));
}

TEST(Linear, InitIsReproducibleFromTheSeed) {
  manual_seed(7);
  Linear a(4, 3);
  manual_seed(7);
  Linear b(4, 3);
  Linear c(4, 3);  // the stream moved on
  EXPECT_EQ(a.weight.to_vector<float>(), b.weight.to_vector<float>());
  EXPECT_EQ(a.bias.to_vector<float>(), b.bias.to_vector<float>());
  EXPECT_NE(a.weight.to_vector<float>(), c.weight.to_vector<float>());
}

TEST(Linear, ForwardIsXWtPlusB) {
  manual_seed(3);
  Linear l(3, 4);
  Tensor x = randn({5, 3});
  Tensor y = l(x);
  ASSERT_EQ(y.shape(), (Shape{5, 4}));
  for (std::int64_t i = 0; i < 5; ++i)
    for (std::int64_t o = 0; o < 4; ++o) {
      double want = l.bias.at({o});
      for (std::int64_t k = 0; k < 3; ++k) want += x.at({i, k}) * l.weight.at({o, k});
      EXPECT_NEAR(y.at({i, o}), want, 1e-5) << i << "," << o;
    }

  Linear nb(3, 2, false);
  Tensor z = nb(x);
  for (std::int64_t i = 0; i < 5; ++i)
    for (std::int64_t o = 0; o < 2; ++o) {
      double want = 0;
      for (std::int64_t k = 0; k < 3; ++k) want += x.at({i, k}) * nb.weight.at({o, k});
      EXPECT_NEAR(z.at({i, o}), want, 1e-5);
    }
}

TEST(Linear, ForwardOnOneDAndThreeDInputs) {
  manual_seed(4);
  Linear l(3, 2);
  Tensor v = randn({3});
  Tensor y = l(v);
  ASSERT_EQ(y.shape(), (Shape{2}));
  Tensor y2 = l(v.unsqueeze(0));
  EXPECT_EQ(y.to_vector<float>(), y2.to_vector<float>());

  Tensor x = randn({2, 4, 3});
  Tensor z = l(x);
  ASSERT_EQ(z.shape(), (Shape{2, 4, 2}));
  Tensor flat = l(x.reshape({8, 3}));
  EXPECT_EQ(z.reshape({8, 2}).to_vector<float>(), flat.to_vector<float>());
}

TEST(Linear, GradientsAreThoseOfXWtPlusB) {
  Linear l(2, 1);
  {
    NoGradGuard g;
    l.weight.copy_(tensor({{2.0, -1.0}}));
    l.bias.fill_(0.5);
  }
  Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}, {-1.0, 0.5}});
  Tensor y = tensor({1.0, 0.0, 2.0}).reshape({3, 1});
  Tensor out = l(x);
  EXPECT_EQ(out.to_vector<float>(), (std::vector<float>{0.5f, 2.5f, -2.0f}));
  Tensor loss = ((out - y) * (out - y)).sum();
  loss.backward();
  // d loss / d out = 2 (out - y) = (-1, 5, -8)
  EXPECT_EQ(l.bias.grad().to_vector<float>(), std::vector<float>{-4.0f});
  EXPECT_EQ(l.weight.grad().to_vector<float>(), (std::vector<float>{-1.0f + 15.0f + 8.0f, -2.0f + 20.0f - 4.0f}));
}

TEST(Linear, WrongInputWidthNamesTheShapes) {
  Linear l(2, 5);
  try {
    l(zeros({4, 3}));
    FAIL() << "expected d2l::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("4x3 and 2x5"), std::string::npos) << e.what();
  }
}

}  // namespace
