#include "d2l/shape.h"

#include <ostream>
#include <sstream>

#include "d2l/error.h"

namespace d2l {

static std::string join(const Shape& shape, const char* sep) {
  std::ostringstream os;
  for (std::size_t i = 0; i < shape.size(); ++i) os << (i ? sep : "") << shape[i];
  return os.str();
}

std::string shape_str(const Shape& shape) { return "[" + join(shape, ", ") + "]"; }
std::ostream& operator<<(std::ostream& os, const Shape& shape) { return os << shape_str(shape); }
std::string shape_x(const Shape& shape) { return join(shape, "x"); }

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  if (a == b) return a;  // most binary ops: nothing to broadcast
  const std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    D2L_CHECK(da == db || da == 1 || db == 1, op, ": shapes ", shape_str(a), " and ", shape_str(b),
              " cannot be broadcast (dim ", i, ": ", da, " vs ", db, ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::int64_t wrap_dim(std::int64_t dim, std::int64_t ndim, const char* op) {
  const std::int64_t lo = ndim == 0 ? -1 : -ndim, hi = ndim == 0 ? 0 : ndim - 1;
  D2L_CHECK(dim >= lo && dim <= hi, op, ": dimension out of range (expected to be in range of [", lo,
            ", ", hi, "], but got ", dim, ")");
  return dim < 0 ? dim + (ndim == 0 ? 1 : ndim) : dim;
}

}  // namespace d2l
