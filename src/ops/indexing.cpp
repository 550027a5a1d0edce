// Gathers and joins: index_select (with its scatter-add backward), cat and stack.
#include "ops/ops_util.h"

namespace d2l {

using autograd::Node;
using autograd::record;

Tensor index_select(const Tensor& a, std::int64_t dim, const Tensor& index) {
  const std::int64_t d = wrap_dim(dim, std::max<std::int64_t>(a.dim(), 1), "index_select");
  D2L_CHECK(index.dtype() == kInt64, "index_select(): Expected dtype int64 for index, got ", dtype_name(index.dtype()));
  D2L_CHECK(index.dim() <= 1, "index_select(): Index is supposed to be a vector, got shape ", shape_str(index.shape()));
  const Tensor idx = index.contiguous();
  // A 0-d input gives a 0-d output: room for exactly one selected element.
  D2L_CHECK(a.dim() > 0 || idx.numel() == 1, "index_select(): Index to scalar can have only 1 value, got ",
            idx.numel(), " value(s)");
  const std::int64_t n = a.dim() == 0 ? 1 : a.size(d);
  const std::int64_t* p = idx.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < idx.numel(); ++i)
    D2L_CHECK(p[i] >= 0 && p[i] < n, "index_select(): index ", p[i], " is out of bounds for dimension ", d,
              " with size ", n);
  const Tensor src = a.is_contiguous() ? a : a.detach().contiguous();  // kernels record nothing
  Shape shape = a.shape();
  if (!shape.empty()) shape[d] = idx.numel();
  Tensor out = empty(shape, a.dtype());
  kernels::index_select(src, d, idx, out);
  const Shape in_shape = a.shape();
  return record(out, "IndexSelectBackward0", {a}, {idx}, [in_shape, d, idx](const Tensor& g, const Node&) {
    Tensor gi = zeros(in_shape, g.dtype());
    kernels::index_add(gi, d, idx, g.contiguous());
    return autograd::Grads{gi};
  });
}

Tensor Tensor::index_select(std::int64_t dim, const Tensor& index) const { return d2l::index_select(*this, dim, index); }

// cat, recorded under `name` (stack is a cat of unsqueezed inputs but prints StackBackward0).
static Tensor cat_impl(const std::vector<Tensor>& tensors, std::int64_t dim, const char* name) {
  D2L_CHECK(!tensors.empty(), "cat(): expected a non-empty list of Tensors");
  // Checked first: wrap_dim accepts dim 0 of a 0-d tensor, and shape[d] would then write out of bounds.
  for (std::size_t i = 0; i < tensors.size(); ++i)
    D2L_CHECK(tensors[i].dim() > 0, "zero-dimensional tensor (at position ", i, ") cannot be concatenated");
  const Tensor& first = tensors[0];
  const std::int64_t d = wrap_dim(dim, first.dim(), "cat");
  Shape shape = first.shape();
  shape[d] = 0;
  DType dtype = first.dtype();
  for (const auto& t : tensors) {
    D2L_CHECK(t.dim() == first.dim(), "cat(): tensors must have the same number of dimensions: got ", first.dim(),
              " and ", t.dim());
    for (std::int64_t i = 0; i < t.dim(); ++i)
      D2L_CHECK(i == d || t.shape()[i] == first.shape()[i], "cat(): sizes of tensors must match except in dimension ",
                d, ". Expected size ", first.shape()[i], " but got size ", t.shape()[i], " for tensor number ",
                &t - tensors.data(), " in the list");
    shape[d] += t.shape()[d];
    dtype = promote_types(dtype, t.dtype());
  }
  Tensor out = empty(shape, dtype);
  std::vector<std::int64_t> offsets;
  std::int64_t at = 0;
  for (const auto& t : tensors) {
    kernels::copy(t, out.detach().narrow(d, at, t.shape()[d]));
    offsets.push_back(at);
    at += t.shape()[d];
  }
  std::vector<Shape> shapes;
  std::vector<DType> dtypes;
  for (const auto& t : tensors) {
    shapes.push_back(t.shape());
    dtypes.push_back(t.dtype());
  }
  // The gradient of each input is its slice of the output's.
  return record(out, name, tensors, [d, offsets, shapes, dtypes](const Tensor& g, const Node& n) {
    autograd::Grads grads(shapes.size());
    for (std::size_t i = 0; i < shapes.size(); ++i)
      if (n.needs_grad(i)) grads[i] = detail::cast(g.narrow(d, offsets[i], shapes[i][d]).contiguous(), dtypes[i]);
    return grads;
  });
}

Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim) { return cat_impl(tensors, dim, "CatBackward0"); }

Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim) {
  D2L_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
  const std::int64_t d = wrap_dim(dim, tensors[0].dim() + 1, "stack");
  std::vector<Tensor> parts;
  for (const auto& t : tensors) {
    D2L_CHECK(t.shape() == tensors[0].shape(), "stack expects each tensor to be equal size, but got ",
              shape_str(tensors[0].shape()), " at entry 0 and ", shape_str(t.shape()), " at entry ",
              &t - tensors.data());
    parts.push_back(t.unsqueeze(d));
  }
  return cat_impl(parts, d, "StackBackward0");
}

}  // namespace d2l
