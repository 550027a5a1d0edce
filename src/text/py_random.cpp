#include "d2l/text/py_random.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "d2l/error.h"

namespace d2l::text {

namespace {
constexpr int kM = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU, kUpperMask = 0x80000000U, kLowerMask = 0x7fffffffU;
}  // namespace

void PyRandom::seed(std::int64_t seed) {
  // abs() through unsigned arithmetic, so that INT64_MIN is 2^63 rather than an overflow.
  const std::uint64_t n = seed < 0 ? 0 - static_cast<std::uint64_t>(seed) : static_cast<std::uint64_t>(seed);
  const std::uint32_t words[2] = {static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n >> 32)};
  // CPython passes as many words as the integer needs, at least one.
  seed_words(std::span<const std::uint32_t>(words, n >> 32 ? 2 : 1));
}

void PyRandom::seed_words(std::span<const std::uint32_t> key) {
  static constexpr std::uint32_t kZero[1] = {0};
  if (key.empty()) key = kZero;
  // init_genrand(19650218)
  mt_[0] = 19650218U;
  for (int i = 1; i < kN; ++i)
    mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
  // init_by_array(key)
  const std::size_t length = key.size();
  int i = 1;
  std::size_t j = 0;
  for (std::size_t k = std::max<std::size_t>(kN, length); k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] + static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
    if (j >= length) j = 0;
  }
  for (int k = kN - 1; k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
    ++i;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U;  // the top bit set: the state is never all zeros
  index_ = kN;
}

std::uint32_t PyRandom::genrand_uint32() {
  if (index_ >= kN) {  // the next 624 words at once
    auto twist = [&](int k, int next, int far) {
      const std::uint32_t y = (mt_[k] & kUpperMask) | (mt_[next] & kLowerMask);
      mt_[k] = mt_[far] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
    };
    int k = 0;
    for (; k < kN - kM; ++k) twist(k, k + 1, k + kM);
    for (; k < kN - 1; ++k) twist(k, k + 1, k + kM - kN);
    twist(kN - 1, 0, kM - 1);
    index_ = 0;
  }
  std::uint32_t y = mt_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

std::uint64_t PyRandom::getrandbits(int k) {
  D2L_CHECK(k >= 0 && k <= 64, "getrandbits: k must be in [0, 64], got ", k);
  if (k == 0) return 0;
  if (k <= 32) return genrand_uint32() >> (32 - k);
  // Two words, least significant first; the second keeps its top k - 32 bits.
  const std::uint64_t low = genrand_uint32();
  const std::uint64_t high = genrand_uint32() >> (64 - k);
  return low | (high << 32);
}

double PyRandom::random() {
  const std::uint32_t a = genrand_uint32() >> 5, b = genrand_uint32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

std::int64_t PyRandom::randbelow(std::int64_t n) {
  D2L_CHECK(n >= 1, "randbelow: n must be >= 1, got ", n);
  // bit_length(n), not of n - 1: for n = 1 Python still draws one bit (and retries on 1).
  const int k = std::bit_width(static_cast<std::uint64_t>(n));
  std::uint64_t r = getrandbits(k);
  while (r >= static_cast<std::uint64_t>(n)) r = getrandbits(k);
  return static_cast<std::int64_t>(r);
}

std::int64_t PyRandom::randrange(std::int64_t stop) {
  D2L_CHECK(stop > 0, "empty range for randrange(", stop, ")");
  return randbelow(stop);
}

std::int64_t PyRandom::randrange(std::int64_t start, std::int64_t stop) {
  D2L_CHECK(start < stop, "empty range for randrange(", start, ", ", stop, ")");
  D2L_CHECK(start >= 0 || stop <= std::numeric_limits<std::int64_t>::max() + start,
            "randrange(", start, ", ", stop, "): the width does not fit in 64 bits");
  return start + randbelow(stop - start);
}

std::int64_t PyRandom::randint(std::int64_t a, std::int64_t b) {
  D2L_CHECK(b < std::numeric_limits<std::int64_t>::max(), "randint(", a, ", ", b, "): b + 1 does not fit in 64 bits");
  return randrange(a, b + 1);
}

PyRandom& python_random() {
  static PyRandom generator;
  return generator;
}

}  // namespace d2l::text
