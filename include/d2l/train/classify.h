#pragma once
// The course's classification training helpers (chapter 3): accuracy, evaluate_accuracy,
// train_epoch_ch3 and train_ch3, for any network and any per-example loss.
#include <array>
#include <concepts>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "d2l/data/dataloader.h"
#include "d2l/nn/module.h"
#include "d2l/optim/optimizer.h"
#include "d2l/tensor.h"
#include "d2l/train/diverged.h"
#include "d2l/train/metrics.h"

namespace d2l::train {

class ProgressBar;

// The number of correct predictions, as a double (d2l.accuracy): the argmax over dim 1 when
// y_hat is 2-D with more than one column (ties go to the first, as argmax), else y_hat
// itself converted to y's dtype, compared with y element by element.
double accuracy(const Tensor& y_hat, const Tensor& y);

// What to train: an nn::Module (put in train or eval mode as the course does) or any
// function of a batch (the scratch chapter's `net`). Converts implicitly from either, so
// calls read as in Python: train_ch3(net, ...).
class Net {
 public:
  template <class M>
    requires std::derived_from<M, nn::Module>
  Net(std::shared_ptr<M> module) : module_(std::move(module)) {}
  Net(nn::Module& module) : module_(std::shared_ptr<nn::Module>(), &module) {}  // not owned
  template <class F>
    requires std::is_invocable_r_v<Tensor, F&, const Tensor&> &&
             (!std::is_base_of_v<nn::Module, std::remove_cvref_t<F>>)
  Net(F function) : function_(std::move(function)) {}

  Tensor operator()(const Tensor& X) const { return module_ ? module_->forward(X) : function_(X); }
  // The module, or null for a plain function.
  nn::Module* module() const { return module_.get(); }

 private:
  std::shared_ptr<nn::Module> module_;
  std::function<Tensor(const Tensor&)> function_;
};

// How parameters are updated after a batch: an optim::Optimizer (zero_grad, mean loss
// backward, step) or the scratch chapter's `updater(batch_size)` (sum loss backward, then
// the call, which also clears the gradients).
class Updater {
 public:
  Updater(optim::Optimizer& optimizer) : optimizer_(&optimizer) {}  // not owned
  template <class F>
    requires std::is_invocable_v<F&, std::int64_t> && (!std::is_base_of_v<optim::Optimizer, std::remove_cvref_t<F>>)
  Updater(F function) : function_(std::move(function)) {}

  optim::Optimizer* optimizer() const { return optimizer_; }
  void operator()(std::int64_t batch_size) const { function_(batch_size); }

 private:
  optim::Optimizer* optimizer_ = nullptr;
  std::function<void(std::int64_t)> function_;
};

// Puts a module (if any) in eval mode for a scope, and back in the mode it had however the
// scope ends.
class EvalMode {
 public:
  explicit EvalMode(nn::Module* module) : module_(module), was_training_(module && module->is_training()) {
    if (module_) module_->eval();
  }
  ~EvalMode() {
    if (module_) module_->train(was_training_);
  }
  EvalMode(const EvalMode&) = delete;
  EvalMode& operator=(const EvalMode&) = delete;

 private:
  nn::Module* module_;
  bool was_training_;
};

// A loss returning one value per example (reduction 'none').
using Loss = std::function<Tensor(const Tensor& y_hat, const Tensor& y)>;

// The fraction of correct predictions over a DataLoader; a module runs in eval mode (its
// previous mode is restored) and no graph is recorded.
double evaluate_accuracy(const Net& net, const data::DataLoader& data_iter);

struct EpochResult {
  double train_loss = 0;  // mean loss per example
  double train_acc = 0;
};

// One pass over train_iter (a module is put in train mode); `progress`, if given, is told
// after each batch.
EpochResult train_epoch_ch3(const Net& net, const data::DataLoader& train_iter, const Loss& loss,
                            const Updater& updater, ProgressBar* progress = nullptr);

struct EpochRecord {
  int epoch = 0;  // 1-based
  double train_loss = 0, train_acc = 0, test_acc = 0;
  double seconds = 0;       // training
  double eval_seconds = 0;  // the test-set evaluation
};

struct TrainOptions {
  // Where the "epoch 1, loss 0.7878, train acc 0.749, test acc 0.794" lines go (null: std::cout).
  std::ostream* log = nullptr;
  bool quiet = false;  // no lines, no progress bar
  // A progress bar on stderr during each epoch, when stderr is a terminal.
  bool progress = true;
  Metrics* metrics = nullptr;  // gets one history entry per epoch
  // An SVG of the curves, as the course's Animator draws them; empty: none.
  std::string plot;
  // The plot's y range: the course's [0.3, 0.9], widened to take in any value outside it;
  // unset: fitted to the data.
  std::optional<std::array<double, 2>> ylim = std::array<double, 2>{0.3, 0.9};
};

// d2l.train_ch3: per epoch, train_epoch_ch3 then the test accuracy.
std::vector<EpochRecord> train_ch3(const Net& net, const data::DataLoader& train_iter,
                                   const data::DataLoader& test_iter, const Loss& loss, int num_epochs,
                                   const Updater& updater, const TrainOptions& options = {});

// The curves of train_ch3's records (x: epoch; train loss, train acc, test acc) as an SVG.
void plot_ch3(const std::string& path, const std::vector<EpochRecord>& records, int num_epochs,
              const std::optional<std::array<double, 2>>& ylim);

}  // namespace d2l::train
