// GEMM through CBLAS for float32 / float64; a plain loop for int64.
#include <cblas.h>

#include <algorithm>

#include "kernels/cpu/kernels.h"

namespace d2l::kernels {

namespace {
// How BLAS reads a 2-D operand: transposed or not, and its leading dimension.
struct BlasView {
  bool ok = false;
  CBLAS_TRANSPOSE trans = CblasNoTrans;
  int ld = 0;
};

BlasView blas_view(const Tensor& t) {
  const std::int64_t rows = t.size(0), cols = t.size(1);
  const std::int64_t s0 = t.stride(0), s1 = t.stride(1);
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
// Products this small (linear regression's 10x2 @ 2x1) cost less as a plain loop than
// the BLAS call's own setup and locking. Accumulates in the output's type, as BLAS does.
constexpr std::int64_t kSmallGemm = 4096;

template <class T>
void small_gemm_typed(const Tensor& a, const Tensor& b, const Tensor& c, double alpha, double beta) {
  const std::int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  const std::int64_t as0 = a.stride(0), as1 = a.stride(1), bs0 = b.stride(0), bs1 = b.stride(1);
  const T* pa = a.data_ptr<T>();
  const T* pb = b.data_ptr<T>();
  T* pc = c.data_ptr<T>();
  if (alpha == 1 && beta == 0 && n == 1) {  // matrix @ vector (a linear regression's product)
    for (std::int64_t i = 0; i < m; ++i) {
      const T* a_row = pa + i * as0;
      T s = 0;
      for (std::int64_t p = 0; p < k; ++p) s += a_row[p * as1] * pb[p * bs0];
      pc[i] = s;
    }
    return;
  }
  if (alpha == 1 && beta == 0) {  // the plain product, nearly every call: nothing to scale or add
    for (std::int64_t i = 0; i < m; ++i) {
      const T* a_row = pa + i * as0;
      T* c_row = pc + i * n;
      for (std::int64_t j = 0; j < n; ++j) {
        const T* b_col = pb + j * bs1;
        T s = 0;
        for (std::int64_t p = 0; p < k; ++p) s += a_row[p * as1] * b_col[p * bs0];
        c_row[j] = s;
      }
    }
    return;
  }
  const T al = static_cast<T>(alpha), be = static_cast<T>(beta);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      T s = 0;
      for (std::int64_t p = 0; p < k; ++p) s += pa[i * as0 + p * as1] * pb[p * bs0 + j * bs1];
      T& out = pc[i * n + j];
      out = beta == 0 ? al * s : al * s + be * out;  // beta 0 ignores whatever C held, as BLAS
    }
}

void small_gemm(const Tensor& a, const Tensor& b, const Tensor& c, double alpha, double beta) {
  if (c.dtype() == kFloat32) small_gemm_typed<float>(a, b, c, alpha, beta);
  else small_gemm_typed<double>(a, b, c, alpha, beta);
}

}  // namespace

void gemm(const Tensor& a_in, const Tensor& b_in, const Tensor& c, double alpha, double beta) {
  const std::int64_t m = a_in.size(0), k = a_in.size(1), n = b_in.size(1);
  if (m == 0 || n == 0) return;
  if (a_in.dtype() == kInt64) {
    const Tensor a = a_in.contiguous(), b = b_in.contiguous();
    const auto* pa = a.data_ptr<std::int64_t>();
    const auto* pb = b.data_ptr<std::int64_t>();
    auto* pc = c.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        std::int64_t s = 0;
        for (std::int64_t p = 0; p < k; ++p) s += pa[i * k + p] * pb[p * n + j];
        pc[i * n + j] = static_cast<std::int64_t>(alpha) * s + static_cast<std::int64_t>(beta) * pc[i * n + j];
      }
    return;
  }
  if (m * n * k <= kSmallGemm) return small_gemm(a_in, b_in, c, alpha, beta);
  BlasView va = blas_view(a_in), vb = blas_view(b_in);
  const Tensor a = va.ok ? a_in : a_in.contiguous();
  const Tensor b = vb.ok ? b_in : b_in.contiguous();
  if (!va.ok) va = blas_view(a);
  if (!vb.ok) vb = blas_view(b);
  const int ldc = static_cast<int>(std::max<std::int64_t>(n, 1));
  if (k == 0) {  // empty inner dimension: C = beta * C
    if (beta == 0) fill(c, 0.0);
    else binary_scalar(Binary::Mul, c, beta, c);
    return;
  }
  if (c.dtype() == kFloat32) {
    cblas_sgemm(CblasRowMajor, va.trans, vb.trans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
                static_cast<float>(alpha), a.data_ptr<float>(), va.ld, b.data_ptr<float>(), vb.ld,
                static_cast<float>(beta), c.data_ptr<float>(), ldc);
  } else {
    cblas_dgemm(CblasRowMajor, va.trans, vb.trans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
                alpha, a.data_ptr<double>(), va.ld, b.data_ptr<double>(), vb.ld, beta, c.data_ptr<double>(), ldc);
  }
}

}  // namespace d2l::kernels
