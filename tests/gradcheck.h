#pragma once
// Gradient checking, tinygrad style: one helper checks any op's analytic gradient against
// central differences in float64.
//
// The analytic side is a vector-Jacobian product: the op's output is back-propagated with a
// random upstream gradient u, so every output element contributes with its own weight (a
// plain .sum() would hide errors that cancel, e.g. a gradient routed to the wrong element
// of a permutation). The numeric side differentiates the scalar <u, f(x)> by central
// differences, one input element at a time.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/ops.h"
#include "d2l/random.h"

namespace d2l {
// GoogleTest prints a DType in failure messages as "torch.float32" instead of raw bytes.
inline void PrintTo(DType dtype, std::ostream* os) { *os << dtype_name(dtype); }
}  // namespace d2l

namespace d2l::testing {

using OpFn = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradcheckOptions {
  // Step of the central difference. Its truncation error is ~eps^2 * f''' and its rounding
  // error ~1e-16 * |f| / eps; 1e-6 keeps both far below the tolerance for the O(1) inputs used.
  double eps = 1e-6;
  // |analytic - numeric| <= atol + rtol * |numeric|, per element.
  double atol = 1e-7;
  double rtol = 1e-6;
  // Seed of the upstream gradient u (a local generator: the global one is left alone).
  std::uint64_t seed = 20240607;
  // Also run the op in float32 and require its gradient to match the float64 one loosely:
  // the course trains in float32, so its kernels and casts must be right too.
  bool check_float32 = true;
  double float32_tol = 2e-4;
};

namespace detail {

// Storage offset (in elements) of the k-th element of `t` in row-major order.
inline std::int64_t element_offset(const Tensor& t, std::int64_t k) {
  std::int64_t off = t.storage_offset();
  for (std::int64_t d = t.dim() - 1; d >= 0; --d) {
    const std::int64_t n = t.shape()[d];
    off += (k % n) * t.strides()[d];
    k /= n;
  }
  return off;
}

inline double* storage_f64(const Tensor& t) { return static_cast<double*>(t.impl()->storage->data); }

inline std::vector<double> values(const Tensor& t) { return t.detach().to_vector<double>(); }

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace detail

// Float64 values drawn from a local, seeded generator (deterministic, independent of the
// global generator the code under test may use).
inline Tensor uniform(const Shape& shape, double lo, double hi, std::uint64_t seed) {
  Generator g(seed);
  std::vector<double> v(static_cast<std::size_t>(numel(shape)));
  for (auto& x : v) x = lo + (hi - lo) * g.uniform();
  return from_vector(v, shape);
}

// Values with lo <= |x| <= hi and random signs: keeps inputs away from the kinks of relu and
// abs at 0 and from the poles of division.
inline Tensor away_from_zero(const Shape& shape, double lo, double hi, std::uint64_t seed) {
  Generator g(seed);
  std::vector<double> v(static_cast<std::size_t>(numel(shape)));
  for (auto& x : v) x = (g.uniform() < 0.5 ? -1.0 : 1.0) * (lo + (hi - lo) * g.uniform());
  return from_vector(v, shape);
}

// Pairwise distinct values, at least `gap` apart, shuffled: max / maximum never see a tie,
// so the derivative exists everywhere.
inline Tensor distinct(const Shape& shape, std::uint64_t seed, double gap = 0.25, double shift = 0.0) {
  Generator g(seed);
  const std::int64_t n = numel(shape);
  std::vector<double> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[i] = (static_cast<double>(i) - n / 2.0) * gap + shift;
  for (std::int64_t i = n - 1; i > 0; --i) std::swap(v[i], v[g.below(static_cast<std::uint64_t>(i) + 1)]);
  return from_vector(v, shape);
}

// The same values in a non-contiguous layout (last two dims stored transposed, or every
// other element of a larger buffer for 1-D), to exercise the strided kernel paths.
inline Tensor noncontiguous(const Tensor& t) {
  if (t.dim() >= 2) return t.transpose(-1, -2).contiguous().transpose(-1, -2).detach();
  if (t.dim() == 1) {
    Tensor big = zeros({2 * t.size(0)}, t.dtype());
    Tensor strided = big.slice(0, 0, std::nullopt, 2);
    strided.copy_(t);
    return strided;
  }
  return t;
}

// Checks f's gradient with respect to every input at the given point. The inputs must be
// float64; the helper differentiates with respect to fresh leaves sharing their storage
// (so their layout, contiguous or not, is what the op sees).
inline ::testing::AssertionResult gradcheck(const OpFn& f, const std::vector<Tensor>& inputs,
                                            const GradcheckOptions& opt = {}) {
  std::vector<Tensor> leaves;
  for (const auto& in : inputs) {
    if (in.dtype() != kFloat64) return ::testing::AssertionFailure() << "gradcheck inputs must be float64";
    Tensor leaf = in.detach();
    leaf.requires_grad_(true);
    leaves.push_back(leaf);
  }

  // Analytic: backward with a random upstream gradient u.
  Tensor out = f(leaves);
  if (out.dtype() != kFloat64)
    return ::testing::AssertionFailure() << "op output is " << dtype_name(out.dtype()) << ", expected float64";
  if (!out.requires_grad()) return ::testing::AssertionFailure() << "op output does not require grad";
  Generator g(opt.seed);
  std::vector<double> u(static_cast<std::size_t>(out.numel()));
  for (auto& x : u) x = g.normal();
  const Tensor upstream = from_vector(u, out.shape());
  out.backward(upstream);

  std::ostringstream failures;
  int n_failures = 0;
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const Tensor& x = leaves[i];
    const Tensor grad = x.grad();
    std::vector<double> analytic(static_cast<std::size_t>(x.numel()), 0.0);
    if (grad.defined()) {
      if (grad.shape() != x.shape() || grad.dtype() != kFloat64)
        return ::testing::AssertionFailure() << "input " << i << ": grad has shape " << shape_str(grad.shape())
                                             << " and dtype " << dtype_name(grad.dtype()) << ", input has shape "
                                             << shape_str(x.shape());
      analytic = detail::values(grad);
    }

    // Numeric: central differences of <u, f(x)>, perturbing the shared storage in place.
    NoGradGuard no_grad;
    double* base = detail::storage_f64(x);
    for (std::int64_t k = 0; k < x.numel(); ++k) {
      const std::int64_t off = detail::element_offset(x, k);
      const double original = base[off];
      base[off] = original + opt.eps;
      const double plus = detail::dot(u, detail::values(f(leaves)));
      base[off] = original - opt.eps;
      const double minus = detail::dot(u, detail::values(f(leaves)));
      base[off] = original;  // restored exactly, not by adding eps back
      const double numeric = (plus - minus) / (2 * opt.eps);
      const double a = analytic[static_cast<std::size_t>(k)];
      if (!(std::abs(a - numeric) <= opt.atol + opt.rtol * std::abs(numeric))) {
        if (n_failures++ < 8)
          failures << "\n  input " << i << " " << shape_str(x.shape()) << " element " << k << ": analytic " << a
                   << ", numeric " << numeric << " (diff " << a - numeric << ")";
      }
    }
  }
  if (n_failures) return ::testing::AssertionFailure() << n_failures << " gradient mismatches:" << failures.str();

