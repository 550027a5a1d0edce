// What the Fashion-MNIST programs share: options, the training report, the prediction grid,
// and the command-line wrapper.
#include "classify.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "d2l/autograd.h"
#include "d2l/ops.h"

namespace d2l::chapters {

using train::format;

train::Metrics classify_metrics(const std::string& chapter, const ClassifyOptions& options) {
  train::Metrics metrics = start_metrics(chapter, options.common);
  metrics.config["data_dir"] = options.data_dir;
  if (!options.classes_file.empty()) metrics.config["classes"] = options.classes_file;
  if (chapter.rfind("mlp", 0) == 0) {
    metrics.config["hidden"] = options.hidden;
    metrics.config["activation"] = options.activation;
  }
  return metrics;
}

std::vector<std::string> class_names(const ClassifyOptions& options, const vision::TrainTestLoaders& data) {
  std::int64_t classes = 0;  // 1 + the largest label of either split
  std::vector<std::string> own;  // the names a split is recognized by
  for (const data::DataLoader* loader : {&data.train, &data.test}) {
    const auto* images = dynamic_cast<const vision::IdxImageDataset*>(&loader->dataset());
    if (!images) continue;
    if (own.empty()) own = images->class_names();
    if (images->labels().numel() > 0) classes = std::max(classes, 1 + images->labels().max().item<std::int64_t>());
  }
  if (!options.classes_file.empty()) {
    std::ifstream in(options.classes_file);
    D2L_CHECK(in.good(), "--classes: cannot read ", options.classes_file);
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      names.push_back(line);
    }
    while (!names.empty() && names.back().empty()) names.pop_back();  // trailing blank lines
    D2L_CHECK(static_cast<std::int64_t>(names.size()) == classes, "--classes ", options.classes_file, ": ",
              names.size(), " names for ", classes, " classes (the labels run from 0 to ", classes - 1,
              "); give one name per line, in label order");
    return names;
  }
  std::vector<std::string> names;
  if (own == vision::FashionMNIST::classes) {
    std::vector<std::int64_t> all(vision::FashionMNIST::classes.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int64_t>(i);
    return vision::get_fashion_mnist_labels(all);  // the course's 't-shirt', 'trouser', ...
  }
  if (!own.empty()) return own;
  for (std::int64_t i = 0; i < std::max<std::int64_t>(classes, 10); ++i) names.push_back(std::to_string(i));
  return names;
}

namespace {

// d2l.predict_ch3: the first n test images with their true and predicted labels.
void predict_ch3(const train::Net& net, const data::DataLoader& test_iter, std::int64_t n, const std::string& path,
                 const std::vector<std::string>& names, std::ostream& log, nlohmann::ordered_json& record) {
  const data::Example batch = *test_iter.begin();
  n = std::min(n, batch.data.size(0));
  const Tensor X = batch.data.narrow(0, 0, n), y = batch.target.narrow(0, 0, n);
  Tensor y_hat;
  {
    train::EvalMode eval_mode(net.module());
    NoGradGuard no_grad;
    y_hat = argmax(net(X), 1);
  }
  auto name_of = [&](const Tensor& labels) {
    std::vector<std::string> out;
    for (std::int64_t v : labels.to_vector<std::int64_t>())
      out.push_back(v >= 0 && v < static_cast<std::int64_t>(names.size()) ? names[static_cast<std::size_t>(v)]
                                                                            : std::to_string(v));
    return out;
  };
  const auto trues = name_of(y), preds = name_of(y_hat);
  std::vector<std::string> titles;
  std::int64_t correct = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    titles.push_back(trues[i] + "\n" + preds[i]);
    correct += trues[i] == preds[i];
    record.push_back({trues[i], preds[i]});
  }
  train::show_images(path, X, titles, 2, (n + 1) / 2);
  log << format("predictions for the first %lld test images (%lld correct), true / predicted, in %s:\n",
                static_cast<long long>(n), static_cast<long long>(correct), path.c_str());
  for (std::int64_t i = 0; i < n; ++i)
    log << format("  %-11s %s %s\n", trues[i].c_str(), trues[i] == preds[i] ? " " : "x", preds[i].c_str());
}

}  // namespace

