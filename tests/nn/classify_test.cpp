// The classification modules: cross_entropy / nll_loss against PyTorch (each reduction,
// logits of 1e4), their gradients by central differences, Dropout's statistics, and the
// printed modules.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "d2l/autograd.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/random.h"
#include "error_of.h"
#include "gradcheck.h"
#include "ops/classify_golden.h"

using namespace d2l;
using d2l::testing::all_close;
using d2l::testing::classify_golden;
using d2l::testing::flat_values;
using d2l::testing::golden_tensor;
using d2l::testing::gradcheck;
using nn::Reduction;
using Inputs = std::vector<Tensor>;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

using LossFn = Tensor (*)(const Tensor&, const Tensor&, Reduction);

// Checks loss values and input gradients (with the script's upstream) for every reduction.
void expect_matches_golden(const nlohmann::json& g, LossFn fn, DType dtype, double rtol, double atol) {
  const auto rows = static_cast<std::int64_t>(g["input"].size()), cols = static_cast<std::int64_t>(g["input"][0].size());
  const Tensor target = golden_tensor(g["target"], {rows}, kInt64);
  for (const char* name : {"mean", "sum", "none"}) {
    SCOPED_TRACE(name);
    const auto& want = g[name];
    Tensor x = golden_tensor(g["input"], {rows, cols}, dtype).requires_grad_();
    Tensor loss = fn(x, target, nn::parse_reduction(name));
    EXPECT_EQ(loss.dtype(), dtype);
    EXPECT_EQ(loss.shape(), std::string(name) == "none" ? Shape{rows} : Shape{});
    EXPECT_STREQ(loss.grad_fn()->name, "NllLossBackward0");
    loss.backward(golden_tensor(want["upstream"], loss.shape(), dtype));
    EXPECT_TRUE(all_close(loss.to_vector<double>(), flat_values(want["loss"]), rtol, atol));
    const auto grad = x.grad().to_vector<double>();
    for (double v : grad) EXPECT_TRUE(std::isfinite(v));
    EXPECT_TRUE(all_close(grad, flat_values(want["input_grad"]), rtol, atol));
  }
}

// ---- cross_entropy

TEST(CrossEntropy, MatchesPyTorchEachReduction) {
  expect_matches_golden(classify_golden()["cross_entropy"]["float64"], nn::functional::cross_entropy, kFloat64, 1e-13,
                        1e-15);
}

TEST(CrossEntropy, HugeLogitsMatchPyTorch) {
  // Logits of +-1e4: a naive exp overflows to inf and the loss to nan.
  const auto& g = classify_golden()["cross_entropy"];
  expect_matches_golden(g["huge_float64"], nn::functional::cross_entropy, kFloat64, 1e-13, 1e-15);
  expect_matches_golden(g["huge_float32"], nn::functional::cross_entropy, kFloat32, 2e-6, 1e-7);
}

TEST(CrossEntropy, GradcheckEachReduction) {
  const Tensor logits = d2l::testing::uniform({4, 5}, -3, 3, 41);
  const Tensor target = tensor({4, 0, 2, 4}, kInt64);
  for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
    SCOPED_TRACE(nn::reduction_name(r));
    EXPECT_TRUE(gradcheck([&](const Inputs& v) { return nn::functional::cross_entropy(v[0], target, r); }, {logits}));
    EXPECT_TRUE(gradcheck([&](const Inputs& v) { return nn::functional::nll_loss(v[0], target, r); }, {logits}));
  }
  // Strided logits, and one sample: logits (C) with a 0-d target.
  EXPECT_TRUE(gradcheck([&](const Inputs& v) { return nn::functional::cross_entropy(v[0], target); },
                        {d2l::testing::noncontiguous(logits)}));
  EXPECT_TRUE(gradcheck(
      [&](const Inputs& v) { return nn::functional::cross_entropy(v[0], scalar_tensor(3, kInt64), Reduction::None); },
      {d2l::testing::uniform({5}, -1, 1, 42)}));
}

TEST(CrossEntropy, EqualsLogSoftmaxThenNll) {
  const Tensor logits = d2l::testing::uniform({6, 10}, -5, 5, 43).to(kFloat32);
  const Tensor target = tensor({9, 0, 3, 3, 7, 1}, kInt64);
  Tensor a = logits.clone().requires_grad_(), b = logits.clone().requires_grad_();
  Tensor fused = nn::CrossEntropyLoss()(a, target);
  Tensor composite = nn::NLLLoss()(log_softmax(b, 1), target);
  EXPECT_NEAR(fused.item(), composite.item(), 1e-6);
  fused.backward();
  composite.backward();
  EXPECT_TRUE(all_close(a.grad().to_vector<double>(), b.grad().to_vector<double>(), 1e-5, 1e-7));
}

