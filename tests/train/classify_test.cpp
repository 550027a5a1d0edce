// The chapter-3 training helpers: accuracy counting, evaluate_accuracy's modes, and
// train_epoch_ch3 / train_ch3 with both kinds of updater on a small 3-class problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chapters/run_command.h"
#include "d2l/autograd.h"
#include "d2l/data.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/optim.h"
#include "d2l/random.h"
#include "d2l/train.h"

using namespace d2l;
using namespace d2l::train;

namespace {

// -log softmax(y_hat)[y] per example, from exp / sum / log and a one-hot mask.
Tensor cross_entropy_none(const Tensor& y_hat, const Tensor& y) {
  const Tensor one_hot = eq(arange(y_hat.size(1)).view({1, -1}), y.view({-1, 1})).to(y_hat.dtype());
  return log(exp(y_hat).sum({1})) - (y_hat * one_hot).sum({1});
}

// 3 classes in the plane, separated by the true scores X @ W + b with a margin: points
// too close to a boundary are dropped, so a linear model can get every one right.
std::shared_ptr<data::TensorDataset> three_classes(std::int64_t n) {
  const Tensor W = tensor({{2.0, -1.0, -1.0}, {0.0, 1.7, -1.7}});
  std::vector<float> xs;
  std::vector<std::int64_t> ys;
  while (static_cast<std::int64_t>(ys.size()) < n) {
    const Tensor x = randn({1, 2});
    const auto scores = matmul(x, W).to_vector<double>();
    const auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
    double second = -1e9;
    for (std::size_t k = 0; k < 3; ++k)
      if (static_cast<std::ptrdiff_t>(k) != best) second = std::max(second, scores[k]);
    if (scores[best] - second < 0.3) continue;
    const auto v = x.to_vector<float>();
    xs.insert(xs.end(), v.begin(), v.end());
    ys.push_back(best);
  }
  return std::make_shared<data::TensorDataset>(from_vector(xs, {n, 2}), from_vector(ys, {n}));
}

// Scales its input by a parameter (1 at first); notes the mode and grad mode it ran in.
struct ModeProbe : nn::Module {
  ModeProbe() { scale = register_parameter("scale", ones({1})); }
  Tensor forward(const Tensor& x) override {
    saw_training = is_training();
    saw_grad = is_grad_enabled();
    return x * scale;
  }
  Tensor scale;
  bool saw_training = true, saw_grad = true;
};

}  // namespace

TEST(Accuracy, CountsArgmaxMatchesOfTwoDimensionalScores) {
  const Tensor y_hat = tensor({{0.1, 0.9, 0.0}, {0.8, 0.1, 0.1}, {0.2, 0.2, 0.6}, {0.3, 0.4, 0.3}});
  EXPECT_EQ(accuracy(y_hat, tensor({1, 0, 0, 1}, kInt64)), 3.0);
  EXPECT_EQ(accuracy(y_hat, tensor({0, 1, 2, 0}, kInt64)), 1.0);
  // A transposed (non-contiguous) view counts the same as its copy.
  const Tensor t = y_hat.t().contiguous().t();
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_EQ(accuracy(t, tensor({1, 0, 0, 1}, kInt64)), 3.0);
  // Float labels compare by value.
  EXPECT_EQ(accuracy(y_hat, tensor({1, 0, 2, 1})), 4.0);
}

TEST(Accuracy, TiesGoToTheFirstMaximumAsArgmax) {
  const Tensor y_hat = tensor({{0.5, 0.5, 0.0}, {0.0, 0.7, 0.7}});
  EXPECT_EQ(accuracy(y_hat, tensor({0, 1}, kInt64)), 2.0);
  EXPECT_EQ(accuracy(y_hat, tensor({1, 2}, kInt64)), 0.0);
  EXPECT_EQ(argmax(y_hat, 1).to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 1}));
}

TEST(Accuracy, ComparesOneDimensionalPredictionsDirectly) {
  EXPECT_EQ(accuracy(tensor({1, 2, 3}, kInt64), tensor({1, 0, 3}, kInt64)), 2.0);
  // Converted to the labels' dtype first: 1.7 becomes 1, as y_hat.type(y.dtype) does.
  EXPECT_EQ(accuracy(tensor({1.7, 2.0, -0.5}), tensor({1, 2, 0}, kInt64)), 3.0);
  // An n x 1 y_hat is one prediction per example.
  EXPECT_EQ(accuracy(tensor({1.0, 0.0}).view({2, 1}), tensor({1, 1}, kInt64)), 1.0);
  EXPECT_EQ(accuracy(zeros({0, 3}), zeros({0}, kInt64)), 0.0);
}

