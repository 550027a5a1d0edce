// The narrow product: B is copied once into rows of 16 lanes (zero-padded), then each block
// of rows of A is swept once, every A element broadcast against one B row into a vector
// accumulator per output row. Sums run over k in order, so results do not depend on threads.
#include "kernels/cpu/narrow_gemm.h"

#include <omp.h>

#include <algorithm>
#include <vector>

namespace d2l::kernels {

namespace {

// One output row's 16 lanes. GCC's vector extension: AVX-512 where the machine has it,
// pairs of AVX registers (or narrower) elsewhere, from the same source.
using Lanes = float __attribute__((vector_size(kNarrowWidth * sizeof(float))));

// Rows per block: enough independent accumulators to cover the multiply-add latency.
constexpr int kBlockRows = 8;

struct Product {
  const float* pa;
  std::int64_t as0, as1;
  const Lanes* b_rows;
  float* pc;
  std::int64_t cs0, cs1, k, n;
  float alpha, beta;

  template <int R>
  void rows(std::int64_t i) const {
    Lanes acc[R] = {};
    const float* a = pa + i * as0;
    for (std::int64_t p = 0; p < k; ++p) {
      const Lanes b = b_rows[p];
      for (int r = 0; r < R; ++r) acc[r] += a[r * as0 + p * as1] * b;
    }
    for (int r = 0; r < R; ++r) {
      float* c = pc + (i + r) * cs0;
      for (std::int64_t j = 0; j < n; ++j) {
        const float v = alpha * acc[r][j];
        c[j * cs1] = beta == 0 ? v : v + beta * c[j * cs1];
      }
    }
  }

  void rows_in(std::int64_t begin, std::int64_t end) const {
    std::int64_t i = begin;
    for (; i + kBlockRows <= end; i += kBlockRows) rows<kBlockRows>(i);
    for (; i < end; ++i) rows<1>(i);
  }
};

// Below this many multiply-adds a second thread costs more than it saves.
constexpr std::int64_t kParallelMacs = std::int64_t{1} << 20;

}  // namespace

void narrow_gemm(const float* pa, std::int64_t as0, std::int64_t as1, const float* pb, std::int64_t bs0,
                 std::int64_t bs1, float* pc, std::int64_t cs0, std::int64_t cs1, std::int64_t m, std::int64_t k,
                 std::int64_t n, float alpha, float beta) {
  thread_local std::vector<Lanes> b_rows;
  b_rows.assign(static_cast<std::size_t>(k), Lanes{});
  for (std::int64_t p = 0; p < k; ++p)
    for (std::int64_t j = 0; j < n; ++j) b_rows[p][j] = pb[p * bs0 + j * bs1];
  const Product product{pa, as0, as1, b_rows.data(), pc, cs0, cs1, k, n, alpha, beta};

  const std::int64_t blocks = (m + kBlockRows - 1) / kBlockRows;
  if (m * k * n < kParallelMacs || omp_get_max_threads() == 1 || omp_in_parallel() || blocks < 2) {
    product.rows_in(0, m);
    return;
  }
#pragma omp parallel
  {
    // Whole blocks per thread, so every thread runs the 8-row loop.
    const std::int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const std::int64_t per = (blocks + threads - 1) / threads;
    const std::int64_t begin = std::min(m, t * per * kBlockRows), end = std::min(m, (t + 1) * per * kBlockRows);
    if (begin < end) product.rows_in(begin, end);
  }
}

}  // namespace d2l::kernels
