#pragma once
// exp (of non-positive values), tanh and sigmoid for float32, written without calls or
// branches so that the loops calling them vectorize (glibc's expf and tanhf are one call per
// element without -ffast-math). Selections work on the bits: float selects make GCC branch
// (it keeps IEEE exception semantics), and a loop with branches stays scalar on AVX2.
// float64 keeps the C library's functions.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace d2l::kernels::vec {

// e^x for x <= 0: Cephes' expf polynomial on [-ln2/2, ln2/2], within 1.5 ulp, down to the
// smallest denormal (2^n is applied in two halves, each a normal float); 0 below -104,
// -inf gives 0 and NaN stays NaN.
inline float exp_nonpositive(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  constexpr std::uint32_t kLowest = 0xC2D00000u;  // -104.0f; for x <= 0, bits grow as x falls
  const float xc = std::bit_cast<float>(std::min(bits, kLowest));
  // n = round(x / ln2) by the 1.5 * 2^23 shifter: t's low mantissa bits then hold n.
  const float t = xc * 1.44269504088896341f + 12582912.0f;
  const float n = t - 12582912.0f;
  const float r = (xc - n * 0.693359375f) - n * -2.12194440e-4f;  // ln2 in two parts
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const std::int32_t k = std::bit_cast<std::int32_t>(t) - 0x4B400000;  // n, in [-150, 0]
  const std::int32_t k1 = k >> 1, k2 = k - k1;
  const float y = p * std::bit_cast<float>((k1 + 127) << 23) * std::bit_cast<float>((k2 + 127) << 23);
  const std::uint32_t keep = bits <= kLowest ? ~0u : 0u;                    // x >= -104 (or x >= 0)
  const std::uint32_t nan = (bits & 0x7FFFFFFFu) > 0x7F800000u ? ~0u : 0u;  // NaN of either sign
  return std::bit_cast<float>((std::bit_cast<std::uint32_t>(y) & keep) | (bits & nan));
}

// Within 2 ulp: Cephes' odd polynomial for |x| < 0.625, (1 - e) / (1 + e) with e = e^-2|x|
// above (where it does not cancel), the sign put back.
inline float tanh(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  const std::uint32_t magnitude = bits & 0x7FFFFFFFu, sign = bits & 0x80000000u;
  const float s = x * x;
  float p = -5.70498872745e-3f;
  p = p * s + 2.06390887954e-2f;
  p = p * s - 5.37397155531e-2f;
  p = p * s + 1.33314422036e-1f;
  p = p * s - 3.33332819422e-1f;
  const float small = p * s * x + x;
  const float e = exp_nonpositive(-2.0f * std::bit_cast<float>(magnitude));
  const std::uint32_t large = std::bit_cast<std::uint32_t>((1.0f - e) / (1.0f + e)) | sign;
  const std::uint32_t use_small = magnitude < 0x3F200000u ? ~0u : 0u;  // |x| < 0.625
  // small already has x's sign, except that it rounds -0 to +0: the sign bit keeps tanh(-0) = -0.
  return std::bit_cast<float>(((std::bit_cast<std::uint32_t>(small) | sign) & use_small) | (large & ~use_small));
}

// 1 / (1 + e^-x), taken as e^x / (1 + e^x) below 0: large negative x keep their tiny value
// instead of 1 / (1 + inf) = 0. Within 2 ulp.
inline float sigmoid(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  const float e = exp_nonpositive(std::bit_cast<float>(bits | 0x80000000u));  // e^-|x|
  const float r = 1.0f / (1.0f + e);
  const std::uint32_t negative = static_cast<std::uint32_t>(static_cast<std::int32_t>(bits) >> 31);
  return std::bit_cast<float>((std::bit_cast<std::uint32_t>(e * r) & negative) |
                              (std::bit_cast<std::uint32_t>(r) & ~negative));
}

inline double tanh(double x) { return std::tanh(x); }
inline double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

}  // namespace d2l::kernels::vec
