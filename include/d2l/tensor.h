#pragma once
// Tensor: a shape, strides and an offset over a shared, ref-counted storage.
// Copying a Tensor copies a handle (like a Python reference); views share storage.
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "d2l/dtype.h"
#include "d2l/error.h"
#include "d2l/random.h"
#include "d2l/shape.h"

namespace d2l {

namespace autograd {
struct Node;
}

// A flat buffer. Tensors that share it are views of each other.
struct Storage {
  // Buffers this small live inside the Storage object itself (16-byte aligned): small
  // models make many tiny tensors, and a separate block for each cost a second allocation.
  // Larger ones are 64-byte aligned blocks from the caching allocator.
  static constexpr std::size_t kInlineBytes = 128;
  explicit Storage(std::size_t nbytes);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  void* data = nullptr;
  std::size_t nbytes = 0;
  // Bumped by every in-place write (PyTorch's version counter, shared by all views of the
  // buffer): a backward that saved a tensor at version N refuses to run once it has changed.
  std::uint32_t version = 0;
  std::size_t capacity = 0;  // the buffer's real size (see the caching allocator)
  alignas(16) unsigned char inline_data[kInlineBytes];
};

struct TensorImpl {
  // User-provided, so that creating one runs the member initializers only, without first
  // zeroing the whole object (the shapes' inline arrays need no zeros).
  TensorImpl() {}  // NOLINT(modernize-use-equals-default)
  std::shared_ptr<Storage> storage;
  Shape shape;
  Shape strides;
  std::int64_t offset = 0;
  DType dtype = kFloat32;
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;
  std::shared_ptr<autograd::Node> grad_fn;
  // Bumped when an in-place op gives this tensor a new grad_fn (its history is rebased).
  std::uint32_t history = 0;
  // For a view: the tensor whose storage it looks into (the first non-view), and that
  // tensor's history when the view was taken. A view whose base was rebased since then has
  // a stale grad_fn, and autograd refuses it rather than route gradients the old way.
  std::shared_ptr<TensorImpl> view_base;
  std::uint32_t base_history = 0;
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  // True when both handles refer to the same tensor object.
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

  // ---- metadata
  const Shape& shape() const { return impl_->shape; }
  const Shape& sizes() const { return impl_->shape; }
  std::int64_t size(std::int64_t dim) const {
    const auto n = static_cast<std::int64_t>(impl_->shape.size());
    return dim >= 0 && dim < n ? impl_->shape[dim] : checked_size(dim);
  }
  std::int64_t dim() const { return static_cast<std::int64_t>(impl_->shape.size()); }
  std::int64_t numel() const { return d2l::numel(impl_->shape); }
  const Shape& strides() const { return impl_->strides; }
  std::int64_t stride(std::int64_t dim) const {
    const auto n = static_cast<std::int64_t>(impl_->strides.size());
    return dim >= 0 && dim < n ? impl_->strides[dim] : checked_stride(dim);
  }
  std::int64_t storage_offset() const { return impl_->offset; }
  DType dtype() const { return impl_->dtype; }
  bool is_contiguous() const {
    if (numel() == 0) return true;  // as PyTorch: an empty tensor is contiguous whatever its strides
    std::int64_t expected = 1;
    for (std::size_t i = impl_->shape.size(); i-- > 0;) {
      if (impl_->shape[i] == 1) continue;
      if (impl_->strides[i] != expected) return false;
      expected *= impl_->shape[i];
    }
    return true;
  }

  template <class T>
  T* data_ptr() const {
    D2L_CHECK(dtype_of<T>::value == impl_->dtype, "data_ptr: tensor is ", dtype_name(impl_->dtype),
              ", asked for ", dtype_name(dtype_of<T>::value));
    return static_cast<T*>(impl_->storage->data) + impl_->offset;
  }
  void* raw_data() const;

  // The single value of a one-element tensor, converted to T.
  template <class T = double>
  T item() const;
  // Element at a full index, converted to double.
  double at(std::initializer_list<std::int64_t> index) const;
  // Copy out all elements (row-major), converted to T.
  template <class T>
  std::vector<T> to_vector() const;

  // ---- autograd
  bool requires_grad() const { return impl_->requires_grad; }
  Tensor& requires_grad_(bool requires_grad = true);
  bool is_leaf() const { return impl_->grad_fn == nullptr; }
  // The accumulated gradient (undefined until a backward pass reaches this tensor).
  Tensor grad() const;
  void set_grad(const Tensor& grad) const;
  const std::shared_ptr<autograd::Node>& grad_fn() const { return impl_->grad_fn; }
  // How many in-place writes the storage has seen (PyTorch's tensor._version).
  std::uint32_t _version() const { return impl_->storage->version; }
  // Marks the storage as written in place, for code that writes through data_ptr() (the
  // optimizers' fused updates): a backward that saved this tensor will then refuse to run.
  void bump_version() const { ++impl_->storage->version; }
  // True for a tensor made by a view op (view, transpose, slice, expand, ...); detach() is not one.
  bool is_view() const { return impl_->view_base != nullptr; }
  // Backpropagates from this tensor. `gradient` defaults to 1 for a one-element tensor.
  void backward(const Tensor& gradient = Tensor(), bool retain_graph = false) const;
  // A tensor sharing storage but cut out of the graph (PyTorch's .detach() and .data).
  Tensor detach() const;
  Tensor data() const { return detach(); }

