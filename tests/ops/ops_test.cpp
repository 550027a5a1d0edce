// Forward values of the ops against plain loops and the C library, and their error messages.
// (Gradients are checked in gradcheck_test.cpp.)
#include <gtest/gtest.h>

#include "error_of.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "gradcheck.h"

namespace d2l {
namespace {

using testing::noncontiguous;
using testing::uniform;
using Vec = std::vector<float>;
using Vec64 = std::vector<double>;

// ---- elementwise

TEST(Ops, UnaryMatchesTheCLibrary) {
  const Tensor x = uniform({64}, 0.05, 4, 1);
  const Tensor s = uniform({64}, -4, 4, 2);
  const auto xv = x.to_vector<double>(), sv = s.to_vector<double>();
  struct Case {
    const char* name;
    Tensor out;
    double (*ref)(double);
    const std::vector<double>* in;
  };
  const std::vector<Case> cases = {
      {"exp", exp(s), [](double v) { return std::exp(v); }, &sv},
      {"log", log(x), [](double v) { return std::log(v); }, &xv},
      {"sqrt", sqrt(x), [](double v) { return std::sqrt(v); }, &xv},
      {"tanh", tanh(s), [](double v) { return std::tanh(v); }, &sv},
      {"sigmoid", sigmoid(s), [](double v) { return 1.0 / (1.0 + std::exp(-v)); }, &sv},
      {"abs", abs(s), [](double v) { return std::abs(v); }, &sv},
      {"relu", relu(s), [](double v) { return v > 0 ? v : 0.0; }, &sv},
      {"neg", -s, [](double v) { return -v; }, &sv},
      {"clamp", clamp(s, -1.0, 2.0), [](double v) { return std::min(std::max(v, -1.0), 2.0); }, &sv},
      {"pow2", pow(s, 2.0), [](double v) { return v * v; }, &sv},
      {"pow0.5", x.pow(0.5), [](double v) { return std::sqrt(v); }, &xv},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto out = c.out.to_vector<double>();
    for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], c.ref((*c.in)[i]), 1e-14 * (1 + std::abs(out[i])));
  }
  // The same on a strided input.
  EXPECT_EQ(exp(noncontiguous(s.reshape({8, 8}))).to_vector<double>(), exp(s.reshape({8, 8})).to_vector<double>());
}

TEST(Ops, ClampOfIntegers) {
  // PyTorch: an integer tensor clamped to fractional bounds becomes float32; integral bounds
  // keep int64.
  const Tensor c = clamp(arange(5.0), 1.5, 3.5);
  EXPECT_EQ(c.dtype(), kFloat32);
  EXPECT_EQ(c.to_vector<float>(), (Vec{1.5f, 1.5f, 2.0f, 3.0f, 3.5f}));
  const Tensor k = clamp(arange(5.0), 1.0, std::nullopt);
  EXPECT_EQ(k.dtype(), kInt64);
  EXPECT_EQ(k.to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, 1, 2, 3, 4}));
}

TEST(Ops, SigmoidIsStableAtTheExtremes) {
  const auto v = sigmoid(tensor({-1000.0, -100.0, 0.0, 100.0, 1000.0})).to_vector<float>();
  EXPECT_EQ(v[0], 0.0f);
  EXPECT_GT(v[1], 0.0f);  // exp(-100) / (1 + exp(-100)): tiny but not flushed to 0 by 1/(1+inf)
  EXPECT_EQ(v[2], 0.5f);
  EXPECT_EQ(v[3], 1.0f);
  EXPECT_EQ(v[4], 1.0f);
  for (float y : v) EXPECT_FALSE(std::isnan(y));
}

TEST(Ops, NonFiniteValues) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Tensor x = tensor({nan, 1.0, -2.0});
  EXPECT_TRUE(std::isnan(relu(x).to_vector<float>()[0])) << "relu propagates NaN, as in PyTorch";
  EXPECT_TRUE(std::isnan(clamp(x, 0.0, 1.0).to_vector<float>()[0]));
  EXPECT_TRUE(std::isnan(max(x).item<float>())) << "max propagates NaN";
  EXPECT_TRUE(std::isnan(maximum(x, zeros({3})).to_vector<float>()[0]));
  EXPECT_EQ(argmax(x).item<std::int64_t>(), 0);
  EXPECT_EQ((tensor({1.0}) / 0.0).item<float>(), INFINITY);
}

