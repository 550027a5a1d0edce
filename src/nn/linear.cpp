#include "d2l/nn/linear.h"

#include <cmath>

#include "d2l/nn/init.h"
#include "d2l/ops.h"

namespace d2l::nn {

Linear::Linear(std::int64_t in, std::int64_t out, bool with_bias, DType dtype) : in_features(in), out_features(out) {
  D2L_CHECK(in >= 0 && out >= 0, "Linear: in_features and out_features must be non-negative, got ", in, " and ", out);
  D2L_CHECK(is_floating(dtype), "Linear: parameters must be floating point, got ", dtype_name(dtype));
  weight = register_parameter("weight", empty({out, in}, dtype));
  if (with_bias) bias = register_parameter("bias", empty({out}, dtype));
  reset_parameters();
}

void Linear::reset_parameters() {
  // kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the bias uses the same bound.
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const double bound = in_features > 0 ? 1.0 / std::sqrt(static_cast<double>(in_features)) : 0.0;
    init::uniform_(bias, -bound, bound);
  }
}

Tensor Linear::forward(const Tensor& input) { return linear(input, weight, bias); }

std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(in_features) + ", out_features=" + std::to_string(out_features) +
         ", bias=" + (bias.defined() ? "True" : "False");
}

}  // namespace d2l::nn
