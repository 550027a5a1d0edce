// GEMM: plain loops for tiny products and int64, our panel kernel for float32 (faster than
// OpenBLAS 0.3.21 on every shape the chapters use, and the same result on any number of
// threads; bench/matmul_bench.cpp), CBLAS for float64.
#include <cblas.h>

#include <algorithm>

#include "kernels/cpu/kernels.h"
#include "kernels/cpu/panel_gemm.h"

namespace d2l::kernels {

namespace {

// A 2-D operand as the product reads it: the tensor itself, or its transpose (read through
// swapped strides, so no transposed view has to be made).
struct Operand {
  const Tensor& t;
  bool transposed;
  std::int64_t rows() const { return t.size(transposed ? 1 : 0); }
  std::int64_t cols() const { return t.size(transposed ? 0 : 1); }
  std::int64_t s0() const { return t.stride(transposed ? 1 : 0); }
  std::int64_t s1() const { return t.stride(transposed ? 0 : 1); }
};

// How BLAS reads a 2-D operand: transposed or not, and its leading dimension.
struct BlasView {
  bool ok = false;
  CBLAS_TRANSPOSE trans = CblasNoTrans;
  int ld = 0;
};

BlasView blas_view(const Operand& x) {
  const std::int64_t rows = x.rows(), cols = x.cols();
  const std::int64_t s0 = x.s0(), s1 = x.s1();
  BlasView v;
  // Row-major: unit column stride (or a single column), rows at least `cols` apart.
  if ((s1 == 1 || cols == 1) && (rows == 1 || s0 >= cols)) {
    v.ok = true;
    v.trans = CblasNoTrans;
    v.ld = static_cast<int>(std::max<std::int64_t>({rows == 1 ? cols : s0, cols, 1}));
    return v;
  }
  // A transposed row-major matrix: unit row stride.
  if ((s0 == 1 || rows == 1) && (cols == 1 || s1 >= rows)) {
    v.ok = true;
    v.trans = CblasTrans;
    v.ld = static_cast<int>(std::max<std::int64_t>({cols == 1 ? rows : s1, rows, 1}));
  }
  return v;
}
// A contiguous copy, made without touching the graph (kernels record nothing).
Tensor contiguous_copy(const Tensor& t) {
  Tensor c = empty(t.shape(), t.dtype());
  copy(t, c);
  return c;
}

// Products this small (linear regression's 10x2 @ 2x1) cost less as a plain loop than
// the BLAS call's own setup and locking. Accumulates in the output's type, as BLAS does.
constexpr std::int64_t kSmallGemm = 4096;

// C[i][j] = store(C[i][j], sum over p of A[i][p] * B[p][j]), each sum taken in order in T.
template <class T, class Store>
void small_gemm_loops(const T* pa, const T* pb, T* pc, std::int64_t m, std::int64_t k, std::int64_t n,
                      std::int64_t as0, std::int64_t as1, std::int64_t bs0, std::int64_t bs1, Store store) {
  if (n == 1) {  // matrix @ vector (a linear regression's product): one dot product per row
    for (std::int64_t i = 0; i < m; ++i) {
      const T* a_row = pa + i * as0;
      T s = 0;
      for (std::int64_t p = 0; p < k; ++p) s += a_row[p * as1] * pb[p * bs0];
      store(pc[i], s);
    }
    return;
  }
  for (std::int64_t i = 0; i < m; ++i) {
    const T* a_row = pa + i * as0;
    T* c_row = pc + i * n;
    for (std::int64_t j = 0; j < n; ++j) {
      const T* b_col = pb + j * bs1;
      T s = 0;
      for (std::int64_t p = 0; p < k; ++p) s += a_row[p * as1] * b_col[p * bs0];
      store(c_row[j], s);
    }
  }
}

template <class T>
void small_gemm_typed(const Operand& a, const Operand& b, const Tensor& c, double alpha, double beta) {
  const std::int64_t m = a.rows(), k = a.cols(), n = b.cols();
  const std::int64_t as0 = a.s0(), as1 = a.s1(), bs0 = b.s0(), bs1 = b.s1();
  const T* pa = a.t.data_ptr<T>();
  const T* pb = b.t.data_ptr<T>();
  T* pc = c.data_ptr<T>();
  // The two common cases get their own loops, with nothing to scale: the plain product, and
  // the product added to a bias already in C (linear).
  if (alpha == 1 && beta == 0) {
    small_gemm_loops(pa, pb, pc, m, k, n, as0, as1, bs0, bs1, [](T& out, T s) { out = s; });
  } else if (alpha == 1 && beta == 1) {
    small_gemm_loops(pa, pb, pc, m, k, n, as0, as1, bs0, bs1, [](T& out, T s) { out = s + out; });
  } else {
    const T al = static_cast<T>(alpha), be = static_cast<T>(beta);
    // beta 0 ignores whatever C held, as BLAS does.
    small_gemm_loops(pa, pb, pc, m, k, n, as0, as1, bs0, bs1,
                     [=](T& out, T s) { out = beta == 0 ? al * s : al * s + be * out; });
  }
}

}  // namespace

void gemm(const Tensor& a_in, const Tensor& b_in, const Tensor& c, double alpha, double beta, bool transpose_a,
          bool transpose_b) {
  const Operand a_op{a_in, transpose_a}, b_op{b_in, transpose_b};
  const std::int64_t m = a_op.rows(), k = a_op.cols(), n = b_op.cols();
  if (m == 0 || n == 0) return;
  if (a_in.dtype() == kInt64) {
    const auto* pa = a_in.data_ptr<std::int64_t>();
    const auto* pb = b_in.data_ptr<std::int64_t>();
    auto* pc = c.data_ptr<std::int64_t>();
    const std::int64_t as0 = a_op.s0(), as1 = a_op.s1(), bs0 = b_op.s0(), bs1 = b_op.s1();
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        std::int64_t s = 0;
        for (std::int64_t p = 0; p < k; ++p) s += pa[i * as0 + p * as1] * pb[p * bs0 + j * bs1];
        pc[i * n + j] = static_cast<std::int64_t>(alpha) * s + static_cast<std::int64_t>(beta) * pc[i * n + j];
      }
    return;
  }
  if (m * n * k <= kSmallGemm) {  // an empty inner dimension (k = 0) lands here too: sums of nothing are 0
    if (c.dtype() == kFloat32) small_gemm_typed<float>(a_op, b_op, c, alpha, beta);
    else small_gemm_typed<double>(a_op, b_op, c, alpha, beta);
    return;
  }
  if (c.dtype() == kFloat32) {
    panel_product(a_in.data_ptr<float>(), a_op.s0(), a_op.s1(), b_in.data_ptr<float>(), b_op.s0(), b_op.s1(),
                  c.data_ptr<float>(), n, 1, m, k, n, static_cast<float>(alpha), static_cast<float>(beta));
    return;
  }
  // A layout BLAS cannot read (a stride-0 or step-sliced operand) is copied first; the copy,
  // transposed or not, always can be.
  BlasView va = blas_view(a_op), vb = blas_view(b_op);
  const Tensor a = va.ok ? a_in : contiguous_copy(a_in);
  const Tensor b = vb.ok ? b_in : contiguous_copy(b_in);
  if (!va.ok) va = blas_view(Operand{a, transpose_a});
  if (!vb.ok) vb = blas_view(Operand{b, transpose_b});
  const int ldc = static_cast<int>(std::max<std::int64_t>(n, 1));
  cblas_dgemm(CblasRowMajor, va.trans, vb.trans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha,
              a.data_ptr<double>(), va.ld, b.data_ptr<double>(), vb.ld, beta, c.data_ptr<double>(), ldc);
}

}  // namespace d2l::kernels
