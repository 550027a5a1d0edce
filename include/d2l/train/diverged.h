#pragma once
// A run whose loss stops being a finite number has diverged: going on only spends time
// turning every parameter into nan. Training loops check each step's loss and stop with
// one line saying where, e.g. "training diverged: the loss is nan at epoch 3, step 17; use a
// lower learning rate".
#include <cmath>
#include <cstdint>
#include <string>

#include "d2l/error.h"

namespace d2l::train {

struct TrainingDiverged : Error {
  // epoch 0: not known where thrown (an epoch function; its caller adds it). step 0: the
  // epoch's mean loss rather than one step's.
  TrainingDiverged(double loss_value, int epoch_number, std::int64_t step_number)
      : Error(message(loss_value, epoch_number, step_number)), loss(loss_value), epoch(epoch_number),
        step(step_number) {}
  double loss;
  int epoch;
  std::int64_t step;

  static std::string message(double loss, int epoch, std::int64_t step) {
    const std::string value = std::isnan(loss) ? "nan" : std::isinf(loss) ? (loss > 0 ? "inf" : "-inf") : "";
    std::string where;
    if (epoch > 0) where += "epoch " + std::to_string(epoch);
    if (step > 0) where += (where.empty() ? "step " : ", step ") + std::to_string(step);
    const std::string what = value.empty() ? detail::concat("the mean loss is ", loss, ", too large for a finite "
                                                            "perplexity")
                                           : "the loss is " + value;
    return "training diverged: " + what + (where.empty() ? "" : " at " + where) + "; use a lower learning rate";
  }
};

// Throws TrainingDiverged unless `loss` is finite.
inline void check_loss(double loss, int epoch, std::int64_t step) {
  if (!std::isfinite(loss)) throw TrainingDiverged(loss, epoch, step);
}

}  // namespace d2l::train
