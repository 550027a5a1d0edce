// softmax, log_softmax, gather, one_hot and flatten: gradients by central differences,
// values and gradients against PyTorch, stability for huge logits, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "error_of.h"
#include "gradcheck.h"
#include "ops/classify_golden.h"

using namespace d2l;
using d2l::testing::all_close;
using d2l::testing::classify_golden;
using d2l::testing::flat_values;
using d2l::testing::golden_tensor;
using d2l::testing::gradcheck;
using d2l::testing::noncontiguous;
using d2l::testing::shape_of;
using Inputs = std::vector<Tensor>;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ---- softmax / log_softmax

TEST(Softmax, GradcheckEveryDim) {
  const Tensor x = d2l::testing::uniform({2, 3, 4}, -3, 3, 11);
  for (std::int64_t dim : {0, 1, 2, -1, -3}) {
    SCOPED_TRACE(dim);
    EXPECT_TRUE(gradcheck([dim](const Inputs& v) { return softmax(v[0], dim); }, {x}));
    EXPECT_TRUE(gradcheck([dim](const Inputs& v) { return log_softmax(v[0], dim); }, {x}));
  }
}

TEST(Softmax, GradcheckStridedAndSmallShapes) {
  const Tensor x = d2l::testing::uniform({5, 3}, -2, 2, 12);
  for (std::int64_t dim : {0, 1}) {
    EXPECT_TRUE(gradcheck([dim](const Inputs& v) { return softmax(v[0], dim); }, {noncontiguous(x)}));
    EXPECT_TRUE(gradcheck([dim](const Inputs& v) { return log_softmax(v[0], dim); }, {noncontiguous(x)}));
  }
  const Tensor vec = d2l::testing::uniform({7}, -2, 2, 13);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return softmax(v[0], 0); }, {vec}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return log_softmax(v[0], -1); }, {noncontiguous(vec)}));
  // A gradient that reaches the node non-contiguous (expanded by sum's backward).
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return softmax(v[0], 1).sum({0}); }, {x}));
}

TEST(Softmax, ZeroDimIsOne) {
  Tensor x = scalar_tensor(3.5, kFloat64).requires_grad_();
  Tensor y = softmax(x, 0);
  EXPECT_EQ(y.dim(), 0);
  EXPECT_EQ(y.item(), 1.0);
  EXPECT_EQ(log_softmax(x, -1).item(), 0.0);
  y.backward();
  EXPECT_EQ(x.grad().item(), 0.0);
}

TEST(Softmax, MatchesPyTorchEveryDim) {
  const auto& g = classify_golden().at("softmax");
  const Shape shape = shape_of(g["shape"]);
  const Tensor upstream = golden_tensor(g["upstream"], shape);
  for (const char* dim_name : {"0", "1", "2", "-1"}) {
    SCOPED_TRACE(dim_name);
    const auto& want = g["dims"][dim_name];
    const std::int64_t dim = std::stoll(dim_name);
    for (bool log : {false, true}) {
      Tensor x = golden_tensor(g["input"], shape).requires_grad_();
      Tensor y = log ? log_softmax(x, dim) : softmax(x, dim);
      EXPECT_STREQ(y.grad_fn()->name, log ? "LogSoftmaxBackward0" : "SoftmaxBackward0");
      y.backward(upstream);
      const std::string name = log ? "log_softmax" : "softmax";
      EXPECT_TRUE(all_close(y.to_vector<double>(), flat_values(want[name]), 1e-13, 1e-15)) << name;
      EXPECT_TRUE(all_close(x.grad().to_vector<double>(), flat_values(want[name + "_grad"]), 1e-12, 1e-14)) << name;
    }
  }
}

TEST(Softmax, Float32RowsMatchPyTorch) {
  // Rows of 10 classes run the vectorized float32 exp.
  const auto& g = classify_golden().at("softmax").at("float32");
  const Tensor x = golden_tensor(g["input"], shape_of(g["shape"]), kFloat32);
  EXPECT_TRUE(all_close(softmax(x, 1).to_vector<double>(), flat_values(g["softmax"]), 2e-6, 1e-30));
  EXPECT_TRUE(all_close(log_softmax(x, 1).to_vector<double>(), flat_values(g["log_softmax"]), 1e-6, 1e-5));
}

