// Every differentiable op's gradient against central differences in float64 (tests/gradcheck.h),
// with broadcasting in both operands for the binary ops and non-contiguous inputs for the
// strided kernel paths. Inputs are chosen away from kinks (relu/abs at 0, clamp bounds, ties of
// max/maximum), where the derivative does not exist and a numeric check means nothing.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "gradcheck.h"

namespace d2l {
namespace {

using testing::away_from_zero;
using testing::distinct;
using testing::gradcheck;
using testing::GradcheckOptions;
using testing::noncontiguous;
using testing::uniform;
using Inputs = std::vector<Tensor>;

// Shape pairs that broadcast in every way: equal, each side stretched, rank-extended on either
// side, a 0-d operand on either side, and both sides stretched at once.
const std::vector<std::pair<Shape, Shape>> kBroadcastPairs = {
    {{3, 4}, {3, 4}},       {{3, 1}, {1, 4}}, {{2, 3, 4}, {4}}, {{4}, {2, 3, 4}},
    {{}, {2, 3}},           {{2, 3}, {}},     {{2, 1, 4}, {3, 1}}, {{1, 3}, {2, 1}},
    {{2, 3, 1}, {1, 1, 4}}, {{}, {}},
};

std::string pair_name(const Shape& a, const Shape& b) { return shape_str(a) + " and " + shape_str(b); }

// ---- binary arithmetic

TEST(Gradcheck, AddBroadcast) {
  for (const auto& [sa, sb] : kBroadcastPairs) {
    SCOPED_TRACE(pair_name(sa, sb));
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] + x[1]; }, {uniform(sa, -2, 2, 1), uniform(sb, -2, 2, 2)}));
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return add(x[0], x[1]); }, {uniform(sa, -2, 2, 3), uniform(sb, -2, 2, 4)}));
  }
}

TEST(Gradcheck, SubBroadcast) {
  for (const auto& [sa, sb] : kBroadcastPairs) {
    SCOPED_TRACE(pair_name(sa, sb));
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] - x[1]; }, {uniform(sa, -2, 2, 5), uniform(sb, -2, 2, 6)}));
  }
}

TEST(Gradcheck, MulBroadcast) {
  for (const auto& [sa, sb] : kBroadcastPairs) {
    SCOPED_TRACE(pair_name(sa, sb));
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] * x[1]; }, {uniform(sa, -2, 2, 7), uniform(sb, -2, 2, 8)}));
  }
}

TEST(Gradcheck, DivBroadcast) {
  for (const auto& [sa, sb] : kBroadcastPairs) {
    SCOPED_TRACE(pair_name(sa, sb));
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] / x[1]; },
                          {uniform(sa, -2, 2, 9), away_from_zero(sb, 0.5, 2, 10)}));
  }
}

TEST(Gradcheck, PowTensorTensorBroadcast) {
  for (const auto& [sa, sb] : kBroadcastPairs) {
    SCOPED_TRACE(pair_name(sa, sb));
    // A positive base, so a^b and log(a) are defined for every real exponent.
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return pow(x[0], x[1]); },
                          {uniform(sa, 0.5, 2, 11), uniform(sb, -2, 2, 12)}));
  }
}

TEST(Gradcheck, MaximumMinimumBroadcast) {
  for (const auto& [sa, sb] : kBroadcastPairs) {
    SCOPED_TRACE(pair_name(sa, sb));
    // Values on two interleaved grids (multiples of 0.25, and those plus 0.125): a and b never
    // tie, and every pair differs by at least 0.125, far more than the difference step.
    const Inputs in = {distinct(sa, 13, 0.25), distinct(sb, 14, 0.25, 0.125)};
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return maximum(x[0], x[1]); }, in));
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return minimum(x[0], x[1]); }, in));
  }
}

