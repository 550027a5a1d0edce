#include "d2l/text/ngrams.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <numeric>

#include "d2l/error.h"

namespace d2l::text {

namespace {

// splitmix64's finalizer: spreads packed keys (small, consecutive numbers) over the table.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t kHashBase = 0x100000001B3ull;  // odd: the rolling hash forgets no bits

}  // namespace

NgramCounter::NgramCounter(std::span<const std::int64_t> tokens, int n) : n_(n) {
  D2L_CHECK(n >= 1, "NgramCounter: n must be >= 1, got n=", n);
  std::int64_t max_index = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    D2L_CHECK(tokens[i] >= 0, "NgramCounter: token index ", tokens[i], " at position ", i, " is negative");
    max_index = std::max(max_index, tokens[i]);
  }
  const int bits = std::max(1, static_cast<int>(std::bit_width(static_cast<std::uint64_t>(max_index))));
  if (bits * n <= 64) bits_ = bits;
  const auto len = static_cast<std::int64_t>(tokens.size());
  if (len < n) return;
  total_ = len - n + 1;
  const std::int64_t* t = tokens.data();

  // At most one new n-gram per window, and at most (max index + 1)^n of them. Sizing the
  // table for that bound once (load <= 1/2) saves the rehashing and the copying of growing
  // it, which cost more than the counting: every new block of memory is page faults.
  std::int64_t bound = 1;
  for (int j = 0; j < n && bound < total_; ++j)
    bound = bound > total_ / (max_index + 1) ? total_ : bound * (max_index + 1);  // no overflow
  bound = std::min(bound, total_);
  D2L_CHECK(bound <= std::numeric_limits<std::int32_t>::max(), "NgramCounter: ", total_, " windows of ", n,
            " tokens may hold more than 2^31 different n-grams; count a shorter text");
  const std::size_t capacity = std::bit_ceil(static_cast<std::size_t>(2 * bound));
  slot_key_.resize(capacity);
  slot_id_.assign(capacity, -1);
  counts_.reserve(static_cast<std::size_t>(bound));
  if (bits_ > 0) keys_.reserve(static_cast<std::size_t>(bound));

  if (bits_ > 0) {
    // The window's indices side by side, the first in the highest bits; each step shifts one
    // index out at the top and the next one in at the bottom.
    const std::uint64_t mask = bits_ * n == 64 ? ~0ull : (1ull << (bits_ * n)) - 1;
    std::uint64_t key = 0;
    for (int j = 0; j + 1 < n; ++j) key = (key << bits_) | static_cast<std::uint64_t>(t[j]);
    for (std::int64_t s = 0; s < total_; ++s) {
      key = ((key << bits_) | static_cast<std::uint64_t>(t[s + n - 1])) & mask;
      ++counts_[static_cast<std::size_t>(find_or_add(key, t + s))];
    }
  } else {
    // Rolling polynomial hash: h = sum t[s + j] * B^(n - 1 - j), updated in O(1) per step.
    std::uint64_t base_n = 1, h = 0;
    for (int j = 0; j < n; ++j) {
      base_n *= kHashBase;
      h = h * kHashBase + static_cast<std::uint64_t>(t[j]);
    }
    for (std::int64_t s = 0; s < total_; ++s) {
      if (s > 0)
        h = h * kHashBase + static_cast<std::uint64_t>(t[s + n - 1]) - static_cast<std::uint64_t>(t[s - 1]) * base_n;
      ++counts_[static_cast<std::size_t>(find_or_add(h, t + s))];
    }
  }
}

bool NgramCounter::same(std::int64_t id, const std::int64_t* window) const {
  return std::equal(window, window + n_, grams_.begin() + id * n_);
}

std::int64_t NgramCounter::find_or_add(std::uint64_t key, const std::int64_t* window) {
  const std::size_t mask = slot_id_.size() - 1;
  for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    const std::int64_t id = slot_id_[i];
    if (id < 0) {
      const auto added = static_cast<std::int64_t>(counts_.size());
      slot_key_[i] = key;
      slot_id_[i] = static_cast<std::int32_t>(added);
      if (bits_ > 0) keys_.push_back(key);
      else grams_.insert(grams_.end(), window, window + n_);
      counts_.push_back(0);
      return added;
    }
    if (slot_key_[i] == key && (bits_ > 0 || same(id, window))) return id;
  }
}

std::int64_t NgramCounter::find(std::uint64_t key, const std::int64_t* window) const {
  if (slot_id_.empty()) return -1;
  const std::size_t mask = slot_id_.size() - 1;
  for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    const std::int64_t id = slot_id_[i];
    if (id < 0) return -1;
    if (slot_key_[i] == key && (bits_ > 0 || same(id, window))) return id;
  }
}

std::int64_t NgramCounter::count(std::span<const std::int64_t> g) const {
  D2L_CHECK(static_cast<std::int64_t>(g.size()) == n_, "NgramCounter::count: expected ", n_, " indices, got ",
            g.size());
  std::uint64_t key = 0;
  for (std::int64_t v : g) {
    if (v < 0) return 0;
    if (bits_ > 0) {
      if (std::bit_width(static_cast<std::uint64_t>(v)) > bits_) return 0;  // larger than any counted index
      key = (key << bits_) | static_cast<std::uint64_t>(v);
    } else {
      key = key * kHashBase + static_cast<std::uint64_t>(v);
    }
  }
  const std::int64_t id = find(key, g.data());
  return id < 0 ? 0 : counts_[static_cast<std::size_t>(id)];
}

std::vector<Ngram> NgramCounter::top_k(std::int64_t k) const {
  const std::int64_t m = k < 0 || k > size() ? size() : k;
  std::vector<std::int64_t> ids(static_cast<std::size_t>(size()));
  std::iota(ids.begin(), ids.end(), 0);
  // Ids number n-grams in order of first appearance, so the id breaks ties as a stable sort would.
  std::partial_sort(ids.begin(), ids.begin() + m, ids.end(), [&](std::int64_t a, std::int64_t b) {
    return counts_[a] != counts_[b] ? counts_[a] > counts_[b] : a < b;
  });
  std::vector<Ngram> out(static_cast<std::size_t>(m));
  for (std::int64_t i = 0; i < m; ++i) {
    out[i] = Ngram{gram(ids[i]), counts_[ids[i]]};
  }
  return out;
}

std::vector<std::int64_t> NgramCounter::frequencies() const {
  std::vector<std::int64_t> f = counts_;
  std::sort(f.begin(), f.end(), std::greater<>());
  return f;
}

void NgramCounter::check_id(const char* fn, std::int64_t id) const {
  D2L_CHECK(id >= 0 && id < size(), "NgramCounter::", fn, ": id ", id, " is out of range for ", size(), " n-grams");
}

std::vector<std::int64_t> NgramCounter::gram(std::int64_t id) const {
  check_id("gram", id);
  if (bits_ == 0) return {grams_.begin() + id * n_, grams_.begin() + (id + 1) * n_};
  std::vector<std::int64_t> g(static_cast<std::size_t>(n_));
  std::uint64_t key = keys_[static_cast<std::size_t>(id)];
  for (int j = n_ - 1; j >= 0; --j, key >>= bits_) g[j] = static_cast<std::int64_t>(key & ((1ull << bits_) - 1));
  return g;
}

std::int64_t NgramCounter::count_of(std::int64_t id) const {
  check_id("count_of", id);
  return counts_[static_cast<std::size_t>(id)];
}

}  // namespace d2l::text
