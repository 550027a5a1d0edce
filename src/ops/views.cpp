// Views share their input's storage; each one's backward maps the gradient back to the
// input's shape. Copies (contiguous, clone, to) sit at the end.
#include <algorithm>
#include <numeric>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "kernels/cpu/kernels.h"
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;
using detail::make_view;

Tensor detail::make_view(const Tensor& base, Shape shape, Shape strides, std::int64_t offset) {
  auto impl = detail::make_pooled<TensorImpl>();
  impl->storage = base.impl()->storage;
  impl->shape = std::move(shape);
  impl->strides = std::move(strides);
  impl->offset = offset;
  impl->dtype = base.dtype();
  // Remember the first non-view and its history, so an in-place op can tell a view from the
  // tensor that owns its storage, and a view that outlived a rebase of its base is caught.
  const auto& root = base.impl()->view_base ? base.impl()->view_base : base.impl_ptr();
  impl->base_history = root->history;
  impl->view_base = root;
  return Tensor(std::move(impl));
}

// Resolves one -1 in a requested shape.
static Shape infer_shape(const Shape& requested, std::int64_t n, const Shape& from) {
  Shape shape = requested;
  std::int64_t known = 1, infer_at = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      D2L_CHECK(infer_at < 0, "only one dimension can be inferred in shape ", shape_str(requested));
      infer_at = static_cast<std::int64_t>(i);
    } else {
      D2L_CHECK(shape[i] >= 0, "invalid shape dimension ", shape[i], " in ", shape_str(requested));
      known *= shape[i];
    }
  }
  if (infer_at >= 0) {
    D2L_CHECK(known != 0 && n % known == 0, "shape '", shape_str(requested), "' is invalid for input of size ", n);
    shape[infer_at] = n / known;
  }
  D2L_CHECK(numel(shape) == n, "shape '", shape_str(requested), "' is invalid for input of size ", n,
            " (input shape ", shape_str(from), ")");
  return shape;
}

Tensor Tensor::view(const Shape& requested) const {
  Shape shape = infer_shape(requested, numel(), this->shape());
  // An empty tensor views any way (is_contiguous() can say no to its strides).
  D2L_CHECK(numel() == 0 || is_contiguous(), "view size is not compatible with input tensor's size and stride (shape ",
            shape_str(this->shape()), "); use .reshape(...) instead");
  Shape strides = contiguous_strides(shape);
  Tensor out = make_view(*this, std::move(shape), std::move(strides), storage_offset());
  // Views of data (a batch's labels) need no backward: skip building one.
  if (!autograd::any_requires_grad(*this)) return out;
  const Shape in_shape = this->shape();
  return record(out, "ViewBackward0", {*this},
                [in_shape](const Tensor& g, const Node&) { return autograd::Grads{g.reshape(in_shape)}; });
}

Tensor Tensor::reshape(const Shape& shape) const {
  return is_contiguous() ? view(shape) : contiguous().view(shape);
}

Tensor Tensor::flatten(std::int64_t start_dim, std::int64_t end_dim) const {
  if (dim() == 0) return reshape({1});
  start_dim = wrap_dim(start_dim, dim(), "flatten");
  end_dim = wrap_dim(end_dim, dim(), "flatten");
  D2L_CHECK(start_dim <= end_dim, "flatten() has invalid args: start_dim cannot come after end_dim");
  Shape shape(this->shape().begin(), this->shape().begin() + start_dim);
  std::int64_t n = 1;
  for (std::int64_t d = start_dim; d <= end_dim; ++d) n *= this->shape()[d];
  shape.push_back(n);
  shape.insert(shape.end(), this->shape().begin() + end_dim + 1, this->shape().end());
  return reshape(shape);
}

Tensor Tensor::transpose(std::int64_t dim0, std::int64_t dim1) const {
  dim0 = wrap_dim(dim0, dim(), "transpose");
  dim1 = wrap_dim(dim1, dim(), "transpose");
  Shape shape = this->shape(), st = strides();
  std::swap(shape[dim0], shape[dim1]);
  std::swap(st[dim0], st[dim1]);
  return record(make_view(*this, shape, st, storage_offset()), "TransposeBackward0", {*this},
                [dim0, dim1](const Tensor& g, const Node&) { return autograd::Grads{g.transpose(dim0, dim1)}; });
}

