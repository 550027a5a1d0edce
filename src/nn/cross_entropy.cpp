// cross_entropy and nll_loss: each one pass over the (N, C) rows and one backward node.
// cross_entropy fuses log_softmax and the pick, so it needs neither a (N, C) log-probability
// tensor nor a one-hot matrix, and stays finite for logits of any size.
#include <limits>
#include <utility>
#include <vector>

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
    D2L_CHECK(t[i] >= 0 && t[i] < r.classes, op, ": Target ", t[i], " is out of bounds. (", r.classes,
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

namespace {

// The fused pass of the plain case over rows already checked.
Tensor fused_cross_entropy(const Tensor& input, const Tensor& target, const Rows& r, Reduction reduction) {
  const DType dtype = input.dtype();
  Tensor exps = empty({r.n, r.classes}, dtype), sums = empty({r.n}, dtype), losses = empty({r.n}, dtype);
  kernels::cross_entropy(r.input, r.target.data_ptr<std::int64_t>(), exps, sums, losses);
  Tensor out = reduce(losses, reduction, target.shape());
  // PyTorch's graph ends in NllLossBackward0 (after LogSoftmaxBackward0); this one node does both.
  return autograd::record(out, "NllLossBackward0", {input}, {target},
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

}  // namespace

Tensor functional::cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction) {
  // The plain case, unless a target equals the default ignore_index (-100), which PyTorch skips.
  const bool rows = (input.dim() == 2 && target.dim() == 1 && target.size(0) == input.size(0)) ||
                    (input.dim() == 1 && target.dim() == 0);
  if (rows && target.dtype() == kInt64) {
    bool ignored = false;
    const Tensor t = target.contiguous();
    const std::int64_t* p = t.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < t.numel() && !ignored; ++i) ignored = p[i] == -100;
    if (!ignored) return fused_cross_entropy(input, target, check_rows(input, target, "cross_entropy"), reduction);
  }
  return cross_entropy(input, target, CrossEntropyLossOptions().reduction(reduction));
}

namespace {

// PyTorch's names of the scalar types, for messages worded as its own.
const char* torch_type(DType dtype) {
  switch (dtype) {
    case kBool: return "Bool";
    case kInt64: return "Long";
    case kFloat32: return "Float";
    case kFloat64: return "Double";
  }
  return "?";
}

// (N, C, d1, ...) -> (N * d1 * ..., C), class dim last; (C) -> (1, C).
Tensor class_rows(const Tensor& x) {
  if (x.dim() == 1) return x.reshape({1, x.size(0)});
  if (x.dim() == 2) return x;
  Shape perm{0};
  for (std::int64_t d = 2; d < x.dim(); ++d) perm.push_back(d);
  perm.push_back(1);
  return x.permute(perm).reshape({-1, x.size(1)});
}

// Sum of the row losses divided by `denominator` (PyTorch's total weight); 0 / 0 is nan,
// with a zero gradient, as PyTorch's nll_loss gives when every target is ignored.
Tensor reduce_rows(const Tensor& rows, Reduction reduction, double denominator, const Shape& none_shape) {
  if (reduction == Reduction::None) return rows.reshape(none_shape);
  Tensor total = sum(rows);
  if (reduction == Reduction::Sum) return total;
  if (denominator == 0.0) return total + std::numeric_limits<double>::quiet_NaN();
  return total / denominator;
}

void check_weight(const Tensor& weight, const Tensor& input, std::int64_t classes, const char* prefix) {
  if (!weight.defined()) return;
  D2L_CHECK(weight.dim() == 1 && weight.numel() == classes, prefix, "weight tensor should be defined either for all ",
            classes, " classes or no classes but got weight tensor of shape: ", shape_str(weight.shape()));
  D2L_CHECK(weight.dtype() == input.dtype(), "cross_entropy: expected scalar type ", torch_type(input.dtype()),
            " but found ", torch_type(weight.dtype()), " (weight is ", dtype_name(weight.dtype()), ", input is ",
            dtype_name(input.dtype()), ")");
}

// Class-probability targets of the input's shape:
//   loss_r = -sum_c w_c * log_softmax(x)_rc * ((1 - s) * p_rc + s / C); the mean divides by the rows.
Tensor cross_entropy_probs(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& o) {
  D2L_CHECK(is_floating(target.dtype()), "cross_entropy: Expected floating point type for target with class "
            "probabilities, got ", torch_type(target.dtype()), " (input and target both have shape ",
            shape_str(input.shape()), "; class indices have no class dim)");
  D2L_CHECK(o.ignore_index_ < 0, "cross_entropy: ignore_index is not supported for floating point target (got "
            "ignore_index=", o.ignore_index_, ")");
  D2L_CHECK(input.dim() >= 1, "cross_entropy: Expected 1 or more dimensions (got ", input.dim(), ")");
  const std::int64_t classes = input.dim() == 1 ? input.size(0) : input.size(1);
  check_weight(o.weight_, input, classes, "cross_entropy: ");
  const double s = o.label_smoothing_;
  D2L_CHECK(s <= 1.0, "cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: ", s);
  const Tensor logp = log_softmax(class_rows(input), 1);
  Tensor p = class_rows(target.dtype() == input.dtype() ? target : target.to(promote_types(target.dtype(), input.dtype())));
  if (s > 0.0) p = p * (1.0 - s) + s / static_cast<double>(classes);
  if (o.weight_.defined()) p = p * o.weight_.view({1, classes});
  const Tensor rows = -sum(logp * p, {1});
  Shape none_shape = input.shape();
  none_shape.erase(none_shape.begin() + (input.dim() == 1 ? 0 : 1));
  return reduce_rows(rows, o.reduction_, static_cast<double>(rows.numel()), none_shape);
}

}  // namespace

Tensor functional::cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& o) {
  D2L_CHECK(is_floating(input.dtype()), "cross_entropy: input must be floating point, got ", dtype_name(input.dtype()));
  if (input.shape() == target.shape()) return cross_entropy_probs(input, target, o);
  const double s = o.label_smoothing_;
  D2L_CHECK(s <= 1.0, "cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: ", s);
  // nll_loss_nd's checks, in its order and words (the shapes follow in parentheses).
  const std::string shapes = " (input shape " + shape_str(input.shape()) + ", target shape " + shape_str(target.shape()) + ")";
  D2L_CHECK(input.dim() >= 1, "cross_entropy: Expected 1 or more dimensions (got ", input.dim(), ")");
  D2L_CHECK(input.dim() == 1 || target.dim() == 0 || input.size(0) == target.size(0),
            "cross_entropy: Expected input batch_size (", input.size(0), ") to match target batch_size (",
            target.dim() == 0 ? 0 : target.size(0), ")." , shapes);
  if (input.dim() <= 2) {
    D2L_CHECK(target.dim() <= 1, "cross_entropy: 0D or 1D target tensor expected, multi-target not supported", shapes);
    D2L_CHECK((input.dim() == 1 && target.dim() == 0) || (target.dim() == 1 && input.size(0) == target.size(0)),
              "cross_entropy: size mismatch (got input: ", shape_str(input.shape()),
              ", target: ", shape_str(target.shape()), ")");
  } else if (input.dim() == 4) {
    D2L_CHECK(target.dim() == 3, "cross_entropy: only batches of spatial targets supported (3D tensors) but got "
              "targets of dimension: ", target.dim(), shapes);
    D2L_CHECK(target.size(0) == input.size(0) && target.size(1) == input.size(2) && target.size(2) == input.size(3),
              "cross_entropy: size mismatch (got input: ", shape_str(input.shape()),
              " , target: ", shape_str(target.shape()));
  } else {
    Shape want{input.size(0)};
    for (std::int64_t d = 2; d < input.dim(); ++d) want.push_back(input.size(d));
    D2L_CHECK(target.shape() == want, "cross_entropy: Expected target size ", shape_str(want), ", got ",
              shape_str(target.shape()));
  }
  const std::int64_t classes = input.dim() == 1 ? input.size(0) : input.size(1);
  check_weight(o.weight_, input, classes, "cross_entropy: ");
  D2L_CHECK(target.dtype() == kInt64, "cross_entropy: expected scalar type Long but found ",
            torch_type(target.dtype()), " (target must hold int64 class indices", shapes, "; convert with .to(kInt64)");

  // Row r's coefficients a_rc, so that loss_r = -sum_c a_rc * log_softmax(x)_rc:
  //   a_rc = (1 - s) * w_t [c == t] + s / C * w_c   (w = weight or ones; 0 for an ignored row)
  // and the mean divides by sum_r w_t over the rows not ignored (PyTorch 1.13's, smoothing included).
  const Tensor t = target.contiguous();
  const std::int64_t* tp = t.data_ptr<std::int64_t>();
  const std::int64_t rows = t.numel();
  const DType dtype = input.dtype();
  std::vector<double> w(static_cast<std::size_t>(classes), 1.0);
  if (o.weight_.defined()) w = o.weight_.to_vector<double>();
  std::vector<double> a(static_cast<std::size_t>(rows * classes), 0.0);
  double total_weight = 0.0;
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t c = tp[r];
    if (c == o.ignore_index_) continue;
    D2L_CHECK(c >= 0 && c < classes, "cross_entropy: Target ", c, " is out of bounds. (", classes,
              " classes: expected a class index in [0, ", classes, ") or ignore_index ", o.ignore_index_, ")");
    double* ar = a.data() + r * classes;
    ar[c] += (1.0 - s) * w[static_cast<std::size_t>(c)];
    if (s > 0.0)
      for (std::int64_t k = 0; k < classes; ++k) ar[k] += s / static_cast<double>(classes) * w[static_cast<std::size_t>(k)];
    total_weight += w[static_cast<std::size_t>(c)];
  }
  // Same order of dims as class_rows(input): (N, d1, ...) flattened row-major.
  const Tensor coeff = from_vector(a, {rows, classes}).to(dtype);
  const Tensor loss_rows = -sum(log_softmax(class_rows(input), 1) * coeff, {1});
  return reduce_rows(loss_rows, o.reduction_, total_weight, target.shape());
}

Tensor functional::nll_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  const Rows r = check_rows(input, target, "nll_loss");
  Tensor losses = empty({r.n}, input.dtype());
  kernels::nll_loss(r.input, r.target.data_ptr<std::int64_t>(), losses);
  Tensor out = reduce(losses, reduction, target.shape());
  return autograd::record(out, "NllLossBackward0", {input}, {target},
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

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyLossOptions o) : options(std::move(o)) {
  if (options.weight_.defined()) options.weight_ = register_buffer("weight", options.weight_);
}

Tensor CrossEntropyLoss::operator()(const Tensor& input, const Tensor& target) const {
  if (!options.weight_.defined() && options.ignore_index_ == -100 && options.label_smoothing_ == 0.0)
    return functional::cross_entropy(input, target, options.reduction_);
  return functional::cross_entropy(input, target, options);
}

Tensor NLLLoss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::nll_loss(input, target, reduction);
}

}  // namespace d2l::nn