TEST(Accuracy, MismatchedShapesAreErrors) {
  EXPECT_THROW(accuracy(zeros({3, 4}), zeros({2}, kInt64)), Error);
  EXPECT_THROW(accuracy(zeros({3}), zeros({2}, kInt64)), Error);
  EXPECT_THROW(accuracy(zeros({2, 3, 4}), zeros({2}, kInt64)), Error);
}

TEST(EvaluateAccuracy, AveragesOverBatchesInEvalModeWithoutGrad) {
  // Scores are the inputs themselves: rows 0, 2, 4 predict their label, rows 1, 3 do not.
  const Tensor X = tensor({{1, 0, 0}, {1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 0}});
  const Tensor y = tensor({0, 1, 2, 0, 1}, kInt64);
  data::DataLoader loader(std::make_shared<data::TensorDataset>(X, y), data::DataLoaderOptions(2));

  auto probe = std::make_shared<ModeProbe>();
  ASSERT_TRUE(probe->is_training());
  EXPECT_DOUBLE_EQ(evaluate_accuracy(probe, loader), 0.6);
  EXPECT_FALSE(probe->saw_training);
  EXPECT_FALSE(probe->saw_grad);
  EXPECT_TRUE(probe->is_training());  // restored
  probe->eval();
  evaluate_accuracy(*probe, loader);
  EXPECT_FALSE(probe->is_training());
  EXPECT_TRUE(is_grad_enabled());

  // Any function of a batch works too.
  // Negated scores: the first of the two zeros wins, right for rows 1 and 3 only.
  EXPECT_DOUBLE_EQ(evaluate_accuracy([](const Tensor& x) { return x * -1.0; }, loader), 0.4);
}

TEST(TrainEpochCh3, ScratchUpdaterAndOptimizerTakeTheSameSteps) {
  manual_seed(3);
  data::DataLoader loader(three_classes(90), data::DataLoaderOptions(30));
  const double lr = 0.5;

  // From scratch: parameters, a net function, and sgd(batch_size) on the summed loss.
  Tensor W = normal(0, 0.01, {2, 3}).requires_grad_();
  Tensor b = zeros({3}).requires_grad_();
  // The concise model, starting from the same values (its weight is W transposed).
  auto linear = std::make_shared<nn::Linear>(2, 3);
  {
    NoGradGuard no_grad;
    linear->weight.copy_(W.t());
    linear->bias.copy_(b);
  }
  auto net = [&](const Tensor& X) { return matmul(X, W) + b; };
  std::vector<std::int64_t> batch_sizes;
  auto updater = [&](std::int64_t batch_size) {
    batch_sizes.push_back(batch_size);
    NoGradGuard no_grad;
    for (Tensor* p : {&W, &b}) {
      p->sub_(p->grad(), lr / static_cast<double>(batch_size));
      p->grad().zero_();
    }
  };
  optim::SGD optimizer(linear->parameters(), optim::SGDOptions(lr));

  for (int epoch = 0; epoch < 3; ++epoch) {
    const EpochResult a = train_epoch_ch3(net, loader, cross_entropy_none, updater);
    const EpochResult c = train_epoch_ch3(linear, loader, cross_entropy_none, optimizer);
    EXPECT_NEAR(a.train_loss, c.train_loss, 1e-5);
    EXPECT_DOUBLE_EQ(a.train_acc, c.train_acc);
  }
  EXPECT_EQ(batch_sizes, std::vector<std::int64_t>(9, 30));
  const auto w_scratch = W.t().contiguous().to_vector<double>(), w_concise = linear->weight.to_vector<double>();
  for (std::size_t i = 0; i < w_scratch.size(); ++i) EXPECT_NEAR(w_scratch[i], w_concise[i], 1e-5);
  EXPECT_GT(std::abs(w_scratch[0]), 0.05);  // they did move
}

TEST(TrainEpochCh3, PutsAModuleInTrainModeAndRejectsAReducedLoss) {
  data::DataLoader loader(std::make_shared<data::TensorDataset>(eye(3), arange(3)), data::DataLoaderOptions(3));
  auto probe = std::make_shared<ModeProbe>();
  probe->eval();
  auto constant_loss = [](const Tensor& y_hat, const Tensor&) { return y_hat.sum({1}) * 0.0 + 2.0; };
  const EpochResult r = train_epoch_ch3(probe, loader, constant_loss, [&](std::int64_t) { probe->zero_grad(); });
  EXPECT_TRUE(probe->saw_training);
  EXPECT_TRUE(probe->saw_grad);
  EXPECT_TRUE(probe->is_training());
  EXPECT_DOUBLE_EQ(r.train_loss, 2.0);
  EXPECT_DOUBLE_EQ(r.train_acc, 1.0);  // eye(3) scores every row's label highest

  auto mean_loss = [](const Tensor& y_hat, const Tensor& y) { return cross_entropy_none(y_hat, y).mean(); };
  EXPECT_THROW(train_epoch_ch3(probe, loader, mean_loss, [](std::int64_t) {}), Error);
}

