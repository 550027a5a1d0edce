// Recurrent layers: the whole sequence's forward and backward over raw pointers.
// Shapes in comments: T steps, B batch rows, C input features, H hidden units, G gates.
#include "kernels/cpu/recurrent.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/cpu/loops.h"
#include "kernels/cpu/panel_gemm.h"
#include "kernels/cpu/vec_math.h"

namespace d2l::kernels {

namespace {

// C (m x n, row stride ldc) = alpha * op(A) @ op(B) + beta * C, all row-major. float32 goes
// through our panel kernel: it is called between our own parallel regions, and on these
// shapes it is faster than OpenBLAS (bench/matmul_bench.cpp).
void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
          std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc) {
  panel_product(a, ta ? 1 : lda, ta ? lda : 1, b, tb ? 1 : ldb, tb ? ldb : 1, c, ldc, 1, m, k, n, alpha, beta);
}

void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, double alpha, const double* a,
          std::int64_t lda, const double* b, std::int64_t ldb, double beta, double* c, std::int64_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) {  // a sum of nothing: BLAS's handling of k = 0 varies, so scale C here
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
    return;
  }
  const auto i = [](std::int64_t v) { return static_cast<int>(std::max<std::int64_t>(v, 1)); };
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, i(m), i(n), i(k), alpha,
              a, i(lda), b, i(ldb), beta, c, i(ldc));
}

// The product every step repeats with one right operand B (k x n): W_hh^T forward, W_hh
// backward. Rows [begin, end) of C (row stride n) = A (row stride k) @ B, added to C or not.
// float32 packs B once for all steps, and each thread runs its own rows; float64 (used by
// the gradient checks) calls BLAS on one thread.
template <class T>
class StepProduct;

template <>
class StepProduct<float> {
 public:
  StepProduct(const float* b, std::int64_t bs0, std::int64_t bs1, std::int64_t k, std::int64_t n) {
    packed_.pack(b, bs0, bs1, k, n);
  }
  void rows(const float* a, float* c, std::int64_t begin, std::int64_t end, bool add) const {
    panel_gemm_rows({a, packed_.k(), 1, c, packed_.n(), 1}, packed_, begin, end, 1.0f, add ? 1.0f : 0.0f);
  }
  static int threads() { return omp_in_parallel() ? 1 : omp_get_max_threads(); }

 private:
  PackedPanels packed_;
};

template <>
class StepProduct<double> {
 public:
  StepProduct(const double* b, std::int64_t bs0, std::int64_t bs1, std::int64_t k, std::int64_t n)
      : b_(b), transposed_(bs0 == 1 && bs1 != 1), ld_(transposed_ ? bs1 : bs0), k_(k), n_(n) {}
  void rows(const double* a, double* c, std::int64_t begin, std::int64_t end, bool add) const {
    gemm(false, transposed_, end - begin, n_, k_, 1.0, a + begin * k_, k_, b_, ld_, add ? 1.0 : 0.0, c + begin * n_,
         n_);
  }
  // BLAS inside our parallel region would start a nested team per call.
  static int threads() { return 1; }

 private:
  const double* b_;
  bool transposed_;
  std::int64_t ld_, k_, n_;
};

// The batch rows thread `t` of `threads` runs: rows are independent through the whole
// recurrence, so the threads meet only at the region's end.
struct RowRange {
  std::int64_t begin, end;
};
RowRange rows_of_thread(std::int64_t batch, int t, int threads) {
  const std::int64_t per = (batch + threads - 1) / threads;
  return {std::min(batch, t * per), std::min(batch, (t + 1) * per)};
}

// Threads for a recurrence over `batch` rows: at least 8 rows each, a whole tile of the product.
template <class T>
int recurrence_threads(std::int64_t batch) {
  return static_cast<int>(std::clamp<std::int64_t>(batch / 8, 1, StepProduct<T>::threads()));
}