Tensor Tensor::t() const {
  D2L_CHECK(dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", dim(), "D");
  if (dim() < 2) return *this;
  // Its own node rather than transpose's, so the printed grad_fn reads TBackward0 as in PyTorch.
  return record(make_view(*this, {shape()[1], shape()[0]}, {strides()[1], strides()[0]}, storage_offset()),
                "TBackward0", {*this}, [](const Tensor& g, const Node&) { return autograd::Grads{g.t()}; });
}

Tensor Tensor::permute(const Shape& dims) const {
  D2L_CHECK(static_cast<std::int64_t>(dims.size()) == dim(), "permute: number of dims ", dims.size(),
            " doesn't match the tensor's ", dim(), " dims");
  Shape shape(dims.size()), st(dims.size()), inverse(dims.size());
  std::vector<bool> seen(dims.size(), false);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const std::int64_t d = wrap_dim(dims[i], dim(), "permute");
    D2L_CHECK(!seen[d], "permute: repeated dim ", dims[i], " in ", shape_str(dims));
    seen[d] = true;
    shape[i] = this->shape()[d];
    st[i] = strides()[d];
    inverse[d] = static_cast<std::int64_t>(i);
  }
  return record(make_view(*this, shape, st, storage_offset()), "PermuteBackward0", {*this},
                [inverse](const Tensor& g, const Node&) { return autograd::Grads{g.permute(inverse)}; });
}

Tensor Tensor::slice(std::int64_t dim_, std::optional<std::int64_t> start_, std::optional<std::int64_t> end_,
                     std::int64_t step) const {
  const std::int64_t d = wrap_dim(dim_, dim(), "slice");
  D2L_CHECK(step > 0, "slice step must be positive, got ", step);
  const std::int64_t n = shape()[d];
  auto clamp_index = [n](std::int64_t i) { return std::clamp<std::int64_t>(i < 0 ? i + n : i, 0, n); };
  const std::int64_t start = clamp_index(start_.value_or(0));
  const std::int64_t end = std::max(start, clamp_index(end_.value_or(n)));
  Shape shape = this->shape(), st = strides();
  shape[d] = (end - start + step - 1) / step;
  st[d] *= step;
  Tensor out = make_view(*this, std::move(shape), std::move(st), storage_offset() + start * strides()[d]);
  if (!autograd::any_requires_grad(*this)) return out;
  const Shape in_shape = this->shape();
  return record(out, "SliceBackward0", {*this}, [in_shape, d, start, end, step](const Tensor& g, const Node&) {
    Tensor gi = zeros(in_shape, g.dtype());
    kernels::copy(g, gi.slice(d, start, end, step));
    return autograd::Grads{gi};
  });
}

Tensor Tensor::narrow(std::int64_t dim_, std::int64_t start, std::int64_t length) const {
  const std::int64_t d = wrap_dim(dim_, dim(), "narrow");
  const std::int64_t n = shape()[d];
  if (start < 0) start += n;
  D2L_CHECK(start >= 0 && length >= 0 && start + length <= n, "narrow: start (", start, ") + length (", length,
            ") exceeds dimension size (", n, ")");
  return slice(d, start, start + length);
}

Tensor Tensor::select(std::int64_t dim_, std::int64_t index) const {
  const std::int64_t d = wrap_dim(dim_, dim(), "select");
  const std::int64_t n = shape()[d];
  D2L_CHECK(index >= -n && index < n, "index ", index, " is out of bounds for dimension ", d, " with size ", n);
  if (index < 0) index += n;
  Shape shape = this->shape(), st = strides();
  shape.erase(shape.begin() + d);
  st.erase(st.begin() + d);
  Tensor out = make_view(*this, std::move(shape), std::move(st), storage_offset() + index * strides()[d]);
  if (!autograd::any_requires_grad(*this)) return out;
  const Shape in_shape = this->shape();
  return record(out, "SelectBackward0", {*this}, [in_shape, d, index](const Tensor& g, const Node&) {
    Tensor gi = zeros(in_shape, g.dtype());
    kernels::copy(g, gi.select(d, index));
    return autograd::Grads{gi};
  });
}