  // ---- views (share storage)
  Tensor view(const Shape& shape) const;
  Tensor reshape(const Shape& shape) const;
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
  Tensor t() const;
  Tensor permute(const Shape& dims) const;
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
  // Python's t[start:end:step] along `dim`; negative and out-of-range bounds clamp as in Python.
  Tensor slice(std::int64_t dim, std::optional<std::int64_t> start, std::optional<std::int64_t> end,
               std::int64_t step = 1) const;
  Tensor select(std::int64_t dim, std::int64_t index) const;
  Tensor operator[](std::int64_t index) const { return select(0, index); }
  Tensor unsqueeze(std::int64_t dim) const;
  Tensor squeeze() const;
  Tensor squeeze(std::int64_t dim) const;
  Tensor expand(const Shape& shape) const;
  Tensor expand_as(const Tensor& other) const { return expand(other.shape()); }

  // ---- copies
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor to(DType dtype) const;
  Tensor index_select(std::int64_t dim, const Tensor& index) const;

  // ---- math (the free functions in ops.h, as methods)
  Tensor sum() const;
  Tensor sum(const Shape& dims, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(const Shape& dims, bool keepdim = false) const;
  Tensor max() const;
  Tensor argmax() const;
  Tensor argmax(std::int64_t dim, bool keepdim = false) const;
  Tensor exp() const;
  Tensor log() const;
  Tensor sqrt() const;
  Tensor abs() const;
  Tensor tanh() const;
  Tensor sigmoid() const;
  Tensor relu() const;
  Tensor neg() const;
  Tensor pow(double exponent) const;
  Tensor clamp(std::optional<double> min, std::optional<double> max) const;
  Tensor matmul(const Tensor& other) const;
  Tensor mm(const Tensor& other) const;

  // ---- in place, as PyTorch: each bumps the storage's version; on a tensor autograd tracks
  // (or with an operand that requires grad) it is recorded in the graph, rebasing the tensor's
  // history; on a leaf that requires grad it is refused outside NoGradGuard. The result type
  // of both operands must be castable to this tensor's dtype (a float into int64 is an error).
  Tensor& zero_();
  Tensor& fill_(double value);
  Tensor& copy_(const Tensor& src);
  Tensor& add_(const Tensor& other, double alpha = 1.0);
  Tensor& add_(double value);
  Tensor& sub_(const Tensor& other, double alpha = 1.0);
  Tensor& sub_(double value);
  Tensor& mul_(const Tensor& other);
  Tensor& mul_(double value);
  Tensor& div_(const Tensor& other);
  Tensor& div_(double value);
  Tensor& clamp_(std::optional<double> min, std::optional<double> max);
  Tensor& pow_(double exponent);
  Tensor& neg_();
  Tensor& exp_();
  Tensor& log_();
  Tensor& sqrt_();
  Tensor& abs_();
  Tensor& tanh_();
  Tensor& sigmoid_();
  Tensor& relu_();
  Tensor& normal_(double mean = 0.0, double std = 1.0);
  Tensor& uniform_(double low = 0.0, double high = 1.0);

  // PyTorch's repr: "tensor([[ 1.9996, -3.4005]], requires_grad=True)".
  std::string to_string() const;

 private:
  std::int64_t checked_size(std::int64_t dim) const;  // negative dims, and the error
  std::int64_t checked_stride(std::int64_t dim) const;
  std::shared_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

// ---- creation
Tensor empty(const Shape& shape, DType dtype = kFloat32);
Tensor zeros(const Shape& shape, DType dtype = kFloat32);
Tensor ones(const Shape& shape, DType dtype = kFloat32);
Tensor full(const Shape& shape, double value, DType dtype = kFloat32);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor empty_like(const Tensor& t);
Tensor arange(double end, DType dtype = kInt64);
Tensor arange(double start, double end, double step = 1.0, DType dtype = kInt64);
Tensor eye(std::int64_t n, DType dtype = kFloat32);
Tensor scalar_tensor(double value, DType dtype = kFloat32);

// From nested initializer lists; floats default to float32, pass kInt64 etc. for others.
Tensor tensor(std::initializer_list<double> values, DType dtype = kFloat32);
Tensor tensor(std::initializer_list<std::initializer_list<double>> values, DType dtype = kFloat32);
Tensor tensor(std::initializer_list<std::initializer_list<std::initializer_list<double>>> values,
              DType dtype = kFloat32);

template <class T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape);
template <class T>
Tensor from_vector(const std::vector<T>& values) {
  return from_vector(values, Shape{static_cast<std::int64_t>(values.size())});
}

// ---- random (drawn from the global generator; see random.h for manual_seed)
Tensor randn(const Shape& shape, DType dtype = kFloat32);
Tensor rand(const Shape& shape, DType dtype = kFloat32);
Tensor normal(double mean, double std, const Shape& shape, DType dtype = kFloat32);
Tensor randperm(std::int64_t n);

}  // namespace d2l
