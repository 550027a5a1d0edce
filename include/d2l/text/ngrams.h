#pragma once
// n-gram counts over a sequence of token indices, for any n >= 1: the course's unigram,
// bigram and trigram tables (collections.Counter over zip(corpus[:-1], corpus[1:]), ...).
// Token strings come from the caller's Vocab (vocab.to_tokens of each index).
//
// Each window is looked up in an open-addressing table: when n indices fit in 64 bits
// together (n * bit_width(max index) <= 64: a 16k-word vocabulary packs up to 4-grams) the
// packed window is the key itself; otherwise a rolling hash of the window picks the slot and
// the stored n-gram is compared.
#include <cstdint>
#include <span>
#include <vector>

namespace d2l::text {

struct Ngram {
  std::vector<std::int64_t> indices;  // n token indices
  std::int64_t count = 0;
};

class NgramCounter {
 public:
  // Counts every window of n consecutive tokens. Indices must be >= 0; a sequence shorter
  // than n has no n-grams.
  NgramCounter(std::span<const std::int64_t> tokens, int n);

  int n() const { return n_; }
  // Number of different n-grams.
  std::int64_t size() const { return static_cast<std::int64_t>(counts_.size()); }
  // Number of windows counted: len - n + 1 (or 0).
  std::int64_t total() const { return total_; }
  // How often `gram` (n indices) occurs; 0 when never.
  std::int64_t count(std::span<const std::int64_t> gram) const;
  // The k most frequent n-grams (all of them when k < 0 or k > size()), most frequent
  // first, ties in order of first appearance: Python's Counter.most_common(k).
  std::vector<Ngram> top_k(std::int64_t k) const;
  // Every count, most frequent first (the y values of a Zipf plot).
  std::vector<std::int64_t> frequencies() const;
  // Distinct n-gram `id` (0 <= id < size(), numbered in order of first appearance).
  std::vector<std::int64_t> gram(std::int64_t id) const;
  std::int64_t count_of(std::int64_t id) const;

 private:
  std::int64_t find_or_add(std::uint64_t key, const std::int64_t* window);
  std::int64_t find(std::uint64_t key, const std::int64_t* window) const;
  bool same(std::int64_t id, const std::int64_t* window) const;
  void check_id(const char* fn, std::int64_t id) const;

  int n_;
  int bits_ = 0;  // bits per index in a packed key; 0: windows are hashed
  std::int64_t total_ = 0;
  // Per distinct n-gram, in order of first appearance: its count, and the n-gram itself, as
  // its packed key (packed) or as its n indices (hashed).
  std::vector<std::int64_t> counts_;
  std::vector<std::uint64_t> keys_;
  std::vector<std::int64_t> grams_;
  // Open addressing, sized once for the most n-grams the text can hold (no rehashing): the
  // packed window or the window's hash, and the n-gram's id (-1: empty).
  std::vector<std::uint64_t> slot_key_;
  std::vector<std::int32_t> slot_id_;
};

}  // namespace d2l::text
