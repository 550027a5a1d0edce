// Softmax, log-softmax, the fused cross entropy and NLL loss over contiguous memory.
// Rows are handled in L1-sized groups, each in plain passes over the whole group (row max
// and shift, one exp over every element, row sums, then the scaling), so that short rows
// such as 10 classes still run in full vectors instead of loops of ten.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "kernels/cpu/classify.h"
#include "kernels/cpu/loops.h"
#include "kernels/cpu/vec_math.h"

namespace d2l::kernels {

namespace {

// e^x over a block; every caller passes values minus their row max, or log-probabilities (<= 0).
template <class T>
void exp_block(const T* in, T* out, std::int64_t n) {
  if constexpr (std::is_same_v<T, float>) {
    for (std::int64_t i = 0; i < n; ++i) out[i] = vec::exp_nonpositive(in[i]);  // vectorized: no call per element
  } else {
    for (std::int64_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);  // float64: exact libm results
  }
}

// A per-thread buffer reused across calls, so the steady state allocates nothing.
template <class T>
T* scratch(std::size_t n) {
  static thread_local std::vector<T> buffer;
  if (buffer.size() < n) buffer.resize(n);
  return buffer.data();
}

// Rows of at least this many elements are reduced one by one with 8 partial results each;
// shorter rows (10 classes) are reduced down the columns of a group of rows, so that every
// row's running value is independent and the loop runs at throughput, not at the latency of
// one long dependency chain per row.
constexpr std::int64_t kLongRow = 64;

// out[r] = combine over j of load(r, j), for r in [0, rows) and n >= 1.
template <class T, class Load, class Combine>
void reduce_rows(std::int64_t rows, std::int64_t n, T* out, Load load, Combine combine) {
  if (n < kLongRow) {
    for (std::int64_t r = 0; r < rows; ++r) out[r] = load(r, 0);
    for (std::int64_t j = 1; j < n; ++j)
      for (std::int64_t r = 0; r < rows; ++r) out[r] = combine(out[r], load(r, j));
    return;
  }
  for (std::int64_t r = 0; r < rows; ++r) {
    T acc[8];
    for (int k = 0; k < 8; ++k) acc[k] = load(r, k);
    std::int64_t j = 8;
    for (; j + 8 <= n; j += 8)
      for (int k = 0; k < 8; ++k) acc[k] = combine(acc[k], load(r, j + k));
    for (; j < n; ++j) acc[0] = combine(acc[0], load(r, j));
    out[r] = combine(combine(combine(acc[0], acc[1]), combine(acc[2], acc[3])),
                     combine(combine(acc[4], acc[5]), combine(acc[6], acc[7])));
  }
}

template <class T>
T max_of(T a, T b) {
  return std::isgreater(b, a) ? b : a;  // a quiet comparison: GCC vectorizes this select on AVX2
}
template <class T>
T sum_of(T a, T b) {
  return a + b;
}

// Rows per group: about 2048 elements, so a group's passes stay in L1.
inline std::int64_t group_rows(std::int64_t n) { return std::max<std::int64_t>(1, 2048 / std::max<std::int64_t>(n, 1)); }

// Splits a contiguous shape at `dim` into (outer, n, inner).
void split(const Shape& shape, std::int64_t dim, std::int64_t& outer, std::int64_t& n, std::int64_t& inner) {
  outer = inner = 1;
  for (std::int64_t d = 0; d < dim; ++d) outer *= shape[d];
  n = shape[dim];
  for (std::size_t d = dim + 1; d < shape.size(); ++d) inner *= shape[d];
}

// y = x - (max of x's row), row by row; the maxima are left in m.
template <class T>
void shift_by_row_max(const T* x, T* y, T* m, std::int64_t rows, std::int64_t n) {
  reduce_rows(rows, n, m, [x, n](std::int64_t r, std::int64_t j) { return x[r * n + j]; }, max_of<T>);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t j = 0; j < n; ++j) y[r * n + j] = x[r * n + j] - m[r];
}

template <class T>
void row_sums(const T* x, T* s, std::int64_t rows, std::int64_t n) {
  reduce_rows(rows, n, s, [x, n](std::int64_t r, std::int64_t j) { return x[r * n + j]; }, sum_of<T>);
}

template <class T>
void softmax_rows(const T* x, T* y, std::int64_t rows, std::int64_t n, bool log) {
  const std::int64_t group = group_rows(n);
  T* m = scratch<T>(static_cast<std::size_t>(2 * group + (log ? group * n : 0)));
  T* s = m + group;
  T* e = s + group;
  for (std::int64_t r0 = 0; r0 < rows; r0 += group) {
    const std::int64_t count = std::min(group, rows - r0);
    T* yg = y + r0 * n;
    shift_by_row_max(x + r0 * n, yg, m, count, n);
    if (log) {
      exp_block(yg, e, count * n);
      row_sums(e, s, count, n);
      for (std::int64_t r = 0; r < count; ++r) s[r] = std::log(s[r]);
      for (std::int64_t r = 0; r < count; ++r)
        for (std::int64_t j = 0; j < n; ++j) yg[r * n + j] -= s[r];
    } else {
      exp_block(yg, yg, count * n);
      row_sums(yg, s, count, n);
      for (std::int64_t r = 0; r < count; ++r) s[r] = T(1) / s[r];
      for (std::int64_t r = 0; r < count; ++r)
        for (std::int64_t j = 0; j < n; ++j) yg[r * n + j] *= s[r];
    }
  }
}

// dim not last: per outer block, the n values of each of the `inner` columns are reduced
// with loops that run along the contiguous inner index.
template <class T>
void softmax_columns(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner, bool log) {
  T* m = scratch<T>(static_cast<std::size_t>(2 * inner + (log ? n * inner : 0)));
  T* s = m + inner;
  T* e = log ? s + inner : nullptr;
  for (std::int64_t o = 0; o < outer; ++o) {
    const T* xb = x + o * n * inner;
    T* yb = y + o * n * inner;
    for (std::int64_t i = 0; i < inner; ++i) m[i] = xb[i];
    for (std::int64_t j = 1; j < n; ++j)
      for (std::int64_t i = 0; i < inner; ++i) m[i] = max_of(m[i], xb[j * inner + i]);
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t i = 0; i < inner; ++i) yb[j * inner + i] = xb[j * inner + i] - m[i];
    T* eb = log ? e : yb;
    exp_block(yb, eb, n * inner);
    for (std::int64_t i = 0; i < inner; ++i) s[i] = 0;
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t i = 0; i < inner; ++i) s[i] += eb[j * inner + i];
    if (log) {
      for (std::int64_t i = 0; i < inner; ++i) s[i] = std::log(s[i]);
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t i = 0; i < inner; ++i) yb[j * inner + i] -= s[i];
    } else {
      for (std::int64_t i = 0; i < inner; ++i) s[i] = T(1) / s[i];
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t i = 0; i < inner; ++i) yb[j * inner + i] *= s[i];
    }
  }
}

