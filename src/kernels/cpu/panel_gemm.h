#pragma once
// Our float32 product (every float32 matmul, and a recurrent layer's products). B is copied
// once into panels of one vector register's width; a tile of rows then sweeps k,
// broadcasting each A element against the panels' rows, with fused multiply-adds. On the
// chapters' shapes it runs at 1.0-1.5x OpenBLAS 0.3.21's speed with AVX2, and about 2x with
// AVX-512 on AMD Zen 5, where that OpenBLAS runs its AVX2 kernels; 2-6x with a narrow side
// such as softmax's 10 classes. Packed once, a recurrent layer's W_hh serves all its steps,
// and the kernel can run inside our own parallel regions (OpenBLAS's OpenMP build starts a
// nested team there). Every C element is summed over k in order, so results do not depend
// on tiling or on the thread count.
#include <cstdint>
#include <vector>

namespace d2l::kernels {

// One row of a panel: one vector register of floats, 16 with AVX-512, 8 with AVX, 4
// otherwise. (A type wider than the registers would be split by GCC through memory.)
#if defined(__AVX512F__)
inline constexpr std::int64_t kPanelWidth = 16;
#elif defined(__AVX__)
inline constexpr std::int64_t kPanelWidth = 8;
#else
inline constexpr std::int64_t kPanelWidth = 4;
#endif
using PanelLanes = float __attribute__((vector_size(kPanelWidth * sizeof(float))));

// B (k x n) as panels of kPanelWidth columns, the last one zero-padded.
class PackedPanels {
 public:
  // Element (q, j) of B is b[q * bs0 + j * bs1].
  void pack(const float* b, std::int64_t bs0, std::int64_t bs1, std::int64_t k, std::int64_t n);
  std::int64_t k() const { return k_; }
  std::int64_t n() const { return n_; }
  std::int64_t panels() const { return (n_ + kPanelWidth - 1) / kPanelWidth; }
  const PanelLanes* panel(std::int64_t p) const { return rows_.data() + p * k_; }

 private:
  std::int64_t k_ = 0, n_ = 0;
  std::vector<PanelLanes> rows_;  // panel p's row q at rows_[p * k + q]
};

// Where a product's A and C live: element (i, j) of X at x[i * xs0 + j * xs1].
struct PanelOperands {
  const float* a;
  std::int64_t as0, as1;
  float* c;
  std::int64_t cs0, cs1;
};

// Rows [row_begin, row_end) of C = alpha * A @ B + beta * C, on the calling thread. beta 0
// ignores what C held, as BLAS does.
void panel_gemm_rows(const PanelOperands& x, const PackedPanels& b, std::int64_t row_begin, std::int64_t row_end,
                     float alpha, float beta);

// The whole product C (m x n) = alpha * A @ B + beta * C, split over our threads when it is
// big enough to pay for them and the caller is not already in a parallel region.
void panel_gemm(const PanelOperands& x, const PackedPanels& b, std::int64_t m, float alpha, float beta);

// C (m x n) = alpha * A (m x k) @ B (k x n) + beta * C, each read through its strides
// (element (i, j) of X at px[i * xs0 + j * xs1]). Packs the narrower of A and B into a
// per-thread buffer: B, or A for C^T = B^T A^T written through C's swapped strides. The
// values are the same either way.
void panel_product(const float* a, std::int64_t as0, std::int64_t as1, const float* b, std::int64_t bs0,
                   std::int64_t bs1, float* c, std::int64_t cs0, std::int64_t cs1, std::int64_t m, std::int64_t k,
                   std::int64_t n, float alpha, float beta);

}  // namespace d2l::kernels
