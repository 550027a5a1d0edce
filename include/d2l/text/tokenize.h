#pragma once
// The course's tokenize(lines, token): each line split into words or into characters.
//
// Tokens are found as they are read: a Tokens holds the lines and the kind, and iterating
// yields string_views into the lines' buffer, so no object (not even a view) is stored per
// token. A text of a million characters would otherwise need 16 MB of views, and on this
// machine fresh memory costs more than scanning the text again.
#include <cstddef>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "d2l/text/lines.h"

namespace d2l::text {

enum class TokenKind {
  word,       // Python's line.split(): runs of non-white-space (Unicode white space, as str.isspace)
  character,  // Python's list(line): one token per code point, so 白 is one token and a space is one too
};

// "word" or "char"; anything else throws, naming it.
TokenKind parse_token_kind(std::string_view name);
const char* to_string(TokenKind kind);

// The tokens of some consecutive lines, one after another (a range of std::string_view).
// It points into a Tokens' lines: valid while that Tokens lives.
class TokenView {
 public:
  class iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using reference = std::string_view;
    using iterator_category = std::forward_iterator_tag;

    iterator() = default;
    std::string_view operator*() const { return token_; }
    iterator& operator++() {
      pos_ = static_cast<std::size_t>(token_.data() + token_.size() - line_->data());
      find();
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const {
      return line_ == other.line_ && (line_ == last_ || token_.data() == other.token_.data());
    }

   private:
    friend class TokenView;
    iterator(const std::string_view* line, const std::string_view* last, TokenKind kind)
        : line_(line), last_(last), kind_(kind) {}
    // Moves to the first token at or after pos_ (in this line or a later one), or to the end.
    void find();

    const std::string_view* line_ = nullptr;  // the current line; last_ at the end
    const std::string_view* last_ = nullptr;  // one past the last line
    std::size_t pos_ = 0;                     // where the search for the next token starts in *line_
    std::string_view token_;
    TokenKind kind_ = TokenKind::word;
  };

  TokenView() = default;
  TokenView(std::span<const std::string_view> lines, TokenKind kind) : lines_(lines), kind_(kind) {}

  iterator begin() const {
    iterator it(lines_.data(), lines_.data() + lines_.size(), kind_);
    it.find();
    return it;
  }
  iterator end() const {
    const std::string_view* last = lines_.data() + lines_.size();
    return iterator(last, last, kind_);
  }
  bool empty() const { return begin() == end(); }
  // Counts the tokens by finding them.
  std::size_t size() const;
  std::vector<std::string> to_vector() const;

  std::span<const std::string_view> lines() const { return lines_; }
  TokenKind kind() const { return kind_; }

 private:
  std::span<const std::string_view> lines_;
  TokenKind kind_ = TokenKind::word;
};

class Tokens {
 public:
  Tokens() = default;
  // Lines (the course's list of token lists).
  std::size_t size() const { return lines_.size(); }
  // The tokens of one line.
  TokenView operator[](std::size_t line) const { return TokenView(lines_.views().subspan(line, 1), kind_); }
  // Every token, line after line (the course's [token for line in tokens for token in line]).
  TokenView all() const { return TokenView(lines_.views(), kind_); }
  // How many tokens there are in all (counted once, by tokenize).
  std::size_t count() const { return count_; }
  TokenKind kind() const { return kind_; }
  const Lines& lines() const { return lines_; }
  // Each line's tokens as strings, for printing and comparing.
  std::vector<std::vector<std::string>> to_vectors() const;

 private:
  friend Tokens tokenize(const Lines& lines, TokenKind kind);
  Lines lines_;
  TokenKind kind_ = TokenKind::word;
  std::size_t count_ = 0;
};

Tokens tokenize(const Lines& lines, TokenKind kind);
// token: "word" or "char", as the course.
Tokens tokenize(const Lines& lines, std::string_view token);

}  // namespace d2l::text