TEST(Gradcheck, WhereBroadcast) {
  // The condition, a and b all broadcast against one another.
  const Tensor cond = tensor({1.0, 0.0, 1.0, 0.0, 0.0, 1.0}).reshape({2, 3, 1}) > 0.5;
  EXPECT_TRUE(gradcheck([&](const Inputs& x) { return where(cond, x[0], x[1]); },
                        {uniform({3, 4}, -2, 2, 15), uniform({4}, -2, 2, 16)}));
  EXPECT_TRUE(gradcheck([&](const Inputs& x) { return where(cond, x[0], x[1]); },
                        {uniform({}, -2, 2, 17), uniform({2, 1, 4}, -2, 2, 18)}));
  // Same shapes, mask from the data (a typical use: where(x > 0, x, 0.01 * x)).
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return where(x[0] > 0.0, x[0], x[0] * 0.01); },
                        {away_from_zero({3, 5}, 0.1, 2, 19)}));
}

TEST(Gradcheck, BinaryOpsOnNoncontiguousInputs) {
  const Tensor a = noncontiguous(uniform({3, 4}, -2, 2, 20)), b = noncontiguous(away_from_zero({3, 4}, 0.5, 2, 21));
  ASSERT_FALSE(a.is_contiguous());
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] * x[1] + x[0] / x[1] - x[1]; }, {a, b}));
  const Tensor v = noncontiguous(uniform({4}, -2, 2, 22));
  ASSERT_FALSE(v.is_contiguous());
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] * x[1]; }, {a, v}));
}

TEST(Gradcheck, SameInputTwice) {
  // x * x and x / x: both operands are the same leaf, its gradient is the sum of both.
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] * x[0]; }, {uniform({2, 3}, -2, 2, 23)}));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] / (x[0] * x[0] + 1.0); }, {uniform({2, 3}, -2, 2, 24)}));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return pow(x[0], x[0]); }, {uniform({5}, 0.5, 2, 25)}));
}

// ---- arithmetic with a number

TEST(Gradcheck, ScalarArithmetic) {
  const Inputs in = {uniform({2, 3}, -2, 2, 30)};
  const Inputs nonzero = {away_from_zero({2, 3}, 0.5, 2, 31)};
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] + 2.5; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return 2.5 + x[0]; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] - 1.5; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return 1.5 - x[0]; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] * -3.0; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return -3.0 * x[0]; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0] / 4.0; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return 4.0 / x[0]; }, nonzero));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return add(x[0], 0.5); }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return mul(x[0], 0.5); }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return -x[0]; }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return neg(x[0]); }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].neg(); }, {noncontiguous(uniform({3, 2}, -2, 2, 32))}));
}

TEST(Gradcheck, PowTensorScalar) {
  const Inputs any = {uniform({2, 3}, -2, 2, 33)};
  const Inputs positive = {uniform({2, 3}, 0.5, 2, 34)};
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return pow(x[0], 2.0); }, any));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return pow(x[0], 3.0); }, any));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].pow(1.0); }, any));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].pow(0.5); }, positive));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].pow(-1.5); }, positive));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].pow(-2.0); }, {away_from_zero({2, 3}, 0.5, 2, 35)}));
  // x^0 is constant: the gradient is exactly zero (and must still be a defined tensor).
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].pow(0.0); }, any));
}

// ---- elementwise functions

TEST(Gradcheck, Unary) {
  const Inputs any = {uniform({3, 4}, -2, 2, 40)};
  const Inputs positive = {uniform({3, 4}, 0.2, 3, 41)};
  const Inputs nonzero = {away_from_zero({3, 4}, 0.1, 2, 42)};
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return exp(x[0]); }, any));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return log(x[0]); }, positive));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return sqrt(x[0]); }, positive));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return abs(x[0]); }, nonzero));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return tanh(x[0]); }, any));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return sigmoid(x[0]); }, any));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return relu(x[0]); }, nonzero));
  // Methods are the same ops.
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].exp() + x[0].tanh() + x[0].sigmoid(); }, any));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].log() + x[0].sqrt() + x[0].abs() + x[0].relu(); }, positive));
}

TEST(Gradcheck, UnaryOnNoncontiguousInputs) {
  const Tensor any = noncontiguous(uniform({3, 4}, -2, 2, 43));
  const Tensor positive = noncontiguous(uniform({3, 4}, 0.2, 3, 44));
  const Tensor nonzero = noncontiguous(away_from_zero({3, 4}, 0.1, 2, 45));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return exp(x[0]) * tanh(x[0]) + sigmoid(x[0]); }, {any}));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return log(x[0]) * sqrt(x[0]); }, {positive}));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return abs(x[0]) + relu(x[0]) + x[0].clamp(-0.5, 0.5); }, {nonzero}));
}

