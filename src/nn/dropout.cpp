#include "d2l/nn/dropout.h"

#include "d2l/detail/python_float.h"
#include "d2l/ops.h"
#include "kernels/cpu/classify.h"

namespace d2l::nn {

static void check_probability(double p) {
  D2L_CHECK(p >= 0.0 && p <= 1.0, "dropout probability has to be between 0 and 1, but got ",
            detail::python_float_repr(p));
}

Tensor functional::dropout(const Tensor& input, double p, bool training) {
  check_probability(p);
  if (!training || p == 0.0 || input.numel() == 0) return input;
  D2L_CHECK(is_floating(input.dtype()), "dropout: expected a floating-point tensor, got ", dtype_name(input.dtype()));
  // input * mask, so the gradient is the same mask (PyTorch's graph shows MulBackward0 too).
  Tensor mask = empty(input.shape(), input.dtype());
  kernels::dropout_mask(default_generator(), p, mask);
  return input * mask;
}

Dropout::Dropout(double probability) : p(probability) { check_probability(p); }

Tensor Dropout::forward(const Tensor& input) { return functional::dropout(input, p, is_training()); }

std::string Dropout::extra_repr() const { return "p=" + detail::python_float_repr(p) + ", inplace=False"; }

}  // namespace d2l::nn
