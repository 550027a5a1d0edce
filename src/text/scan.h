#pragma once
// Finds the tokens of a line without copying them: words as Python's str.split() finds
// them, characters as Python's list(str) does. Shared by tokenize, Vocab and load_corpus.
#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "d2l/text/tokenize.h"
#include "d2l/text/utf8.h"

namespace d2l::text::scan {

// ASCII white space for str.isspace: \t \n \v \f \r, the separators \x1c-\x1f, and space.
constexpr std::array<bool, 128> kAsciiSpace = [] {
  std::array<bool, 128> table{};
  for (int c : {0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20}) table[c] = true;
  return table;
}();

// The byte length of the non-ASCII white space starting at p[0] (p[0] >= 0x80), or 0: U+0085,
// U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F and U+3000, the rest of
// what str.isspace accepts.
inline std::size_t wide_space(const unsigned char* p, std::size_t left) {
  if (p[0] == 0xC2) return left >= 2 && (p[1] == 0x85 || p[1] == 0xA0) ? 2 : 0;
  if (left < 3 || p[0] < 0xE1 || p[0] > 0xE3) return 0;
  if (p[0] == 0xE1) return p[1] == 0x9A && p[2] == 0x80 ? 3 : 0;
  if (p[0] == 0xE3) return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
  if (p[1] == 0x80) return p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF ? 3 : 0;  // E2 80
  return p[1] == 0x81 && p[2] == 0x9F ? 3 : 0;                                                    // E2 81 9F
}

// The byte length of the white space at p[0], or 0.
inline std::size_t space_at(const unsigned char* p, std::size_t left) {
  return p[0] < 0x80 ? kAsciiSpace[p[0]] : wide_space(p, left);
}

// The first word at or after byte `pos` (a maximal run of non-white-space), or an empty view.
inline std::string_view next_word(std::string_view line, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const std::size_t n = line.size();
  while (pos < n) {
    const std::size_t s = space_at(p + pos, n - pos);
    if (!s) break;
    pos += s;
  }
  const std::size_t start = pos;
  while (pos < n && !space_at(p + pos, n - pos)) ++pos;
  return line.substr(start, pos - start);
}

// The character (its 1-4 bytes) at byte `pos`, or an empty view at the end. Lines are valid
// UTF-8; a byte that starts no character (only in unchecked text) is taken alone, and a
// character is never read past the end of the line.
inline std::string_view next_char(std::string_view line, std::size_t pos) {
  if (pos >= line.size()) return line.substr(line.size());
  const auto lead = static_cast<unsigned char>(line[pos]);
  std::size_t len = lead < 0x80 ? 1 : static_cast<std::size_t>(utf8_length(lead));
  if (len == 0) len = 1;
  return line.substr(pos, len);  // substr stops at the end
}

inline std::string_view next_token(std::string_view line, std::size_t pos, TokenKind kind) {
  return kind == TokenKind::word ? next_word(line, pos) : next_char(line, pos);
}

// Calls f(word) for each word of a line that is all ASCII. Word edges come too often for a
// branch to predict them, so each block's edges are first collected without branches (the
// position is always written, and kept when the byte's class differs from the last one's).
template <class F>
void ascii_words(std::string_view line, F&& f) {
  constexpr std::size_t kBlock = 512;
  std::size_t edges[kBlock];
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const std::size_t n = line.size();
  bool in_word = false;  // at the end of the previous block
  std::size_t word_start = 0;
  for (std::size_t begin = 0; begin < n; begin += kBlock) {
    const std::size_t end = std::min(n, begin + kBlock);
    std::size_t k = 0;
    bool last = in_word;
    for (std::size_t i = begin; i < end; ++i) {
      const bool word = !kAsciiSpace[p[i]];
      edges[k] = i;
      k += word != last;
      last = word;
    }
    // The edges alternate: a word's start, its end, the next start, ...
    std::size_t j = 0;
    if (in_word && k > 0) f(line.substr(word_start, edges[j++] - word_start));
    for (; j + 1 < k; j += 2) f(line.substr(edges[j], edges[j + 1] - edges[j]));
    if (j < k) word_start = edges[j];  // a word still open at the block's end
    in_word = last;
  }
  if (in_word) f(line.substr(word_start));
}

inline bool is_ascii(std::string_view line) {
  unsigned char any = 0;
  for (const char c : line) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

// Calls f(std::string_view) for each token of each line, in order.
template <class F>
void for_each_token(std::span<const std::string_view> lines, TokenKind kind, F&& f) {
  for (const std::string_view line : lines) {
    if (kind == TokenKind::word && is_ascii(line)) {
      ascii_words(line, f);
      continue;
    }
    std::size_t pos = 0;
    while (true) {
      const std::string_view token = next_token(line, pos, kind);
      if (token.empty()) break;
      f(token);
      pos = static_cast<std::size_t>(token.data() + token.size() - line.data());
    }
  }
}

}  // namespace d2l::text::scan