TEST(Gradcheck, SigmoidAndTanhSaturate) {
  // Large |x| takes sigmoid's other branch (exp(x) / (1 + exp(x))) and tanh near +-1.
  const Tensor x = tensor({-12.0, -6.0, -1.0, 0.5, 6.0, 12.0}, kFloat64);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return sigmoid(v[0]); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return tanh(v[0]); }, {x}));
}

TEST(Gradcheck, Clamp) {
  // Inputs on a grid of multiples of 0.25 plus 0.125: none lies on a bound (bounds are
  // multiples of 0.25), so every element is strictly inside or outside.
  const Inputs in = {distinct({4, 5}, 46, 0.25, 0.125)};
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return clamp(x[0], -0.5, 1.0); }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return clamp(x[0], -0.5, std::nullopt); }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return clamp(x[0], std::nullopt, 0.75); }, in));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].clamp(-1.0, 1.0); }, in));
}

// ---- reductions

TEST(Gradcheck, SumAllAndOverEachDim) {
  const Tensor x = uniform({2, 3, 4}, -2, 2, 50);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return sum(v[0]); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].sum(); }, {noncontiguous(x)}));
  for (std::int64_t d = -3; d < 3; ++d)
    for (bool keepdim : {false, true}) {
      SCOPED_TRACE("dim " + std::to_string(d) + (keepdim ? " keepdim" : ""));
      EXPECT_TRUE(gradcheck([=](const Inputs& v) { return sum(v[0], {d}, keepdim); }, {x}));
      EXPECT_TRUE(gradcheck([=](const Inputs& v) { return v[0].sum({d}, keepdim); }, {noncontiguous(x)}));
    }
  for (bool keepdim : {false, true}) {
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return sum(v[0], {0, 2}, keepdim); }, {x}));
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return sum(v[0], {-1, 1}, keepdim); }, {x}));
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return sum(v[0], {}, keepdim); }, {x}));  // {} = every dim
  }
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].sum(); }, {uniform({}, -2, 2, 51)}));  // 0-d
}

TEST(Gradcheck, MeanAllAndOverEachDim) {
  const Tensor x = uniform({2, 3, 4}, -2, 2, 52);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return mean(v[0]); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].mean(); }, {noncontiguous(x)}));
  for (std::int64_t d = -3; d < 3; ++d)
    for (bool keepdim : {false, true}) {
      SCOPED_TRACE("dim " + std::to_string(d) + (keepdim ? " keepdim" : ""));
      EXPECT_TRUE(gradcheck([=](const Inputs& v) { return mean(v[0], {d}, keepdim); }, {x}));
      EXPECT_TRUE(gradcheck([=](const Inputs& v) { return v[0].mean({d}, keepdim); }, {noncontiguous(x)}));
    }
  for (bool keepdim : {false, true}) {
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return mean(v[0], {0, 2}, keepdim); }, {x}));
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return mean(v[0], {}, keepdim); }, {x}));
  }
}

TEST(Gradcheck, MaxAllAndOverEachDim) {
  const Tensor x = distinct({2, 3, 4}, 53);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return max(v[0]); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].max(); }, {noncontiguous(x)}));
  for (std::int64_t d = -3; d < 3; ++d)
    for (bool keepdim : {false, true}) {
      SCOPED_TRACE("dim " + std::to_string(d) + (keepdim ? " keepdim" : ""));
      EXPECT_TRUE(gradcheck([=](const Inputs& v) { return max(v[0], d, keepdim).first; }, {x}));
      EXPECT_TRUE(gradcheck([=](const Inputs& v) { return max(v[0], d, keepdim).first; }, {noncontiguous(x)}));
    }
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return max(v[0], 0).first; }, {distinct({7}, 54)}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return max(v[0], 0).first; }, {uniform({}, -1, 1, 55)}));  // 0-d
}