template <class T>
const T* ptr_or_null(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

// The layer's sizes and operands as raw pointers (null for an undefined operand).
template <class T>
struct Layer {
  explicit Layer(const RecurrentInputs& in)
      : cell(in.cell),
        steps(in.input.size(0)),
        batch(in.input.size(1)),
        features(in.w_ih.size(1)),
        hidden(in.w_hh.size(1)),
        gates(recurrent_gates(in.cell)),
        indices(in.input.dtype() == kInt64 ? in.input.data_ptr<std::int64_t>() : nullptr),
        x(indices ? nullptr : in.input.data_ptr<T>()),
        h0(ptr_or_null<T>(in.h0)),
        c0(ptr_or_null<T>(in.c0)),
        w_ih(in.w_ih.data_ptr<T>()),
        w_hh(in.w_hh.data_ptr<T>()),
        b_ih(ptr_or_null<T>(in.b_ih)),
        b_hh(ptr_or_null<T>(in.b_hh)) {}
  RecurrentCell cell;
  std::int64_t steps, batch, features, hidden, gates;
  const std::int64_t* indices;  // (T*B) one-hot positions, or null for a dense input
  const T* x;                   // (T*B, C)
  const T *h0, *c0, *w_ih, *w_hh, *b_ih, *b_hh;
  std::int64_t rows() const { return steps * batch; }
  std::int64_t width() const { return gates * hidden; }
  bool is_rnn() const { return cell == RecurrentCell::RnnTanh || cell == RecurrentCell::RnnRelu; }
};

// pre (T*B, G*H) = input @ W_ih^T + b_ih (+ b_hh, except for GRU: its steps add b_hh with
// W_hh h, since b_hn must sit inside r * (W_hn h + b_hn)).
template <class T>
void input_projection(const Layer<T>& l, T* pre) {
  const std::int64_t rows = l.rows(), width = l.width();
  std::vector<T> bias(static_cast<std::size_t>(width), T(0));
  if (l.b_ih)
    for (std::int64_t j = 0; j < width; ++j) bias[j] += l.b_ih[j];
  if (l.b_hh && l.cell != RecurrentCell::Gru)
    for (std::int64_t j = 0; j < width; ++j) bias[j] += l.b_hh[j];
  for (std::int64_t r = 0; r < rows; ++r) std::copy(bias.begin(), bias.end(), pre + r * width);
  if (l.x) {
    gemm(false, true, rows, width, l.features, T(1), l.x, l.features, l.w_ih, l.features, T(1), pre, width);
    return;
  }
  // One-hot rows: the product picks one column of W_ih per row, read from a transposed copy.
  std::vector<T> wt(static_cast<std::size_t>(l.features * width));
  transpose(l.w_ih, width, l.features, l.features, wt.data(), width);
  for (std::int64_t r = 0; r < rows; ++r) {
    const T* w = wt.data() + l.indices[r] * width;
    T* p = pre + r * width;
    for (std::int64_t j = 0; j < width; ++j) p[j] += w[j];
  }
}

// ---- cells: one batch row of one step, written so that GCC vectorizes them: restrict
// pointers, gate sections as offsets of one row (GCC gives up on restrict pointers derived
// from one another), and a zero initial state passed as a row of zeros rather than tested.

// GRU: g (3H) holds the input side's pre-activations on entry and r z n on return; gh (3H)
// is W_hh h + b_hh; hn keeps its n part for the backward.
template <class T>
void gru_row(std::int64_t hidden, T* __restrict g, const T* __restrict gh, const T* __restrict prev, T* __restrict h,
             T* __restrict hn) {
  for (std::int64_t j = 0; j < hidden; ++j) {
    const T r = vec::sigmoid(g[j] + gh[j]);
    const T z = vec::sigmoid(g[hidden + j] + gh[hidden + j]);
    const T n = vec::tanh(g[2 * hidden + j] + r * gh[2 * hidden + j]);
    g[j] = r;
    g[hidden + j] = z;
    g[2 * hidden + j] = n;
    hn[j] = gh[2 * hidden + j];
    h[j] = (prev[j] - n) * z + n;  // (1 - z) * n + z * h, in PyTorch's arrangement
  }
}

// LSTM: g (4H) pre-activations in, i f g o out; c, tc = tanh(c) and h out.
template <class T>
void lstm_row(std::int64_t hidden, T* __restrict g, const T* __restrict c_prev, T* __restrict c, T* __restrict tc,
              T* __restrict h) {
  for (std::int64_t j = 0; j < hidden; ++j) {
    const T i = vec::sigmoid(g[j]), f = vec::sigmoid(g[hidden + j]);
    const T cell = vec::tanh(g[2 * hidden + j]), o = vec::sigmoid(g[3 * hidden + j]);
    g[j] = i;
    g[hidden + j] = f;
    g[2 * hidden + j] = cell;
    g[3 * hidden + j] = o;
    const T c_new = f * c_prev[j] + i * cell;
    const T t = vec::tanh(c_new);
    c[j] = c_new;
    tc[j] = t;
    h[j] = o * t;
  }
}

// The backward of lstm_row into d (4H). dh: the gradient of h; dc_in: that of c from outside
// (the cell states output); dc_next: in, the gradient from step t+1, out, the one for c_{t-1}.
template <class T>
void lstm_row_backward(std::int64_t hidden, const T* __restrict g, const T* __restrict c_prev, const T* __restrict tc,
                       const T* __restrict dh, const T* __restrict dc_in, T* __restrict dc_next, T* __restrict d) {
  for (std::int64_t j = 0; j < hidden; ++j) {
    const T i = g[j], f = g[hidden + j], cell = g[2 * hidden + j], o = g[3 * hidden + j], t = tc[j];
    const T dc = dc_in[j] + dc_next[j] + dh[j] * o * (T(1) - t * t);
    d[j] = dc * cell * i * (T(1) - i);
    d[hidden + j] = dc * c_prev[j] * f * (T(1) - f);
    d[2 * hidden + j] = dc * i * (T(1) - cell * cell);
    d[3 * hidden + j] = dh[j] * t * o * (T(1) - o);
    dc_next[j] = dc * f;
  }
}

// The backward of gru_row: dx and dhh (3H) are the gate gradients of the input and hidden
// sides; dh_direct gets dh * z, the path from h_{t-1} to h_t that bypasses the product.
template <class T>
void gru_row_backward(std::int64_t hidden, const T* __restrict g, const T* __restrict hn, const T* __restrict prev,
                      const T* __restrict dh, T* __restrict dx, T* __restrict dhh, T* __restrict dh_direct) {
  for (std::int64_t j = 0; j < hidden; ++j) {
    const T r = g[j], z = g[hidden + j], n = g[2 * hidden + j];
    const T dan = dh[j] * (T(1) - z) * (T(1) - n * n);
    const T dar = dan * hn[j] * r * (T(1) - r);
    const T daz = dh[j] * (prev[j] - n) * z * (T(1) - z);
    dx[j] = dar;
    dhh[j] = dar;
    dx[hidden + j] = daz;
    dhh[hidden + j] = daz;
    dx[2 * hidden + j] = dan;
    dhh[2 * hidden + j] = dan * r;
    dh_direct[j] = dh[j] * z;
  }
}

template <class T>
void forward_impl(const RecurrentInputs& in, RecurrentSaved& s) {
  const Layer<T> l(in);
  const std::int64_t batch = l.batch, hidden = l.hidden, width = l.width(), bh = batch * hidden;
  T* hs = s.states.data_ptr<T>();
  T* cs = l.cell == RecurrentCell::Lstm ? hs + l.rows() * hidden : nullptr;
  // The plain RNN's pre-activations go straight into its output; the gated cells keep theirs.
  T* pre = l.is_rnn() ? hs : s.gates.data_ptr<T>();
  T* extra = s.extra.defined() ? s.extra.data_ptr<T>() : nullptr;
  input_projection(l, pre);
  const std::vector<T> zero(static_cast<std::size_t>(bh), T(0));
  std::vector<T> gh(l.cell == RecurrentCell::Gru ? static_cast<std::size_t>(batch * width) : 0);
  const StepProduct<T> product(l.w_hh, 1, hidden, hidden, width);  // h @ W_hh^T
  const int threads = recurrence_threads<T>(batch);
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    const auto [b0, b1] = rows_of_thread(batch, omp_get_thread_num(), omp_get_num_threads());
    for (std::int64_t t = 0; t < l.steps; ++t) {
      const T* hp = t > 0 ? hs + (t - 1) * bh : l.h0;  // null: a zero state, nothing to multiply
      T* pre_t = pre + t * batch * width;
      T* h_t = hs + t * bh;
      if (l.cell == RecurrentCell::Gru) {
        for (std::int64_t b = b0; b < b1; ++b) {
          if (l.b_hh)
            std::copy(l.b_hh, l.b_hh + width, gh.data() + b * width);
          else
            std::fill(gh.data() + b * width, gh.data() + (b + 1) * width, T(0));
        }
        if (hp) product.rows(hp, gh.data(), b0, b1, true);
        const T* prev = hp ? hp : zero.data();
        for (std::int64_t b = b0; b < b1; ++b)
          gru_row(hidden, pre_t + b * width, gh.data() + b * width, prev + b * hidden, h_t + b * hidden,
                  extra + t * bh + b * hidden);
        continue;
      }
      if (hp) product.rows(hp, pre_t, b0, b1, true);
      if (l.cell == RecurrentCell::Lstm) {
        const T* cp = t > 0 ? cs + (t - 1) * bh : (l.c0 ? l.c0 : zero.data());
        for (std::int64_t b = b0; b < b1; ++b)
          lstm_row(hidden, pre_t + b * width, cp + b * hidden, cs + t * bh + b * hidden, extra + t * bh + b * hidden,
                   h_t + b * hidden);
      } else if (l.cell == RecurrentCell::RnnRelu) {
        for (std::int64_t k = b0 * hidden; k < b1 * hidden; ++k)
          h_t[k] = h_t[k] > T(0) ? h_t[k] : (h_t[k] != h_t[k] ? h_t[k] : T(0));
      } else {
        for (std::int64_t k = b0 * hidden; k < b1 * hidden; ++k) h_t[k] = vec::tanh(h_t[k]);
      }
    }
  }
}

