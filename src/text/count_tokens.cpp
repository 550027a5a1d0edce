#include "count_tokens.h"

#include <algorithm>
#include <array>

#include "scan.h"

namespace d2l::text {

std::size_t token_capacity(std::span<const std::string_view> lines, TokenKind kind) {
  std::size_t bytes = 0;
  for (const auto line : lines) bytes += line.size();
  return kind == TokenKind::word ? bytes / 2 + lines.size() : bytes;
}

std::size_t expected_distinct(std::span<const std::string_view> lines, TokenKind kind) {
  if (kind == TokenKind::character) return 256;
  std::size_t bytes = 0;
  for (const auto line : lines) bytes += line.size();
  return std::min<std::size_t>(bytes / 64, 1 << 15);
}

void count_tokens(std::span<const std::string_view> lines, TokenKind kind, Interner& interner,
                  std::vector<std::int64_t>* ids) {
  if (ids) ids->reserve(token_capacity(lines, kind));
  if (kind == TokenKind::word) {
    scan::for_each_token(lines, kind, [&](std::string_view word) {
      const std::int64_t id = interner.add(word);
      if (ids) ids->push_back(id);
    });
    return;
  }
  // ASCII characters (most of an English text) skip the hash table after their first time.
  std::array<std::int64_t, 128> ascii;
  ascii.fill(-1);
  scan::for_each_token(lines, kind, [&](std::string_view ch) {
    const auto b = static_cast<unsigned char>(ch[0]);
    std::int64_t id;
    if (b >= 0x80) {
      id = interner.add(ch);
    } else if (ascii[b] >= 0) {
      id = ascii[b];
      interner.bump(id);
    } else {
      id = ascii[b] = interner.add(ch);
    }
    if (ids) ids->push_back(id);
  });
}

}  // namespace d2l::text
