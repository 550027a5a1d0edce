// Elementwise kernels: a contiguous fast path (vectorisable, threaded when large) and a
// general strided path for views and broadcasting.
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/cpu/kernels.h"
#include "kernels/cpu/loops.h"
#include "kernels/cpu/vec_math.h"

namespace d2l::kernels {

template <class T>
static T* base(const Tensor& t) {
  return static_cast<T*>(t.impl()->storage->data);
}

// Runs body(f) with f the scalar function of `op` on T -> Out.
template <class T, class Body>
static void with_binary_fn(Binary op, Body&& body) {
  switch (op) {
    case Binary::Add: return body([](T x, T y) { return static_cast<T>(x + y); });
    case Binary::Sub: return body([](T x, T y) { return static_cast<T>(x - y); });
    case Binary::Mul: return body([](T x, T y) { return static_cast<T>(x * y); });
    case Binary::Div:
      if constexpr (std::is_integral_v<T>) {
        return body([](T x, T y) { return y == 0 ? T(0) : static_cast<T>(x / y); });
      } else {
        return body([](T x, T y) { return static_cast<T>(x / y); });
      }
    case Binary::Pow: return body([](T x, T y) { return static_cast<T>(std::pow(x, y)); });
    case Binary::Max:  // NaN propagates, as in torch.maximum
      return body([](T x, T y) { return (x != x || x > y) ? x : y; });
    case Binary::Min: return body([](T x, T y) { return (x != x || x < y) ? x : y; });
    case Binary::Eq: return body([](T x, T y) { return x == y; });
    case Binary::Ne: return body([](T x, T y) { return x != y; });
    case Binary::Lt: return body([](T x, T y) { return x < y; });
    case Binary::Le: return body([](T x, T y) { return x <= y; });
    case Binary::Gt: return body([](T x, T y) { return x > y; });
    case Binary::Ge: return body([](T x, T y) { return x >= y; });
  }
}

static bool is_comparison(Binary op) { return op >= Binary::Eq; }

template <class T, class Out, class F>
static void binary_loop(const Tensor& a, const Tensor& b, const Tensor& out, F f) {
  const T* pa = base<T>(a);
  const T* pb = base<T>(b);
  Out* po = base<Out>(out);
  const std::int64_t n = out.numel();
  const bool out_contig = out.is_contiguous();
  if (out_contig && a.shape() == out.shape() && a.is_contiguous()) {
    pa += a.storage_offset();
    po += out.storage_offset();
    if (b.shape() == out.shape() && b.is_contiguous()) {
      pb += b.storage_offset();
      parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) po[i] = static_cast<Out>(f(pa[i], pb[i]));
      });
      return;
    }
    if (b.numel() == 1) {
      const T y = pb[b.storage_offset()];
      parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) po[i] = static_cast<Out>(f(pa[i], y));
      });
      return;
    }
  }
  const Shape sa = broadcast_strides(a.shape(), a.strides(), out.shape());
  const Shape sb = broadcast_strides(b.shape(), b.strides(), out.shape());
  for_each_row<3>(out.shape(), {&out.strides(), &sa, &sb},
                  {out.storage_offset(), a.storage_offset(), b.storage_offset()},
                  [&](auto off, std::int64_t len, auto st) {
                    Out* o = po + off[0];
                    const T* x = pa + off[1];
                    const T* y = pb + off[2];
                    if (st[0] == 1 && st[1] == 1 && st[2] == 1) {
                      for (std::int64_t i = 0; i < len; ++i) o[i] = static_cast<Out>(f(x[i], y[i]));
                    } else if (st[0] == 1 && st[1] == 1 && st[2] == 0) {
                      const T yv = *y;
                      for (std::int64_t i = 0; i < len; ++i) o[i] = static_cast<Out>(f(x[i], yv));
                    } else {
                      for (std::int64_t i = 0; i < len; ++i)
                        o[i * st[0]] = static_cast<Out>(f(x[i * st[1]], y[i * st[2]]));
                    }
                  });
}