// ---- broadcasting arithmetic

TEST(Ops, BroadcastingValues) {
  const Tensor col = tensor({1.0, 2.0, 3.0}).reshape({3, 1});
  const Tensor row = tensor({{10.0, 20.0, 30.0, 40.0}});  // (1, 4)
  const Tensor sum = col + row;
  EXPECT_EQ(sum.shape(), (Shape{3, 4}));
  EXPECT_EQ(sum.to_vector<float>(), (Vec{11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43}));
  EXPECT_EQ((row - col).to_vector<float>(), (Vec{9, 19, 29, 39, 8, 18, 28, 38, 7, 17, 27, 37}));
  EXPECT_EQ((col * row).at({2, 3}), 120.0);
  EXPECT_EQ((row / col).at({1, 0}), 5.0);
  const Tensor x = arange(24.0, kFloat32).reshape({2, 3, 4});
  const Tensor v = tensor({1.0, -1.0, 2.0, 0.5});
  const Tensor prod = x * v;
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t j = 0; j < 3; ++j)
      for (std::int64_t k = 0; k < 4; ++k) EXPECT_EQ(prod.at({i, j, k}), x.at({i, j, k}) * v.at({k}));
  EXPECT_EQ((scalar_tensor(2.0) - x).at({1, 2, 3}), -21.0);
  EXPECT_EQ(maximum(col, row.t().reshape({1, 4}) * 0.1).to_vector<float>(),
            (Vec{1, 2, 3, 4, 2, 2, 3, 4, 3, 3, 3, 4}));
  EXPECT_EQ(minimum(col, tensor({2.5})).to_vector<float>(), (Vec{1, 2, 2.5f}));
  // Python-number operands on either side
  EXPECT_EQ((1.0 - tensor({0.25, 1.0})).to_vector<float>(), (Vec{0.75f, 0.0f}));
  EXPECT_FALSE(std::signbit((1.0 - tensor({1.0})).item<float>())) << "1 - 1 is +0, as in PyTorch";
  EXPECT_EQ((3.0 / tensor({2.0, 4.0})).to_vector<float>(), (Vec{1.5f, 0.75f}));
  EXPECT_EQ((tensor({1.0, 2.0}) - 0.5).to_vector<float>(), (Vec{0.5f, 1.5f}));
}

TEST(Ops, DivisionByANumberIsTrueDivision) {
  // x / 7 must round like PyTorch's true division, not like x * float(1/7): in float32 the
  // two differ for half of 0..29 (3, 6, 9, 11, ...).
  const auto v = (arange(30.0, kFloat32) / 7.0).to_vector<float>();
  for (int i = 0; i < 30; ++i) EXPECT_EQ(v[i], static_cast<float>(i) / 7.0f) << i;
}

TEST(Ops, LargeTensorsTakeTheThreadedPaths) {
  // Above the kernels' parallel grain (2^15 elements) the contiguous loops run threaded.
  const std::int64_t n = 100003;
  const Tensor a = uniform({n}, -2, 2, 20), b = uniform({n}, 0.5, 2, 21);
  const auto av = a.to_vector<double>(), bv = b.to_vector<double>();
  const auto sum = (a + b).to_vector<double>(), quot = (a / b).to_vector<double>();
  const auto scaled = (a * 2.5).to_vector<double>(), ex = exp(a).to_vector<double>();
  for (std::int64_t i = 0; i < n; ++i) {
    ASSERT_EQ(sum[i], av[i] + bv[i]) << i;
    ASSERT_EQ(quot[i], av[i] / bv[i]) << i;
    ASSERT_EQ(scaled[i], av[i] * 2.5) << i;
    ASSERT_EQ(ex[i], std::exp(av[i])) << i;
  }
  double total = 0;
  for (double v : av) total += v;
  EXPECT_NEAR(a.sum().item(), total, 1e-9);
}