TEST(Gradcheck, MaxTiesShareTheGradient) {
  // Not differentiable at a tie, so no numeric check: PyTorch's rule is that max() splits the
  // gradient evenly among the tied elements, and max(dim) sends it to the index it returns.
  Tensor x = tensor({1.0, 3.0, 3.0, 2.0}, kFloat64).requires_grad_();
  max(x).backward();
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{0.0, 0.5, 0.5, 0.0}));
  Tensor y = tensor({1.0, 3.0, 3.0, 2.0}, kFloat64).requires_grad_();
  auto [values, indices] = max(y, 0);
  values.backward();
  EXPECT_EQ(indices.item<std::int64_t>(), 1);
  EXPECT_EQ(y.grad().to_vector<double>(), (std::vector<double>{0.0, 1.0, 0.0, 0.0}));
}

TEST(Gradcheck, KinksFollowPyTorch) {
  // At the points where no derivative exists, the subgradient PyTorch 1.13 picks (checked
  // there): relu'(0) = 0, abs'(0) = 0, clamp passes the gradient at its bounds, and
  // maximum/minimum split it in half on a tie.
  Tensor x = tensor({-1.0, 0.0, 2.0}, kFloat64).requires_grad_();
  (relu(x).sum() + abs(x).sum() + clamp(x, 0.0, 2.0).sum()).backward();
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{-1.0, 1.0, 3.0}));
  Tensor a = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  Tensor b = tensor({1.0, 5.0, 0.0}, kFloat64).requires_grad_();
  maximum(a, b).sum().backward();
  EXPECT_EQ(a.grad().to_vector<double>(), (std::vector<double>{0.5, 0.0, 1.0}));
  EXPECT_EQ(b.grad().to_vector<double>(), (std::vector<double>{0.5, 1.0, 0.0}));
  a.grad().zero_();
  b.grad().zero_();
  minimum(a, b).sum().backward();
  EXPECT_EQ(a.grad().to_vector<double>(), (std::vector<double>{0.5, 1.0, 0.0}));
  EXPECT_EQ(b.grad().to_vector<double>(), (std::vector<double>{0.5, 0.0, 1.0}));
}

TEST(Gradcheck, NaNAndInfiniteGradientsFollowPyTorch) {
  // Checked with PyTorch 1.13: a NaN in maximum/minimum loses nowhere, so both inputs get the
  // gradient; relu passes the gradient where its output is NaN and drops an infinite one where
  // the output is 0 (no inf * 0 = NaN).
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  for (bool is_max : {true, false}) {
    Tensor a = tensor({nan, 1.0}, kFloat64).requires_grad_();
    Tensor b = tensor({0.0, nan}, kFloat64).requires_grad_();
    (is_max ? maximum(a, b) : minimum(a, b)).sum().backward();
    EXPECT_EQ(a.grad().to_vector<double>(), (std::vector<double>{1.0, 1.0}));
    EXPECT_EQ(b.grad().to_vector<double>(), (std::vector<double>{1.0, 1.0}));
  }
  Tensor x = tensor({nan, -1.0, 0.0, 2.0}, kFloat64).requires_grad_();
  relu(x).backward(tensor({3.0, inf, inf, 5.0}, kFloat64));
  EXPECT_EQ(x.grad().to_vector<double>(), (std::vector<double>{3.0, 0.0, 0.0, 5.0}));
}

// ---- linear algebra

TEST(Gradcheck, Mm) {
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return mm(x[0], x[1]); },
                        {uniform({3, 4}, -1, 1, 60), uniform({4, 5}, -1, 1, 61)}));
  // Transposed operands go to BLAS as transposed views.
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].t().mm(x[1].t()); },
                        {uniform({4, 3}, -1, 1, 62), uniform({5, 4}, -1, 1, 63)}));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return mm(x[0], x[1]); },
                        {noncontiguous(uniform({3, 4}, -1, 1, 64)), noncontiguous(uniform({4, 2}, -1, 1, 65))}));
  // Row and column vectors, where BLAS leading dimensions are easiest to get wrong.
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return mm(x[0], x[1]); },
                        {uniform({1, 4}, -1, 1, 66), uniform({4, 1}, -1, 1, 67)}));
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return mm(x[0], x[1]); },
                        {uniform({4, 1}, -1, 1, 68), uniform({1, 3}, -1, 1, 69)}));
}

