#pragma once
// Strided N-operand iteration: the one loop every elementwise kernel is built on.
#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "d2l/shape.h"

namespace d2l::kernels {

// Tensors have at most this many dims (checked where shapes are made).
using d2l::kMaxDims;

// Calls inner(offsets, n, inner_strides) once per innermost row of `shape`, where
// offsets[i] is operand i's element offset at the row start. Broadcast operands use stride 0.
template <std::size_t N, class F>
void for_each_row(const Shape& shape, const std::array<const Shape*, N>& strides,
                  std::array<std::int64_t, N> offsets, F&& inner) {
  const std::size_t ndim = shape.size();
  std::array<std::int64_t, N> last{};
  if (ndim == 0) {
    inner(offsets, std::int64_t{1}, last);
    return;
  }
  for (std::size_t k = 0; k < N; ++k) last[k] = (*strides[k])[ndim - 1];
  const std::int64_t n = shape[ndim - 1];
  if (n == 0) return;
  std::int64_t outer = 1;
  for (std::size_t d = 0; d + 1 < ndim; ++d) outer *= shape[d];
  if (outer == 0) return;
  std::int64_t idx[kMaxDims] = {};
  for (std::int64_t o = 0; o < outer; ++o) {
    inner(offsets, n, last);
    for (std::size_t d = ndim - 1; d-- > 0;) {
      if (++idx[d] < shape[d]) {
        for (std::size_t k = 0; k < N; ++k) offsets[k] += (*strides[k])[d];
        break;
      }
      for (std::size_t k = 0; k < N; ++k) offsets[k] -= (*strides[k])[d] * (shape[d] - 1);
      idx[d] = 0;
    }
  }
}

// Below this many elements a parallel region costs more than it saves.
inline constexpr std::int64_t kParallelGrain = 1 << 15;

// Calls body(begin, end) over [0, n): split across threads when n is large, else directly.
// The branch matters: entering an OpenMP region, even one with if(false), wakes the
// runtime's futexes, which costs microseconds per op on small tensors.
template <class F>
void parallel_for(std::int64_t n, F&& body) {
  if (n < kParallelGrain || omp_get_max_threads() == 1 || omp_in_parallel()) {
    body(std::int64_t{0}, n);
    return;
  }
#pragma omp parallel
  {
    const std::int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const std::int64_t chunk = (n + threads - 1) / threads;
    const std::int64_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
    if (begin < end) body(begin, end);
  }
}

// Calls body(row_begin, row_end) over [0, rows), split across threads when the rows hold
// enough elements; for kernels whose rows are independent, so the split never changes a value.
template <class F>
void parallel_rows(std::int64_t rows, std::int64_t n, F&& body) {
  if (n <= 0) return body(std::int64_t{0}, rows);
  parallel_for(rows * n, [&](std::int64_t begin, std::int64_t end) {
    const std::int64_t r0 = (begin + n - 1) / n, r1 = (end + n - 1) / n;  // rows starting in [begin, end)
    if (r0 < r1) body(r0, r1);
  });
}

// dst (cols x rows, row stride dst_ld) = src^T for src (rows x cols, row stride src_ld), in
// 16 x 16 blocks: both sides then move whole cache lines, where a plain loop touches a new
// line of one side for every element.
template <class T>
void transpose(const T* src, std::int64_t rows, std::int64_t cols, std::int64_t src_ld, T* dst, std::int64_t dst_ld) {
  constexpr std::int64_t kBlock = 16;
  for (std::int64_t r0 = 0; r0 < rows; r0 += kBlock)
    for (std::int64_t c0 = 0; c0 < cols; c0 += kBlock) {
      const std::int64_t r1 = std::min(rows, r0 + kBlock), c1 = std::min(cols, c0 + kBlock);
      for (std::int64_t c = c0; c < c1; ++c)
        for (std::int64_t r = r0; r < r1; ++r) dst[c * dst_ld + r] = src[r * src_ld + c];
    }
}

// Strides of an operand of shape `in_shape` read as `out_shape` (right-aligned, 0 on broadcast dims).
inline Shape broadcast_strides(const Shape& in_shape, const Shape& in_strides, const Shape& out_shape) {
  Shape s(out_shape.size(), 0);
  const std::size_t pad = out_shape.size() - in_shape.size();
  for (std::size_t i = 0; i < in_shape.size(); ++i)
    s[pad + i] = in_shape[i] == 1 ? 0 : in_strides[i];
  return s;
}

}  // namespace d2l::kernels
