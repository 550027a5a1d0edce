#pragma once
// Linear regression, the course's first chapter: from scratch (tensors + autograd) and
// concise (nn / optim / data), plus fitting a user's CSV file.
#include <ostream>
#include <string>
#include <vector>

#include "command.h"
#include "d2l/data.h"
#include "d2l/tensor.h"
#include "d2l/train.h"

namespace d2l::chapters {

// ---- the scratch chapter's functions, named as the course names them

// y = Xw + b + noise: features ~ N(0, 1) (num_examples x len(w)), labels 1-D.
std::pair<Tensor, Tensor> synthetic_data(const std::vector<double>& true_w, double true_b, std::int64_t num_examples,
                                         double noise_std = 0.01);
// Shuffled mini-batches of (features, labels); the last one may be short.
std::vector<data::Example> data_iter(std::int64_t batch_size, const Tensor& features, const Tensor& labels);
Tensor linreg(const Tensor& X, const Tensor& w, const Tensor& b);
Tensor squared_loss(const Tensor& y_hat, const Tensor& y);
// param -= lr * grad / batch_size, outside the graph.
void sgd(std::vector<Tensor> params, double lr, std::int64_t batch_size);

struct LinregResult {
  std::vector<double> w;
  double b = 0;
  double final_loss = 0;  // mean squared loss over all examples after training
  train::Metrics metrics{""};
};

// The metrics record of a linear-regression run on the synthetic problem.
train::Metrics linreg_metrics(const std::string& chapter, const CommonOptions& options,
                              const std::vector<double>& true_w, double true_b, std::int64_t num_examples);
// Stores the learned w, b and final loss already in `result`, and the loop timing, in its
// metrics, and writes them to options.metrics if set.
void finish_linreg(LinregResult& result, const CommonOptions& options, const train::Timer& loops, std::int64_t steps);

// "loss 0.000051, w [2.0003, -3.3998], b 4.2001", for the tour's table.
std::string summary(const LinregResult& result);

// The two programs. Output goes to `log` (nothing when quiet); files under options.out.
LinregResult linreg_scratch(const CommonOptions& options, std::ostream& log);
LinregResult linreg_concise(const CommonOptions& options, std::ostream& log);

struct CsvFit {
  std::vector<std::string> features;
  std::vector<double> weight_std;   // per standard deviation of each feature
  std::vector<double> weight_unit;  // per unit of each feature
  double intercept = 0;             // in target units, for raw (unstandardized) features
  double rmse = 0;                  // training RMSE, in target units
  train::Metrics metrics{""};
};
// linreg-concise --csv: the same model fitted to a user's table, features standardized.
CsvFit linreg_csv(const CommonOptions& options, const std::string& csv_path, const std::string& target,
                  std::vector<std::string> features, std::ostream& log);

std::unique_ptr<Command> make_linreg_scratch_command();
std::unique_ptr<Command> make_linreg_concise_command();

}  // namespace d2l::chapters