Tensor Tensor::unsqueeze(std::int64_t dim_) const {
  const std::int64_t d = wrap_dim(dim_, dim() + 1, "unsqueeze");
  Shape shape = this->shape(), st = strides();
  const std::int64_t stride = d < dim() ? st[d] * shape[d] : 1;
  shape.insert(shape.begin() + d, 1);
  st.insert(st.begin() + d, stride);
  return record(make_view(*this, shape, st, storage_offset()), "UnsqueezeBackward0", {*this},
                [d](const Tensor& g, const Node&) { return autograd::Grads{g.squeeze(d)}; });
}

// PyTorch names squeeze() SqueezeBackward0 and squeeze(dim) SqueezeBackward1.
static Tensor squeeze_dims(const Tensor& t, const std::vector<bool>& drop, const char* name) {
  Shape shape, st;
  for (std::int64_t i = 0; i < t.dim(); ++i)
    if (!drop[i]) {
      shape.push_back(t.shape()[i]);
      st.push_back(t.strides()[i]);
    }
  Tensor out = make_view(t, std::move(shape), std::move(st), t.storage_offset());
  if (!autograd::any_requires_grad(t)) return out;
  const Shape in_shape = t.shape();
  return record(out, name, {t},
                [in_shape](const Tensor& g, const Node&) { return autograd::Grads{g.reshape(in_shape)}; });
}

Tensor Tensor::squeeze() const {
  std::vector<bool> drop(dim());
  for (std::int64_t i = 0; i < dim(); ++i) drop[i] = shape()[i] == 1;
  return squeeze_dims(*this, drop, "SqueezeBackward0");
}

Tensor Tensor::squeeze(std::int64_t dim_) const {
  if (dim() == 0) return *this;
  const std::int64_t d = wrap_dim(dim_, dim(), "squeeze");
  std::vector<bool> drop(dim(), false);
  drop[d] = shape()[d] == 1;
  return squeeze_dims(*this, drop, "SqueezeBackward1");
}

Tensor Tensor::expand(const Shape& requested) const {
  D2L_CHECK(requested.size() >= shape().size(), "expand: the number of sizes provided (", requested.size(),
            ") must be greater or equal to the number of dimensions in the tensor (", dim(), ")");
  const std::size_t pad = requested.size() - shape().size();
  Shape shape(requested.size()), st(requested.size(), 0);
  for (std::size_t i = 0; i < requested.size(); ++i) {
    if (i < pad) {
      D2L_CHECK(requested[i] >= 0, "expand: -1 is not allowed in a leading, non-existing dimension");
      shape[i] = requested[i];
      continue;
    }
    const std::int64_t have = this->shape()[i - pad];
    const std::int64_t want = requested[i] == -1 ? have : requested[i];
    D2L_CHECK(have == want || have == 1, "The expanded size of the tensor (", want,
              ") must match the existing size (", have, ") at non-singleton dimension ", i, ".  Target sizes: ",
              shape_str(requested), ".  Tensor sizes: ", shape_str(this->shape()));
    shape[i] = want;
    st[i] = have == want ? strides()[i - pad] : 0;
  }
  Tensor out = make_view(*this, std::move(shape), std::move(st), storage_offset());
  if (!autograd::any_requires_grad(*this)) return out;
  const Shape in_shape = this->shape();
  return record(out, "ExpandBackward0", {*this},
                [in_shape](const Tensor& g, const Node&) { return autograd::Grads{sum_to(g, in_shape)}; });
}

// ---- copies

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

Tensor Tensor::clone() const {
  Tensor out = empty(shape(), dtype());
  kernels::copy(*this, out);
  return record(out, "CloneBackward0", {*this},
                [](const Tensor& g, const Node&) { return autograd::Grads{g}; });
}

Tensor Tensor::to(DType target) const {
  if (target == dtype()) return *this;
  Tensor out = empty(shape(), target);
  kernels::copy(*this, out);
  if (!is_floating(target)) return out;
  const DType source = dtype();
  return record(out, "ToCopyBackward0", {*this},
                [source](const Tensor& g, const Node&) { return autograd::Grads{g.to(source)}; });
}

}  // namespace d2l
