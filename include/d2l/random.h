#pragma once
// One seeded generator for the whole library: same seed, same numbers, on every run and
// machine. The stream is our own (xoshiro256** with a Box-Muller normal), so it does not
// depend on the standard library's distributions.
#include <cstdint>

namespace d2l {

class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0) { seed_(seed); }
  void seed_(std::uint64_t seed);
  std::uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Standard normal.
  double normal();
  // Uniform integer in [0, n), unbiased.
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t s_[4] = {};
  bool has_spare_ = false;
  double spare_ = 0.0;
};

void manual_seed(std::uint64_t seed);
Generator& default_generator();

}  // namespace d2l
