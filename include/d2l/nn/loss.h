#pragma once
// Loss functions, as modules (nn::MSELoss) and as functions (nn::functional::mse_loss).
#include <string>

#include "d2l/nn/module.h"

namespace d2l::nn {

enum class Reduction { None, Mean, Sum };
// "none" | "mean" | "sum", or an error naming the value.
Reduction parse_reduction(const std::string& name);
std::string reduction_name(Reduction reduction);

// Options of cross_entropy / CrossEntropyLoss, PyTorch C++ style:
//   nn::CrossEntropyLossOptions().ignore_index(-1).reduction(nn::Reduction::Sum).label_smoothing(0.1)
// weight: one value per class (float, the input's dtype), or undefined for all ones;
// ignore_index: targets equal to it add nothing and do not count in the mean (index targets only);
// label_smoothing in [0, 1]: the target becomes (1 - s) * onehot + s / C.
struct CrossEntropyLossOptions {
  CrossEntropyLossOptions& weight(const Tensor& v) { weight_ = v; return *this; }
  CrossEntropyLossOptions& ignore_index(std::int64_t v) { ignore_index_ = v; return *this; }
  CrossEntropyLossOptions& reduction(Reduction v) { reduction_ = v; return *this; }
  CrossEntropyLossOptions& reduction(const std::string& v) { reduction_ = parse_reduction(v); return *this; }
  CrossEntropyLossOptions& label_smoothing(double v) { label_smoothing_ = v; return *this; }
  Tensor weight_;
  std::int64_t ignore_index_ = -100;
  Reduction reduction_ = Reduction::Mean;
  double label_smoothing_ = 0.0;
};

namespace functional {
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
// (input - target)^2, reduced. Shapes must match exactly (no silent broadcasting).
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
// Cross entropy of logits (N, C) against int64 class indices (N) in [0, C) (or logits (C) and a
// 0-d target): log_softmax and the pick fused into one stable pass and one backward node,
// whose gradient is (softmax - onehot) times the upstream (divided by N for the mean).
Tensor cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
// torch.nn.functional.cross_entropy with every option: input (C), (N, C) or (N, C, d1, ...);
// target int64 class indices (), (N) or (N, d1, ...), or class probabilities of the input's
// shape. Formulas, gradients and errors as PyTorch 1.13; the plain case (no weight, no
// smoothing, index targets, nothing ignored, input (N, C)) takes the fused pass above.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& options);
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

// Called as loss(logits, target), like MSELoss; prints as "CrossEntropyLoss()" whatever its
// options (as PyTorch does). The class weight, when given, is the buffer "weight".
class CrossEntropyLoss : public Module {
 public:
  explicit CrossEntropyLoss(Reduction r = Reduction::Mean) : CrossEntropyLoss(CrossEntropyLossOptions().reduction(r)) {}
  explicit CrossEntropyLoss(const std::string& r) : CrossEntropyLoss(parse_reduction(r)) {}
  explicit CrossEntropyLoss(CrossEntropyLossOptions options);
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  std::string type_name() const override { return "CrossEntropyLoss"; }
  CrossEntropyLossOptions options;
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