TEST(TrainCh3, ReachesHighAccuracyAndRecordsEveryEpoch) {
  manual_seed(0);
  data::DataLoader train_iter(three_classes(300), data::DataLoaderOptions(30).shuffle(true));
  data::DataLoader test_iter(three_classes(150), data::DataLoaderOptions(50));
  auto net = std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(2, 3));
  optim::SGD trainer(net->parameters(), optim::SGDOptions(0.5));
  TempDir dir("train-ch3");
  Metrics metrics("test");
  std::ostringstream log;
  TrainOptions options;
  options.log = &log;
  options.metrics = &metrics;
  options.plot = dir / "curves.svg";

  // 20 epochs of 10 steps: a linear model on separable classes gets nearly all right.
  const auto records = train_ch3(net, train_iter, test_iter, cross_entropy_none, 20, trainer, options);
  ASSERT_EQ(records.size(), 20u);
  EXPECT_LT(records.back().train_loss, records.front().train_loss);
  EXPECT_LT(records.back().train_loss, 0.3);
  EXPECT_GT(records.back().train_acc, 0.95);
  EXPECT_GT(records.back().test_acc, 0.95);
  EXPECT_LE(records.back().test_acc, 1.0);
  EXPECT_GT(records.back().seconds, 0.0);

  ASSERT_EQ(metrics.history.size(), 20u);
  for (const char* key : {"epoch", "train_loss", "train_acc", "test_acc", "seconds", "eval_seconds"})
    EXPECT_TRUE(metrics.history[0].contains(key)) << key;
  EXPECT_EQ(metrics.history[19]["epoch"], 20);
  EXPECT_DOUBLE_EQ(metrics.history[19]["test_acc"].get<double>(), records.back().test_acc);

  const std::string out = log.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 20);
  EXPECT_EQ(out.rfind("epoch 1, loss ", 0), 0u);
  EXPECT_NE(out.find(format("epoch 20, loss %.4f, train acc %.3f, test acc %.3f\n", records.back().train_loss,
                            records.back().train_acc, records.back().test_acc)),
            std::string::npos);

  std::ifstream svg(options.plot);
  const std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  for (const char* s : {"train loss", "train acc", "test acc", ">epoch<", "clipPath"})
    EXPECT_NE(text.find(s), std::string::npos) << s;
}

TEST(TrainCh3, QuietPrintsNothing) {
  data::DataLoader loader(std::make_shared<data::TensorDataset>(eye(3), arange(3)), data::DataLoaderOptions(3));
  std::ostringstream log;
  TrainOptions options;
  options.log = &log;
  options.quiet = true;
  Tensor scale = ones({1}).requires_grad_();
  const auto records = train_ch3([&](const Tensor& X) { return X * scale; }, loader, loader, cross_entropy_none, 2,
                                 [&](std::int64_t) { scale.grad().zero_(); }, options);
  EXPECT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].epoch, 2);
  EXPECT_DOUBLE_EQ(records[1].test_acc, 1.0);
  EXPECT_TRUE(log.str().empty());
}

TEST(ProgressBar, RendersDoneOverTotalAndTime) {
  EXPECT_EQ(ProgressBar::render("epoch 1/3", 5, 10, 1.26, 10), "epoch 1/3 [=====>    ] 5/10  1.3s");
  EXPECT_EQ(ProgressBar::render("e", 10, 10, 0, 4), "e [====] 10/10  0.0s");
  EXPECT_EQ(ProgressBar::render("e", 0, 0, 0, 2), "e [  ] 0/0  0.0s");
}

TEST(Plot, FixedRangesClipAndBadRangesAreErrors) {
  PlotOptions o;
  o.ylim = std::array<double, 2>{0.3, 0.9};
  const std::string svg = plot_svg({{"a", {1, 2}, {0.5, 2.0}}}, o);
  EXPECT_NE(svg.find("clip-path=\"url(#frame)\""), std::string::npos);
  EXPECT_EQ(plot_svg({{"a", {1, 2}, {0.5, 2.0}}}, {}).find("clipPath"), std::string::npos);
  o.ylim = std::array<double, 2>{0.9, 0.3};
  EXPECT_THROW(plot_svg({{"a", {1, 2}, {0.5, 2.0}}}, o), Error);
}