TEST(Ops, BroadcastingErrorsNameBothShapes) {
  const std::string msg = error_of([] { return ones({2, 3}) + ones({4}); });
  EXPECT_NE(msg.find("[2, 3]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("[4]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("add"), std::string::npos) << msg;
  const std::string mul_msg = error_of([] { return ones({5, 1, 3}) * ones({2, 2}); });
  EXPECT_NE(mul_msg.find("[5, 1, 3]"), std::string::npos) << mul_msg;
  EXPECT_NE(mul_msg.find("[2, 2]"), std::string::npos) << mul_msg;
  EXPECT_NE(error_of([] { return where(ones({3}) > 0.5, ones({2}), ones({3})); }).find("[2]"), std::string::npos);
}

TEST(Ops, Where) {
  const Tensor c = tensor({1.0, 0.0, 1.0}) > 0.5;
  EXPECT_EQ(where(c, tensor({1.0, 2.0, 3.0}), tensor({-1.0})).to_vector<float>(), (Vec{1, -1, 3}));
  EXPECT_EQ(where(c.unsqueeze(1), ones({3, 2}), zeros({2})).to_vector<float>(), (Vec{1, 1, 0, 0, 1, 1}));
  EXPECT_NE(error_of([] { return where(ones({2}), ones({2}), ones({2})); }).find("boolean"), std::string::npos);
}

// ---- reductions

TEST(Ops, ReductionsMatchLoops) {
  const Tensor x = uniform({3, 4, 5}, -2, 2, 3);
  const auto v = x.to_vector<double>();
  auto at = [&](int i, int j, int k) { return v[(i * 4 + j) * 5 + k]; };
  double total = 0, best = -INFINITY;
  for (double e : v) total += e, best = std::max(best, e);
  EXPECT_NEAR(x.sum().item(), total, 1e-12);
  EXPECT_NEAR(x.mean().item(), total / 60, 1e-12);
  EXPECT_EQ(x.max().item(), best);
  const Tensor s1 = x.sum({1});
  const Tensor m02 = x.mean({0, 2}, true);
  auto [mx, idx] = max(x, 2);
  EXPECT_EQ(s1.shape(), (Shape{3, 5}));
  EXPECT_EQ(m02.shape(), (Shape{1, 4, 1}));
  EXPECT_EQ(mx.shape(), (Shape{3, 4}));
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 5; ++k) {
      double s = 0;
      for (int j = 0; j < 4; ++j) s += at(i, j, k);
      EXPECT_NEAR(s1.at({i, k}), s, 1e-12);
    }
  for (int j = 0; j < 4; ++j) {
    double s = 0;
    for (int i = 0; i < 3; ++i)
      for (int k = 0; k < 5; ++k) s += at(i, j, k);
    EXPECT_NEAR(m02.at({0, j, 0}), s / 15, 1e-12);
  }
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) {
      int arg = 0;
      for (int k = 1; k < 5; ++k)
        if (at(i, j, k) > at(i, j, arg)) arg = k;
      EXPECT_EQ(idx.at({i, j}), arg);
      EXPECT_EQ(mx.at({i, j}), at(i, j, arg));
    }
  EXPECT_EQ(argmax(x, 2).to_vector<std::int64_t>(), idx.to_vector<std::int64_t>());
  // Same results from a strided input.
  EXPECT_EQ(noncontiguous(x).sum({1}).to_vector<double>(), s1.to_vector<double>());
  EXPECT_EQ(max(noncontiguous(x), 2).second.to_vector<std::int64_t>(), idx.to_vector<std::int64_t>());
}

TEST(Ops, ReductionShapes) {
  const Tensor x = ones({2, 3, 4});
  EXPECT_EQ(x.sum({0}, true).shape(), (Shape{1, 3, 4}));
  EXPECT_EQ(x.sum({-1}).shape(), (Shape{2, 3}));
  EXPECT_EQ(x.sum({0, 2}).shape(), (Shape{3}));
  EXPECT_EQ(x.sum().shape(), (Shape{}));
  EXPECT_EQ(x.mean({1}, true).shape(), (Shape{2, 1, 4}));
  EXPECT_EQ(max(x, -2, true).first.shape(), (Shape{2, 1, 4}));
  EXPECT_EQ(zeros({2, 0}).sum({1}).to_vector<float>(), (Vec{0, 0}));
  EXPECT_NE(error_of([&] { return x.sum({0, 0}); }).find("appears multiple times"), std::string::npos);
  EXPECT_NE(error_of([&] { return x.sum({3}); }).find("dimension out of range"), std::string::npos);
}

