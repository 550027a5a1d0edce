// The linear-regression chapters: both programs converge, --csv recovers a known model,
// and the command line rejects bad input with one line and the documented exit status.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chapters/run_command.h"
#include "d2l/random.h"
#include "linreg.h"

using namespace d2l;
using namespace d2l::chapters;

namespace {

CommonOptions quick_options(const TempDir& dir, int epochs) {
  CommonOptions o;
  o.epochs = epochs;
  o.lr = 0.03;
  o.batch_size = 10;
  o.threads = 1;
  o.out = dir.path.string();
  return o;
}

// The noise has variance 1e-4, so at the optimum the mean squared error is ~1e-4: the
// scratch chapter's squared_loss halves it (~5e-5), MSELoss does not (~1e-4).
void expect_converged(const LinregResult& r, double loss_at_optimum) {
  ASSERT_EQ(r.w.size(), 2u);
  EXPECT_NEAR(r.w[0], 2.0, 0.01);
  EXPECT_NEAR(r.w[1], -3.4, 0.01);
  EXPECT_NEAR(r.b, 4.2, 0.01);
  EXPECT_LT(r.final_loss, 1.5 * loss_at_optimum);
}

}  // namespace

TEST(LinregScratch, ConvergesToTheTrueParameters) {
  TempDir dir("scratch");
  std::ostringstream log;
  const LinregResult r = linreg_scratch(quick_options(dir, 5), log);
  expect_converged(r, 5e-5);
  EXPECT_NE(log.str().find("epoch 1, loss "), std::string::npos);
  EXPECT_NE(log.str().find("epoch 5, loss "), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "linreg-scratch-data.svg"));
  EXPECT_EQ(r.metrics.history.size(), 5u);
}

TEST(LinregScratch, SameSeedSameRun) {
  TempDir dir("seed");
  std::ostringstream a, b, c;
  CommonOptions o = quick_options(dir, 2);
  const LinregResult r1 = linreg_scratch(o, a);
  const LinregResult r2 = linreg_scratch(o, b);
  o.seed = 7;
  const LinregResult r3 = linreg_scratch(o, c);
  EXPECT_EQ(a.str(), b.str());
  EXPECT_EQ(r1.w, r2.w);
  EXPECT_NE(r1.w, r3.w);
}

TEST(LinregConcise, ConvergesAndPrintsNetAndOptimizer) {
  TempDir dir("concise");
  std::ostringstream log;
  const LinregResult r = linreg_concise(quick_options(dir, 3), log);
  expect_converged(r, 1e-4);
  const std::string out = log.str();
  EXPECT_NE(out.find("Sequential(\n  (linear): Linear(in_features=2, out_features=1, bias=True)\n)"), std::string::npos);
  EXPECT_NE(out.find("SGD (\nParameter Group 0\n"), std::string::npos);
  EXPECT_NE(out.find("epoch 3, loss: "), std::string::npos);
}

TEST(LinregConcise, WorkersGiveTheSameRun) {
  TempDir dir("workers");
  std::ostringstream a, b;
  CommonOptions o = quick_options(dir, 2);
  const LinregResult r0 = linreg_concise(o, a);
  o.num_workers = 2;
  const LinregResult r2 = linreg_concise(o, b);
  EXPECT_EQ(r0.w, r2.w);
  EXPECT_EQ(r0.b, r2.b);
}

TEST(LinregCsv, RecoversAKnownModel) {
  TempDir dir("csv");
  // price = 3 * area - 0.5 * age + 10, with small noise; area and age on different scales
  manual_seed(3);
  Generator g(11);
  std::ofstream f(dir / "houses.csv");
  f << "id,area,age,price\n";
  for (int i = 0; i < 400; ++i) {
    const double area = 50 + 100 * g.uniform(), age = 40 * g.uniform();
    f << i << "," << area << "," << age << "," << 3 * area - 0.5 * age + 10 + 0.1 * g.normal() << "\n";
  }
  f.close();
  CommonOptions o = quick_options(dir, 20);
  std::ostringstream log;
  const CsvFit fit = linreg_csv(o, dir / "houses.csv", "price", {"area", "age"}, log);
  ASSERT_EQ(fit.weight_unit.size(), 2u);
  EXPECT_NEAR(fit.weight_unit[0], 3.0, 0.01);
  EXPECT_NEAR(fit.weight_unit[1], -0.5, 0.01);
  EXPECT_NEAR(fit.intercept, 10.0, 0.5);
  EXPECT_LT(fit.rmse, 0.2);
  EXPECT_NE(log.str().find("training RMSE"), std::string::npos);
}

// ---- the command line

TEST(Cli, BadFlagValuesExitTwoWithOneLine) {
  for (const char* args : {"linreg-scratch --epochs -1", "linreg-scratch --lr nan", "linreg-scratch --lr inf",
                           "linreg-concise --batch-size 0", "linreg-scratch --threads -2", "no-such-chapter",
                           "linreg-scratch --no-such-flag"}) {
    const CommandResult r = run_d2l(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << ": " << r.output;
  }
}

TEST(Cli, CsvErrorsNameTheFileLineAndColumn) {
  TempDir dir("csv-errors");
  {
    std::ofstream(dir / "bad.csv") << "a,b,y\n1,2,3\n4,x5,6\n";
    std::ofstream(dir / "ragged.csv") << "a,y\n1,2\n3\n";
    std::ofstream(dir / "empty.csv") << "";
  }
  const std::string metrics = dir / "m.json";
  struct Case {
    std::string args, expect;
  };
  const std::vector<Case> cases = {
      {"--csv " + (dir / "missing.csv") + " --target y", "missing.csv"},
      {"--csv " + (dir / "bad.csv") + " --target nope", "no column named 'nope'"},
      {"--csv " + (dir / "bad.csv") + " --target y", "bad.csv:3: column 'b' holds 'x5'"},
      {"--csv " + (dir / "ragged.csv") + " --target y", "ragged.csv:3: expected 2 fields"},
      {"--csv " + (dir / "empty.csv") + " --target y", "empty.csv: the file is empty"},
  };
  for (const auto& c : cases) {
    const CommandResult r = run_d2l("linreg-concise --quiet --metrics " + metrics + " " + c.args);
    EXPECT_EQ(r.status, 1) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << c.args << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_FALSE(std::filesystem::exists(metrics)) << "a failed run left " << metrics;
  }
}

TEST(Cli, MetricsJsonHasTheDocumentedKeys) {
  TempDir dir("metrics");
  const CommandResult r =
      run_d2l("linreg-scratch --quiet --epochs 2 --out " + dir.path.string() + " --metrics " + (dir / "m.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(r.output.empty()) << "--quiet printed: " << r.output;
  std::ifstream f(dir / "m.json");
  const auto j = nlohmann::json::parse(f);
  EXPECT_EQ(j["chapter"], "linreg-scratch");
  EXPECT_EQ(j["config"]["epochs"], 2);
  EXPECT_EQ(j["config"]["lr"], 0.03);
  EXPECT_EQ(j["history"].size(), 2u);
  EXPECT_EQ(j["history"][1]["epoch"], 2);
  EXPECT_TRUE(j["history"][0].contains("loss") && j["history"][0].contains("seconds"));
  EXPECT_EQ(j["final"]["w"].size(), 2u);
  EXPECT_TRUE(j["final"].contains("b"));
  EXPECT_EQ(j["timing"]["steps"], 200);
  EXPECT_GT(j["timing"]["us_per_step"].get<double>(), 0.0);
}