TEST(Gradcheck, Matmul) {
  struct Case {
    Shape a, b;
  };
  const std::vector<Case> cases = {
      {{3, 4}, {4, 5}},        // 2-D
      {{2, 3, 4}, {2, 4, 5}},  // batched 3-D
      {{2, 3, 4}, {4, 5}},     // 3-D @ 2-D
      {{3, 4}, {2, 4, 5}},     // 2-D @ 3-D
      {{1, 3, 4}, {2, 4, 5}},  // batch dims broadcast
      {{2, 1, 3, 4}, {3, 4, 2}},
      {{4}, {4}},     // 1-D . 1-D
      {{4}, {4, 5}},  // 1-D @ 2-D
      {{3, 4}, {4}},  // 2-D @ 1-D
      {{4}, {2, 4, 5}},
      {{2, 3, 4}, {4}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(pair_name(c.a, c.b));
    EXPECT_TRUE(gradcheck([](const Inputs& x) { return matmul(x[0], x[1]); },
                          {uniform(c.a, -1, 1, 70), uniform(c.b, -1, 1, 71)}));
  }
  EXPECT_TRUE(gradcheck([](const Inputs& x) { return x[0].matmul(x[1].transpose(1, 2)); },
                        {uniform({2, 3, 4}, -1, 1, 72), uniform({2, 5, 4}, -1, 1, 73)}));
}

TEST(Gradcheck, Linear) {
  const Tensor x = uniform({5, 3}, -1, 1, 80), w = uniform({4, 3}, -1, 1, 81), b = uniform({4}, -1, 1, 82);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return linear(v[0], v[1], v[2]); }, {x, w, b}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return linear(v[0], v[1], Tensor()); }, {x, w}));
  // Extra leading dims and a single sample.
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return linear(v[0], v[1], v[2]); }, {uniform({2, 2, 3}, -1, 1, 83), w, b}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return linear(v[0], v[1], v[2]); }, {uniform({3}, -1, 1, 84), w, b}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return linear(v[0], v[1], v[2]); },
                        {noncontiguous(x), noncontiguous(w), b}));
  // The same as x @ w^T + b, written out.
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return linear(v[0], v[1], v[2]) - (matmul(v[0], v[1].t()) + v[2]); },
                        {x, w, b}));
}

// ---- indexing and joining

TEST(Gradcheck, IndexSelect) {
  // Repeated indices: their gradients add up in the backward's scatter.
  const Tensor rows = tensor({2, 0, 2, 1}, kInt64), cols = tensor({3, 3, 0}, kInt64);
  const Tensor x = uniform({3, 4}, -2, 2, 90);
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return index_select(v[0], 0, rows); }, {x}));
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return v[0].index_select(1, cols); }, {x}));
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return v[0].index_select(-1, cols); }, {noncontiguous(x)}));
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return index_select(v[0], 1, tensor({1, 1}, kInt64)); },
                        {uniform({2, 3, 2}, -2, 2, 91)}));
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return index_select(v[0], 0, tensor({4, 0, 4}, kInt64)); },
                        {uniform({5}, -2, 2, 92)}));
}

TEST(Gradcheck, CatAndStack) {
  const Tensor a = uniform({2, 3}, -2, 2, 93), b = uniform({1, 3}, -2, 2, 94), c = uniform({2, 2}, -2, 2, 95);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return cat({v[0], v[1]}, 0); }, {a, b}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return cat({v[0], v[1], v[0]}, 0); }, {a, b}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return cat({v[0], v[1]}, 1); }, {a, c}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return cat({v[0], v[1]}, -1); }, {noncontiguous(a), c}));
  const Tensor p = uniform({2, 3}, -2, 2, 96), q = uniform({2, 3}, -2, 2, 97);
  for (std::int64_t d : {0, 1, 2, -1}) {
    SCOPED_TRACE("stack dim " + std::to_string(d));
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return stack({v[0], v[1], v[0]}, d); }, {p, q}));
  }
}

// ---- views and copies

