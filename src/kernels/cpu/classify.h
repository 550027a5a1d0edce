#pragma once
// Kernels behind the classification ops: the softmax family, the fused cross entropy and
// NLL loss, gather and its scatter-add adjoint, and dropout masks. As in kernels.h they
// allocate no tensors and trust the shapes the ops layer has checked.
#include <cstdint>

#include "d2l/random.h"
#include "d2l/tensor.h"

namespace d2l::kernels {

// For contiguous tensors, softmax-style kernels see `dim` as the middle of an (outer, n,
// inner) block; inner == 1 (the last dim) is the row fast path.

// out = softmax(x) or log_softmax(x) along dim; x and out contiguous, floating, one shape.
void softmax(const Tensor& x, std::int64_t dim, const Tensor& out, bool log);
// grad_in from the forward's output y and the upstream gradient g (all contiguous):
//   softmax:     grad_in = y * (g - sum(g * y))
//   log_softmax: grad_in = g - exp(y) * sum(g)
void softmax_backward(const Tensor& y, const Tensor& g, std::int64_t dim, const Tensor& grad_in, bool log);

// Cross entropy of contiguous logits (N, C) against class indices target[0..N) (already
// checked to lie in [0, C)). Writes exps = exp(logits - row max), sums = their row sums and
// losses = log(sum) - (logit[target] - row max), all in the logits' dtype.
void cross_entropy(const Tensor& logits, const std::int64_t* target, const Tensor& exps, const Tensor& sums,
                   const Tensor& losses);
// grad_in (N, C) = (softmax - onehot(target)) * k_r with k_r = scale * row_grad[r], or
// scale alone when row_grad is undefined (the reduced losses).
void cross_entropy_backward(const Tensor& exps, const Tensor& sums, const std::int64_t* target, double scale,
                            const Tensor& row_grad, const Tensor& grad_in);
// losses[r] = -input[r, target[r]] for contiguous input (N, C).
void nll_loss(const Tensor& input, const std::int64_t* target, const Tensor& losses);
// grad_in = -onehot(target) * k_r (k_r as in cross_entropy_backward).
void nll_loss_backward(const std::int64_t* target, double scale, const Tensor& row_grad, const Tensor& grad_in);

// out = input.gather(dim, index): out has index's shape (contiguous); input may be strided;
// index is contiguous int64, already range-checked.
void gather(const Tensor& input, std::int64_t dim, const Tensor& index, const Tensor& out);
// out.scatter_add_(dim, index, src): out contiguous, src any layout of index's shape.
void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& src);

// Fills contiguous floating `mask` with 0 (probability p) or 1 / (1 - p), from `gen`.
void dropout_mask(Generator& gen, double p, const Tensor& mask);

}  // namespace d2l::kernels
