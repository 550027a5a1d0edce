#include "d2l/train/classify.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/train/format.h"
#include "d2l/train/plot.h"
#include "d2l/train/progress.h"
#include "d2l/train/timer.h"

namespace d2l::train {

namespace {

// The tensor's values in row-major order, read in place when already laid out that way.
// Detached first: reading values must not add to the graph.
Tensor dense(const Tensor& t) { return t.is_contiguous() ? t : t.detach().contiguous(); }

// Element i of a dense tensor, as a double (a switch per element costs less than the copy
// a conversion would make for these small batches).
double value_at(const Tensor& t, std::int64_t i) {
  switch (t.dtype()) {
    case kBool: return t.data_ptr<bool>()[i] ? 1.0 : 0.0;
    case kInt64: return static_cast<double>(t.data_ptr<std::int64_t>()[i]);
    case kFloat32: return t.data_ptr<float>()[i];
    default: return t.data_ptr<double>()[i];
  }
}

// y_hat's value converted to the labels' dtype, as `y_hat.type(y.dtype)` does, then compared.
bool matches(double prediction, double label, DType label_dtype) {
  switch (label_dtype) {
    case kBool: return (prediction != 0) == (label != 0);
    case kInt64: return std::isfinite(prediction) && std::trunc(prediction) == label;  // NaN never matches
    case kFloat32: return static_cast<float>(prediction) == static_cast<float>(label);
    default: return prediction == label;
  }
}

// Sum of all values in double, without recording a graph.
double sum_values(const Tensor& t) {
  const Tensor d = dense(t);
  return D2L_DISPATCH_ALL(d.dtype(), [&] {
    const scalar_t* p = d.data_ptr<scalar_t>();
    double s = 0;
    for (std::int64_t i = 0, n = d.numel(); i < n; ++i) s += static_cast<double>(p[i]);
    return s;
  });
}

// argmax as d2l::argmax picks it: the first maximum, or the first NaN. Written without
// branches on the data (random scores mispredict about every other compare).
template <class T>
std::int64_t argmax_row(const T* row, std::int64_t n) {
  T best_value = row[0];
  std::int64_t best = 0;
  bool nan = row[0] != row[0];
  for (std::int64_t j = 1; j < n; ++j) {
    const T v = row[j];
    nan |= v != v;
    const bool greater = v > best_value;
    best_value = greater ? v : best_value;
    best = greater ? j : best;
  }
  if (nan)
    for (std::int64_t j = 0; j < n; ++j)
      if (row[j] != row[j]) return j;
  return best;
}


}  // namespace

double accuracy(const Tensor& y_hat, const Tensor& y) {
  D2L_CHECK(y_hat.defined() && y.defined(), "accuracy: y_hat and y must be defined tensors");
  const Tensor p = dense(y_hat), t = dense(y);
  std::int64_t correct = 0;
  if (y_hat.dim() > 1 && y_hat.size(1) > 1) {
    D2L_CHECK(y_hat.dim() == 2, "accuracy: y_hat must be examples x classes, got shape ", shape_str(y_hat.shape()));
    const std::int64_t n = y_hat.size(0), c = y_hat.size(1);
    D2L_CHECK(t.numel() == n, "accuracy: y_hat has ", n, " rows (shape ", shape_str(y_hat.shape()), ") but y has ",
              t.numel(), " labels (shape ", shape_str(y.shape()), ")");
    D2L_CHECK(p.dtype() != kBool, "accuracy: y_hat holds bools; expected class scores");
    D2L_DISPATCH_NUMERIC(p.dtype(), [&] {
      const scalar_t* row = p.data_ptr<scalar_t>();
      if (t.dtype() == kInt64) {  // the usual case, read without conversions
        const std::int64_t* labels = t.data_ptr<std::int64_t>();
        for (std::int64_t i = 0; i < n; ++i, row += c) correct += argmax_row(row, c) == labels[i];
      } else {
        for (std::int64_t i = 0; i < n; ++i, row += c)
          correct += matches(static_cast<double>(argmax_row(row, c)), value_at(t, i), t.dtype());
      }
    });
  } else {
    // One prediction per example. (The course's code would broadcast an n x 1 y_hat against
    // an n-vector y into n x n; comparing element by element is what it means.)
    D2L_CHECK(p.numel() == t.numel(), "accuracy: y_hat has shape ", shape_str(y_hat.shape()), " but y has shape ",
              shape_str(y.shape()), "; expected one prediction per label");
    for (std::int64_t i = 0, n = p.numel(); i < n; ++i) correct += matches(value_at(p, i), value_at(t, i), t.dtype());
  }
  return static_cast<double>(correct);
}

double evaluate_accuracy(const Net& net, const data::DataLoader& data_iter) {
  EvalMode eval_mode(net.module());  // set the model to evaluation mode
  NoGradGuard no_grad;
  Accumulator metric(2);  // correct predictions, predictions
  for (const auto& [X, y] : data_iter) metric.add(accuracy(net(X), y), y.numel());
  return metric[1] > 0 ? metric[0] / metric[1] : 0.0;
}

EpochResult train_epoch_ch3(const Net& net, const data::DataLoader& train_iter, const Loss& loss,
                            const Updater& updater, ProgressBar* progress) {
  if (net.module()) net.module()->train();  // set the model to training mode
  Accumulator metric(3);  // sum of training loss, correct predictions, examples
  std::int64_t step = 0;
  for (const auto& [X, y] : train_iter) {
    ++step;
    const Tensor y_hat = net(X);
    const Tensor l = loss(y_hat, y);
    const std::int64_t batch_size = X.dim() > 0 ? X.size(0) : 1;
    D2L_CHECK(l.defined() && l.numel() == batch_size, "train_epoch_ch3: the loss returned ",
              l.defined() ? shape_str(l.shape()) : "nothing", " for a batch of ", batch_size,
              " examples; it must return one loss per example (reduction 'none')");
    const double loss_sum = sum_values(l);
    check_loss(loss_sum, 0, step);  // train_ch3 adds the epoch
    if (optim::Optimizer* optimizer = updater.optimizer()) {
      optimizer->zero_grad();
      l.mean().backward();
      optimizer->step();
    } else {
      l.sum().backward();
      updater(batch_size);
    }
    metric.add(loss_sum, accuracy(y_hat, y), y.numel());
    if (progress) progress->step();
  }
  // Return the training loss and training accuracy
  if (metric[2] == 0) return {};
  return {metric[0] / metric[2], metric[1] / metric[2]};
}

std::vector<EpochRecord> train_ch3(const Net& net, const data::DataLoader& train_iter,
                                   const data::DataLoader& test_iter, const Loss& loss, int num_epochs,
                                   const Updater& updater, const TrainOptions& options) {
  D2L_CHECK(num_epochs >= 0, "train_ch3: num_epochs must be >= 0, got ", num_epochs);
  ProgressBar bar(options.progress && !options.quiet);
  std::vector<EpochRecord> records;
  Timer timer;
  for (int epoch = 1; epoch <= num_epochs; ++epoch) {
    EpochRecord r;
    r.epoch = epoch;
    bar.start(format("epoch %d/%d", epoch, num_epochs), train_iter.size());
    timer.start();
    EpochResult train_metrics;
    try {
      train_metrics = train_epoch_ch3(net, train_iter, loss, updater, &bar);
    } catch (const TrainingDiverged& e) {
      bar.finish();
      throw TrainingDiverged(e.loss, epoch, e.step);
    }
    r.seconds = timer.stop();
    bar.finish();
    timer.start();
    r.test_acc = evaluate_accuracy(net, test_iter);
    r.eval_seconds = timer.stop();
    r.train_loss = train_metrics.train_loss;
    r.train_acc = train_metrics.train_acc;
    records.push_back(r);

    if (!options.quiet)
      (options.log ? *options.log : std::cout)
          << format("epoch %d, loss %.4f, train acc %.3f, test acc %.3f\n", epoch, r.train_loss, r.train_acc,
                    r.test_acc)
          << std::flush;
    if (options.metrics)
      options.metrics->history.push_back({{"epoch", epoch},
                                          {"train_loss", r.train_loss},
                                          {"train_acc", r.train_acc},
                                          {"test_acc", r.test_acc},
                                          {"seconds", r.seconds},
                                          {"eval_seconds", r.eval_seconds}});
    // Redrawn every epoch, as the course's Animator does.
    if (!options.plot.empty()) plot_ch3(options.plot, records, num_epochs, options.ylim);
  }
  return records;
}

void plot_ch3(const std::string& path, const std::vector<EpochRecord>& records, int num_epochs,
              const std::optional<std::array<double, 2>>& ylim) {
  std::vector<Series> series = {{"train loss", {}, {}}, {"train acc", {}, {}}, {"test acc", {}, {}}};
  for (const auto& r : records) {
    const double values[] = {r.train_loss, r.train_acc, r.test_acc};
    for (std::size_t k = 0; k < series.size(); ++k) {
      series[k].x.push_back(r.epoch);
      series[k].y.push_back(values[k]);
    }
  }
  // A single point draws no line.
  if (records.size() == 1)
    for (auto& s : series) s.scatter = true;
  PlotOptions o;
  o.xlabel = "epoch";
  if (num_epochs > 1) o.xlim = std::array<double, 2>{1.0, static_cast<double>(num_epochs)};
  if (ylim) {
    auto lim = *ylim;
    for (const auto& s : series)
      for (double v : s.y)
        if (std::isfinite(v)) lim = {std::min(lim[0], v), std::max(lim[1], v)};
    o.ylim = lim;
  }
  save_plot(path, series, o);
}

}  // namespace d2l::train
