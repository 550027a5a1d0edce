// Linear regression from scratch (course section 1): generate y = Xw + b + noise, then fit
// w and b by mini-batch SGD with nothing but tensors and autograd.
#include <filesystem>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "linreg.h"

namespace d2l::chapters {

using train::format;

std::pair<Tensor, Tensor> synthetic_data(const std::vector<double>& true_w, double true_b, std::int64_t num_examples,
                                         double noise_std) {
  const auto num_inputs = static_cast<std::int64_t>(true_w.size());
  Tensor features = randn({num_examples, num_inputs});
  Tensor w = from_vector(std::vector<float>(true_w.begin(), true_w.end()), {num_inputs});
  Tensor labels = matmul(features, w) + true_b;
  labels += normal(0, noise_std, labels.shape());
  return {features, labels};
}

std::vector<data::Example> data_iter(std::int64_t batch_size, const Tensor& features, const Tensor& labels) {
  const std::int64_t num_examples = features.size(0);
  const Tensor indices = randperm(num_examples);  // random.shuffle(indices)
  std::vector<data::Example> batches;
  for (std::int64_t i = 0; i < num_examples; i += batch_size) {
    const Tensor j = indices.slice(0, i, std::min(i + batch_size, num_examples));  // the last may be short
    batches.push_back({features.index_select(0, j), labels.index_select(0, j)});
  }
  return batches;
}

Tensor linreg(const Tensor& X, const Tensor& w, const Tensor& b) { return mm(X, w) + b; }

Tensor squared_loss(const Tensor& y_hat, const Tensor& y) { return pow(y_hat - y.view(y_hat.shape()), 2) / 2; }

void sgd(std::vector<Tensor> params, double lr, std::int64_t batch_size) {
  NoGradGuard no_grad;  // the update is not part of the model, so it may change params in place
  // param -= lr * param.grad / batch_size, as one scaled subtraction
  for (auto& param : params) param.sub_(param.grad(), lr / static_cast<double>(batch_size));
}

static std::string list_str(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + format("%.4f", v[i]);
  return s + "]";
}

train::Metrics linreg_metrics(const std::string& chapter, const CommonOptions& options,
                              const std::vector<double>& true_w, double true_b, std::int64_t num_examples) {
  train::Metrics metrics = start_metrics(chapter, options);
  metrics.config["num_examples"] = num_examples;
  metrics.config["true_w"] = true_w;
  metrics.config["true_b"] = true_b;
  return metrics;
}

void finish_linreg(LinregResult& result, const CommonOptions& options, const train::Timer& loops, std::int64_t steps) {
  result.metrics.final = {{"loss", result.final_loss}, {"w", result.w}, {"b", result.b}};
  set_timing(result.metrics, loops, steps);
  if (!options.metrics.empty()) result.metrics.save(options.metrics);
}

std::string summary(const LinregResult& result) {
  return format("loss %.6f, w %s, b %.4f", result.final_loss, list_str(result.w).c_str(), result.b);
}

LinregResult linreg_scratch(const CommonOptions& options, std::ostream& log) {
  options.apply();
  const std::vector<double> true_w = {2, -3.4};
  const double true_b = 4.2;
  const std::int64_t num_examples = 1000;
  auto [features, labels] = synthetic_data(true_w, true_b, num_examples);

  train::save_plot(options.out + "/linreg-scratch-data.svg",
                   {{"", features.select(1, 1).to_vector<double>(), labels.to_vector<double>(), true}},
                   {"synthetic data", "feature 2 (age)", "label (price)"});

  Tensor w = normal(0, 0.01, {2, 1}).requires_grad_();
  Tensor b = zeros({1}).requires_grad_();
  const double lr = options.lr;
  const std::int64_t batch_size = options.batch_size;
  auto net = linreg;
  auto loss = squared_loss;

  LinregResult result;
  result.metrics = linreg_metrics("linreg-scratch", options, true_w, true_b, num_examples);
  train::Timer loop_timer;
  std::int64_t steps = 0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    loop_timer.start();
    for (const auto& [X, y] : data_iter(batch_size, features, labels)) {
      Tensor l = loss(net(X, w, b), y).sum();  // l is a scalar: the batch's summed loss
      train::check_loss(l.item(), epoch + 1, steps + 1);
      l.backward();
      sgd({w, b}, lr, batch_size);
      w.grad().zero_();
      b.grad().zero_();
      ++steps;
    }
    const double seconds = loop_timer.stop();
    NoGradGuard no_grad;
    const double train_l = loss(net(features, w, b), labels).mean().item();
    log << format("epoch %d, loss %f\n", epoch + 1, train_l);
    result.metrics.history.push_back({{"epoch", epoch + 1}, {"loss", train_l}, {"seconds", seconds}});
    result.final_loss = train_l;
  }
  if (options.epochs == 0) {
    NoGradGuard no_grad;
    result.final_loss = loss(net(features, w, b), labels).mean().item();
  }

  result.w = w.to_vector<double>();
  result.b = b.item();
  log << "w " << w << ", true_w " << list_str(true_w) << "\n";
  log << "b " << b << ", true_b " << format("%g", true_b) << "\n";
  {
    NoGradGuard no_grad;
    const Tensor w_true = from_vector(std::vector<float>(true_w.begin(), true_w.end()));
    log << "error in estimating w: " << (w_true - w.reshape(w_true.shape())) << "\n";
    log << "error in estimating b: " << (true_b - b) << "\n";
  }
  finish_linreg(result, options, loop_timer, steps);
  return result;
}

namespace {

class LinregScratchCommand : public Command {
 public:
  std::string name() const override { return "linreg-scratch"; }
  std::string summary() const override { return "linear regression from scratch: tensors, autograd and sgd"; }
  LinregScratchCommand() {
    options_.epochs = 5;
    options_.lr = 0.03;
    options_.batch_size = 10;
  }
  void add_options(CLI::App& app) override { options_.add_to(app); }
  int run() override {
    std::ostream null(nullptr);
    linreg_scratch(options_, options_.quiet ? null : std::cout);
    return 0;
  }
  TourLine tour(const std::string& out_dir) override {
    train::Timer timer;
    std::ostream null(nullptr);
    const LinregResult r = linreg_scratch(options_.for_tour(out_dir, name()), null);
    return {name(), chapters::summary(r), timer.stop()};
  }

 private:
  CommonOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_linreg_scratch_command() { return std::make_unique<LinregScratchCommand>(); }

}  // namespace d2l::chapters
