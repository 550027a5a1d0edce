// Elementwise functions. Where the derivative is cheaper from the output (exp, tanh,
// sigmoid, sqrt), the backward keeps the output, not the input.
#include <cmath>

#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;
using kernels::Unary;

namespace {

Tensor unary_forward(Unary op, const Tensor& a, bool needs_float) {
  const Tensor in = needs_float && !is_floating(a.dtype()) ? detail::cast(a, kFloat32) : a;
  Tensor out = empty(in.shape(), in.dtype());
  kernels::unary(op, in, out);
  return out;
}

}  // namespace

Tensor neg(const Tensor& a) {
  return record(unary_forward(Unary::Neg, a, false), "NegBackward0", {a},
                [](const Tensor& g, const Node&) { return autograd::Grads{neg(g)}; });
}

Tensor exp(const Tensor& a) {
  Tensor out = unary_forward(Unary::Exp, a, true);
  return record(out, "ExpBackward0", {a}, {out},
                [out = out.detach()](const Tensor& g, const Node&) { return autograd::Grads{g * out}; });
}

Tensor log(const Tensor& a) {
  return record(unary_forward(Unary::Log, a, true), "LogBackward0", {a}, {a},
                [a](const Tensor& g, const Node&) { return autograd::Grads{g / a}; });
}

Tensor sqrt(const Tensor& a) {
  Tensor out = unary_forward(Unary::Sqrt, a, true);
  return record(out, "SqrtBackward0", {a}, {out},
                [out = out.detach()](const Tensor& g, const Node&) { return autograd::Grads{g / (out * 2.0)}; });
}

Tensor abs(const Tensor& a) {
  return record(unary_forward(Unary::Abs, a, false), "AbsBackward0", {a}, {a}, [a](const Tensor& g, const Node&) {
    // sign(a), with sign(0) = 0 as in PyTorch
    const Tensor zero = zeros({}, a.dtype());
    Tensor sign = gt(a, zero).to(g.dtype()) - lt(a, zero).to(g.dtype());
    return autograd::Grads{g * sign};
  });
}

Tensor tanh(const Tensor& a) {
  Tensor out = unary_forward(Unary::Tanh, a, true);
  return record(out, "TanhBackward0", {a}, {out}, [out = out.detach()](const Tensor& g, const Node&) {
    Tensor grad_in = empty(g.shape(), g.dtype());
    kernels::tanh_backward(g.contiguous(), detail::cast(out, g.dtype()), grad_in);
    return autograd::Grads{grad_in};
  });
}

Tensor sigmoid(const Tensor& a) {
  Tensor out = unary_forward(Unary::Sigmoid, a, true);
  return record(out, "SigmoidBackward0", {a}, {out}, [out = out.detach()](const Tensor& g, const Node&) {
    Tensor grad_in = empty(g.shape(), g.dtype());
    kernels::sigmoid_backward(g.contiguous(), detail::cast(out, g.dtype()), grad_in);
    return autograd::Grads{grad_in};
  });
}

Tensor relu(const Tensor& a) {
  Tensor out = unary_forward(Unary::Relu, a, false);
  return record(out, "ReluBackward0", {a}, {out}, [out = out.detach()](const Tensor& g, const Node&) {
    Tensor grad_in = empty(g.shape(), g.dtype());
    kernels::relu_backward(g.contiguous(), detail::cast(out, g.dtype()), grad_in);
    return autograd::Grads{grad_in};
  });
}

Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max) {
  D2L_CHECK(min || max, "clamp: at least one of 'min' or 'max' must not be None");
  D2L_CHECK(!(min && std::isnan(*min)) && !(max && std::isnan(*max)), "clamp: bounds must not be NaN");
  const double lo = min.value_or(-INFINITY), hi = max.value_or(INFINITY);
  // A fractional bound lifts an integer tensor to float32, as in PyTorch (clamp(arange(5), 1.5,
  // 3.5) is [1.5, 1.5, 2, 3, 3.5]); in int64 the bound would be truncated.
  auto fractional = [](double v) { return std::isfinite(v) && v != std::floor(v); };
  const bool lift = !is_floating(a.dtype()) && (fractional(lo) || fractional(hi));
  Tensor out = empty(a.shape(), lift ? kFloat32 : a.dtype());
  kernels::clamp(lift ? detail::cast(a, kFloat32) : a, lo, hi, out);
  return record(out, "ClampBackward1", {a}, {a}, [a, lo, hi](const Tensor& g, const Node&) {
    // Gradient passes where the input lies inside [min, max].
    Tensor inside = empty(a.shape(), kBool);
    kernels::binary_scalar(kernels::Binary::Ge, a, lo, inside);
    Tensor below_hi = empty(a.shape(), kBool);
    kernels::binary_scalar(kernels::Binary::Le, a, hi, below_hi);
    return autograd::Grads{g * inside.to(g.dtype()) * below_hi.to(g.dtype())};
  });
}

Tensor Tensor::exp() const { return d2l::exp(*this); }
Tensor Tensor::log() const { return d2l::log(*this); }
Tensor Tensor::sqrt() const { return d2l::sqrt(*this); }
Tensor Tensor::abs() const { return d2l::abs(*this); }
Tensor Tensor::tanh() const { return d2l::tanh(*this); }
Tensor Tensor::sigmoid() const { return d2l::sigmoid(*this); }
Tensor Tensor::relu() const { return d2l::relu(*this); }
Tensor Tensor::neg() const { return d2l::neg(*this); }
Tensor Tensor::pow(double exponent) const { return d2l::pow(*this, exponent); }
Tensor Tensor::clamp(std::optional<double> min, std::optional<double> max) const { return d2l::clamp(*this, min, max); }

}  // namespace d2l
