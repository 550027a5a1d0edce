#pragma once
// Helpers shared by the op files: dtype casts that record no graph.
#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "kernels/cpu/kernels.h"

namespace d2l::detail {

// `t` as dtype `dtype`, without recording a graph node (forward computations only).
inline Tensor cast(const Tensor& t, DType dtype) {
  if (t.dtype() == dtype) return t;
  Tensor out = empty(t.shape(), dtype);
  kernels::copy(t, out);
  return out;
}

// A gradient brought back to an input's shape and dtype after broadcasting and promotion.
inline Tensor grad_for(const Tensor& g, const Shape& shape, DType dtype) {
  Tensor r = g.shape() == shape ? g : sum_to(g, shape);
  return r.dtype() == dtype ? r : cast(r, dtype);
}

// A view of `base`'s storage with this geometry, recording no graph (the view ops add their
// backward); it remembers its base, as every view does.
Tensor make_view(const Tensor& base, Shape shape, Shape strides, std::int64_t offset);

// A 0-d tensor seen as shape [1], off the graph: kernels that split a shape at a dim need one.
inline Tensor at_least_1d(const Tensor& t) { return t.dim() == 0 ? t.detach().view({1}) : t; }

}  // namespace d2l::detail
