#include "d2l/nn/loss.h"

#include "d2l/ops.h"

namespace d2l::nn {

Reduction parse_reduction(const std::string& name) {
  if (name == "none") return Reduction::None;
  if (name == "mean") return Reduction::Mean;
  if (name == "sum") return Reduction::Sum;
  throw Error("'" + name + "' is not a valid value for reduction (expected none, mean or sum)");
}

std::string reduction_name(Reduction reduction) {
  switch (reduction) {
    case Reduction::None: return "none";
    case Reduction::Mean: return "mean";
    case Reduction::Sum: return "sum";
  }
  return "";
}

static Tensor reduce(const Tensor& loss, Reduction reduction) {
  switch (reduction) {
    case Reduction::None: return loss;
    case Reduction::Sum: return sum(loss);
    case Reduction::Mean: break;
  }
  return mean(loss);
}

Tensor functional::mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  D2L_CHECK(input.shape() == target.shape(), "mse_loss: input shape ", shape_str(input.shape()),
            " and target shape ", shape_str(target.shape()),
            " differ; reshape the target (e.g. y.view({-1, 1})) so they match");
  const Tensor diff = input - target;
  return reduce(diff * diff, reduction);
}

Tensor MSELoss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::mse_loss(input, target, reduction);
}

}  // namespace d2l::nn
