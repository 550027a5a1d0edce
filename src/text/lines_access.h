#pragma once
// Builds Lines from a buffer already known to be valid UTF-8 (the readers and cleaners have
// checked it), without checking again.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "d2l/text/lines.h"

namespace d2l::text {

class LinesAccess {
 public:
  // A file's text, checked (or made valid, lossy) UTF-8; it starts at `begin` (after a BOM).
  struct Text {
    std::string bytes;
    std::size_t begin = 0;
    std::int64_t replaced = 0;
  };
  static Text read(const std::string& path, ReadOptions options);  // (lines.cpp)
  // The lines of text[begin:], split at LF and CRLF.
  static Lines split(std::shared_ptr<const std::string> buffer, std::size_t begin, std::int64_t replaced);
  static Lines split(Text text) {
    return split(std::make_shared<const std::string>(std::move(text.bytes)), text.begin, text.replaced);
  }
  // The same lines cleaned to letters, written over the text itself: a cleaned line is never
  // longer than the line, so no second buffer is needed (clean.cpp).
  static Lines split_letters(Text text);
  // Lines given as views into the buffer.
  static Lines make(std::shared_ptr<const std::string> buffer, std::vector<std::string_view> lines,
                    std::int64_t replaced) {
    Lines out;
    out.buffer_ = std::move(buffer);
    out.lines_ = std::move(lines);
    out.replaced_ = replaced;
    return out;
  }
};

}  // namespace d2l::text
