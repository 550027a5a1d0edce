#pragma once
// Element types. float32 is the default, as in PyTorch; bool holds comparison masks.
#include <cstddef>
#include <cstdint>
#include <string>

namespace d2l {

enum class DType : std::uint8_t { Bool, Int64, Float32, Float64 };
inline constexpr DType kBool = DType::Bool;
inline constexpr DType kInt64 = DType::Int64;
inline constexpr DType kFloat32 = DType::Float32;
inline constexpr DType kFloat64 = DType::Float64;

std::size_t element_size(DType dtype);
// "torch.float32"-style name, as PyTorch prints it.
std::string dtype_name(DType dtype);
bool is_floating(DType dtype);
// The dtype a binary op computes in: bool < int64 < float32 < float64.
DType promote_types(DType a, DType b);

template <class T> struct dtype_of;
template <> struct dtype_of<bool> { static constexpr DType value = kBool; };
template <> struct dtype_of<std::int64_t> { static constexpr DType value = kInt64; };
template <> struct dtype_of<float> { static constexpr DType value = kFloat32; };
template <> struct dtype_of<double> { static constexpr DType value = kFloat64; };

}  // namespace d2l

// Runs the body with `scalar_t` bound to the C++ type of `dtype`.
#define D2L_DISPATCH_ALL(dtype, ...)                                        \
  [&] {                                                                     \
    switch (dtype) {                                                        \
      case ::d2l::DType::Bool: { using scalar_t = bool; return __VA_ARGS__(); } \
      case ::d2l::DType::Int64: { using scalar_t = std::int64_t; return __VA_ARGS__(); } \
      case ::d2l::DType::Float32: { using scalar_t = float; return __VA_ARGS__(); } \
      default: { using scalar_t = double; return __VA_ARGS__(); }           \
    }                                                                       \
  }()

#define D2L_DISPATCH_NUMERIC(dtype, ...)                                    \
  [&] {                                                                     \
    switch (dtype) {                                                        \
      case ::d2l::DType::Int64: { using scalar_t = std::int64_t; return __VA_ARGS__(); } \
      case ::d2l::DType::Float32: { using scalar_t = float; return __VA_ARGS__(); } \
      case ::d2l::DType::Float64: { using scalar_t = double; return __VA_ARGS__(); } \
      default: throw ::d2l::Error("bool tensors are not supported here; convert with .to(kFloat32)"); \
    }                                                                       \
  }()

#define D2L_DISPATCH_FLOATING(dtype, ...)                                   \
  [&] {                                                                     \
    switch (dtype) {                                                        \
      case ::d2l::DType::Float32: { using scalar_t = float; return __VA_ARGS__(); } \
      case ::d2l::DType::Float64: { using scalar_t = double; return __VA_ARGS__(); } \
      default: throw ::d2l::Error("expected a floating-point tensor, got " + ::d2l::dtype_name(dtype)); \
    }                                                                       \
  }()
