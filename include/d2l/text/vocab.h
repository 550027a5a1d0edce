#pragma once
// The course's Vocab: index 0 is "<unk>", then the reserved tokens in the order given, then
// the tokens by descending frequency, ties in order of first appearance (Python's stable
// sort over a Counter). Tokens seen fewer than min_freq times are left out and map to 0.
//
// Saved as UTF-8 text, one entry per line:
//   d2l-vocab 1 min_freq=N      the header
//   <unk>\t-                    "<unk>" and the reserved tokens, in index order, count "-"
//   the\t14150                  then every token counted, with its count, as token_freqs()
// A token's backslashes, tabs, CRs and newlines are written \\, \t, \r and \n, so the one
// raw tab on a line separates token from count (char tokens may be spaces or tabs). The
// vocabulary is rebuilt from these entries on loading, so it comes back identical.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "d2l/text/tokenize.h"

namespace d2l::text {

using TokenFreq = std::pair<std::string, std::int64_t>;

class Vocab {
 public:
  // Just "<unk>".
  Vocab();
  // From a tokenized text (every line's tokens counted).
  explicit Vocab(const Tokens& tokens, std::int64_t min_freq = 0, std::vector<std::string> reserved_tokens = {});
  // From a flat list of tokens, or from a list of token lists.
  explicit Vocab(const std::vector<std::string>& tokens, std::int64_t min_freq = 0,
                 std::vector<std::string> reserved_tokens = {});
  explicit Vocab(const std::vector<std::vector<std::string>>& tokens, std::int64_t min_freq = 0,
                 std::vector<std::string> reserved_tokens = {});
  // From tokens already counted, in order of first appearance. Reserved tokens must be
  // distinct and not "<unk>".
  static Vocab from_counts(std::vector<TokenFreq> counts, std::int64_t min_freq = 0,
                           std::vector<std::string> reserved_tokens = {});

  std::int64_t size() const { return static_cast<std::int64_t>(idx_to_token_.size()); }
  // The index of a token; unknown tokens (and those below min_freq) give unk() = 0.
  std::int64_t index(std::string_view token) const;
  std::int64_t operator[](std::string_view token) const { return index(token); }
  std::vector<std::int64_t> indices(const TokenView& tokens) const;
  std::vector<std::int64_t> indices(std::span<const std::string_view> tokens) const;
  std::vector<std::int64_t> indices(const std::vector<std::string>& tokens) const;
  // The token at an index; an index outside [0, size()) throws.
  const std::string& to_token(std::int64_t index) const;
  std::vector<std::string> to_tokens(std::span<const std::int64_t> indices) const;
  static constexpr std::int64_t unk() { return 0; }

  // Every token counted with its count, most frequent first (ties in order of first
  // appearance), including those below min_freq.
  const std::vector<TokenFreq>& token_freqs() const { return token_freqs_; }
  const std::vector<std::string>& idx_to_token() const { return idx_to_token_; }
  const std::vector<std::string>& reserved_tokens() const { return reserved_; }
  std::int64_t min_freq() const { return min_freq_; }

  // Writes the format above (atomically: a temporary file, then renamed). Errors name the file.
  void save(const std::string& path) const;
  // Reads it back; a malformed file throws, naming the file and line.
  static Vocab load(const std::string& path);

 private:
  // Adds idx_to_token_[index] to the lookup table unless the token is there already.
  bool insert(std::int64_t index);
  // The table's slot for `token`: where it is, or the empty slot where it would go.
  std::size_t slot_of(std::string_view token) const;

  std::vector<std::string> idx_to_token_;
  // token -> index: open addressing over idx_to_token_ (an index per slot, -1 when empty),
  // at most 70% full. It holds no pointers, so a copied Vocab needs no fixing up.
  std::vector<std::int64_t> slots_;
  std::vector<TokenFreq> token_freqs_;
  std::vector<std::string> reserved_;
  std::int64_t min_freq_ = 0;
};

}  // namespace d2l::text