TEST(Ops, Float32SumsAccumulateInDouble) {
  // 0 + 1 + ... + 99999 = 4999950000. Accumulated in float32, the running sum loses its low
  // bits after 2^24; accumulated in double and rounded once, it is the float nearest the truth.
  EXPECT_EQ(arange(100000.0, kFloat32).sum().item<float>(), static_cast<float>(4999950000.0));
  EXPECT_EQ(arange(100000.0, kFloat32).reshape({1000, 100}).sum({0}).sum().item<float>(),
            static_cast<float>(4999950000.0));
}

// ---- linear algebra

// C = A @ B by the textbook triple loop, in double.
std::vector<double> naive_mm(const Tensor& a, const Tensor& b) {
  const std::int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  std::vector<double> c(static_cast<std::size_t>(m * n), 0.0);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::int64_t p = 0; p < k; ++p) s += a.at({i, p}) * b.at({p, j});
      c[i * n + j] = s;
    }
  return c;
}

void expect_all_near(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

TEST(Ops, MmMatchesNaiveLoops) {
  const Tensor a = uniform({17, 33}, -1, 1, 4), b = uniform({33, 9}, -1, 1, 5);
  expect_all_near(mm(a, b).to_vector<double>(), naive_mm(a, b), 1e-12);
  // Transposed views and a narrowed (offset, padded-stride) operand go to BLAS without copies.
  const Tensor at = uniform({33, 17}, -1, 1, 6), bt = uniform({9, 33}, -1, 1, 7);
  expect_all_near(mm(at.t(), bt.t()).to_vector<double>(), naive_mm(at.t(), bt.t()), 1e-12);
  const Tensor wide = uniform({17, 40}, -1, 1, 8);
  const Tensor part = wide.narrow(1, 3, 33);
  expect_all_near(mm(part, b).to_vector<double>(), naive_mm(part, b), 1e-12);
  // Stride-0 (expanded) and step-sliced operands are copied first.
  const Tensor e = uniform({1, 33}, -1, 1, 9).expand({17, 33});
  expect_all_near(mm(e, b).to_vector<double>(), naive_mm(e, b), 1e-12);
  const Tensor stepped = uniform({17, 66}, -1, 1, 10).slice(1, 0, std::nullopt, 2);
  expect_all_near(mm(stepped, b).to_vector<double>(), naive_mm(stepped, b), 1e-12);
  // float32 and int64
  expect_all_near(mm(a.to(kFloat32), b.to(kFloat32)).to_vector<double>(), naive_mm(a, b), 1e-5);
  const Tensor ia = arange(6.0).reshape({2, 3}), ib = arange(6.0).reshape({3, 2});
  EXPECT_EQ(mm(ia, ib).to_vector<std::int64_t>(), (std::vector<std::int64_t>{10, 13, 28, 40}));
  // empty inner dimension: zeros
  EXPECT_EQ(mm(zeros({2, 0}), zeros({0, 3})).to_vector<float>(), Vec(6, 0.0f));
}

TEST(Ops, MatmulShapesAndValues) {
  const Tensor a = uniform({2, 3, 4}, -1, 1, 11), b = uniform({2, 4, 5}, -1, 1, 12), w = uniform({4, 5}, -1, 1, 13);
  const Tensor c = matmul(a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 3, 5}));
  for (std::int64_t i = 0; i < 2; ++i) expect_all_near(c[i].to_vector<double>(), naive_mm(a[i], b[i]), 1e-12);
  const Tensor cw = matmul(a, w);
  EXPECT_EQ(cw.shape(), (Shape{2, 3, 5}));
  for (std::int64_t i = 0; i < 2; ++i) expect_all_near(cw[i].to_vector<double>(), naive_mm(a[i], w), 1e-12);
  const Tensor bc = matmul(uniform({1, 3, 4}, -1, 1, 14), b);  // batch broadcast
  EXPECT_EQ(bc.shape(), (Shape{2, 3, 5}));
  const Tensor v = uniform({4}, -1, 1, 15);
  EXPECT_EQ(matmul(v, v).shape(), (Shape{}));
  EXPECT_NEAR(matmul(v, v).item(), (v * v).sum().item(), 1e-12);
  EXPECT_EQ(matmul(v, w).shape(), (Shape{5}));
  EXPECT_EQ(matmul(a, v).shape(), (Shape{2, 3}));
  EXPECT_EQ(matmul(v, b).shape(), (Shape{2, 5}));
  expect_all_near(matmul(a[0], v).to_vector<double>(), naive_mm(a[0], v.unsqueeze(1)), 1e-12);
}

