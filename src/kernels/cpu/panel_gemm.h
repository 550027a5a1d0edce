#pragma once
// Our float32 product for the shapes where OpenBLAS loses time: a narrow side (softmax's 10
// classes), short products repeated with one right operand (a recurrent layer's W_hh at
// every step), and calls made inside our own parallel regions (OpenBLAS's OpenMP build
// starts a nested team there). B is copied once into panels of 16 columns; a tile of rows
// then sweeps k, broadcasting each A element against the panels' rows. Every C element is
// summed over k in order, so results do not depend on tiling or on the thread count.
#include <cstdint>
#include <vector>

namespace d2l::kernels {

// One row of a panel: 16 float lanes (AVX-512 where the machine has it; GCC splits the
// type into narrower registers elsewhere, from the same source).
inline constexpr std::int64_t kPanelWidth = 16;
using PanelLanes = float __attribute__((vector_size(kPanelWidth * sizeof(float))));

// B (k x n) as panels of 16 columns, the last one zero-padded.
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

}  // namespace d2l::kernels
