#pragma once
// PyRandom: Python's random.Random, bit for bit. The course's samplers draw their offsets and
// shuffles from Python's `random` module; with the same seed, ours draw the same numbers, so
// the batches equal the course's batches exactly.
//
// The generator is CPython's MT19937 (_randommodule.c): seed(int) goes through init_by_array
// with the integer's 32-bit words, getrandbits(k) keeps the top bits of each word, random()
// joins 27 + 26 bits, and randrange / randint / shuffle use _randbelow_with_getrandbits (draw
// bit_length(n) bits, retry while >= n), as in Lib/random.py.
#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace d2l::text {

class PyRandom {
 public:
  // random.Random(seed). Python's default (no seed) reads the OS's entropy; here it is 0.
  explicit PyRandom(std::int64_t seed = 0) { this->seed(seed); }

  // random.seed(seed) for an int: all bits of |seed| are used.
  void seed(std::int64_t seed);
  // The generator seeded by init_by_array(key): what CPython does with the 32-bit words of a
  // larger integer, least significant first. An empty key counts as {0}.
  void seed_words(std::span<const std::uint32_t> key);

  // The next raw 32-bit output of MT19937.
  std::uint32_t genrand_uint32();
  // random.getrandbits(k), 0 <= k <= 64.
  std::uint64_t getrandbits(int k);
  // random.random(): a double in [0, 1) with 53 random bits.
  double random();
  // random._randbelow(n): an integer in [0, n), n >= 1.
  std::int64_t randbelow(std::int64_t n);
  // random.randrange(stop) and randrange(start, stop): an integer in [start, stop).
  std::int64_t randrange(std::int64_t stop);
  std::int64_t randrange(std::int64_t start, std::int64_t stop);
  // random.randint(a, b): an integer in [a, b], both ends included.
  std::int64_t randint(std::int64_t a, std::int64_t b);
  // random.shuffle(x): Fisher-Yates from the back, j = randbelow(i + 1).
  template <class T>
  void shuffle(std::span<T> x) {
    for (std::size_t i = x.size(); i-- > 1;) {
      const auto j = static_cast<std::size_t>(randbelow(static_cast<std::int64_t>(i) + 1));
      std::swap(x[i], x[j]);
    }
  }
  template <class T>
  void shuffle(std::vector<T>& x) {
    shuffle(std::span<T>(x));
  }

 private:
  static constexpr int kN = 624;
  std::array<std::uint32_t, kN> mt_{};
  int index_ = kN;
};

// The generator the samplers use when none is passed, like Python's module-level `random`
// (random.seed(n) is python_random().seed(n)).
PyRandom& python_random();

}  // namespace d2l::text