template <class T>
void softmax_backward_rows(const T* y, const T* g, T* gi, std::int64_t rows, std::int64_t n, bool log) {
  const std::int64_t group = group_rows(n);
  T* s = scratch<T>(static_cast<std::size_t>(group + (log ? group * n : 0)));
  T* e = s + group;
  for (std::int64_t r0 = 0; r0 < rows; r0 += group) {
    const std::int64_t count = std::min(group, rows - r0);
    const T *yg = y + r0 * n, *gg = g + r0 * n;
    T* out = gi + r0 * n;
    if (log) {  // g - exp(y) * sum(g)
      exp_block(yg, e, count * n);
      row_sums(gg, s, count, n);
      for (std::int64_t r = 0; r < count; ++r)
        for (std::int64_t j = 0; j < n; ++j) out[r * n + j] = gg[r * n + j] - e[r * n + j] * s[r];
    } else {  // y * (g - sum(g * y))
      reduce_rows(count, n, s, [yg, gg, n](std::int64_t r, std::int64_t j) { return gg[r * n + j] * yg[r * n + j]; },
                  sum_of<T>);
      for (std::int64_t r = 0; r < count; ++r)
        for (std::int64_t j = 0; j < n; ++j) out[r * n + j] = yg[r * n + j] * (gg[r * n + j] - s[r]);
    }
  }
}

template <class T>
void softmax_backward_columns(const T* y, const T* g, T* gi, std::int64_t outer, std::int64_t n, std::int64_t inner,
                              bool log) {
  T* s = scratch<T>(static_cast<std::size_t>(inner + (log ? n * inner : 0)));
  T* e = s + inner;
  for (std::int64_t o = 0; o < outer; ++o) {
    const T *yb = y + o * n * inner, *gb = g + o * n * inner;
    T* out = gi + o * n * inner;
    for (std::int64_t i = 0; i < inner; ++i) s[i] = 0;
    if (log) {
      exp_block(yb, e, n * inner);
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t i = 0; i < inner; ++i) s[i] += gb[j * inner + i];
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t i = 0; i < inner; ++i) out[j * inner + i] = gb[j * inner + i] - e[j * inner + i] * s[i];
    } else {
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t i = 0; i < inner; ++i) s[i] += gb[j * inner + i] * yb[j * inner + i];
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t i = 0; i < inner; ++i)
          out[j * inner + i] = yb[j * inner + i] * (gb[j * inner + i] - s[i]);
    }
  }
}

// The per-row multiplier of a loss gradient: scale, times the row's upstream value if any.
template <class T>
T row_factor(double scale, const T* row_grad, std::int64_t r) {
  return static_cast<T>(row_grad ? scale * static_cast<double>(row_grad[r]) : scale);
}

}  // namespace