TEST(CrossEntropy, NllMatchesPyTorch) {
  expect_matches_golden(classify_golden()["cross_entropy"]["nll_float64"], nn::functional::nll_loss, kFloat64, 1e-13,
                        1e-15);
}

TEST(CrossEntropy, ModuleTakesReductionNames) {
  const Tensor logits = tensor({{2.0, 0.0}, {0.0, 2.0}});
  const Tensor target = tensor({0, 0}, kInt64);
  const Tensor none = nn::CrossEntropyLoss("none")(logits, target);
  EXPECT_EQ(none.shape(), (Shape{2}));
  const auto v = none.to_vector<double>();
  EXPECT_NEAR(v[0], std::log(1 + std::exp(-2.0)), 1e-6);
  EXPECT_NEAR(v[1], std::log(1 + std::exp(2.0)), 1e-6);
  EXPECT_NEAR(nn::CrossEntropyLoss("sum")(logits, target).item(), v[0] + v[1], 1e-6);
  EXPECT_NEAR(nn::CrossEntropyLoss()(logits, target).item(), (v[0] + v[1]) / 2, 1e-6);
  EXPECT_TRUE(contains(error_of([] { nn::CrossEntropyLoss("avg"); }), "'avg'"));
}

TEST(CrossEntropy, Errors) {
  const Tensor logits = zeros({3, 10});
  std::string msg = error_of([&] { nn::CrossEntropyLoss()(logits, tensor({1, 12, 0}, kInt64)); });
  EXPECT_TRUE(contains(msg, "Target 12 is out of bounds") && contains(msg, "10")) << msg;
  msg = error_of([&] { nn::CrossEntropyLoss()(logits, tensor({-1, 2, 0}, kInt64)); });
  EXPECT_TRUE(contains(msg, "Target -1")) << msg;
  msg = error_of([&] { nn::functional::nll_loss(logits, tensor({10, 2, 0}, kInt64)); });
  EXPECT_TRUE(contains(msg, "Target 10")) << msg;
  // Shapes: a batch-size mismatch and a (N, 1) target both name the two shapes.
  msg = error_of([&] { nn::CrossEntropyLoss()(logits, tensor({1, 2}, kInt64)); });
  EXPECT_TRUE(contains(msg, "[3, 10]") && contains(msg, "[2]")) << msg;
  msg = error_of([&] { nn::CrossEntropyLoss()(logits, zeros({3, 1}, kInt64)); });
  EXPECT_TRUE(contains(msg, "[3, 10]") && contains(msg, "[3, 1]")) << msg;
  msg = error_of([&] { nn::CrossEntropyLoss()(logits, zeros({3})); });
  EXPECT_TRUE(contains(msg, "int64")) << msg;
}

// ---- Dropout

TEST(Dropout, EvalAndZeroProbabilityAreIdentity) {
  const Tensor x = d2l::testing::uniform({4, 5}, -1, 1, 51);
  nn::Dropout drop(0.5);
  drop.eval();
  EXPECT_TRUE(drop(x).is_same(x));
  EXPECT_TRUE(nn::functional::dropout(x, 0.5, false).is_same(x));
  EXPECT_TRUE(nn::functional::dropout(x, 0.0).is_same(x));
}

TEST(Dropout, TrainingZeroesAboutPAndScalesTheRest) {
  manual_seed(7);
  for (double p : {0.2, 0.5, 0.9}) {
    SCOPED_TRACE(p);
    const std::int64_t n = 200000;
    Tensor x = full({n}, 2.0).requires_grad_();
    Tensor y = nn::functional::dropout(x, p);
    const auto v = y.to_vector<double>();
    std::int64_t zeros_seen = 0;
    const double kept = 2.0 / (1.0 - p);
    for (double e : v) {
      if (e == 0) ++zeros_seen;
      else EXPECT_NEAR(e, kept, 1e-5);
    }
    // 200,000 Bernoulli draws: the standard deviation of the fraction is under 0.0012.
    EXPECT_NEAR(static_cast<double>(zeros_seen) / n, p, 0.006);
    // The gradient is the same mask, scaled: 1 / (1 - p) where kept, 0 where dropped.
    y.backward(ones_like(y));
    const auto g = x.grad().to_vector<double>();
    for (std::int64_t i = 0; i < n; ++i) ASSERT_NEAR(g[i], v[i] == 0 ? 0.0 : 1.0 / (1.0 - p), 1e-5) << i;
  }
}

TEST(Dropout, SeededAndAllZeroAtOne) {
  const Tensor x = ones({1000});
  manual_seed(3);
  const auto a = nn::functional::dropout(x, 0.5).to_vector<float>();
  manual_seed(3);
  const auto b = nn::functional::dropout(x, 0.5).to_vector<float>();
  EXPECT_EQ(a, b);
  for (float e : nn::functional::dropout(x, 1.0).to_vector<float>()) EXPECT_EQ(e, 0.0f);
}

