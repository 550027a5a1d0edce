// Tensor metadata, storage, and the creation of tensors that needs no kernel (empty, zeros,
// arange, from_vector); the rest of creation lives with the ops (src/ops/factories.cpp).
#include "d2l/tensor.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/allocator.h"
#include "d2l/detail/pool.h"
#include "d2l/random.h"

namespace d2l {

Storage::Storage(std::size_t bytes) : nbytes(bytes) {
  if (bytes <= kInlineBytes) {
    data = inline_data;
    capacity = kInlineBytes;
  } else {
    data = detail::acquire_block(bytes, capacity);
  }
}

Storage::~Storage() {
  if (data != inline_data) detail::release_block(data, capacity);
}

std::int64_t Tensor::checked_size(std::int64_t dim) const {
  return impl_->shape[wrap_dim(dim, this->dim(), "size")];
}

std::int64_t Tensor::checked_stride(std::int64_t dim) const {
  return impl_->strides[wrap_dim(dim, this->dim(), "stride")];
}

void* Tensor::raw_data() const {
  return static_cast<char*>(impl_->storage->data) + impl_->offset * static_cast<std::int64_t>(element_size(impl_->dtype));
}

template <class T>
T Tensor::item() const {
  D2L_CHECK(numel() == 1, "a Tensor with ", numel(), " elements cannot be converted to Scalar");
  return D2L_DISPATCH_ALL(dtype(), [&]() -> T { return static_cast<T>(*data_ptr<scalar_t>()); });
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template std::int64_t Tensor::item<std::int64_t>() const;
template bool Tensor::item<bool>() const;
template int Tensor::item<int>() const;

double Tensor::at(std::initializer_list<std::int64_t> index) const {
  D2L_CHECK(static_cast<std::int64_t>(index.size()) == dim(), "at: expected ", dim(), " indices, got ", index.size());
  std::int64_t off = impl_->offset, d = 0;
  for (auto i : index) {
    const std::int64_t n = impl_->shape[d];
    D2L_CHECK(i >= -n && i < n, "at: index ", i, " is out of bounds for dimension ", d, " with size ", n);
    off += (i < 0 ? i + n : i) * impl_->strides[d];
    ++d;
  }
  return D2L_DISPATCH_ALL(dtype(), [&]() -> double {
    return static_cast<double>(static_cast<const scalar_t*>(impl_->storage->data)[off]);
  });
}

Tensor& Tensor::requires_grad_(bool requires_grad) {
  D2L_CHECK(is_leaf() || requires_grad, "you can only change requires_grad flags of leaf variables");
  D2L_CHECK(!requires_grad || is_floating(dtype()),
            "only Tensors of floating point dtype can require gradients (got ", dtype_name(dtype()), ")");
  impl_->requires_grad = requires_grad;
  return *this;
}

Tensor Tensor::grad() const { return impl_->grad ? Tensor(impl_->grad) : Tensor(); }

void Tensor::set_grad(const Tensor& grad) const {
  D2L_CHECK(!grad.defined() || grad.shape() == shape(), "assigned grad has shape ", shape_str(grad.shape()),
            " but the tensor has shape ", shape_str(shape()));
  impl_->grad = grad.impl_ptr();
}

Tensor Tensor::detach() const {
  auto impl = detail::make_pooled<TensorImpl>();
  impl->storage = impl_->storage;
  impl->shape = impl_->shape;
  impl->strides = impl_->strides;
  impl->offset = impl_->offset;
  impl->dtype = impl_->dtype;
  return Tensor(std::move(impl));
}

// ---- creation

Tensor empty(const Shape& shape, DType dtype) {
  // Every op's output is made here, so it is written for the common case: one pass over
  // the dims for the checks and the element count, the strides computed in place.
  const std::size_t ndim = shape.size();
  D2L_CHECK(ndim <= kMaxDims, "tensors have at most ", kMaxDims, " dims, got ", ndim);
  std::int64_t n = 1;
  bool negative = false;
  for (auto s : shape) {
    negative |= s < 0;
    n *= s;
  }
  D2L_CHECK(!negative, "negative dimension in shape ", shape_str(shape));
  auto impl = detail::make_pooled<TensorImpl>();
  impl->storage = detail::make_pooled<Storage>(static_cast<std::size_t>(n) * element_size(dtype));
  impl->shape = shape;
  Shape& strides = impl->strides;
  strides = shape;  // the right length (a plain copy), then overwritten
  std::int64_t stride = 1;
  for (std::size_t i = ndim; i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i] > 0 ? shape[i] : 1;
  }
  impl->dtype = dtype;
  return Tensor(std::move(impl));
}

Tensor zeros(const Shape& shape, DType dtype) {
  Tensor t = empty(shape, dtype);
  std::memset(t.raw_data(), 0, static_cast<std::size_t>(t.numel()) * element_size(dtype));
  return t;
}

Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype()); }
Tensor empty_like(const Tensor& t) { return empty(t.shape(), t.dtype()); }
Tensor arange(double end, DType dtype) { return arange(0, end, 1, dtype); }

Tensor arange(double start, double end, double step, DType dtype) {
  D2L_CHECK(step != 0 && std::isfinite(start) && std::isfinite(end) && std::isfinite(step),
            "arange: invalid range start=", start, " end=", end, " step=", step);
  D2L_CHECK((end - start) / step >= 0, "arange: upper bound and larger bound inconsistent with step sign");
  const auto n = static_cast<std::int64_t>(std::ceil((end - start) / step));
  Tensor t = empty({n}, dtype);
  D2L_DISPATCH_NUMERIC(dtype, [&] {
    auto* p = t.data_ptr<scalar_t>();
    for (std::int64_t i = 0; i < n; ++i) p[i] = static_cast<scalar_t>(start + static_cast<double>(i) * step);
  });
  return t;
}

template <class T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape) {
  D2L_CHECK(numel(shape) == static_cast<std::int64_t>(values.size()), "from_vector: ", values.size(),
            " values do not fill shape ", shape_str(shape));
  Tensor t = empty(shape, dtype_of<T>::value);
  if (!values.empty()) std::memcpy(t.raw_data(), values.data(), values.size() * sizeof(T));
  return t;
}
template Tensor from_vector<float>(const std::vector<float>&, const Shape&);
template Tensor from_vector<double>(const std::vector<double>&, const Shape&);
template Tensor from_vector<std::int64_t>(const std::vector<std::int64_t>&, const Shape&);

template <>
Tensor from_vector<bool>(const std::vector<bool>& values, const Shape& shape) {
  D2L_CHECK(numel(shape) == static_cast<std::int64_t>(values.size()), "from_vector: ", values.size(),
            " values do not fill shape ", shape_str(shape));
  Tensor t = empty(shape, kBool);
  bool* p = t.data_ptr<bool>();
  for (std::size_t i = 0; i < values.size(); ++i) p[i] = values[i];
  return t;
}

}  // namespace d2l
