// Compiled with -ffp-contract=fast (CMakeLists.txt): each lane's a * b + acc becomes one
// fused multiply-add, the instruction OpenBLAS's kernels use too. It rounds once instead of
// twice; it is still IEEE arithmetic, and the same on every run.
#include "kernels/cpu/panel_gemm.h"

#include <omp.h>

#include <algorithm>
#include <cstring>

#include "kernels/cpu/loops.h"

namespace d2l::kernels {

void PackedPanels::pack(const float* b, std::int64_t bs0, std::int64_t bs1, std::int64_t k, std::int64_t n) {
  k_ = k;
  n_ = n;
  rows_.assign(static_cast<std::size_t>(panels() * k), PanelLanes{});
  for (std::int64_t p = 0; p < panels(); ++p) {
    PanelLanes* rows = rows_.data() + p * k;
    const std::int64_t j0 = p * kPanelWidth, width = std::min(kPanelWidth, n - j0);
    if (bs1 == 1 && width == kPanelWidth) {
      for (std::int64_t q = 0; q < k; ++q) std::memcpy(&rows[q], b + q * bs0 + j0, sizeof(PanelLanes));
    } else if (bs0 == 1) {  // B is a transposed row-major matrix (W^T): its columns are rows
      transpose(b + j0 * bs1, width, k, bs1, reinterpret_cast<float*>(rows), kPanelWidth);
    } else {
      for (std::int64_t q = 0; q < k; ++q)
        for (std::int64_t j = 0; j < width; ++j) rows[q][j] = b[q * bs0 + (j0 + j) * bs1];
    }
  }
}

namespace {

// Rows per tile and panels per tile: enough accumulators to cover the multiply-add latency
// on two pipes, with registers left for the panel rows and the broadcasts (32 vector
// registers with AVX-512, 16 otherwise).
#ifdef __AVX512F__
constexpr int kTileRows = 8;
#else
constexpr int kTileRows = 6;
#endif
constexpr int kTilePanels = 2;

struct Sweep {
  const PanelOperands& x;
  const PackedPanels& b;
  float alpha, beta;

  template <int R, int P>
  void tile(std::int64_t i, std::int64_t p0) const {
    PanelLanes acc[R][P] = {};
    const PanelLanes* panel[P];
    for (int p = 0; p < P; ++p) panel[p] = b.panel(p0 + p);
    const float* a = x.a + i * x.as0;
    const std::int64_t k = b.k();
    for (std::int64_t q = 0; q < k; ++q) {
      PanelLanes row[P];
#pragma GCC unroll 2
      for (int p = 0; p < P; ++p) row[p] = panel[p][q];
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        const float v = a[r * x.as0 + q * x.as1];
#pragma GCC unroll 2
        for (int p = 0; p < P; ++p) acc[r][p] += v * row[p];
      }
    }
    for (int r = 0; r < R; ++r)
      for (int p = 0; p < P; ++p) store(acc[r][p], i + r, p0 + p);
  }

  void store(PanelLanes v, std::int64_t i, std::int64_t p) const {
    const std::int64_t j0 = p * kPanelWidth, width = std::min(kPanelWidth, b.n() - j0);
    float* c = x.c + i * x.cs0 + j0 * x.cs1;
    if (alpha != 1) v *= alpha;
    if (x.cs1 == 1 && width == kPanelWidth) {
      if (beta != 0) {
        PanelLanes old;
        std::memcpy(&old, c, sizeof old);
        v += beta * old;
      }
      std::memcpy(c, &v, sizeof v);
      return;
    }
    for (std::int64_t j = 0; j < width; ++j) c[j * x.cs1] = beta == 0 ? v[j] : v[j] + beta * c[j * x.cs1];
  }

  template <int P>
  void rows(std::int64_t begin, std::int64_t end, std::int64_t p0) const {
    std::int64_t i = begin;
    for (; i + kTileRows <= end; i += kTileRows) tile<kTileRows, P>(i, p0);
    switch (end - i) {
      case 7: return tile<7, P>(i, p0);
      case 6: return tile<6, P>(i, p0);
      case 5: return tile<5, P>(i, p0);
      case 4: return tile<4, P>(i, p0);
      case 3: return tile<3, P>(i, p0);
      case 2: return tile<2, P>(i, p0);
      case 1: return tile<1, P>(i, p0);
      default: return;
    }
  }

  // Panel pairs outside, rows inside: a pair's rows stay in L1 while every row tile uses them.
  void run(std::int64_t row_begin, std::int64_t row_end, std::int64_t panel_begin, std::int64_t panel_end) const {
    std::int64_t p = panel_begin;
    for (; p + kTilePanels <= panel_end; p += kTilePanels) rows<kTilePanels>(row_begin, row_end, p);
    for (; p < panel_end; ++p) rows<1>(row_begin, row_end, p);
  }
};

// Below this many multiply-adds a second thread costs more than it saves.
constexpr std::int64_t kParallelMacs = std::int64_t{1} << 18;

}  // namespace

void panel_gemm_rows(const PanelOperands& x, const PackedPanels& b, std::int64_t row_begin, std::int64_t row_end,
                     float alpha, float beta) {
  Sweep{x, b, alpha, beta}.run(row_begin, row_end, 0, b.panels());
}

void panel_gemm(const PanelOperands& x, const PackedPanels& b, std::int64_t m, float alpha, float beta) {
  const Sweep sweep{x, b, alpha, beta};
  const std::int64_t panels = b.panels();
  if (m * b.k() * b.n() < kParallelMacs || omp_get_max_threads() == 1 || omp_in_parallel()) {
    sweep.run(0, m, 0, panels);
    return;
  }
#pragma omp parallel
  {
    // Whole row tiles per thread. (Callers pack the narrower operand, so the rows are the
    // long side.)
    const std::int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const std::int64_t tiles = (m + kTileRows - 1) / kTileRows, per = (tiles + threads - 1) / threads;
    const std::int64_t begin = std::min(m, t * per * kTileRows), end = std::min(m, (t + 1) * per * kTileRows);
    if (begin < end) sweep.run(begin, end, 0, panels);
  }
}

void panel_product(const float* a, std::int64_t as0, std::int64_t as1, const float* b, std::int64_t bs0,
                   std::int64_t bs1, float* c, std::int64_t cs0, std::int64_t cs1, std::int64_t m, std::int64_t k,
                   std::int64_t n, float alpha, float beta) {
  // Packing costs one pass over the packed operand.
  thread_local PackedPanels packed;
  if (n <= m) {
    packed.pack(b, bs0, bs1, k, n);
    panel_gemm({a, as0, as1, c, cs0, cs1}, packed, m, alpha, beta);
  } else {
    packed.pack(a, as1, as0, k, m);
    panel_gemm({b, bs1, bs0, c, cs1, cs0}, packed, n, alpha, beta);
  }
}

}  // namespace d2l::kernels