TEST(Softmax, Float32AgreesWithFloat64AcrossTheExpRange) {
  // Gaps from the row max from 0 down to -100 (past float's smallest normal at -87.3), in
  // steps of 1/8 so that float32 holds them and their differences exactly: what is left is
  // the error of the exp, the sum and the division.
  std::vector<double> v;
  for (int i = 0; i < 37 * 300; ++i) v.push_back(-((i * 7919) % 801) / 8.0);
  const Tensor x64 = from_vector(v, {300, 37});
  const auto want = softmax(x64, 1).to_vector<double>();
  const auto want_log = log_softmax(x64, 1).to_vector<double>();
  const Tensor x32 = x64.to(kFloat32);
  EXPECT_TRUE(all_close(softmax(x32, 1).to_vector<double>(), want, 1e-6, 1e-38));
  EXPECT_TRUE(all_close(log_softmax(x32, 1).to_vector<double>(), want_log, 1e-6, 1e-6));
  // Not the last dim: the column path, same values.
  EXPECT_TRUE(all_close(softmax(x32.t(), 0).t().contiguous().to_vector<double>(), want, 1e-6, 1e-38));
  std::vector<double> sums = softmax(x32, 1).sum({1}).to_vector<double>();
  for (double s : sums) EXPECT_NEAR(s, 1.0, 1e-6);
}

TEST(Softmax, HugeLogitsStayFinite) {
  for (DType dtype : {kFloat32, kFloat64}) {
    SCOPED_TRACE(dtype_name(dtype));
    Tensor x = tensor({{1e4, -1e4, 0.0}, {-1e4, -1e4, -1e4}}).to(dtype).requires_grad_();
    Tensor y = softmax(x, 1);
    const auto p = y.to_vector<double>();
    EXPECT_EQ(p[0], 1.0);
    EXPECT_EQ(p[1], 0.0);
    EXPECT_EQ(p[2], 0.0);
    EXPECT_NEAR(p[3], 1.0 / 3, 1e-7);
    const auto l = log_softmax(x, 1).to_vector<double>();
    EXPECT_EQ(l[0], 0.0);
    EXPECT_EQ(l[1], -2e4);
    EXPECT_EQ(l[2], -1e4);
    EXPECT_NEAR(l[3], -std::log(3.0), 1e-6);
    y.backward(ones_like(y));
    for (double gv : x.grad().to_vector<double>()) EXPECT_TRUE(std::isfinite(gv));
    x.set_grad(Tensor());
    log_softmax(x, 1).backward(ones_like(y));
    for (double gv : x.grad().to_vector<double>()) EXPECT_TRUE(std::isfinite(gv));
  }
}

TEST(Softmax, NaNSpreadsOverItsRowOnly) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (DType dtype : {kFloat32, kFloat64}) {
    const auto p = softmax(tensor({{1.0, nan, 2.0}, {0.0, 0.0, 0.0}}).to(dtype), 1).to_vector<double>();
    for (int j = 0; j < 3; ++j) EXPECT_TRUE(std::isnan(p[j]));
    for (int j = 3; j < 6; ++j) EXPECT_NEAR(p[j], 1.0 / 3, 1e-7);
  }
}

TEST(Softmax, Errors) {
  EXPECT_TRUE(contains(error_of([] { softmax(arange(4.0), 0); }), "torch.int64"));
  const std::string msg = error_of([] { log_softmax(zeros({2, 3}), 2); });
  EXPECT_TRUE(contains(msg, "log_softmax")) << msg;
  EXPECT_TRUE(contains(msg, "2")) << msg;
}

// ---- gather

TEST(Gather, GradcheckEveryDimWithRepeatedIndices) {
  const Tensor x = d2l::testing::uniform({3, 4, 2}, -2, 2, 21);
  const Tensor i0 = tensor({{{2, 0}, {2, 2}, {0, 1}}, {{1, 1}, {0, 2}, {2, 2}}}, kInt64);  // (2, 3, 2)
  const Tensor i1 = tensor({{{3, 3}, {0, 3}}, {{1, 1}, {1, 1}}, {{0, 2}, {3, 0}}}, kInt64);  // (3, 2, 2)
  const Tensor i2 = tensor({{{1, 1, 0}}, {{0, 0, 0}}, {{1, 0, 1}}}, kInt64);                  // (3, 1, 3)
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return gather(v[0], 0, i0); }, {x}));
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return gather(v[0], 1, i1); }, {x}));
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return gather(v[0], -1, i2); }, {x}));
  const Tensor m = d2l::testing::uniform({4, 3}, -1, 1, 22);
  const Tensor im = tensor({{2, 2, 0}, {1, 0, 0}}, kInt64);
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return gather(v[0], 0, im); }, {noncontiguous(m)}));
}

TEST(Gather, MatchesPyTorch) {
  const auto& g = classify_golden().at("gather");
  const Shape shape = shape_of(g["shape"]);
  for (const char* dim_name : {"0", "1"}) {
    SCOPED_TRACE(dim_name);
    const auto& want = g["dims"][dim_name];
    const Shape index_shape = shape_of(want["index_shape"]);
    const Tensor index = golden_tensor(want["index"], index_shape, kInt64);
    Tensor x = golden_tensor(g["input"], shape).requires_grad_();
    Tensor y = gather(x, std::stoll(dim_name), index);
    EXPECT_EQ(y.shape(), index_shape);
    EXPECT_STREQ(y.grad_fn()->name, "GatherBackward0");
    y.backward(golden_tensor(want["upstream"], index_shape));
    EXPECT_EQ(y.to_vector<double>(), flat_values(want["output"]));
    EXPECT_TRUE(all_close(x.grad().to_vector<double>(), flat_values(want["input_grad"]), 1e-15, 1e-15));
  }
}

