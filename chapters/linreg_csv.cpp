// linreg-concise --csv: the concise chapter's model fitted to a user's own table.
// Features are standardized (zero mean, unit variance) so one learning rate suits any
// units; the learned weights are reported per standard deviation and per unit.
#include <cmath>

#include "d2l/autograd.h"
#include "d2l/nn.h"
#include "d2l/ops.h"
#include "d2l/optim.h"
#include "linreg.h"

namespace d2l::chapters {

using train::format;

CsvFit linreg_csv(const CommonOptions& options, const std::string& csv_path, const std::string& target,
                  std::vector<std::string> features, std::ostream& log) {
  options.apply();
  const data::CsvTable table = data::CsvTable::read(csv_path);
  if (features.empty())
    for (const auto& h : table.header())
      if (h != target) features.push_back(h);
  for (const auto& f : features)
    D2L_CHECK(f != target, csv_path, ": column '", target, "' is both the target and a feature");
  D2L_CHECK(!features.empty(), csv_path, ": no feature columns besides the target '", target, "'");

  const auto n = static_cast<std::int64_t>(table.rows());
  const auto k = static_cast<std::int64_t>(features.size());
  const std::vector<double> y = table.numeric_column(target);
  std::vector<double> mean(k), stddev(k);
  std::vector<float> x(static_cast<std::size_t>(n * k));
  for (std::int64_t j = 0; j < k; ++j) {
    const std::vector<double> col = table.numeric_column(features[j]);
    double m = 0, ss = 0;
    for (double v : col) m += v;
    m /= static_cast<double>(n);
    for (double v : col) ss += (v - m) * (v - m);
    const double sd = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0.0;  // sample std, as pandas
    D2L_CHECK(sd > 0, csv_path, ": feature column '", features[j], "' is constant; it cannot be standardized");
    mean[j] = m;
    stddev[j] = sd;
    for (std::int64_t i = 0; i < n; ++i) x[i * k + j] = static_cast<float>((col[i] - m) / sd);
  }
  const Tensor X = from_vector(x, {n, k});
  const Tensor Y = from_vector(std::vector<float>(y.begin(), y.end()), {n, 1});
  log << format("read %s: %lld rows, target '%s', %lld features (standardized)\n", csv_path.c_str(),
                static_cast<long long>(n), target.c_str(), static_cast<long long>(k));

  auto dataset = std::make_shared<data::TensorDataset>(X, Y);
  data::DataLoader data_iter(dataset, data::DataLoaderOptions(options.batch_size).shuffle(true).num_workers(options.num_workers));
  auto net = std::make_shared<nn::Sequential>(nn::OrderedDict{{"linear", std::make_shared<nn::Linear>(k, 1)}});
  auto dense = net->at<nn::Linear>(0);
  nn::init::normal_(dense->weight, 0.0, 0.01);
  nn::init::constant_(dense->bias, 0.0);
  nn::MSELoss loss;
  optim::SGD optimizer(net->parameters(), optim::SGDOptions(options.lr));

  CsvFit fit;
  fit.features = features;
  fit.metrics = start_metrics("linreg-concise", options);
  fit.metrics.config["csv"] = csv_path;
  fit.metrics.config["target"] = target;
  fit.metrics.config["features"] = features;
  train::Timer loop_timer;
  std::int64_t steps = 0;
  double train_l = 0;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    loop_timer.start();
    for (const auto& [Xb, yb] : data_iter) {
      Tensor l = loss((*net)(Xb), yb);
      train::check_loss(l.item(), epoch, steps + 1);
      optimizer.zero_grad();
      l.backward();
      optimizer.step();
      ++steps;
    }
    const double seconds = loop_timer.stop();
    NoGradGuard no_grad;
    train_l = loss((*net)(X), Y).item();
    D2L_CHECK(std::isfinite(train_l), "the loss became ", train_l, " in epoch ", epoch,
              "; try a lower --lr (now ", options.lr, ")");
    log << format("epoch %d, loss %f\n", epoch, train_l);
    fit.metrics.history.push_back({{"epoch", epoch}, {"loss", train_l}, {"seconds", seconds}});
  }
  if (options.epochs == 0) {
    NoGradGuard no_grad;
    train_l = loss((*net)(X), Y).item();
  }

  const std::vector<double> w = dense->weight.to_vector<double>();
  const double b = dense->bias.item();
  fit.rmse = std::sqrt(train_l);
  fit.intercept = b;
  log << format("%-20s %16s %16s\n", "feature", "weight per std", "weight per unit");
  nlohmann::ordered_json weights = nlohmann::ordered_json::object();
  for (std::int64_t j = 0; j < k; ++j) {
    fit.weight_std.push_back(w[j]);
    fit.weight_unit.push_back(w[j] / stddev[j]);
    fit.intercept -= w[j] * mean[j] / stddev[j];
    log << format("%-20s %16.6g %16.6g\n", features[j].c_str(), w[j], w[j] / stddev[j]);
    weights[features[j]] = {{"weight_per_std", w[j]}, {"weight_per_unit", w[j] / stddev[j]}};
  }
  log << format("intercept (raw features): %.6g\n", fit.intercept);
  log << format("training RMSE: %.6g (in units of '%s')\n", fit.rmse, target.c_str());
  fit.metrics.final = {{"loss", train_l}, {"rmse", fit.rmse}, {"weights", weights}, {"intercept", fit.intercept},
                       {"w", w}, {"b", b}};
  set_timing(fit.metrics, loop_timer, steps);
  if (!options.metrics.empty()) fit.metrics.save(options.metrics);
  return fit;
}

}  // namespace d2l::chapters
