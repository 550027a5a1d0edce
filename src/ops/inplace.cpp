// In-place elementwise functions (exp_, relu_, ...): the out-of-place kernels writing
// into the tensor itself. Like every in-place op here they record no graph.
#include "ops/ops_util.h"

namespace d2l {

using kernels::Unary;

static Tensor& unary_inplace(Tensor& self, Unary op, const char* name) {
  detail::check_inplace(self, name);
  const bool needs_float = op != Unary::Neg && op != Unary::Abs && op != Unary::Relu;
  D2L_CHECK(!needs_float || is_floating(self.dtype()), name, ": result type Float can't be cast to the desired output type ",
            dtype_name(self.dtype()));
  kernels::unary(op, self, self);
  return self;
}

Tensor& Tensor::neg_() { return unary_inplace(*this, Unary::Neg, "neg_"); }
Tensor& Tensor::exp_() { return unary_inplace(*this, Unary::Exp, "exp_"); }
Tensor& Tensor::log_() { return unary_inplace(*this, Unary::Log, "log_"); }
Tensor& Tensor::sqrt_() { return unary_inplace(*this, Unary::Sqrt, "sqrt_"); }
Tensor& Tensor::abs_() { return unary_inplace(*this, Unary::Abs, "abs_"); }
Tensor& Tensor::tanh_() { return unary_inplace(*this, Unary::Tanh, "tanh_"); }
Tensor& Tensor::sigmoid_() { return unary_inplace(*this, Unary::Sigmoid, "sigmoid_"); }
Tensor& Tensor::relu_() { return unary_inplace(*this, Unary::Relu, "relu_"); }

Tensor& Tensor::pow_(double exponent) {
  detail::check_inplace(*this, "pow_");
  kernels::binary_scalar(kernels::Binary::Pow, *this, exponent, *this);
  return *this;
}

}  // namespace d2l
