#pragma once
// torch.nn.utils.clip_grad_norm_: gradient clipping by their joint norm.
#include <vector>

#include "d2l/tensor.h"

namespace d2l::optim {

// Scales the gradients of `params` (those that have one) in place by
// max_norm / (total_norm + 1e-6) when that is below 1, where total_norm is the norm_type-norm
// of all of them together (as if concatenated; norm_type may be INFINITY). Returns total_norm
// (0 when no parameter has a gradient). A non-finite norm turns the gradients to NaN, as torch's does.
double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0);

}  // namespace d2l::optim
