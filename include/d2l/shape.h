#pragma once
// Shapes and strides: plain vectors of int64, row-major.
#include <cstdint>
#include <iosfwd>
#include <string>

#include "d2l/small_vector.h"

namespace d2l {

// The most dims a tensor may have (the kernels' index arrays are this long).
inline constexpr std::size_t kMaxDims = 64;

// Sizes or strides, one per dim; six dims fit without a heap allocation.
using Shape = SmallVector<std::int64_t, 6>;
std::ostream& operator<<(std::ostream& os, const Shape& shape);

// Inline: every op calls these, and most shapes have one to three dims.
inline std::int64_t numel(const Shape& shape) {
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}
inline Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  std::int64_t s = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= shape[i] > 0 ? shape[i] : 1;
  }
  return strides;
}
// "[2, 3]"
std::string shape_str(const Shape& shape);
// "2x3", as in matmul's error messages.
std::string shape_x(const Shape& shape);
// Broadcast two shapes by NumPy rules; `op` names the operation in the error.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
// A dim index in [-ndim, ndim) made non-negative, or an error naming the op.
std::int64_t wrap_dim(std::int64_t dim, std::int64_t ndim, const char* op);

}  // namespace d2l
