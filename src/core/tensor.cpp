// Tensor metadata, storage and creation.
#include "d2l/tensor.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/allocator.h"
#include "d2l/autograd.h"
#include "d2l/random.h"
#include "kernels/cpu/kernels.h"
#include "kernels/cpu/loops.h"
#include "ops/ops_util.h"

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

template <class T>
std::vector<T> Tensor::to_vector() const {
  Tensor c = to(dtype_of<T>::value).contiguous();
  const T* p = c.data_ptr<T>();
  return std::vector<T>(p, p + c.numel());
}
template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;
template std::vector<std::int64_t> Tensor::to_vector<std::int64_t>() const;

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

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  autograd::run_backward(*this, gradient, retain_graph);
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
  D2L_CHECK(ndim <= kernels::kMaxDims, "tensors have at most ", kernels::kMaxDims, " dims, got ", ndim);
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

Tensor full(const Shape& shape, double value, DType dtype) {
  Tensor t = empty(shape, dtype);
  kernels::fill(t, value);
  return t;
}

Tensor zeros(const Shape& shape, DType dtype) {
  Tensor t = empty(shape, dtype);
  std::memset(t.raw_data(), 0, static_cast<std::size_t>(t.numel()) * element_size(dtype));
  return t;
}

Tensor ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype()); }
Tensor empty_like(const Tensor& t) { return empty(t.shape(), t.dtype()); }
Tensor scalar_tensor(double value, DType dtype) { return full({}, value, dtype); }

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

Tensor eye(std::int64_t n, DType dtype) {
  Tensor t = zeros({n, n}, dtype);
  for (std::int64_t i = 0; i < n; ++i) t[i][i].fill_(1.0);
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

static Tensor from_doubles(const std::vector<double>& flat, const Shape& shape, DType dtype) {
  return from_vector(flat, shape).to(dtype);
}

Tensor tensor(std::initializer_list<double> values, DType dtype) {
  return from_doubles(std::vector<double>(values), {static_cast<std::int64_t>(values.size())}, dtype);
}

Tensor tensor(std::initializer_list<std::initializer_list<double>> values, DType dtype) {
  std::vector<double> flat;
  const std::int64_t cols = values.size() ? static_cast<std::int64_t>(values.begin()->size()) : 0;
  for (const auto& row : values) {
    D2L_CHECK(static_cast<std::int64_t>(row.size()) == cols, "tensor: rows have different lengths (", cols, " and ",
              row.size(), ")");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return from_doubles(flat, {static_cast<std::int64_t>(values.size()), cols}, dtype);
}

Tensor tensor(std::initializer_list<std::initializer_list<std::initializer_list<double>>> values, DType dtype) {
  std::vector<Tensor> parts;
  for (const auto& m : values) parts.push_back(tensor(m, dtype));
  if (parts.empty()) return empty({0}, dtype);
  Shape shape = parts[0].shape();
  shape.insert(shape.begin(), static_cast<std::int64_t>(parts.size()));
  Tensor t = empty(shape, dtype);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    D2L_CHECK(parts[i].shape() == parts[0].shape(), "tensor: sub-lists have different shapes");
    t[static_cast<std::int64_t>(i)].copy_(parts[i]);
  }
  return t;
}

// ---- random

Tensor& Tensor::normal_(double mean, double std) {
  D2L_CHECK(std >= 0, "normal_: std must be >= 0, got ", std);
  // Like every in-place op: refused on a tensor autograd tracks (init code runs under NoGradGuard).
  detail::check_inplace(*this, "normal_");
  Generator& g = default_generator();
  D2L_DISPATCH_FLOATING(dtype(), [&] {
    Tensor buf = is_contiguous() ? *this : empty(shape(), dtype());
    auto* p = buf.data_ptr<scalar_t>();
    for (std::int64_t i = 0, n = numel(); i < n; ++i) p[i] = static_cast<scalar_t>(mean + std * g.normal());
    if (!buf.is_same(*this)) kernels::copy(buf, *this);
  });
  return *this;
}

Tensor& Tensor::uniform_(double low, double high) {
  detail::check_inplace(*this, "uniform_");
  Generator& g = default_generator();
  D2L_DISPATCH_FLOATING(dtype(), [&] {
    Tensor buf = is_contiguous() ? *this : empty(shape(), dtype());
    auto* p = buf.data_ptr<scalar_t>();
    for (std::int64_t i = 0, n = numel(); i < n; ++i) p[i] = static_cast<scalar_t>(low + (high - low) * g.uniform());
    if (!buf.is_same(*this)) kernels::copy(buf, *this);
  });
  return *this;
}

Tensor randn(const Shape& shape, DType dtype) { return empty(shape, dtype).normal_(); }
Tensor rand(const Shape& shape, DType dtype) { return empty(shape, dtype).uniform_(); }
Tensor normal(double mean, double std, const Shape& shape, DType dtype) {
  return empty(shape, dtype).normal_(mean, std);
}

Tensor randperm(std::int64_t n) {
  D2L_CHECK(n >= 0, "randperm: n must be non-negative, got ", n);
  Tensor t = arange(static_cast<double>(n), kInt64);
  auto* p = t.data_ptr<std::int64_t>();
  Generator& g = default_generator();
  for (std::int64_t i = n - 1; i > 0; --i)  // Fisher-Yates
    std::swap(p[i], p[g.below(static_cast<std::uint64_t>(i) + 1)]);
  return t;
}

}  // namespace d2l
