// optim::Adam against torch.optim.Adam (trajectories and print(optimizer)) and
// optim::clip_grad_norm_ against torch.nn.utils.clip_grad_norm_; golden values from
// tests/golden/make_rnn_golden.py (tests/data/rnn_golden.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/optim/adam.h"
#include "d2l/optim/clip_grad.h"
#include "optim/optim_golden.h"

using namespace d2l;
using nlohmann::json;

namespace {

const json& golden() { return d2l::testing::golden_file("rnn_golden.json"); }

std::pair<double, double> pair_of(const json& j) { return {j[0].get<double>(), j[1].get<double>()}; }

// AdamOptions from the keyword arguments the script passed to torch.optim.Adam.
optim::AdamOptions adam_options(const json& kwargs) {
  optim::AdamOptions o;
  if (kwargs.contains("lr")) o.lr(kwargs["lr"].get<double>());
  if (kwargs.contains("betas")) o.betas(pair_of(kwargs["betas"]));
  if (kwargs.contains("eps")) o.eps(kwargs["eps"].get<double>());
  if (kwargs.contains("weight_decay")) o.weight_decay(kwargs["weight_decay"].get<double>());
  if (kwargs.contains("amsgrad")) o.amsgrad(kwargs["amsgrad"].get<bool>());
  if (kwargs.contains("maximize")) o.maximize(kwargs["maximize"].get<bool>());
  return o;
}

class AdamGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(AdamGolden, TrajectoryAndPrintMatchPyTorch) {
  const json& cfg = golden()["adam"]["configs"].at(GetParam());
  d2l::testing::check_golden_run<optim::Adam>(golden()["adam"], cfg, adam_options(cfg["defaults"]), GetParam());
}

const std::vector<std::string> kConfigs{
    "default", "lr", "betas_eps", "weight_decay", "amsgrad", "maximize", "amsgrad_weight_decay_maximize", "two_groups"};

INSTANTIATE_TEST_SUITE_P(PyTorch, AdamGolden, ::testing::ValuesIn(kConfigs),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(AdamGoldenFile, EveryConfigIsTested) {
  for (const auto& [name, cfg] : golden()["adam"]["configs"].items())
    EXPECT_NE(std::find(kConfigs.begin(), kConfigs.end(), name), kConfigs.end()) << name;
  EXPECT_EQ(golden()["adam"]["configs"].size(), kConfigs.size());
}

TEST(Adam, Float32FirstStepMovesEachWeightByLr) {
  // Step 1: m / sqrt(v) after bias correction is sign(grad), so every weight moves by lr.
  Tensor p = tensor({1.0f, -2.0f, 0.5f}).requires_grad_();
  optim::Adam opt({p}, optim::AdamOptions(0.1));
  (p * p * tensor({1.0f, 3.0f, -2.0f})).sum().backward();
  opt.step();
  const auto v = p.to_vector<float>();
  EXPECT_NEAR(v[0], 0.9f, 1e-6);
  EXPECT_NEAR(v[1], -1.9f, 1e-6);
  EXPECT_NEAR(v[2], 0.6f, 1e-6);
  EXPECT_TRUE(p.is_leaf());
}

TEST(Adam, SkipsParametersWithoutGradientAndRejectsBadOptions) {
  Tensor p = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor q = tensor({5.0}, kFloat64).requires_grad_();
  optim::Adam opt({p, q});
  (p * 3.0).sum().backward();
  opt.step();
  EXPECT_EQ(q.to_vector<double>(), std::vector<double>{5.0});
  EXPECT_NEAR(p.to_vector<double>()[0], 1.0 - 1e-3, 1e-10);  // default lr 1e-3 (eps shortens the step by 3e-12)
  EXPECT_THROW(optim::Adam({p}, optim::AdamOptions(-1)), Error);
  EXPECT_THROW(optim::Adam({p}, optim::AdamOptions().betas({1.0, 0.999})), Error);
  EXPECT_THROW(optim::Adam({p}, optim::AdamOptions().betas({0.9, -0.1})), Error);
  EXPECT_THROW(optim::Adam({p}, optim::AdamOptions().eps(-1)), Error);
  EXPECT_THROW(optim::Adam({p}, optim::AdamOptions().weight_decay(-1)), Error);
  EXPECT_THROW(optim::Adam(std::vector<Tensor>{}), Error);
}

// ---- clip_grad_norm_

std::vector<Tensor> params_with_golden_grads() {
  std::vector<Tensor> params;
  for (const auto& name : {"a", "b"}) {
    const json& g = golden()["clip"]["grads"][name];
    const Shape shape = g["shape"].get<std::vector<std::int64_t>>();
    Tensor p = zeros(shape, kFloat64).requires_grad_();
    p.set_grad(from_vector(g["values"].get<std::vector<double>>(), shape));
    params.push_back(p);
  }
  return params;
}

TEST(ClipGradNorm, MatchesPyTorch) {
  for (const json& c : golden()["clip"]["cases"]) {
    const double norm_type = c["norm_type"].is_string() ? INFINITY : c["norm_type"].get<double>();
    const std::string where =
        "max_norm " + std::to_string(c["max_norm"].get<double>()) + " norm " + std::to_string(norm_type);
    auto params = params_with_golden_grads();
    const double total = optim::clip_grad_norm_(params, c["max_norm"].get<double>(), norm_type);
    EXPECT_NEAR(total, c["total_norm"].get<double>(), 1e-12) << where;
    for (std::size_t i = 0; i < params.size(); ++i)
      d2l::testing::expect_close(params[i].grad().to_vector<double>(), c["grads"][i], where);
  }
}

TEST(ClipGradNorm, ScalesToTheGivenNormAndLeavesSmallGradientsAlone) {
  Tensor a = zeros({3}).requires_grad_(), b = zeros({2, 2}).requires_grad_();
  a.set_grad(tensor({3.0f, 0.0f, -4.0f}));
  b.set_grad(tensor({{12.0f, 0.0f}, {0.0f, 0.0f}}));  // joint norm 13
  EXPECT_NEAR(optim::clip_grad_norm_({a, b}, 1.0), 13.0, 1e-6);
  double sq = 0;
  for (const Tensor& p : {a, b})
    for (float x : p.grad().to_vector<float>()) sq += static_cast<double>(x) * x;
  EXPECT_NEAR(std::sqrt(sq), 1.0, 1e-6);
  // Below max_norm: untouched, bit for bit.
  const auto before = a.grad().to_vector<float>();
  EXPECT_NEAR(optim::clip_grad_norm_({a, b}, 5.0), 1.0, 1e-6);
  EXPECT_EQ(a.grad().to_vector<float>(), before);
  // Parameters without gradients are skipped; none at all gives 0.
  Tensor c = zeros({2}).requires_grad_();
  EXPECT_EQ(optim::clip_grad_norm_({c}, 1.0), 0.0);
  EXPECT_FALSE(c.grad().defined());
  EXPECT_THROW(optim::clip_grad_norm_({a}, 1.0, 0.0), Error);
}

}  // namespace
