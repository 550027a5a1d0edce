#pragma once
// Counts the tokens of some lines into an Interner as it finds them (the course's
// collections.Counter over its token lists), optionally recording each token's id.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "d2l/text/tokenize.h"
#include "interner.h"

namespace d2l::text {

// The most tokens the lines can hold: a word and a space take two bytes (the last word of
// a line one), a character at least one. Reserving this much means a buffer is never
// moved; the pages no token reaches are never touched, so they cost nothing.
std::size_t token_capacity(std::span<const std::string_view> lines, TokenKind kind);

// A first guess at the number of distinct tokens, to size an Interner: Moby Dick has a
// distinct word per ~70 bytes (capped: a table bigger than the cache is no help at first).
std::size_t expected_distinct(std::span<const std::string_view> lines, TokenKind kind);

// ids (when given) receives every token's id in order (with token_capacity reserved).
void count_tokens(std::span<const std::string_view> lines, TokenKind kind, Interner& interner,
                  std::vector<std::int64_t>* ids = nullptr);

}  // namespace d2l::text
