// The Fashion-MNIST programs on a small synthetic data set in the same file format: each
// converges, prints the course's lines, writes its curves, prediction grid and metrics, and
// bad flags or a missing data set give one-line errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "classify.h"
#include "chapters/fake_fashion_mnist.h"

using namespace d2l;
using namespace d2l::chapters;

namespace {

ClassifyOptions quick_options(const FakeFashionMnist& data, const TempDir& out) {
  ClassifyOptions o;
  o.data_dir = data.path();
  o.common.out = out.path.string();
  o.common.epochs = 8;
  o.common.batch_size = 20;  // 30 steps per epoch: 240 steps in all
  o.common.lr = 0.1;
  o.hidden = 32;
  o.common.threads = 1;  // tests run side by side: a second thread would only wait for a busy core
  return o;
}

using Program = ClassifyResult (*)(const ClassifyOptions&, std::ostream&);

void expect_converges(Program program, const std::string& chapter) {
  FakeFashionMnist data;
  TempDir out("classify-out-" + chapter);
  ClassifyOptions o = quick_options(data, out);
  o.common.metrics = out / "m.json";
  std::ostringstream log;
  const ClassifyResult r = program(o, log);
  ASSERT_EQ(r.history.size(), 8u);
  EXPECT_GE(r.test_acc, 0.95) << log.str();
  EXPECT_GE(r.history.back().train_acc, 0.95);
  EXPECT_LT(r.history.back().train_loss, r.history.front().train_loss);
  EXPECT_NE(log.str().find("epoch 1, loss "), std::string::npos) << log.str();
  EXPECT_NE(log.str().find(", train acc "), std::string::npos);
  EXPECT_NE(log.str().find("predictions for the first 18 test images"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(out / (chapter + ".svg")));
  EXPECT_TRUE(std::filesystem::exists(out / (chapter + "-predictions.svg")));
  std::ifstream in(out / "m.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["chapter"], chapter);
  EXPECT_EQ(j["history"].size(), 8u);
  for (const char* key : {"epoch", "train_loss", "train_acc", "test_acc", "seconds", "eval_seconds"})
    EXPECT_TRUE(j["history"][0].contains(key)) << key;
  EXPECT_DOUBLE_EQ(j["final"]["test_acc"].get<double>(), r.test_acc);
  EXPECT_EQ(j["final"]["predictions"].size(), 18u);
  EXPECT_EQ(j["timing"]["steps"], 240);
  EXPECT_EQ(j["config"]["batch_size"], 20);
}

}  // namespace

TEST(Classify, SoftmaxScratchConverges) { expect_converges(softmax_scratch, "softmax-scratch"); }
TEST(Classify, SoftmaxConciseConverges) { expect_converges(softmax_concise, "softmax-concise"); }
TEST(Classify, MlpScratchConverges) { expect_converges(mlp_scratch, "mlp-scratch"); }
TEST(Classify, MlpConciseConverges) { expect_converges(mlp_concise, "mlp-concise"); }

TEST(Classify, ScratchSoftmaxRowsSumToOneAndCrossEntropyPicksTheLabel) {
  const Tensor X = tensor({1.0, 2.0, 3.0, -1.0, 0.0, 1.0}).reshape({2, 3});
  const Tensor p = scratch::softmax(X);
  const auto v = p.to_vector<double>();
  EXPECT_NEAR(v[0] + v[1] + v[2], 1.0, 1e-6);
  EXPECT_NEAR(v[2], std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0)), 1e-6);
  const auto l = scratch::cross_entropy(p, from_vector<std::int64_t>({2, 0})).to_vector<double>();
  EXPECT_NEAR(l[0], -std::log(v[2]), 1e-6);
  EXPECT_NEAR(l[1], -std::log(v[3]), 1e-6);
}

TEST(Classify, SameSeedSameRun) {
  FakeFashionMnist data;
  TempDir out("classify-seed");
  ClassifyOptions o = quick_options(data, out);
  o.common.epochs = 2;
  std::ostringstream a, b;
  const auto r1 = mlp_concise(o, a), r2 = mlp_concise(o, b);
  EXPECT_EQ(r1.history.back().train_loss, r2.history.back().train_loss);
  EXPECT_EQ(r1.test_acc, r2.test_acc);
}

