#include "d2l/text/tokenize.h"

#include "d2l/error.h"
#include "scan.h"

namespace d2l::text {

TokenKind parse_token_kind(std::string_view name) {
  if (name == "word") return TokenKind::word;
  if (name == "char") return TokenKind::character;
  throw Error(detail::concat("unknown token type '", name, "': expected word or char"));
}

const char* to_string(TokenKind kind) { return kind == TokenKind::word ? "word" : "char"; }

void TokenView::iterator::find() {
  for (; line_ != last_; ++line_, pos_ = 0) {
    token_ = scan::next_token(*line_, pos_, kind_);
    if (!token_.empty()) return;
  }
  token_ = {};
}

std::size_t TokenView::size() const {
  std::size_t n = 0;
  scan::for_each_token(lines_, kind_, [&](std::string_view) { ++n; });
  return n;
}

std::vector<std::string> TokenView::to_vector() const { return {begin(), end()}; }

std::vector<std::vector<std::string>> Tokens::to_vectors() const {
  std::vector<std::vector<std::string>> out(size());
  for (std::size_t i = 0; i < size(); ++i) out[i] = (*this)[i].to_vector();
  return out;
}

Tokens tokenize(const Lines& lines, TokenKind kind) {
  Tokens out;
  out.lines_ = lines;
  out.kind_ = kind;
  out.count_ = out.all().size();
  return out;
}

Tokens tokenize(const Lines& lines, std::string_view token) { return tokenize(lines, parse_token_kind(token)); }

}  // namespace d2l::text
