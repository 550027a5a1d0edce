#pragma once
// Loss functions, as modules (nn::MSELoss) and as functions (nn::functional::mse_loss).
#include <string>

#include "d2l/nn/module.h"

namespace d2l::nn {

enum class Reduction { None, Mean, Sum };
// "none" | "mean" | "sum", or an error naming the value.
Reduction parse_reduction(const std::string& name);
std::string reduction_name(Reduction reduction);

namespace functional {
// (input - target)^2, reduced. Shapes must match exactly (no silent broadcasting).
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
}  // namespace functional

class MSELoss : public Module {
 public:
  explicit MSELoss(Reduction r = Reduction::Mean) : reduction(r) {}
  explicit MSELoss(const std::string& r) : reduction(parse_reduction(r)) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  std::string type_name() const override { return "MSELoss"; }
  Reduction reduction;
};

}  // namespace d2l::nn
