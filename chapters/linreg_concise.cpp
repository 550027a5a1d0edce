// Linear regression, concise (course section 1): the same model with TensorDataset +
// DataLoader, nn::Sequential(nn::Linear), nn::init, nn::MSELoss and optim::SGD.
#include "d2l/autograd.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/optim.h"
#include "linreg.h"

namespace d2l::chapters {

using train::format;

LinregResult linreg_concise(const CommonOptions& options, std::ostream& log) {
  options.apply();
  const std::vector<double> true_w = {2, -3.4};
  const double true_b = 4.2;
  const std::int64_t num_examples = 1000;
  auto [features, labels] = synthetic_data(true_w, true_b, num_examples);

  // combine features and labels, and read them in shuffled mini-batches
  auto dataset = std::make_shared<data::TensorDataset>(features, labels);
  data::DataLoader data_iter(dataset, data::DataLoaderOptions(options.batch_size)
                                          .shuffle(true)
                                          .num_workers(options.num_workers));

  auto net = std::make_shared<nn::Sequential>(nn::OrderedDict{{"linear", std::make_shared<nn::Linear>(2, 1)}});
  log << *net << "\n";
  log << net->at<nn::Linear>(0)->to_string() << "\n";
  nn::init::normal_(net->at<nn::Linear>(0)->weight, 0.0, 0.01);
  nn::init::constant_(net->at<nn::Linear>(0)->bias, 0.0);
  nn::MSELoss loss;
  optim::SGD optimizer(net->parameters(), optim::SGDOptions(options.lr));
  log << optimizer << "\n";

  LinregResult result;
  result.metrics = linreg_metrics("linreg-concise", options, true_w, true_b, num_examples);
  train::Timer loop_timer;
  std::int64_t steps = 0;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    loop_timer.start();
    Tensor l;
    for (const auto& [X, y] : data_iter) {
      Tensor output = (*net)(X);
      l = loss(output, y.view({-1, 1}));
      train::check_loss(l.item(), epoch, steps + 1);
      optimizer.zero_grad();  // reset gradients, same as net->zero_grad()
      l.backward();
      optimizer.step();
      ++steps;
    }
    const double seconds = loop_timer.stop();
    const double last = l.item();  // the course prints the last mini-batch's loss
    NoGradGuard no_grad;
    const double train_l = loss((*net)(features), labels.view({-1, 1})).item();
    log << format("epoch %d, loss: %f\n", epoch, last);
    result.metrics.history.push_back({{"epoch", epoch}, {"loss", last}, {"train_loss", train_l}, {"seconds", seconds}});
  }

  const auto dense = net->at<nn::Linear>(0);
  log << format("[%g, %g] ", true_w[0], true_w[1]) << dense->weight.data() << "\n";
  log << format("%g ", true_b) << dense->bias.data() << "\n";
  {
    NoGradGuard no_grad;
    result.final_loss = loss((*net)(features), labels.view({-1, 1})).item();
  }
  result.w = dense->weight.to_vector<double>();
  result.b = dense->bias.item();
  finish_linreg(result, options, loop_timer, steps);
  return result;
}

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  for (char c : s + ",") {
    if (c == ',') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

class LinregConciseCommand : public Command {
 public:
  LinregConciseCommand() {
    options_.epochs = 3;
    options_.lr = 0.03;
    options_.batch_size = 10;
  }
  std::string name() const override { return "linreg-concise"; }
  std::string summary() const override {
    return "linear regression with nn, optim and data (or --csv FILE --target COLUMN for your own table)";
  }
  void add_options(CLI::App& app) override {
    options_.add_to(app);
    auto* csv = app.add_option("--csv", csv_, "fit a CSV file (header row, numeric columns) instead");
    app.add_option("--target", target_, "the CSV column to predict")->needs(csv);
    app.add_option("--features", features_, "comma-separated CSV columns to use (default: all but the target)")
        ->needs(csv);
  }
  int run() override {
    std::ostream null(nullptr);
    std::ostream& log = options_.quiet ? null : std::cout;
    if (csv_.empty()) {
      linreg_concise(options_, log);
    } else {
      if (target_.empty()) throw UsageError("--csv needs --target COLUMN (the column to predict)");
      linreg_csv(options_, csv_, target_, split_commas(features_), log);
    }
    return 0;
  }
  TourLine tour(const std::string& out_dir) override {
    train::Timer timer;
    std::ostream null(nullptr);
    const LinregResult r = linreg_concise(options_.for_tour(out_dir, name()), null);
    return {name(), chapters::summary(r), timer.stop()};
  }

 private:
  CommonOptions options_;
  std::string csv_, target_, features_;
};

}  // namespace

std::unique_ptr<Command> make_linreg_concise_command() { return std::make_unique<LinregConciseCommand>(); }

}  // namespace d2l::chapters