ClassifyResult train_and_report(const std::string& chapter, const ClassifyOptions& options,
                                const vision::TrainTestLoaders& data, const train::Net& net, const train::Loss& loss,
                                const train::Updater& updater, std::ostream& log) {
  const CommonOptions& common = options.common;
  io::make_directories(common.out);
  ClassifyResult result;
  result.metrics = classify_metrics(chapter, options);
  const std::vector<std::string> names = class_names(options, data);  // a bad --classes file fails before training
  train::TrainOptions train_options;
  train_options.log = &log;
  train_options.quiet = common.quiet;
  train_options.metrics = &result.metrics;
  train_options.plot = common.out + "/" + chapter + ".svg";
  result.history = train::train_ch3(net, data.train, data.test, loss, common.epochs, updater, train_options);
  result.test_acc = result.history.empty() ? train::evaluate_accuracy(net, data.test) : result.history.back().test_acc;

  nlohmann::ordered_json predictions = nlohmann::ordered_json::array();
  predict_ch3(net, data.test, 18, common.out + "/" + chapter + "-predictions.svg", names, log, predictions);

  double train_seconds = 0, eval_seconds = 0;
  for (const auto& r : result.history) train_seconds += r.seconds, eval_seconds += r.eval_seconds;
  const std::int64_t steps = data.train.size() * static_cast<std::int64_t>(result.history.size());
  auto& final = result.metrics.final;
  if (!result.history.empty()) {
    final["train_loss"] = result.history.back().train_loss;
    final["train_acc"] = result.history.back().train_acc;
  }
  final["test_acc"] = result.test_acc;
  final["predictions"] = predictions;
  const double epochs = std::max<double>(1, static_cast<double>(result.history.size()));
  result.metrics.timing = {{"train_seconds", train_seconds},
                           {"steps", steps},
                           {"us_per_step", steps ? train_seconds * 1e6 / static_cast<double>(steps) : 0.0},
                           {"seconds_per_epoch", train_seconds / epochs},
                           {"eval_seconds_per_epoch", eval_seconds / epochs}};
  if (!common.metrics.empty()) result.metrics.save(common.metrics);
  return result;
}

namespace {

using Program = ClassifyResult (*)(const ClassifyOptions&, std::ostream&);

// One command per program; the MLP programs add --hidden and --activation.
class ClassifyCommand : public Command {
 public:
  ClassifyCommand(std::string name, std::string summary, Program program, bool mlp)
      : name_(std::move(name)), summary_(std::move(summary)), program_(program), mlp_(mlp) {
    options_.common.epochs = 10;
    options_.common.lr = 0.1;
    options_.common.batch_size = 256;
    options_.data_dir = data::default_data_dir();
    // Softmax regression's products (256x784 by 784x10) are too small to share between
    // threads: waking a second one costs more than it saves (0.15 s per epoch on two
    // threads against 0.08 s on one). The MLP's 784x256 layer does gain from every core.
    if (!mlp_) options_.common.threads = 1;
  }
  std::string name() const override { return name_; }
  std::string summary() const override { return summary_; }
  void add_options(CLI::App& app) override {
    options_.common.add_to(app);
    app.add_option("--data-dir", options_.data_dir, "directory holding fashion-mnist/ ($D2L_DATA or ./data)")
        ->capture_default_str();
    app.add_option("--classes", options_.classes_file,
                   "file of class names, one per line in label order (default: Fashion-MNIST's when the files are "
                   "its own, else the class indices)");
    if (mlp_) {
      app.add_option("--hidden", options_.hidden, "hidden units")->check(whole_number(1, 16384))->capture_default_str();
      app.add_option("--activation", options_.activation, "hidden-layer activation")
          ->check(CLI::IsMember({"relu", "sigmoid", "tanh"}))
          ->capture_default_str();
    }
  }
  int run() override {
    std::ostream null(nullptr);
    program_(options_, options_.common.quiet ? null : std::cout);
    return 0;
  }
  TourLine tour(const std::string& out_dir) override {
    train::Timer timer;
    ClassifyOptions quick = options_;
    quick.common = options_.common.for_tour(out_dir, name_);
    quick.common.epochs = 2;
    std::ostream null(nullptr);
    const ClassifyResult r = program_(quick, null);
    const auto& last = r.history.back();
    return {name_, format("%d epochs: loss %.4f, train acc %.3f, test acc %.3f", quick.common.epochs,
                          last.train_loss, last.train_acc, last.test_acc),
            timer.stop()};
  }

 private:
  std::string name_, summary_;
  Program program_;
  bool mlp_;
  ClassifyOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_softmax_scratch_command() {
  return std::make_unique<ClassifyCommand>(
      "softmax-scratch", "softmax regression on Fashion-MNIST from scratch (tensors + autograd)", softmax_scratch,
      false);
}
std::unique_ptr<Command> make_softmax_concise_command() {
  return std::make_unique<ClassifyCommand>(
      "softmax-concise", "softmax regression on Fashion-MNIST with nn, optim and data", softmax_concise, false);
}
std::unique_ptr<Command> make_mlp_scratch_command() {
  return std::make_unique<ClassifyCommand>(
      "mlp-scratch", "a multilayer perceptron on Fashion-MNIST from scratch (tensors + autograd)", mlp_scratch, true);
}
std::unique_ptr<Command> make_mlp_concise_command() {
  return std::make_unique<ClassifyCommand>(
      "mlp-concise", "a multilayer perceptron on Fashion-MNIST with nn, optim and data", mlp_concise, true);
}

}  // namespace d2l::chapters