TEST(Classify, ActivationFlagChangesTheHiddenLayer) {
  FakeFashionMnist data;
  TempDir out("classify-activation");
  const CommandResult r = run_d2l("mlp-concise --activation tanh --hidden 16 --epochs 1 --batch-size 50 --data-dir " +
                                  data.path() + " --out " + out.path.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("(2): Tanh()"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Linear(in_features=784, out_features=16, bias=True)"), std::string::npos) << r.output;
}

TEST(Classify, BadFlagsExitTwoWithOneLine) {
  for (const char* args : {"mlp-scratch --activation swish", "mlp-concise --hidden 0", "softmax-scratch --epochs -1",
                           "softmax-concise --batch-size 0", "softmax-scratch --lr nan"}) {
    const CommandResult r = run_d2l(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.output;
    EXPECT_LE(std::count(r.output.begin(), r.output.end(), '\n'), 2) << args << ": " << r.output;
  }
}

TEST(Classify, MissingDataSaysHowToFetchIt) {
  TempDir empty("classify-empty");
  const CommandResult r = run_d2l("softmax-scratch --quiet --data-dir " + empty.path.string());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("scripts/fetch-data fashion-mnist"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST(Classify, DataNotKnownToBeFashionMnistIsLabelledByIndex) {
  // The fake files are not Fashion-MNIST's own: predictions show class indices, not its names.
  FakeFashionMnist data;
  TempDir out("classify-indices");
  const CommandResult r = run_d2l("softmax-concise --epochs 1 --batch-size 50 --data-dir " + data.path() + " --out " +
                                  out.path.string() + " --metrics " + (out / "m.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find("t-shirt"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("ankle boot"), std::string::npos) << r.output;
  std::ifstream in(out / "m.json");
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["final"]["predictions"].size(), 18u);
  for (const auto& p : j["final"]["predictions"]) {
    const std::string truth = p[0];
    ASSERT_EQ(truth.size(), 1u) << p;
    EXPECT_TRUE(truth[0] >= '0' && truth[0] <= '9') << p;
  }
}

TEST(Classify, ClassesFileNamesThePredictions) {
  FakeFashionMnist data;
  TempDir out("classify-names");
  {
    std::ofstream f(out / "names.txt");
    for (int c = 0; c < 10; ++c) f << "band " << c << (c == 3 ? "\r\n" : "\n");
  }
  ClassifyOptions o = quick_options(data, out);
  o.common.epochs = 1;
  o.common.metrics = out / "m.json";
  o.classes_file = out / "names.txt";
  std::ostringstream log;
  softmax_scratch(o, log);
  EXPECT_NE(log.str().find("band 3"), std::string::npos) << log.str();
  std::ifstream in(out / "m.json");
  const auto j = nlohmann::json::parse(in);
  const std::string truth = j["final"]["predictions"][0][0];
  EXPECT_EQ(truth.rfind("band ", 0), 0u) << truth;
  EXPECT_EQ(j["config"]["classes"], out / "names.txt");
  // The labels run 0..9 on both splits (the fake cycles through them).
  const auto names = class_names(o, vision::load_data_fashion_mnist(50, 0, data.path()));
  ASSERT_EQ(names.size(), 10u);
  EXPECT_EQ(names[3], "band 3");
}

TEST(Classify, ClassesFileOfTheWrongLengthIsOneLineError) {
  FakeFashionMnist data;
  TempDir out("classify-bad-names");
  {
    std::ofstream f(out / "nine.txt");
    for (int c = 0; c < 9; ++c) f << "name " << c << "\n";
  }
  CommandResult r = run_d2l("mlp-concise --epochs 1 --data-dir " + data.path() + " --out " + out.path.string() +
                            " --classes " + (out / "nine.txt"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("9 names for 10 classes"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  r = run_d2l("softmax-scratch --epochs 1 --data-dir " + data.path() + " --classes " + (out / "missing.txt"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("cannot read"), std::string::npos) << r.output;
}