TEST(Gradcheck, ViewAndReshape) {
  const Tensor x = uniform({2, 3, 4}, -2, 2, 100);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].view({6, 4}); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].view({-1}); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].reshape({4, -1}); }, {x}));
  // reshape of a non-contiguous tensor copies first
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].reshape({24}); }, {noncontiguous(x)}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].transpose(0, 2).reshape({4, 6}); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].flatten(); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].flatten(1); }, {noncontiguous(x)}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].view({}); }, {uniform({1, 1}, -2, 2, 101)}));
}

TEST(Gradcheck, TransposePermute) {
  const Tensor x = uniform({2, 3, 4}, -2, 2, 102);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].transpose(0, 2); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].transpose(-1, 1); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].t(); }, {uniform({3, 4}, -2, 2, 103)}));
  for (const Shape& p : {Shape{2, 0, 1}, Shape{1, 2, 0}, Shape{0, 2, 1}, Shape{-1, 0, 1}}) {
    SCOPED_TRACE("permute " + shape_str(p));
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return v[0].permute(p); }, {x}));
  }
  // A view of a view, then math on it (the strided kernels read the permuted layout).
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].permute({2, 0, 1}).transpose(0, 1) * v[1]; },
                        {x, uniform({4, 1}, -2, 2, 104)}));
}

TEST(Gradcheck, NarrowSliceSelect) {
  const Tensor x = uniform({4, 5}, -2, 2, 105);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].narrow(0, 1, 2); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].narrow(1, -3, 3); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].slice(1, 0, std::nullopt, 2); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].slice(0, 1, 4, 2); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].slice(1, -4, -1, 2); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].slice(1, 1, 100, 3); }, {noncontiguous(x)}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].select(0, 2); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].select(1, -1); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0][3]; }, {noncontiguous(x)}));
  // Overlapping pieces of one input add up.
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].narrow(0, 0, 3) * v[0].narrow(0, 1, 3); }, {x}));
}

TEST(Gradcheck, UnsqueezeSqueezeExpand) {
  const Tensor x = uniform({3, 4}, -2, 2, 106);
  for (std::int64_t d : {0, 1, 2, -1}) {
    SCOPED_TRACE("unsqueeze " + std::to_string(d));
    EXPECT_TRUE(gradcheck([=](const Inputs& v) { return v[0].unsqueeze(d); }, {x}));
  }
  const Tensor y = uniform({3, 1, 4, 1}, -2, 2, 107);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].squeeze(); }, {y}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].squeeze(1); }, {y}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].squeeze(-1); }, {y}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].squeeze(0); }, {y}));  // not size 1: no-op
  const Tensor z = uniform({3, 1}, -2, 2, 108);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].expand({3, 4}); }, {z}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].expand({2, 3, 4}); }, {z}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].expand({2, -1, 5}); }, {z}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].expand_as(v[1]) * v[1]; }, {z, uniform({3, 4}, -2, 2, 109)}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].expand({4, 2}); }, {uniform({}, -2, 2, 110)}));
}

TEST(Gradcheck, ContiguousClone) {
  const Tensor x = uniform({3, 4}, -2, 2, 111);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].contiguous(); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].t().contiguous(); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].contiguous(); }, {noncontiguous(x)}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].clone(); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].clone() * v[0]; }, {noncontiguous(x)}));
}

TEST(Gradcheck, ToDtype) {
  // to(float64) on float64 is the identity, and a round trip through float64 is exact.
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return v[0].to(kFloat64) * v[0]; }, {uniform({2, 3}, -2, 2, 112)},
                        {.check_float32 = false}));
  // float32 -> float64: the gradient comes back to the float32 leaf as float32. The
  // upstream values are exact in float32, so the comparison is exact.
  Tensor x = tensor({1.0, -2.0, 0.5});
  x.requires_grad_();
  Tensor y = x.to(kFloat64);
  EXPECT_EQ(y.dtype(), kFloat64);
  (y * tensor({0.25, 3.0, -1.5}, kFloat64)).sum().backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().dtype(), kFloat32);
  EXPECT_EQ(x.grad().to_vector<float>(), (std::vector<float>{0.25f, 3.0f, -1.5f}));
  // float64 -> float32 -> back: the gradient reaches the float64 leaf as float64.
  Tensor w = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  (w.to(kFloat32) * 2.0).to(kFloat64).sum().backward();
  EXPECT_EQ(w.grad().dtype(), kFloat64);
  EXPECT_EQ(w.grad().to_vector<double>(), (std::vector<double>{2.0, 2.0}));
}

