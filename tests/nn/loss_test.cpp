// nn::MSELoss / functional::mse_loss: reductions by hand and against PyTorch.
#include <gtest/gtest.h>

#include "d2l/autograd.h"
#include "d2l/nn/loss.h"
#include "d2l/ops.h"
#include "nn/nn_golden.h"

using namespace d2l;
using d2l::testing::nn_golden;

namespace {

Tensor matrix64(const nlohmann::json& rows) {
  std::vector<double> v;
  for (const auto& r : rows)
    for (const auto& x : r) v.push_back(x.get<double>());
  return from_vector(v, {static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(rows[0].size())});
}

std::vector<double> flat(const nlohmann::json& rows) {
  std::vector<double> v;
  for (const auto& r : rows)
    for (const auto& x : r) v.push_back(x.get<double>());
  return v;
}

void expect_all_near(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-14 * std::max(1.0, std::abs(want[i])));
}

TEST(MSELoss, MatchesPyTorch) {
  const auto& g = nn_golden().at("mse_loss");
  const Tensor target = matrix64(g["target"]);
  for (const char* reduction : {"mean", "sum", "none"}) {
    SCOPED_TRACE(reduction);
    Tensor input = matrix64(g["input"]).requires_grad_();
    nn::MSELoss loss_fn(reduction);
    Tensor loss = loss_fn(input, target);
    loss.backward(ones_like(loss));
    const auto& want = g[reduction];
    if (std::string(reduction) == "none") {
      ASSERT_EQ(loss.shape(), input.shape());
      expect_all_near(loss.to_vector<double>(), flat(want["loss"]));
    } else {
      ASSERT_EQ(loss.dim(), 0);
      EXPECT_NEAR(loss.item(), want["loss"].get<double>(), 1e-14);
    }
    expect_all_near(input.grad().to_vector<double>(), flat(want["input_grad"]));
  }
}

TEST(MSELoss, ReductionsByHand) {
  Tensor x = tensor({1.0, 2.0, 4.0}).reshape({3, 1});
  Tensor y = tensor({0.0, 4.0, 1.0}).reshape({3, 1});
  // squared errors 1, 4, 9
  EXPECT_FLOAT_EQ(nn::MSELoss()(x, y).item<float>(), 14.0f / 3.0f);
  EXPECT_FLOAT_EQ(nn::MSELoss(nn::Reduction::Sum)(x, y).item<float>(), 14.0f);
  Tensor none = nn::MSELoss("none")(x, y);
  EXPECT_EQ(none.shape(), (Shape{3, 1}));
  EXPECT_EQ(none.to_vector<float>(), (std::vector<float>{1.0f, 4.0f, 9.0f}));
  EXPECT_FLOAT_EQ(nn::functional::mse_loss(x, y, nn::Reduction::Mean).item<float>(), 14.0f / 3.0f);
  // Gradient of the mean: 2 (x - y) / n.
  Tensor xr = x.clone().requires_grad_();
  nn::MSELoss()(xr, y).backward();
  const auto gx = xr.grad().to_vector<float>();
  EXPECT_FLOAT_EQ(gx[0], 2.0f / 3.0f);
  EXPECT_FLOAT_EQ(gx[1], -4.0f / 3.0f);
  EXPECT_FLOAT_EQ(gx[2], 2.0f);
}

TEST(MSELoss, ShapeMismatchNamesBothShapes) {
  // The classic linear-regression slip: y_hat (4, 1) against y (4).
  try {
    nn::MSELoss()(zeros({4, 1}), zeros({4}));
    FAIL() << "expected d2l::Error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("[4, 1]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[4]"), std::string::npos) << msg;
  }
  EXPECT_THROW(nn::functional::mse_loss(zeros({2, 3}), zeros({3, 2})), Error);
}

TEST(MSELoss, ReductionNames) {
  EXPECT_EQ(nn::parse_reduction("none"), nn::Reduction::None);
  EXPECT_EQ(nn::parse_reduction("mean"), nn::Reduction::Mean);
  EXPECT_EQ(nn::parse_reduction("sum"), nn::Reduction::Sum);
  for (auto r : {nn::Reduction::None, nn::Reduction::Mean, nn::Reduction::Sum})
    EXPECT_EQ(nn::parse_reduction(nn::reduction_name(r)), r);
  EXPECT_THROW(nn::parse_reduction("avg"), Error);
  EXPECT_THROW(nn::MSELoss("elementwise_mean"), Error);
  EXPECT_EQ(nn::MSELoss("sum").reduction, nn::Reduction::Sum);
  EXPECT_EQ(nn::MSELoss().to_string(), "MSELoss()");
}

}  // namespace
