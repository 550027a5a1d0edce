// cross_entropy and nll_loss: each one pass over the (N, C) rows and one backward node.
// cross_entropy fuses log_softmax and the pick, so it needs neither a (N, C) log-probability
// tensor nor a one-hot matrix, and stays finite for logits of any size.
#include "d2l/autograd.h"
#include "d2l/nn/loss.h"
#include "d2l/ops.h"
#include "kernels/cpu/classify.h"

namespace d2l::nn {

namespace {

// Logits as contiguous (N, C) and targets as contiguous int64 (N), all in [0, C).
struct Rows {
  Tensor input, target;
  std::int64_t n, classes;
};

Rows check_rows(const Tensor& input, const Tensor& target, const char* op) {
  D2L_CHECK(is_floating(input.dtype()), op, ": input must be floating point, got ", dtype_name(input.dtype()));
  D2L_CHECK(target.dtype() == kInt64, op, ": target must hold int64 class indices, got ", dtype_name(target.dtype()),
            " (input shape ", shape_str(input.shape()), ", target shape ", shape_str(target.shape()),
            "); convert with .to(kInt64)");
  const bool single = input.dim() == 1 && target.dim() == 0;  // one sample: (C) and ()
  D2L_CHECK(single || (input.dim() == 2 && target.dim() == 1 && target.size(0) == input.size(0)), op,
            ": expected input (N, C) and target (N), got input shape ", shape_str(input.shape()),
            " and target shape ", shape_str(target.shape()));
  Rows r;
  r.input = input.detach();
  if (single) r.input = r.input.view({1, input.size(0)});
  if (!r.input.is_contiguous()) r.input = r.input.contiguous();
  r.target = single ? target.reshape({1}) : target.contiguous();
  r.n = r.input.size(0);
  r.classes = r.input.size(1);
  const std::int64_t* t = r.target.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < r.n; ++i)
    D2L_CHECK(t[i] >= 0 && t[i] < r.classes, op, ": Target ", t[i], " is out of bounds (", r.classes,
              " classes: expected a class index in [0, ", r.classes, "))");
  return r;
}

// The per-row losses, reduced as asked (in double, then the input's dtype); `single` gives 0-d.
Tensor reduce(const Tensor& losses, Reduction reduction, const Shape& none_shape) {
  if (reduction == Reduction::None) return none_shape.empty() ? losses.view({}) : losses;
  const double total = D2L_DISPATCH_FLOATING(losses.dtype(), [&] {
    const scalar_t* p = losses.data_ptr<scalar_t>();
    double s = 0;
    for (std::int64_t i = 0; i < losses.numel(); ++i) s += p[i];
    return s;
  });
  const double n = static_cast<double>(losses.numel());
  return scalar_tensor(reduction == Reduction::Mean ? total / n : total, losses.dtype());
}

// How the upstream gradient weighs each row: one scale (reduced) or one value per row (none).
void upstream_factors(const Tensor& g, Reduction reduction, std::int64_t n, double& scale, Tensor& row_grad) {
  if (reduction == Reduction::None) {
    scale = 1.0;
    row_grad = g.reshape({n}).contiguous();
  } else {
    scale = g.item<double>() / (reduction == Reduction::Mean ? static_cast<double>(n) : 1.0);
  }
}

}  // namespace

Tensor functional::cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction) {
  const Rows r = check_rows(input, target, "cross_entropy");
  const DType dtype = input.dtype();
  Tensor exps = empty({r.n, r.classes}, dtype), sums = empty({r.n}, dtype), losses = empty({r.n}, dtype);
  kernels::cross_entropy(r.input, r.target.data_ptr<std::int64_t>(), exps, sums, losses);
  Tensor out = reduce(losses, reduction, target.shape());
  // PyTorch's graph ends in NllLossBackward0 (after LogSoftmaxBackward0); this one node does both.
  return autograd::record(out, "NllLossBackward0", {input},
                          [exps, sums, t = r.target, reduction, in_shape = input.shape()](const Tensor& g,
                                                                                          const autograd::Node&) {
                            double scale;
                            Tensor row_grad;
                            upstream_factors(g, reduction, exps.size(0), scale, row_grad);
                            Tensor gi = empty(exps.shape(), exps.dtype());
                            kernels::cross_entropy_backward(exps, sums, t.data_ptr<std::int64_t>(), scale, row_grad, gi);
                            return autograd::Grads{gi.shape() == in_shape ? gi : gi.view(in_shape)};
                          });
}

Tensor functional::nll_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  const Rows r = check_rows(input, target, "nll_loss");
  Tensor losses = empty({r.n}, input.dtype());
  kernels::nll_loss(r.input, r.target.data_ptr<std::int64_t>(), losses);
  Tensor out = reduce(losses, reduction, target.shape());
  return autograd::record(out, "NllLossBackward0", {input},
                          [t = r.target, reduction, in_shape = input.shape(), n = r.n, classes = r.classes,
                           dtype = input.dtype()](const Tensor& g, const autograd::Node&) {
                            double scale;
                            Tensor row_grad;
                            upstream_factors(g, reduction, n, scale, row_grad);
                            Tensor gi = empty({n, classes}, dtype);
                            kernels::nll_loss_backward(t.data_ptr<std::int64_t>(), scale, row_grad, gi);
                            return autograd::Grads{gi.shape() == in_shape ? gi : gi.view(in_shape)};
                          });
}

Tensor CrossEntropyLoss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::cross_entropy(input, target, reduction);
}

Tensor NLLLoss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::nll_loss(input, target, reduction);
}

}  // namespace d2l::nn