TEST(Ops, LinearEqualsMatmulPlusBias) {
  const Tensor x = uniform({6, 4}, -1, 1, 16), w = uniform({3, 4}, -1, 1, 17), b = uniform({3}, -1, 1, 18);
  expect_all_near(linear(x, w, b).to_vector<double>(), (matmul(x, w.t()) + b).to_vector<double>(), 1e-12);
  expect_all_near(linear(x, w, Tensor()).to_vector<double>(), matmul(x, w.t()).to_vector<double>(), 1e-12);
  EXPECT_EQ(linear(uniform({2, 5, 4}, -1, 1, 19), w, b).shape(), (Shape{2, 5, 3}));
}

TEST(Ops, MatmulShapeErrorsReadLikePyTorch) {
  EXPECT_EQ(error_of([] { return mm(ones({16, 127}), ones({128, 64})); }),
            "mat1 and mat2 shapes cannot be multiplied (16x127 and 128x64)");
  EXPECT_EQ(error_of([] { return matmul(ones({16, 127}), ones({128, 64})); }),
            "mat1 and mat2 shapes cannot be multiplied (16x127 and 128x64)");
  // nn.Linear(128, 64) on a batch of 16 x 127: PyTorch names input and weight^T.
  EXPECT_EQ(error_of([] { return linear(ones({16, 127}), ones({64, 128}), ones({64})); }),
            "mat1 and mat2 shapes cannot be multiplied (16x127 and 128x64)");
  EXPECT_NE(error_of([] { return matmul(ones({2, 3, 4}), ones({5, 6})); }).find("2x3x4 and 5x6"), std::string::npos);
  EXPECT_NE(error_of([] { return mm(ones({3}), ones({3, 2})); }).find("matrix"), std::string::npos);
  EXPECT_NE(error_of([] { return matmul(ones({3}), ones({4})); }).find("same number of elements"), std::string::npos);
}

// ---- joining

TEST(Ops, CatAndStack) {
  const Tensor a = arange(6.0, kFloat32).reshape({2, 3}), b = arange(3.0, kFloat32).reshape({1, 3}) + 10.0;
  EXPECT_EQ(cat({a, b}).to_vector<float>(), (Vec{0, 1, 2, 3, 4, 5, 10, 11, 12}));
  EXPECT_EQ(cat({a, a.slice(1, 0, 1)}, 1).to_vector<float>(), (Vec{0, 1, 2, 0, 3, 4, 5, 3}));
  EXPECT_EQ(cat({a.t(), a.t()}, 0).shape(), (Shape{6, 2}));
  EXPECT_EQ(cat({a.t(), a.t()}, 0).at({4, 1}), 4.0);
  const Tensor s = stack({tensor({1.0, 2.0}), tensor({3.0, 4.0})}, 1);
  EXPECT_EQ(s.shape(), (Shape{2, 2}));
  EXPECT_EQ(s.to_vector<float>(), (Vec{1, 3, 2, 4}));
  EXPECT_EQ(stack({scalar_tensor(1.0), scalar_tensor(2.0)}).shape(), (Shape{2}));
  EXPECT_NE(error_of([&] { return cat({a, ones({2, 2})}); }).find("sizes of tensors must match"), std::string::npos);
  EXPECT_NE(error_of([] { return cat({scalar_tensor(1.0)}); }).find("zero-dimensional tensor (at position 0) cannot be concatenated"),
            std::string::npos);
  EXPECT_NE(error_of([&] { return stack({a, b}); }).find("equal size"), std::string::npos);
}

}  // namespace
}  // namespace d2l
