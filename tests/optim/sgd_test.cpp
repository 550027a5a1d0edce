// optim::SGD against torch.optim.SGD: trajectories and print(optimizer), golden values from
// tests/golden/make_sgd_golden.py (tests/data/sgd_golden.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/optim/sgd.h"
#include "optim/optim_golden.h"

using namespace d2l;
using nlohmann::json;

namespace {

const json& golden() { return d2l::testing::golden_file("sgd_golden.json"); }

// SGDOptions from the keyword arguments the script passed to torch.optim.SGD.
optim::SGDOptions sgd_options(const json& kwargs) {
  optim::SGDOptions o(kwargs.at("lr").get<double>());
  if (kwargs.contains("momentum")) o.momentum(kwargs["momentum"].get<double>());
  if (kwargs.contains("dampening")) o.dampening(kwargs["dampening"].get<double>());
  if (kwargs.contains("weight_decay")) o.weight_decay(kwargs["weight_decay"].get<double>());
  if (kwargs.contains("nesterov")) o.nesterov(kwargs["nesterov"].get<bool>());
  if (kwargs.contains("maximize")) o.maximize(kwargs["maximize"].get<bool>());
  return o;
}

class SGDGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(SGDGolden, TrajectoryMatchesPyTorch) {
  const json& cfg = golden().at("configs").at(GetParam());
  d2l::testing::check_golden_run<optim::SGD>(golden(), cfg, sgd_options(cfg["defaults"]), GetParam());
}

const std::vector<std::string> kConfigs{"plain",
                                        "momentum",
                                        "weight_decay",
                                        "nesterov",
                                        "dampening",
                                        "maximize",
                                        "maximize_momentum_weight_decay",
                                        "nesterov_weight_decay",
                                        "two_groups"};

INSTANTIATE_TEST_SUITE_P(PyTorch, SGDGolden, ::testing::ValuesIn(kConfigs),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(SGDGoldenFile, EveryConfigIsTested) {
  // A configuration added to the script must also be added to kConfigs.
  for (const auto& [name, cfg] : golden().at("configs").items())
    EXPECT_NE(std::find(kConfigs.begin(), kConfigs.end(), name), kConfigs.end()) << name;
  EXPECT_EQ(golden().at("configs").size(), kConfigs.size());
}

TEST(SGDPrint, MatchesPyTorch) {
  const json& cases = golden().at("print_only");
  ASSERT_FALSE(cases.empty());
  for (const auto& [name, c] : cases.items()) {
    Tensor p = zeros({2}, kFloat64).requires_grad_();
    optim::SGD opt({p}, sgd_options(c["defaults"]));
    EXPECT_EQ(opt.to_string(), c["printed"].get<std::string>()) << name;
    std::ostringstream os;
    os << opt;
    EXPECT_EQ(os.str(), c["printed"].get<std::string>()) << name;
  }
}

TEST(SGD, PlainStepIsParamMinusLrTimesGrad) {
  Tensor p = tensor({1.0, -2.0, 3.0}, kFloat64).requires_grad_();
  optim::SGD opt({p}, optim::SGDOptions(0.5));
  (p * p).sum().backward();  // grad = 2p
  opt.step();
  EXPECT_EQ(p.to_vector<double>(), (std::vector<double>{0.0, 0.0, 0.0}));
  // The step itself records no graph.
  EXPECT_TRUE(p.is_leaf());
}

TEST(SGD, SkipsParametersWithoutGradient) {
  Tensor p = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor q = tensor({5.0}, kFloat64).requires_grad_();
  optim::SGD opt({p, q}, optim::SGDOptions(0.1).momentum(0.9));
  (p * 3.0).sum().backward();
  opt.step();
  opt.step();
  EXPECT_EQ(q.to_vector<double>(), std::vector<double>{5.0});
  // Momentum: first step buf = g, second buf = 0.9 g + g.
  auto v = p.to_vector<double>();
  EXPECT_NEAR(v[0], 1.0 - 0.1 * 3.0 - 0.1 * 5.7, 1e-12);
  EXPECT_NEAR(v[1], 2.0 - 0.1 * 3.0 - 0.1 * 5.7, 1e-12);
}

TEST(SGD, ZeroGradZeroesOrDropsGradients) {
  Tensor p = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  optim::SGD opt({p}, optim::SGDOptions(0.1));
  opt.zero_grad();  // no gradient yet: nothing to do
  EXPECT_FALSE(p.grad().defined());
  (p * p).sum().backward();
  ASSERT_TRUE(p.grad().defined());
  opt.zero_grad();
  EXPECT_EQ(p.grad().to_vector<double>(), (std::vector<double>{0.0, 0.0}));
  (p * p).sum().backward();
  EXPECT_EQ(p.grad().to_vector<double>(), (std::vector<double>{2.0, 4.0}));
  opt.zero_grad(/*set_to_none=*/true);
  EXPECT_FALSE(p.grad().defined());
}

TEST(SGD, RejectsInvalidOptions) {
  Tensor p = zeros({2}).requires_grad_();
  EXPECT_THROW(optim::SGD({p}, optim::SGDOptions(-0.1)), Error);
  EXPECT_THROW(optim::SGD({p}, optim::SGDOptions(0.1).momentum(-1)), Error);
  EXPECT_THROW(optim::SGD({p}, optim::SGDOptions(0.1).weight_decay(-1)), Error);
  EXPECT_THROW(optim::SGD({p}, optim::SGDOptions(0.1).nesterov(true)), Error);
  EXPECT_THROW(optim::SGD({p}, optim::SGDOptions(0.1).momentum(0.9).dampening(0.1).nesterov(true)), Error);
  EXPECT_THROW(optim::SGD(std::vector<Tensor>{}, optim::SGDOptions(0.1)), Error);
  // A non-leaf tensor can't be optimized.
  Tensor q = p * 2.0;
  EXPECT_THROW(optim::SGD({q}, optim::SGDOptions(0.1)), Error);
}

TEST(SGD, ParameterInTwoGroupsIsRejected) {
  Tensor p = zeros({2}).requires_grad_();
  std::vector<optim::ParamGroup> groups{{{p}, {}}, {{p}, {{"lr", 0.5}}}};
  EXPECT_THROW(optim::SGD(groups, optim::SGDOptions(0.1)), Error);
}

TEST(SGD, DuplicateParameterInOneGroupIsRejected) {
  // A tensor listed twice would be stepped twice per step (torch 1.13 warns that this will
  // become an error); Module::parameters() never lists a shared tensor twice.
  Tensor p = tensor({1.0}, kFloat64).requires_grad_();
  EXPECT_THROW(optim::SGD({p, p}, optim::SGDOptions(0.25)), Error);
}

TEST(SGD, GroupsTakeMissingOptionsFromDefaults) {
  Tensor a = zeros({1}).requires_grad_(), b = zeros({1}).requires_grad_();
  optim::SGD opt(std::vector<optim::ParamGroup>{{{a}, {}}, {{b}, {{"lr", 0.5}, {"momentum", 0.25}}}},
                 optim::SGDOptions(0.1).momentum(0.9).weight_decay(0.01));
  ASSERT_EQ(opt.param_groups().size(), 2u);
  EXPECT_EQ(opt.param_groups()[0].number("lr"), 0.1);
  EXPECT_EQ(opt.param_groups()[0].number("momentum"), 0.9);
  EXPECT_EQ(opt.param_groups()[1].number("lr"), 0.5);
  EXPECT_EQ(opt.param_groups()[1].number("momentum"), 0.25);
  EXPECT_EQ(opt.param_groups()[1].number("weight_decay"), 0.01);
  EXPECT_FALSE(opt.param_groups()[1].flag("nesterov"));
  // Changing a group's lr (a learning-rate schedule) takes effect on the next step.
  opt.param_groups()[0].options["lr"] = 1.0;
  (a * 3.0).sum().backward();
  opt.step();
  EXPECT_FLOAT_EQ(a.item<float>(), -3.0f);
}

}  // namespace