void binary(Binary op, const Tensor& a, const Tensor& b, const Tensor& out) {
  D2L_DISPATCH_ALL(a.dtype(), [&] {
    using T = scalar_t;
    with_binary_fn<T>(op, [&](auto f) {
      if (is_comparison(op)) {
        binary_loop<T, bool>(a, b, out, f);
      } else if constexpr (!std::is_same_v<T, bool>) {
        binary_loop<T, T>(a, b, out, f);
      } else if (op == Binary::Add || op == Binary::Mul || op == Binary::Max || op == Binary::Min) {
        binary_loop<T, T>(a, b, out, f);  // bool + bool is or, bool * bool is and, as in PyTorch
      } else {
        throw Error("arithmetic on bool tensors is not supported; convert with .to(kFloat32)");
      }
    });
  });
}

void binary_scalar(Binary op, const Tensor& a, double b, const Tensor& out) {
  if (a.is_contiguous() && out.is_contiguous() && a.dtype() != kBool) {
    D2L_DISPATCH_NUMERIC(a.dtype(), [&] {
      using T = scalar_t;
      const T y = static_cast<T>(b);
      const T* pa = base<T>(a) + a.storage_offset();
      auto dispatch = [&](auto&& body) {
        // x ** 2 is the squared loss's hot op; a multiply is exact and far cheaper than pow.
        if (op == Binary::Pow && b == 2.0) return body([](T x, T) { return static_cast<T>(x * x); });
        // The other exponents PyTorch computes without pow (its pow_tensor_scalar kernel): they
        // differ from std::pow at -inf and -0 (sqrt(-inf) is nan, 1 / sqrt(-0) is -inf).
        if constexpr (std::is_floating_point_v<T>) {
          if (op == Binary::Pow && b == 3.0) return body([](T x, T) { return x * x * x; });
          if (op == Binary::Pow && b == -2.0) return body([](T x, T) { return T(1) / (x * x); });
          if (op == Binary::Pow && b == 0.5) return body([](T x, T) { return std::sqrt(x); });
          if (op == Binary::Pow && b == -0.5) return body([](T x, T) { return T(1) / std::sqrt(x); });
          if (op == Binary::Pow && b == -1.0) return body([](T x, T) { return T(1) / x; });
        }
        with_binary_fn<T>(op, body);
      };
      dispatch([&](auto f) {
        auto run = [&](auto* po) {
          parallel_for(out.numel(), [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t i = begin; i < end; ++i) po[i] = static_cast<std::remove_pointer_t<decltype(po)>>(f(pa[i], y));
          });
        };
        if (is_comparison(op)) run(base<bool>(out) + out.storage_offset());
        else run(base<T>(out) + out.storage_offset());
      });
    });
    return;
  }
  // The exponents the contiguous path computes without pow: through a contiguous copy, so
  // a view gives what a contiguous tensor gives.
  if (op == Binary::Pow && is_floating(a.dtype()) && (b == 3.0 || b == -2.0 || b == 0.5 || b == -0.5 || b == -1.0)) {
    Tensor tmp = empty(a.shape(), a.dtype());
    copy(a, tmp);
    binary_scalar(op, tmp, b, tmp);
    copy(tmp, out);
    return;
  }
  // Views: a one-element tensor broadcasts through the general loops.
  Tensor scalar = empty({}, a.dtype());
  fill(scalar, b);
  binary(op, a, scalar, out);
}

void axpy(double alpha, const Tensor& x, const Tensor& y) {
  D2L_DISPATCH_FLOATING(y.dtype(), [&] {
    using T = scalar_t;
    const T a = static_cast<T>(alpha);
    const T* px = base<T>(x) + x.storage_offset();
    T* py = base<T>(y) + y.storage_offset();
    parallel_for(y.numel(), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) py[i] += a * px[i];
    });
  });
}

template <class T, class F>
static void unary_loop(const Tensor& a, const Tensor& out, F f) {
  const T* pa = base<T>(a);
  T* po = base<T>(out);
  const std::int64_t n = out.numel();
  if (a.is_contiguous() && out.is_contiguous()) {
    pa += a.storage_offset();
    po += out.storage_offset();
    parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) po[i] = f(pa[i]);
    });
    return;
  }
  for_each_row<2>(out.shape(), {&out.strides(), &a.strides()}, {out.storage_offset(), a.storage_offset()},
                  [&](auto off, std::int64_t len, auto st) {
                    for (std::int64_t i = 0; i < len; ++i) po[off[0] + i * st[0]] = f(pa[off[1] + i * st[1]]);
                  });
}