TEST(Dropout, ProbabilityOutsideZeroOneNamesIt) {
  std::string msg = error_of([] { nn::Dropout(1.5); });
  EXPECT_TRUE(contains(msg, "between 0 and 1") && contains(msg, "1.5")) << msg;
  msg = error_of([] { nn::functional::dropout(ones({2}), -0.25); });
  EXPECT_TRUE(contains(msg, "-0.25")) << msg;
}

TEST(Dropout, FollowsTrainAndEvalInsideSequential) {
  auto net = std::make_shared<nn::Sequential>(std::make_shared<nn::Flatten>(), std::make_shared<nn::Dropout>(0.5));
  const Tensor x = ones({8, 2, 16});
  manual_seed(5);
  const auto trained = (*net)(x).to_vector<float>();
  EXPECT_NE(std::count(trained.begin(), trained.end(), 0.0f), 0);
  net->eval();
  EXPECT_EQ((*net)(x).to_vector<float>(), std::vector<float>(256, 1.0f));
}

// ---- modules inside Sequential, and printing

TEST(ClassifyModules, MlpRunsAndLearnsShape) {
  manual_seed(0);
  nn::Sequential net(std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(784, 256),
                     std::make_shared<nn::ReLU>(), std::make_shared<nn::Linear>(256, 10));
  const Tensor x = randn({4, 1, 28, 28});
  Tensor loss = nn::CrossEntropyLoss()(net(x), tensor({0, 9, 3, 3}, kInt64));
  loss.backward();
  EXPECT_TRUE(std::isfinite(loss.item()));
  for (const auto& p : net.parameters()) EXPECT_TRUE(p.grad().defined());
  EXPECT_EQ(nn::Softmax(1)(net(x)).shape(), (Shape{4, 10}));
  EXPECT_EQ(nn::Sigmoid()(tensor({0.0})).item(), 0.5);
  EXPECT_EQ(nn::Tanh()(tensor({0.0})).item(), 0.0);
  EXPECT_NEAR(nn::LogSoftmax(0)(tensor({0.0, 0.0})).to_vector<float>()[0], -std::log(2.0), 1e-6);
}

TEST(ClassifyModules, PrintLikePyTorch) {
  const auto& want = classify_golden()["printed"];
  using std::make_shared;
  const nn::Sequential mlp(make_shared<nn::Flatten>(), make_shared<nn::Linear>(784, 256), make_shared<nn::ReLU>(),
                           make_shared<nn::Linear>(256, 10));
  EXPECT_EQ(mlp.to_string(), want["mlp"].get<std::string>());
  const nn::Sequential dropout_mlp(make_shared<nn::Flatten>(), make_shared<nn::Linear>(784, 256),
                                   make_shared<nn::ReLU>(), make_shared<nn::Dropout>(0.2),
                                   make_shared<nn::Linear>(256, 256), make_shared<nn::ReLU>(),
                                   make_shared<nn::Dropout>(0.5), make_shared<nn::Linear>(256, 10));
  EXPECT_EQ(dropout_mlp.to_string(), want["dropout_mlp"].get<std::string>());
  EXPECT_EQ(nn::Sequential(make_shared<nn::Flatten>(), make_shared<nn::Linear>(784, 10)).to_string(),
            want["softmax_regression"].get<std::string>());
  EXPECT_EQ(nn::Sequential(make_shared<nn::Sigmoid>(), make_shared<nn::Tanh>(), make_shared<nn::Softmax>(1),
                           make_shared<nn::LogSoftmax>(-1))
                .to_string(),
            want["activations"].get<std::string>());
  EXPECT_EQ(nn::Dropout().to_string(), want["dropout"].get<std::string>());
  EXPECT_EQ(nn::Dropout(0.2).to_string(), want["dropout_0.2"].get<std::string>());
  EXPECT_EQ(nn::Dropout(1e-5).to_string(), want["dropout_1e-05"].get<std::string>());
  EXPECT_EQ(nn::Softmax(1).to_string(), want["softmax"].get<std::string>());
  EXPECT_EQ(nn::LogSoftmax(1).to_string(), want["log_softmax"].get<std::string>());
  EXPECT_EQ(nn::ReLU().to_string(), want["relu"].get<std::string>());
  EXPECT_EQ(nn::Flatten().to_string(), want["flatten"].get<std::string>());
  EXPECT_EQ(nn::Flatten(0, 2).to_string(), want["flatten_0_2"].get<std::string>());
  EXPECT_EQ(nn::CrossEntropyLoss().to_string(), want["cross_entropy"].get<std::string>());
  EXPECT_EQ(nn::CrossEntropyLoss("none").to_string(), want["cross_entropy_none"].get<std::string>());
  EXPECT_EQ(nn::NLLLoss().to_string(), want["nll_loss"].get<std::string>());
}

}  // namespace
