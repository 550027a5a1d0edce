#include "d2l/optim/clip_grad.h"

#include <cmath>

#include "d2l/autograd.h"
#include "kernels/cpu/kernels.h"

namespace d2l::optim {

double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type) {
  D2L_CHECK(norm_type > 0, "clip_grad_norm_: norm_type must be positive (or INFINITY), got ", norm_type);
  NoGradGuard guard;
  std::vector<Tensor> grads;
  for (const auto& p : params)
    if (p.defined() && p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return 0.0;
  // The norm of all gradients together (as if concatenated), accumulated in double.
  const bool inf = std::isinf(norm_type);
  double acc = 0;
  for (const auto& grad : grads) {
    const Tensor g = grad.contiguous();
    if (norm_type == 2) {
      acc += kernels::sum_of_squares(g);
      continue;
    }
    D2L_DISPATCH_FLOATING(g.dtype(), [&] {
      const scalar_t* x = g.data_ptr<scalar_t>();
      const std::int64_t n = g.numel();
      if (inf) {
        for (std::int64_t i = 0; i < n; ++i) {
          const double a = std::abs(static_cast<double>(x[i]));
          if (a > acc || std::isnan(a)) acc = a;
        }
      } else {
        for (std::int64_t i = 0; i < n; ++i) acc += std::pow(std::abs(static_cast<double>(x[i])), norm_type);
      }
    });
  }
  const double total = inf ? acc : (norm_type == 2 ? std::sqrt(acc) : std::pow(acc, 1 / norm_type));
  const double coef = max_norm / (total + 1e-6);
  // torch multiplies by min(coef, 1) unconditionally; skipping the factor 1 changes nothing,
  // and a NaN coefficient (a non-finite norm) still reaches the gradients, as in torch.
  if (!(coef >= 1.0))
    for (auto& g : grads) g.mul_(coef);
  return total;
}

}  // namespace d2l::optim
