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
// Cross entropy of logits (N, C) against int64 class indices (N) in [0, C) (or logits (C) and a
// 0-d target): log_softmax and the pick fused into one stable pass and one backward node,
// whose gradient is (softmax - onehot) times the upstream (divided by N for the mean).
Tensor cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
// Negative log-likelihood of log-probabilities (N, C) at int64 class indices (N): -input[i, target[i]].
Tensor nll_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
}  // namespace functional

class MSELoss : public Module {
 public:
  explicit MSELoss(Reduction r = Reduction::Mean) : reduction(r) {}
  explicit MSELoss(const std::string& r) : reduction(parse_reduction(r)) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  std::string type_name() const override { return "MSELoss"; }
  Reduction reduction;
};

// Called as loss(logits, target), like MSELoss; prints as "CrossEntropyLoss()".
class CrossEntropyLoss : public Module {
 public:
  explicit CrossEntropyLoss(Reduction r = Reduction::Mean) : reduction(r) {}
  explicit CrossEntropyLoss(const std::string& r) : reduction(parse_reduction(r)) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  std::string type_name() const override { return "CrossEntropyLoss"; }
  Reduction reduction;
};

class NLLLoss : public Module {
 public:
  explicit NLLLoss(Reduction r = Reduction::Mean) : reduction(r) {}
  explicit NLLLoss(const std::string& r) : reduction(parse_reduction(r)) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  std::string type_name() const override { return "NLLLoss"; }
  Reduction reduction;
};

}  // namespace d2l::nn