void softmax(const Tensor& x, std::int64_t dim, const Tensor& out, bool log) {
  std::int64_t outer, n, inner;
  split(x.shape(), dim, outer, n, inner);
  if (outer * n * inner == 0) return;
  D2L_DISPATCH_FLOATING(x.dtype(), [&] {
    if (inner == 1) softmax_rows(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), outer, n, log);
    else softmax_columns(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), outer, n, inner, log);
  });
}

void softmax_backward(const Tensor& y, const Tensor& g, std::int64_t dim, const Tensor& grad_in, bool log) {
  std::int64_t outer, n, inner;
  split(y.shape(), dim, outer, n, inner);
  if (outer * n * inner == 0) return;
  D2L_DISPATCH_FLOATING(y.dtype(), [&] {
    const scalar_t *py = y.data_ptr<scalar_t>(), *pg = g.data_ptr<scalar_t>();
    scalar_t* pgi = grad_in.data_ptr<scalar_t>();
    if (inner == 1) softmax_backward_rows(py, pg, pgi, outer, n, log);
    else softmax_backward_columns(py, pg, pgi, outer, n, inner, log);
  });
}

void cross_entropy(const Tensor& logits, const std::int64_t* target, const Tensor& exps, const Tensor& sums,
                   const Tensor& losses) {
  const std::int64_t rows = logits.size(0), n = logits.size(1);
  if (rows == 0 || n == 0) return;
  D2L_DISPATCH_FLOATING(logits.dtype(), [&] {
    using T = scalar_t;
    const T* x = logits.data_ptr<T>();
    T *e = exps.data_ptr<T>(), *s = sums.data_ptr<T>(), *loss = losses.data_ptr<T>();
    const std::int64_t group = group_rows(n);
    parallel_rows(rows, n, [&](std::int64_t row_begin, std::int64_t row_end) {
      T* m = scratch<T>(static_cast<std::size_t>(group));
      for (std::int64_t r0 = row_begin; r0 < row_end; r0 += group) {
        const std::int64_t count = std::min(group, row_end - r0);
        T* eg = e + r0 * n;
        shift_by_row_max(x + r0 * n, eg, m, count, n);
        // The picked logit minus the max, kept in loss[] until the sums are known.
        for (std::int64_t r = 0; r < count; ++r) loss[r0 + r] = eg[r * n + target[r0 + r]];
        exp_block(eg, eg, count * n);
        row_sums(eg, s + r0, count, n);
        for (std::int64_t r = r0; r < r0 + count; ++r) loss[r] = std::log(s[r]) - loss[r];  // -log_softmax at the target
      }
    });
  });
}

void cross_entropy_backward(const Tensor& exps, const Tensor& sums, const std::int64_t* target, double scale,
                            const Tensor& row_grad, const Tensor& grad_in) {
  const std::int64_t rows = exps.size(0), n = exps.size(1);
  D2L_DISPATCH_FLOATING(exps.dtype(), [&] {
    using T = scalar_t;
    const T *e = exps.data_ptr<T>(), *s = sums.data_ptr<T>();
    const T* rg = row_grad.defined() ? row_grad.data_ptr<T>() : nullptr;
    T* gi = grad_in.data_ptr<T>();
    parallel_rows(rows, n, [&](std::int64_t row_begin, std::int64_t row_end) {
      for (std::int64_t r = row_begin; r < row_end; ++r) {
        const T k = row_factor(scale, rg, r);
        const T f = k / s[r];  // softmax = e / s, times k
        const T* er = e + r * n;
        T* out = gi + r * n;
        for (std::int64_t j = 0; j < n; ++j) out[j] = er[j] * f;
        out[target[r]] -= k;
      }
    });
  });
}

void nll_loss(const Tensor& input, const std::int64_t* target, const Tensor& losses) {
  const std::int64_t rows = input.size(0), n = input.size(1);
  D2L_DISPATCH_FLOATING(input.dtype(), [&] {
    const scalar_t* x = input.data_ptr<scalar_t>();
    scalar_t* loss = losses.data_ptr<scalar_t>();
    for (std::int64_t r = 0; r < rows; ++r) loss[r] = -x[r * n + target[r]];
  });
}

void nll_loss_backward(const std::int64_t* target, double scale, const Tensor& row_grad, const Tensor& grad_in) {
  const std::int64_t rows = grad_in.size(0), n = grad_in.size(1);
  D2L_DISPATCH_FLOATING(grad_in.dtype(), [&] {
    using T = scalar_t;
    const T* rg = row_grad.defined() ? row_grad.data_ptr<T>() : nullptr;
    T* gi = grad_in.data_ptr<T>();
    std::fill(gi, gi + rows * n, T(0));
    for (std::int64_t r = 0; r < rows; ++r) gi[r * n + target[r]] = -row_factor(scale, rg, r);
  });
}

}  // namespace d2l::kernels
