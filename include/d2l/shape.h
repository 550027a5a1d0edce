#pragma once
// Shapes and strides: plain vectors of int64, row-major.
#include <cstdint>
#include <iosfwd>
#include <string>

#include "d2l/small_vector.h"

namespace d2l {

// Sizes or strides, one per dim; six dims fit without a heap allocation.
using Shape = SmallVector<std::int64_t, 6>;
std::ostream& operator<<(std::ostream& os, const Shape& shape);

std::int64_t numel(const Shape& shape);
Shape contiguous_strides(const Shape& shape);
// "[2, 3]"
std::string shape_str(const Shape& shape);
// "2x3", as in matmul's error messages.
std::string shape_x(const Shape& shape);
// Broadcast two shapes by NumPy rules; `op` names the operation in the error.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
// A dim index in [-ndim, ndim) made non-negative, or an error naming the op.
std::int64_t wrap_dim(std::int64_t dim, std::int64_t ndim, const char* op);

}  // namespace d2l
