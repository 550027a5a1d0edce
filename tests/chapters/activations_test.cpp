// The activations chapter: derivatives by autograd match the known values, six plots are
// written, and the common flags are accepted.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "activations.h"
#include "chapters/run_command.h"

using namespace d2l::chapters;

TEST(Activations, GradientsByAutogradMatchTheKnownValues) {
  TempDir dir("activations");
  CommonOptions o;
  o.out = dir.path.string();
  std::ostringstream log;
  const ActivationsResult r = activations(o, log);
  ASSERT_EQ(r.points, (std::vector<double>{-2, 0, 2}));
  ASSERT_EQ(r.curves.size(), 3u);
  const auto& relu = r.curves[0];
  const auto& sigmoid = r.curves[1];
  const auto& tanh = r.curves[2];
  EXPECT_EQ(relu.name, "relu");
  EXPECT_EQ(relu.value, (std::vector<double>{0, 0, 2}));
  EXPECT_EQ(relu.gradient, (std::vector<double>{0, 0, 1}));  // 0 at x = 0, as PyTorch
  EXPECT_NEAR(sigmoid.value[1], 0.5, 1e-12);
  EXPECT_NEAR(sigmoid.gradient[1], 0.25, 1e-12);
  EXPECT_NEAR(sigmoid.gradient[0], 0.104993585, 1e-8);  // s(1 - s) at -2
  EXPECT_NEAR(tanh.gradient[1], 1.0, 1e-12);
  EXPECT_NEAR(tanh.gradient[2], 1 - std::tanh(2.0) * std::tanh(2.0), 1e-12);
  for (const char* f : {"relu", "sigmoid", "tanh"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / (std::string("activations-") + f + ".svg"))) << f;
    EXPECT_TRUE(std::filesystem::exists(dir / (std::string("activations-") + f + "-grad.svg"))) << f;
  }
  EXPECT_NE(log.str().find("grad of sigmoid:   0.1050   0.2500   0.1050"), std::string::npos) << log.str();
}

TEST(Activations, CommandWritesMetricsAndAcceptsTheCommonFlags) {
  TempDir dir("activations-cli");
  const CommandResult r = run_d2l("activations --epochs 3 --lr 0.5 --batch-size 7 --seed 1 --threads 1 --quiet --out " +
                                  dir.path.string() + " --metrics " + (dir / "m.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(r.output.empty()) << r.output;
  std::ifstream in(dir / "m.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["chapter"], "activations");
  EXPECT_EQ(j["final"]["x"], nlohmann::json({-2.0, 0.0, 2.0}));
  EXPECT_DOUBLE_EQ(j["final"]["sigmoid_grad"][1].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(j["final"]["tanh_grad"][1].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["final"]["relu_grad"][2].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["final"]["relu_grad"][0].get<double>(), 0.0);
  EXPECT_EQ(j["config"]["epochs"], 3);
  EXPECT_TRUE(std::filesystem::exists(dir / "activations-tanh-grad.svg"));
}