void unary(Unary op, const Tensor& a, const Tensor& out) {
  D2L_DISPATCH_NUMERIC(a.dtype(), [&] {
    using T = scalar_t;
    switch (op) {
      case Unary::Neg: return unary_loop<T>(a, out, [](T x) { return static_cast<T>(-x); });
      case Unary::Abs: return unary_loop<T>(a, out, [](T x) { return x < 0 ? static_cast<T>(-x) : x; });
      case Unary::Relu: return unary_loop<T>(a, out, [](T x) { return x > 0 ? x : (x != x ? x : T(0)); });
      default: break;
    }
    if constexpr (std::is_floating_point_v<T>) {
      using F = std::conditional_t<std::is_same_v<T, float>, float, double>;
      switch (op) {
        case Unary::Exp: return unary_loop<T>(a, out, [](T x) { return std::exp(x); });
        case Unary::Log: return unary_loop<T>(a, out, [](T x) { return std::log(x); });
        case Unary::Sqrt: return unary_loop<T>(a, out, [](T x) { return std::sqrt(x); });
        // float32: vectorizable approximations within 2 ulp (kernels/cpu/vec_math.h). F names
        // the type for the compiler alone: only float and double get here.
        case Unary::Tanh:
          return unary_loop<T>(a, out, [](T x) { return static_cast<T>(vec::tanh(static_cast<F>(x))); });
        case Unary::Sigmoid:
          return unary_loop<T>(a, out, [](T x) { return static_cast<T>(vec::sigmoid(static_cast<F>(x))); });
        default: break;
      }
    }
    throw Error("unary op needs a floating-point tensor, got " + dtype_name(a.dtype()));
  });
}

void clamp(const Tensor& a, double lo, double hi, const Tensor& out) {
  D2L_DISPATCH_NUMERIC(a.dtype(), [&] {
    using T = scalar_t;
    // Bounds beyond the type's range (e.g. an infinite float bound on int64) clamp to it.
    constexpr double type_lo = static_cast<double>(std::numeric_limits<T>::lowest());
    constexpr double type_hi = static_cast<double>(std::numeric_limits<T>::max());
    const T l = lo <= type_lo ? std::numeric_limits<T>::lowest() : static_cast<T>(lo);
    const T h = hi >= type_hi ? std::numeric_limits<T>::max() : static_cast<T>(hi);
    // std::isnan(lo/hi) is excluded by the caller; NaN inputs stay NaN.
    // min(max(x, lo), hi), as torch.clamp: when lo > hi every element becomes hi.
    unary_loop<T>(a, out, [=](T x) {
      const T y = x < l ? l : x;
      return x != x ? x : (y > h ? h : y);
    });
  });
}

void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) {
  D2L_DISPATCH_ALL(out.dtype(), [&] {
    using T = scalar_t;
    const bool* pc = base<bool>(condition);
    const T* pa = base<T>(a);
    const T* pb = base<T>(b);
    T* po = base<T>(out);
    const Shape sc = broadcast_strides(condition.shape(), condition.strides(), out.shape());
    const Shape sa = broadcast_strides(a.shape(), a.strides(), out.shape());
    const Shape sb = broadcast_strides(b.shape(), b.strides(), out.shape());
    for_each_row<4>(out.shape(), {&out.strides(), &sc, &sa, &sb},
                    {out.storage_offset(), condition.storage_offset(), a.storage_offset(), b.storage_offset()},
                    [&](auto off, std::int64_t len, auto st) {
                      for (std::int64_t i = 0; i < len; ++i)
                        po[off[0] + i * st[0]] = pc[off[1] + i * st[1]] ? pa[off[2] + i * st[2]] : pb[off[3] + i * st[3]];
                    });
  });
}

}  // namespace d2l::kernels
