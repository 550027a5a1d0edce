// Reductions: sum, mean, max, argmax, over everything or over given dims.
#include <algorithm>
#include <cmath>

#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

namespace {

// Which dims a reduction covers, one bit per dim (tensors have at most 64 dims; a bit
// mask needs no heap allocation, which a std::vector<bool> per sum did).
using DimMask = std::uint64_t;
constexpr DimMask bit(std::int64_t d) { return DimMask{1} << d; }
DimMask all_dims(std::int64_t ndim) { return ndim >= 64 ? ~DimMask{0} : bit(ndim) - 1; }

// The reduced dims (empty = all), validated and made non-negative.
DimMask reduced_dims(const Tensor& a, const Shape& dims, const char* op) {
  if (dims.empty()) return all_dims(a.dim());
  DimMask mask = 0;
  for (auto d : dims) {
    const std::int64_t w = wrap_dim(d, a.dim(), op);
    D2L_CHECK(!(mask & bit(w)), op, ": dim ", d, " appears multiple times in the list of dims");
    mask |= bit(w);
  }
  return mask;
}

Shape keepdim_shape(const Tensor& a, DimMask mask) {
  Shape s = a.shape();
  for (std::size_t i = 0; i < s.size(); ++i)
    if (mask & bit(static_cast<std::int64_t>(i))) s[i] = 1;
  return s;
}

Shape squeezed_shape(const Tensor& a, DimMask mask) {
  Shape s;
  for (std::int64_t i = 0; i < a.dim(); ++i)
    if (!(mask & bit(i))) s.push_back(a.shape()[i]);
  return s;
}

// Sum with keepdim, no graph; bool sums count as int64, as in PyTorch.
Tensor sum_keepdim(const Tensor& a, DimMask mask) {
  if (a.dtype() == kBool) return sum_keepdim(detail::cast(a, kInt64), mask);
  Tensor out = empty(keepdim_shape(a, mask), a.dtype());
  kernels::sum(a, out);
  return out;
}

}  // namespace

Tensor sum(const Tensor& a, const Shape& dims, bool keepdim) {
  const auto mask = reduced_dims(a, dims, "sum");
  Tensor out = sum_keepdim(a, mask);
  if (!keepdim) out = out.detach().view(squeezed_shape(a, mask));
  const Shape in_shape = a.shape(), kept = keepdim_shape(a, mask);
  return record(out, "SumBackward1", {a}, [in_shape, kept](const Tensor& g, const Node&) {
    return autograd::Grads{g.reshape(kept).expand(in_shape).contiguous()};
  });
}

// Gives a tensor made here, that nothing else refers to yet, a new shape of the same size.
static void reshape_fresh(Tensor& t, const Shape& shape) {
  t.impl()->shape = shape;
  t.impl()->strides = contiguous_strides(shape);
}

Tensor sum(const Tensor& a) {
  Tensor out = sum_keepdim(a, all_dims(a.dim()));
  reshape_fresh(out, {});
  const Shape in_shape = a.shape();
  return record(out, "SumBackward0", {a}, [in_shape](const Tensor& g, const Node&) {
    // Every element receives the output's gradient: a fill, not a broadcast copy.
    return autograd::Grads{full(in_shape, g.item<double>(), g.dtype())};
  });
}

// The sum divided by the count (a true division, as PyTorch's CPU mean does), recorded as
// one MeanBackward node so a printed mean reads grad_fn=<MeanBackward0>, as in PyTorch.
static Tensor mean_impl(const Tensor& a, const Shape& dims, bool keepdim, bool all) {
  D2L_CHECK(is_floating(a.dtype()), "mean(): could not infer output dtype. Input dtype must be floating point, got ",
            dtype_name(a.dtype()));
  const DimMask mask = all ? all_dims(a.dim()) : reduced_dims(a, dims, "mean");
  double count = 1;
  for (std::int64_t i = 0; i < a.dim(); ++i)
    if (mask & bit(i)) count *= static_cast<double>(a.shape()[i]);
  Tensor out = sum_keepdim(a, mask);
  kernels::binary_scalar(kernels::Binary::Div, out, count, out);
  if (!keepdim) out = out.view(squeezed_shape(a, mask));
  const Shape in_shape = a.shape(), kept = keepdim_shape(a, mask);
  return record(out, all ? "MeanBackward0" : "MeanBackward1", {a}, [in_shape, kept, count](const Tensor& g, const Node&) {
    Tensor gi = empty(in_shape, g.dtype());
    kernels::binary_scalar(kernels::Binary::Div, g.reshape(kept).expand(in_shape), count, gi);
    return autograd::Grads{gi};
  });
}

Tensor mean(const Tensor& a, const Shape& dims, bool keepdim) { return mean_impl(a, dims, keepdim, dims.empty()); }

Tensor mean(const Tensor& a) { return mean_impl(a, {}, false, true); }

