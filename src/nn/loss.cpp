#include "d2l/nn/loss.h"

#include <algorithm>

#include "d2l/autograd.h"

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

Tensor functional::mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  D2L_CHECK(input.shape() == target.shape(), "mse_loss: input shape ", shape_str(input.shape()),
            " and target shape ", shape_str(target.shape()),
            " differ; reshape the target (e.g. y.view({-1, 1})) so they match");
  if (reduction == Reduction::None) {
    const Tensor diff = input - target;
    return diff * diff;
  }
  // Reduced: one fused node (PyTorch's MseLossBackward0) instead of sub, mul and mean, which
  // matters for small models whose step time is all per-op overhead.
  const Tensor diff = input.detach() - target.detach();
  Tensor out = sum(diff * diff);
  const double n = static_cast<double>(std::max<std::int64_t>(diff.numel(), 1));
  if (reduction == Reduction::Mean) out = out * (1.0 / n);
  const double scale = reduction == Reduction::Mean ? 2.0 / n : 2.0;
  return autograd::record(out, "MseLossBackward0", {input, target}, [diff, scale](const Tensor& g, const autograd::Node& node) {
    const Tensor grad_input = diff * (g * scale);  // d/dx (x - y)^2 = 2 (x - y)
    return autograd::Grads{node.needs_grad(0) ? grad_input : Tensor(), node.needs_grad(1) ? -grad_input : Tensor()};
  });
}

Tensor MSELoss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::mse_loss(input, target, reduction);
}

}  // namespace d2l::nn