TEST(Gather, PicksTheLabelledProbability) {
  // The scratch softmax chapter's use: y_hat.gather(1, y.view(-1, 1)).
  const Tensor y_hat = tensor({{0.1, 0.3, 0.6}, {0.3, 0.2, 0.5}});
  const Tensor y = tensor({0, 2}, kInt64);
  EXPECT_EQ(gather(y_hat, 1, y.view({-1, 1})).to_vector<float>(), (std::vector<float>{0.1f, 0.5f}));
  EXPECT_EQ(gather(arange(5.0).to(kInt64), 0, tensor({4, 4, 0}, kInt64)).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{4, 4, 0}));
}

TEST(Gather, Errors) {
  const Tensor x = zeros({2, 3});
  std::string msg = error_of([&] { gather(x, 1, tensor({{0, 5}}, kInt64)); });
  EXPECT_TRUE(contains(msg, "index 5 is out of bounds for dimension 1 with size 3")) << msg;
  msg = error_of([&] { gather(x, 0, tensor({{-1.0, 0.0}}, kInt64)); });
  EXPECT_TRUE(contains(msg, "index -1")) << msg;
  msg = error_of([&] { gather(x, 1, tensor({0, 1}, kInt64)); });
  EXPECT_TRUE(contains(msg, "[2, 3]") && contains(msg, "[2]")) << msg;
  msg = error_of([&] { gather(x, 1, zeros({3, 1}, kInt64)); });
  EXPECT_TRUE(contains(msg, "[3, 1]") && contains(msg, "[2, 3]")) << msg;
  EXPECT_TRUE(contains(error_of([&] { gather(x, 1, zeros({2, 1})); }), "int64"));
}

// ---- one_hot

TEST(OneHot, MatchesPyTorch) {
  const auto& g = classify_golden().at("one_hot");
  const Tensor idx = golden_tensor(g["indices"], {2, 2}, kInt64);
  const Tensor inferred = one_hot(idx);
  EXPECT_EQ(inferred.dtype(), kInt64);
  EXPECT_EQ(inferred.shape(), (Shape{2, 2, 4}));
  EXPECT_EQ(inferred.to_vector<double>(), flat_values(g["inferred"]));
  const Tensor five = one_hot(idx, 5);
  EXPECT_EQ(five.shape(), (Shape{2, 2, 5}));
  EXPECT_EQ(five.to_vector<double>(), flat_values(g["five"]));
  EXPECT_EQ(one_hot(zeros({0}, kInt64), 3).shape(), (Shape{0, 3}));
}

TEST(OneHot, Errors) {
  std::string msg = error_of([] { one_hot(tensor({1, -3}, kInt64)); });
  EXPECT_TRUE(contains(msg, "non-negative") && contains(msg, "-3")) << msg;
  msg = error_of([] { one_hot(tensor({1, 4}, kInt64), 3); });
  EXPECT_TRUE(contains(msg, "smaller than num_classes (3)") && contains(msg, "4")) << msg;
  EXPECT_TRUE(contains(error_of([] { one_hot(zeros({0}, kInt64)); }), "empty"));
  EXPECT_TRUE(contains(error_of([] { one_hot(zeros({2})); }), "int64"));
}

// ---- flatten

TEST(Flatten, ViewWhenContiguousCopyOtherwise) {
  const Tensor x = arange(24.0).to(kFloat32).reshape({2, 3, 4});
  const Tensor all = flatten(x);
  EXPECT_EQ(all.shape(), (Shape{24}));
  EXPECT_EQ(all.raw_data(), x.raw_data());  // shares storage
  EXPECT_EQ(flatten(x, 1).shape(), (Shape{2, 12}));
  EXPECT_EQ(flatten(x, 0, 1).shape(), (Shape{6, 4}));
  EXPECT_EQ(flatten(x, -2, -1).shape(), (Shape{2, 12}));
  EXPECT_EQ(flatten(scalar_tensor(2.0)).shape(), (Shape{1}));
  const Tensor t = x.transpose(0, 2);
  EXPECT_EQ(flatten(t).to_vector<float>(), t.contiguous().view({24}).to_vector<float>());
  EXPECT_TRUE(contains(error_of([&] { flatten(x, 2, 1); }), "start_dim"));
}

TEST(Flatten, Gradcheck) {
  const Tensor x = d2l::testing::uniform({2, 3, 2}, -1, 1, 31);
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return flatten(v[0], 1); }, {x}));
  EXPECT_TRUE(gradcheck([](const Inputs& v) { return flatten(v[0]); }, {noncontiguous(x)}));
}

}  // namespace
