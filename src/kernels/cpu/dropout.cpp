// Dropout masks. One draw from d2l's generator keys a counter-based SplitMix64 stream for
// the whole mask: element pair k takes the 64 bits mix(key + (k + 1) * gamma), so the loop
// has no dependency from one element to the next and vectorizes, and manual_seed still
// fixes every mask.
#include <cmath>

#include "kernels/cpu/classify.h"

namespace d2l::kernels {

namespace {

// SplitMix64's output function (Steele, Lea and Flood, 2014).
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

void dropout_mask(Generator& gen, double p, const Tensor& mask) {
  // Each 64-bit value gives two 32-bit uniforms; an element is dropped when its uniform falls
  // below p * 2^32 (exact for p = 0.5, within 2^-32 otherwise).
  const std::uint64_t threshold = static_cast<std::uint64_t>(std::llround(p * 4294967296.0));
  const double keep_scale = p < 1 ? 1.0 / (1.0 - p) : 0.0;
  const std::uint64_t key = gen.next_u64();
  constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ull;
  const std::int64_t n = mask.numel(), pairs = n / 2;
  D2L_DISPATCH_FLOATING(mask.dtype(), [&] {
    scalar_t* m = mask.data_ptr<scalar_t>();
    const scalar_t scale = static_cast<scalar_t>(keep_scale);
    for (std::int64_t k = 0; k < pairs; ++k) {
      const std::uint64_t bits = mix64(key + static_cast<std::uint64_t>(k + 1) * kGamma);
      m[2 * k] = (bits & 0xFFFFFFFFu) >= threshold ? scale : scalar_t(0);
      m[2 * k + 1] = (bits >> 32) >= threshold ? scale : scalar_t(0);
    }
    if (n % 2) m[n - 1] = (mix64(key) & 0xFFFFFFFFu) >= threshold ? scale : scalar_t(0);
  });
}

}  // namespace d2l::kernels
