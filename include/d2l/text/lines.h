#pragma once
// A text's lines, read from a file (the course's read_time_machine without the cleaning).
// The lines live in one shared buffer and are handed out as string_views, so copying a Lines
// is cheap and a 50 MB line is not copied again. Every line is valid UTF-8.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace d2l::text {

class Lines {
 public:
  Lines() = default;
  // Copies the given lines (implicit, so a vector of strings can stand for Lines as a list
  // of str does in the course). Invalid UTF-8 throws, naming the line and byte.
  Lines(const std::vector<std::string>& lines);
  // Splits a text at LF and CRLF, like read_lines.
  static Lines from_text(std::string text);

  std::size_t size() const { return lines_.size(); }
  bool empty() const { return lines_.empty(); }
  std::string_view operator[](std::size_t i) const { return lines_[i]; }
  auto begin() const { return lines_.begin(); }
  auto end() const { return lines_.end(); }
  std::span<const std::string_view> views() const { return lines_; }
  // Invalid UTF-8 sequences that lossy reading replaced with U+FFFD (0 otherwise).
  std::int64_t replaced() const { return replaced_; }
  // The buffer the lines point into; whoever holds it keeps the views valid.
  const std::shared_ptr<const std::string>& buffer() const { return buffer_; }

 private:
  friend class LinesAccess;
  std::shared_ptr<const std::string> buffer_;
  std::vector<std::string_view> lines_;  // views into *buffer_, without their line terminators
  std::int64_t replaced_ = 0;
};

struct ReadOptions {
  // Replace each invalid UTF-8 sequence with U+FFFD (counted in Lines::replaced()) instead
  // of failing.
  bool lossy = false;
};

// The file's lines, split at LF or CRLF; the terminators are not part of the lines (the
// course keeps Python's "\n", which its cleaning turns into a space and strips), and a final
// terminator does not start an empty line. A leading BOM is skipped; NUL bytes are kept.
// Errors (d2l::Error, one line): the file cannot be opened or read; invalid UTF-8, naming
// the file, the byte offset and the line, unless options.lossy.
Lines read_lines(const std::string& path, ReadOptions options = {});

// The lines as one line with `separator` between them, as the course's Chinese chapter reads
// its text (corpus_chars.replace('\n', ' ')). No lines give one empty line. The count of
// replaced sequences is kept.
Lines join_lines(const Lines& lines, std::string_view separator);

}  // namespace d2l::text