  if (opt.check_float32) {
    // The same op on float32 copies: the gradient must agree with float64's to float32 accuracy.
    std::vector<Tensor> leaves32;
    for (const auto& x : leaves) {
      Tensor leaf = x.detach().to(kFloat32);
      leaf.requires_grad_(true);
      leaves32.push_back(leaf);
    }
    Tensor out32 = f(leaves32);
    if (out32.dtype() != kFloat32)
      return ::testing::AssertionFailure() << "float32 inputs gave a " << dtype_name(out32.dtype()) << " output";
    const auto y32 = detail::values(out32), y64 = detail::values(out);
    for (std::size_t k = 0; k < y64.size(); ++k)
      if (!(std::abs(y32[k] - y64[k]) <= opt.float32_tol * (1 + std::abs(y64[k]))))
        return ::testing::AssertionFailure() << "float32 forward differs at element " << k << ": " << y32[k]
                                             << " vs float64 " << y64[k];
    out32.backward(upstream.to(kFloat32));
    for (std::size_t i = 0; i < leaves32.size(); ++i) {
      const Tensor g32 = leaves32[i].grad(), g64 = leaves[i].grad();
      if (g32.defined() != g64.defined())
        return ::testing::AssertionFailure() << "input " << i << ": float32 and float64 disagree on having a grad";
      if (!g32.defined()) continue;
      if (g32.dtype() != kFloat32)
        return ::testing::AssertionFailure() << "input " << i << ": float32 input got a " << dtype_name(g32.dtype())
                                             << " grad";
      const auto a32 = detail::values(g32), a64 = detail::values(g64);
      for (std::size_t k = 0; k < a64.size(); ++k)
        if (!(std::abs(a32[k] - a64[k]) <= opt.float32_tol * (1 + std::abs(a64[k]))))
          return ::testing::AssertionFailure() << "input " << i << ": float32 grad differs at element " << k << ": "
                                               << a32[k] << " vs float64 " << a64[k];
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace d2l::testing