// ---- backward

template <class T>
Tensor column_sums(const T* m, std::int64_t rows, std::int64_t cols, DType dtype) {
  Tensor out = zeros({cols}, dtype);
  T* o = out.data_ptr<T>();
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t j = 0; j < cols; ++j) o[j] += m[r * cols + j];
  return out;
}

template <class T>
RecurrentGrads backward_impl(const RecurrentInputs& in, const RecurrentSaved& s, const Tensor& grad_states,
                             const std::array<bool, 7>& needs) {
  const Layer<T> l(in);
  const DType dtype = in.w_ih.dtype();
  const std::int64_t batch = l.batch, hidden = l.hidden, width = l.width(), bh = batch * hidden, rows = l.rows();
  const bool gru = l.cell == RecurrentCell::Gru, lstm = l.cell == RecurrentCell::Lstm;
  const T* hs = s.states.data_ptr<T>();
  const T* cs = lstm ? hs + rows * hidden : nullptr;
  const T* gates = l.is_rnn() ? nullptr : s.gates.data_ptr<T>();
  const T* extra = s.extra.defined() ? s.extra.data_ptr<T>() : nullptr;
  const T* dhs = grad_states.data_ptr<T>();
  const T* dcs = lstm ? dhs + rows * hidden : nullptr;

  // Gate gradients of every step: dgx for the input side, dgh for the hidden side. They
  // differ only in GRU's n part (r scales the hidden side there).
  Tensor dgx_t = empty({rows, width}, dtype);
  Tensor dgh_t = gru ? empty({rows, width}, dtype) : dgx_t;
  T* dgx = dgx_t.data_ptr<T>();
  T* dgh = dgh_t.data_ptr<T>();
  std::vector<T> dh(static_cast<std::size_t>(bh)), dh_next(static_cast<std::size_t>(bh), T(0));
  std::vector<T> dc_next(lstm ? static_cast<std::size_t>(bh) : 0, T(0));
  const std::vector<T> zero(static_cast<std::size_t>(bh), T(0));
  const bool need_h0 = needs[1] && l.h0, need_c0 = needs[2] && l.c0;

  const StepProduct<T> product(l.w_hh, hidden, 1, width, hidden);  // dgh @ W_hh
  const int threads = recurrence_threads<T>(batch);
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    const auto [b0, b1] = rows_of_thread(batch, omp_get_thread_num(), omp_get_num_threads());
    const std::int64_t k0 = b0 * hidden, k1 = b1 * hidden;
    for (std::int64_t t = l.steps - 1; t >= 0; --t) {
      const T* hp = t > 0 ? hs + (t - 1) * bh : l.h0;
      for (std::int64_t k = k0; k < k1; ++k) dh[k] = dhs[t * bh + k] + dh_next[k];
      T* dgx_s = dgx + t * batch * width;
      T* dgh_s = dgh + t * batch * width;
      if (l.is_rnn()) {
        const T* h = hs + t * bh;
        if (l.cell == RecurrentCell::RnnTanh) {
          for (std::int64_t k = k0; k < k1; ++k) dgx_s[k] = dh[k] * (T(1) - h[k] * h[k]);
        } else {
          for (std::int64_t k = k0; k < k1; ++k) dgx_s[k] = h[k] > T(0) ? dh[k] : T(0);
        }
      } else if (lstm) {
        const T* cp = t > 0 ? cs + (t - 1) * bh : (l.c0 ? l.c0 : zero.data());
        for (std::int64_t b = b0; b < b1; ++b) {
          const std::int64_t k = b * hidden;
          lstm_row_backward(hidden, gates + (t * batch + b) * width, cp + k, extra + t * bh + k, dh.data() + k,
                            dcs + t * bh + k, dc_next.data() + k, dgx_s + b * width);
        }
      } else {  // GRU
        const T* prev = hp ? hp : zero.data();
        for (std::int64_t b = b0; b < b1; ++b) {
          const std::int64_t k = b * hidden;
          gru_row_backward(hidden, gates + (t * batch + b) * width, extra + t * bh + k, prev + k, dh.data() + k,
                           dgx_s + b * width, dgh_s + b * width, dh_next.data() + k);
        }
      }
      // dh_{t-1} = dgh_t @ W_hh (+ GRU's direct path, already in dh_next).
      if (t > 0 || need_h0) product.rows(dgh_s, dh_next.data(), b0, b1, gru);
    }
  }

  RecurrentGrads grads;
  if (need_h0) grads[1] = from_vector(std::vector<T>(dh_next), {batch, hidden});
  if (need_c0) grads[2] = from_vector(std::vector<T>(dc_next), {batch, hidden});
  if (needs[0] && l.x) {  // dX (T*B, C) = dgx @ W_ih
    grads[0] = empty(in.input.shape(), dtype);
    gemm(false, false, rows, l.features, width, T(1), dgx, width, l.w_ih, l.features, T(0), grads[0].data_ptr<T>(),
            l.features);
  }
  if (needs[3]) {  // dW_ih (G*H, C) = dgx^T @ X
    grads[3] = empty({width, l.features}, dtype);
    T* dw = grads[3].data_ptr<T>();
    if (l.x) {
      gemm(true, false, width, l.features, rows, T(1), dgx, width, l.x, l.features, T(0), dw, l.features);
    } else {  // one-hot rows: each row's gate gradient lands in its token's column
      std::vector<T> dwt(static_cast<std::size_t>(l.features * width), T(0));
      for (std::int64_t r = 0; r < rows; ++r) {
        T* d = dwt.data() + l.indices[r] * width;
        const T* g = dgx + r * width;
        for (std::int64_t j = 0; j < width; ++j) d[j] += g[j];
      }
      transpose(dwt.data(), l.features, width, width, dw, l.features);
    }
  }
  if (needs[4]) {  // dW_hh (G*H, H) = sum over steps of dgh_t^T @ h_{t-1}: steps 1.. in one product
    grads[4] = empty({width, hidden}, dtype);
    T* dw = grads[4].data_ptr<T>();
    gemm(true, false, width, hidden, (l.steps - 1) * batch, T(1), dgh + batch * width, width, hs, hidden, T(0), dw,
            hidden);
    if (l.h0) gemm(true, false, width, hidden, batch, T(1), dgh, width, l.h0, hidden, T(1), dw, hidden);
  }
  if (needs[5]) grads[5] = column_sums(dgx, rows, width, dtype);
  if (needs[6]) grads[6] = column_sums(dgh, rows, width, dtype);
  return grads;
}

}  // namespace

RecurrentSaved recurrent_forward(const RecurrentInputs& in) {
  const DType dtype = in.w_ih.dtype();
  const std::int64_t steps = in.input.size(0), batch = in.input.size(1), hidden = in.w_hh.size(1);
  const std::int64_t rows = steps * batch, width = recurrent_gates(in.cell) * hidden;
  RecurrentSaved s;
  s.states = empty({in.cell == RecurrentCell::Lstm ? 2 : 1, steps, batch, hidden}, dtype);
  if (in.cell == RecurrentCell::Gru || in.cell == RecurrentCell::Lstm) {
    s.gates = empty({rows, width}, dtype);
    s.extra = empty({rows, hidden}, dtype);
  }
  D2L_DISPATCH_FLOATING(dtype, [&] { forward_impl<scalar_t>(in, s); });
  return s;
}

RecurrentGrads recurrent_backward(const RecurrentInputs& in, const RecurrentSaved& saved, const Tensor& grad_states,
                                  const std::array<bool, 7>& needs) {
  return D2L_DISPATCH_FLOATING(in.w_ih.dtype(), [&] { return backward_impl<scalar_t>(in, saved, grad_states, needs); });
}

}  // namespace d2l::kernels
