#pragma once
// A float32 product with one side at most 16 wide (softmax's N = 10 classes): BLAS packs
// and tiles for wide matrices and reaches half this loop's speed on such shapes.
#include <cstdint>

namespace d2l::kernels {

// The widest side the narrow product handles.
inline constexpr std::int64_t kNarrowWidth = 16;

// C = alpha * A @ B + beta * C for A (m x k), B (k x n), n <= kNarrowWidth, each read
// through its own strides: element (i, j) of X at px[i * xs0 + j * xs1]. beta 0 ignores
// what C held, as BLAS does.
void narrow_gemm(const float* pa, std::int64_t as0, std::int64_t as1, const float* pb, std::int64_t bs0,
                 std::int64_t bs1, float* pc, std::int64_t cs0, std::int64_t cs1, std::int64_t m, std::int64_t k,
                 std::int64_t n, float alpha, float beta);

}  // namespace d2l::kernels
