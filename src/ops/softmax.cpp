// softmax and log_softmax along any dim. Stable: the max along dim is subtracted before
// exponentiating, so logits of 1e4 give finite results. The backward keeps the output.
#include <algorithm>

#include "kernels/cpu/classify.h"
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

namespace {

Tensor softmax_impl(const Tensor& x, std::int64_t dim, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  D2L_CHECK(is_floating(x.dtype()), op, "(): expected a floating-point tensor, got ", dtype_name(x.dtype()),
            "; convert with .to(kFloat32)");
  const std::int64_t d = wrap_dim(dim, std::max<std::int64_t>(x.dim(), 1), op);
  // Kernels read raw memory and record nothing; a strided input is copied off the graph.
  const Tensor in = x.is_contiguous() ? x : x.detach().contiguous();
  Tensor out = empty(x.shape(), x.dtype());
  kernels::softmax(detail::at_least_1d(in), d, detail::at_least_1d(out), log);
  return record(out, log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", {x}, {out},
                [y = out.detach(), d, log](const Tensor& g, const Node&) {
                  Tensor gi = empty(y.shape(), y.dtype());
                  kernels::softmax_backward(detail::at_least_1d(y), detail::at_least_1d(g.contiguous()), d,
                                            detail::at_least_1d(gi), log);
                  return autograd::Grads{gi};
                });
}

}  // namespace

Tensor softmax(const Tensor& x, std::int64_t dim) { return softmax_impl(x, dim, false); }
Tensor log_softmax(const Tensor& x, std::int64_t dim) { return softmax_impl(x, dim, true); }

}  // namespace d2l