TEST(Gradcheck, MixedDtypeBinaryOps) {
  // float32 leaf times float64 leaf: computed in float64, each gradient in its leaf's dtype.
  Tensor a = tensor({1.5, -2.0});
  a.requires_grad_();
  Tensor b = tensor({{4.0, 0.5}, {2.0, -1.0}}, kFloat64).requires_grad_();  // broadcasts over rows
  Tensor c = a * b;
  EXPECT_EQ(c.dtype(), kFloat64);
  c.sum().backward();
  EXPECT_EQ(a.grad().dtype(), kFloat32);
  EXPECT_EQ(a.grad().to_vector<float>(), (std::vector<float>{6.0f, -0.5f}));
  EXPECT_EQ(b.grad().dtype(), kFloat64);
  EXPECT_EQ(b.grad().to_vector<double>(), (std::vector<double>{1.5, -2.0, 1.5, -2.0}));
}

// ---- composites: the gradient of a whole model step, built from the primitives

TEST(Gradcheck, SoftmaxCrossEntropyFromPrimitives) {
  const Tensor labels = tensor({2, 0, 1, 2}, kInt64);
  auto loss = [&](const Inputs& v) {
    // log-softmax with the max subtracted, then the negative log-likelihood of the labels
    Tensor z = v[0] - max(v[0], 1, true).first;
    Tensor log_p = z - log(exp(z).sum({1}, true));
    Tensor one_hot = (labels.unsqueeze(1) == arange(3.0).unsqueeze(0)).to(v[0].dtype());
    return -(log_p * one_hot).sum({1}).mean();
  };
  EXPECT_TRUE(gradcheck(loss, {distinct({4, 3}, 120, 0.3)}));
}

TEST(Gradcheck, MlpStep) {
  auto net = [](const Inputs& v) {
    Tensor h = relu(linear(v[0], v[1], v[2]));
    Tensor out = matmul(h, v[3]) + v[4];
    return ((out - v[5]) * (out - v[5])).mean();
  };
  // The hidden pre-activations stay away from 0 for these inputs (relu's kink), which the
  // float64 check would otherwise flag as a mismatch.
  EXPECT_TRUE(gradcheck(net, {uniform({4, 3}, -1, 1, 121), uniform({5, 3}, -1, 1, 122), uniform({5}, -1, 1, 123),
                              uniform({5, 2}, -1, 1, 124), uniform({2}, -1, 1, 125), uniform({4, 2}, -1, 1, 126)}));
}

// The helper must be able to fail: a deliberately wrong backward is caught.
TEST(Gradcheck, HelperCatchesAWrongGradient) {
  auto wrong = [](const Inputs& v) {
    // Forward is x^2, backward claims 3x (instead of 2x).
    Tensor out = v[0].detach() * v[0].detach();
    return autograd::record(out, "WrongBackward", {v[0]}, [x = v[0].detach()](const Tensor& g, const autograd::Node&) {
      return std::vector<Tensor>{g * x * 3.0};
    });
  };
  EXPECT_FALSE(gradcheck(wrong, {uniform({3}, 0.5, 1, 130)}));
  // ...and a gradient missing for one element of a broadcast input.
  auto unreduced = [](const Inputs& v) {
    Tensor out = v[0].detach() + v[1].detach();
    return autograd::record(out, "NoSumBackward", {v[0], v[1]}, [](const Tensor& g, const autograd::Node&) {
      return std::vector<Tensor>{g, g.select(0, 0).unsqueeze(0)};  // takes one row instead of summing
    });
  };
  EXPECT_FALSE(gradcheck(unreduced, {uniform({3, 2}, -1, 1, 131), uniform({1, 2}, -1, 1, 132)}));
}

}  // namespace
}  // namespace d2l
