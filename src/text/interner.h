#pragma once
// Numbers distinct strings in order of first appearance and counts them: the course's
// collections.Counter, keyed by views into text that outlives the interner. Open addressing
// with linear probing over a power-of-two table at most 70% full.
//
// A slot holds a key of up to 8 bytes itself (most words are that short), so finding one
// touches just the slot; a longer key's slot holds its hash, and its bytes are compared
// only when length and hash agree.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "d2l/error.h"

namespace d2l::text {

class Interner {
 public:
  explicit Interner(std::size_t expected = 1024) {
    std::size_t capacity = 64;
    while (7 * capacity < 10 * expected) capacity *= 2;
    slots_.assign(capacity, Slot{});
    keys_.reserve(expected);
    counts_.reserve(expected);
  }

  // The id of `key` (new keys get the next id) after counting one more of it.
  std::int64_t add(std::string_view key) {
    const std::uint64_t h = hash(key);
    const std::uint64_t tag = key.size() <= 8 ? pack(key.data(), key.size()) : h;
    const auto size = static_cast<std::uint32_t>(key.size());
    std::size_t i = h & (slots_.size() - 1);
    while (true) {
      const Slot slot = slots_[i];
      if (slot.id == kEmpty) break;
      if (slot.key == tag && slot.size == size && (size <= 8 || keys_[slot.id] == key)) {
        ++counts_[slot.id];
        return slot.id;
      }
      i = (i + 1) & (slots_.size() - 1);
    }
    D2L_CHECK(keys_.size() < kEmpty && key.size() < kEmpty, "text: more than 4 billion distinct tokens, or one of 4 GB");
    const auto id = static_cast<std::uint32_t>(keys_.size());
    slots_[i] = Slot{tag, id, size};
    keys_.push_back(key);
    counts_.push_back(1);
    if (10 * keys_.size() > 7 * slots_.size()) grow();
    return id;
  }
  // Counts one more of a key already added.
  void bump(std::int64_t id) { ++counts_[id]; }

  std::size_t size() const { return keys_.size(); }
  const std::vector<std::string_view>& keys() const { return keys_; }
  const std::vector<std::int64_t>& counts() const { return counts_; }

  // The ids, most frequent first, ties in order of first appearance (the order Vocab sorts
  // tokens into). Counts are mostly small (Zipf), so a counting sort over them does it in
  // linear time; a few huge counts fall back to comparing.
  std::vector<std::size_t> by_frequency() const {
    std::vector<std::size_t> order(keys_.size());
    const std::int64_t most = counts_.empty() ? 0 : *std::max_element(counts_.begin(), counts_.end());
    if (static_cast<std::size_t>(most) > 4 * keys_.size() + 1024) {
      for (std::size_t id = 0; id < order.size(); ++id) order[id] = id;
      std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) { return counts_[a] > counts_[b]; });
      return order;
    }
    // starts[c]: where the ids with count c begin, larger counts first.
    std::vector<std::size_t> starts(static_cast<std::size_t>(most) + 2, 0);
    for (const std::int64_t c : counts_) ++starts[static_cast<std::size_t>(most - c) + 1];
    for (std::size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
    for (std::size_t id = 0; id < keys_.size(); ++id) order[starts[static_cast<std::size_t>(most - counts_[id])]++] = id;
    return order;
  }

  // (key, count) pairs in by_frequency() order, the keys copied out.
  std::vector<std::pair<std::string, std::int64_t>> entries(const std::vector<std::size_t>& order) const {
    std::vector<std::pair<std::string, std::int64_t>> out;
    out.reserve(order.size());
    for (const std::size_t id : order) out.emplace_back(std::string(keys_[id]), counts_[id]);
    return out;
  }
  std::vector<std::pair<std::string, std::int64_t>> sorted_entries() const { return entries(by_frequency()); }

  // Mixes eight bytes at a time; words are short, so usually just the last 1-8 bytes.
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n > 8; p += 8, n -= 8) {
      h = (h ^ load8(p)) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    h = (h ^ pack(p, n)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
  }

 private:
  static std::uint64_t load8(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static std::uint64_t load4(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  // The n <= 8 bytes at p as a little-endian number, read in at most two loads (which may
  // overlap: the bytes they share land in the same place).
  static std::uint64_t pack(const char* p, std::size_t n) {
    const auto byte = [p](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i); };
    if (n == 8) return load8(p);
    if (n >= 4) return load4(p) | load4(p + n - 4) << (8 * (n - 4));
    return n == 0 ? 0 : byte(0) | byte(n / 2) | byte(n - 1);
  }

  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  struct Slot {
    std::uint64_t key = 0;  // the key's bytes when it has up to 8, else its hash
    std::uint32_t id = kEmpty;
    std::uint32_t size = 0;  // the key's length
  };

  void grow() {
    std::vector<Slot> old(2 * slots_.size());
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.id == kEmpty) continue;
      std::size_t i = hash(keys_[slot.id]) & (slots_.size() - 1);
      while (slots_[i].id != kEmpty) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;
  std::vector<std::int64_t> counts_;
};

}  // namespace d2l::text