std::pair<Tensor, Tensor> max(const Tensor& a, std::int64_t dim, bool keepdim) {
  const std::int64_t d = wrap_dim(dim, std::max<std::int64_t>(a.dim(), 1), "max");
  D2L_CHECK(a.dim() == 0 || a.shape()[d] > 0, "max(): Expected reduction dim ", d, " to have non-zero size");
  const Tensor in = a.dim() == 0 ? a.reshape({1}) : a;
  // Move the reduced dim last, so each output element reads one contiguous row.
  const Tensor rows = in.detach().transpose(d, -1).contiguous();
  Shape out_shape = rows.shape();
  out_shape.pop_back();
  Tensor values = empty(out_shape, a.dtype()), indices = empty(out_shape, kInt64);
  kernels::max_last_dim(rows, values, indices);
  // Rows came out in transposed order; restore the original dim order.
  Shape kept = in.shape();
  kept[d] = 1;
  Shape tshape = kept;
  std::swap(tshape[d], tshape.back());
  values = values.view(tshape).transpose(d, -1).contiguous();
  indices = indices.view(tshape).transpose(d, -1).contiguous();
  if (!keepdim) {
    values = values.view(a.dim() == 0 ? Shape{} : squeezed_shape(in, bit(d)));
    indices = indices.view(values.shape());
  }
  const Shape in_shape = a.shape();
  values = record(values, "MaxBackward0", {a}, {indices}, [in_shape, kept, d, indices](const Tensor& g, const Node&) {
    // Scatter each gradient to the position of its maximum, in rows with the reduced dim last.
    Shape rows_shape = in_shape.empty() ? Shape{1} : in_shape;
    std::swap(rows_shape[d], rows_shape.back());
    Tensor target = zeros(rows_shape, g.dtype());
    const std::int64_t n = rows_shape.back(), count = g.numel();
    Tensor flat_idx = indices.reshape(kept).transpose(d, -1).contiguous();
    Tensor flat_g = g.reshape(kept).transpose(d, -1).contiguous();
    D2L_DISPATCH_FLOATING(g.dtype(), [&] {
      auto* t = target.data_ptr<scalar_t>();
      const auto* src = flat_g.data_ptr<scalar_t>();
      const auto* idx = flat_idx.data_ptr<std::int64_t>();
      for (std::int64_t r = 0; r < count; ++r) t[r * n + idx[r]] += src[r];
    });
    return autograd::Grads{target.transpose(d, -1).contiguous().reshape(in_shape)};
  });
  return {values, indices};
}

Tensor max(const Tensor& a) {
  D2L_CHECK(a.numel() > 0, "max(): Expected reduction dim to be specified for input.numel() == 0");
  if (a.dtype() == kBool) return max(a.to(kInt64)).to(kBool);  // as PyTorch: the max of a mask is a bool
  Tensor flat = a.detach().reshape({-1});
  Tensor value = max(flat, 0, false).first.detach();
  const Shape in_shape = a.shape();
  // The backward keeps a detached handle on the result: `value` itself is about to own this
  // node, and a node holding its own output is a cycle that never frees the graph.
  return record(value, "MaxBackward1", {a}, {a, value}, [a, saved = value.detach()](const Tensor& g, const Node&) {
    // Shared evenly among all elements equal to the maximum; a NaN maximum is every NaN's
    // (torch's evenly_distribute_backward). Elsewhere 0, even if the share is inf or nan.
    const Tensor x = a.detach();
    const bool nan_max = std::isnan(saved.item<double>());
    const Tensor mask = nan_max ? ne(x, x) : eq(x, saved);
    const Tensor share = g / sum(mask.to(g.dtype()));
    return autograd::Grads{where(mask, share, zeros({}, g.dtype()))};
  });
}

// The checks max() makes, worded for argmax as PyTorch words them.
Tensor argmax(const Tensor& a, std::int64_t dim, bool keepdim) {
  const std::int64_t d = wrap_dim(dim, std::max<std::int64_t>(a.dim(), 1), "argmax");
  D2L_CHECK(a.dim() == 0 || a.shape()[d] > 0, "argmax(): Expected reduction dim ", d, " to have non-zero size");
  return max(a.detach(), dim, keepdim).second;
}
Tensor argmax(const Tensor& a) {
  D2L_CHECK(a.numel() > 0, "argmax(): Expected reduction dim to be specified for input.numel() == 0");
  return max(a.detach().reshape({-1}), 0, false).second;
}

Tensor sum_to(const Tensor& a, const Shape& shape) {
  if (a.shape() == shape) return a;
  const std::size_t lead = a.shape().size() - shape.size();
  D2L_CHECK(a.shape().size() >= shape.size(), "sum_to: cannot reduce shape ", shape_str(a.shape()), " to ",
            shape_str(shape));
  Shape dims;
  for (std::size_t i = 0; i < a.shape().size(); ++i)
    if (i < lead || (shape[i - lead] == 1 && a.shape()[i] != 1)) dims.push_back(static_cast<std::int64_t>(i));
  if (dims.empty()) return a.reshape(shape);
  if ((is_grad_enabled() && a.requires_grad()) || a.dtype() == kBool) return sum(a, dims, true).reshape(shape);
  // The backward passes' path (no graph to record): straight into a tensor of the target shape.
  DimMask mask = 0;
  for (auto d : dims) mask |= bit(d);
  Tensor out = sum_keepdim(a, mask);
  reshape_fresh(out, shape);
  return out;
}

Tensor Tensor::sum() const { return d2l::sum(*this); }
Tensor Tensor::sum(const Shape& dims, bool keepdim) const { return d2l::sum(*this, dims, keepdim); }
Tensor Tensor::mean() const { return d2l::mean(*this); }
Tensor Tensor::mean(const Shape& dims, bool keepdim) const { return d2l::mean(*this, dims, keepdim); }
Tensor Tensor::max() const { return d2l::max(*this); }
Tensor Tensor::argmax() const { return d2l::argmax(*this); }
Tensor Tensor::argmax(std::int64_t dim, bool keepdim) const { return d2l::argmax(*this, dim, keepdim); }

}  // namespace d2l
