// Creating tensors from values, fills and random draws: the factories that need the ops
// (a fill kernel, a cast, an in-place random fill), above the core's empty / zeros.
#include <vector>

#include "d2l/random.h"
#include "ops/ops_util.h"

namespace d2l {

template <class T>
std::vector<T> Tensor::to_vector() const {
  Tensor c = to(dtype_of<T>::value).contiguous();
  const T* p = c.data_ptr<T>();
  return std::vector<T>(p, p + c.numel());
}
template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;
template std::vector<std::int64_t> Tensor::to_vector<std::int64_t>() const;

Tensor full(const Shape& shape, double value, DType dtype) {
  Tensor t = empty(shape, dtype);
  kernels::fill(t, value);
  return t;
}

Tensor ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype()); }
Tensor scalar_tensor(double value, DType dtype) { return full({}, value, dtype); }

Tensor eye(std::int64_t n, DType dtype) {
  Tensor t = zeros({n, n}, dtype);
  for (std::int64_t i = 0; i < n; ++i) t[i][i].fill_(1.0);
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
