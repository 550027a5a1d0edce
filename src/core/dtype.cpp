#include "d2l/dtype.h"

#include "d2l/error.h"

namespace d2l {

std::size_t element_size(DType dtype) {
  switch (dtype) {
    case kBool: return 1;
    case kInt64: return 8;
    case kFloat32: return 4;
    case kFloat64: return 8;
  }
  return 0;
}

std::string dtype_name(DType dtype) {
  switch (dtype) {
    case kBool: return "torch.bool";
    case kInt64: return "torch.int64";
    case kFloat32: return "torch.float32";
    case kFloat64: return "torch.float64";
  }
  return "unknown";
}

bool is_floating(DType dtype) { return dtype == kFloat32 || dtype == kFloat64; }

DType promote_types(DType a, DType b) {
  return static_cast<std::uint8_t>(a) > static_cast<std::uint8_t>(b) ? a : b;
}

}  // namespace d2l
