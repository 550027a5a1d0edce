#include "d2l/text/lines.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>

#include "d2l/error.h"
#include "d2l/text/utf8.h"
#include "lines_access.h"

namespace d2l::text {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// The whole file in one string: sized once from a regular file's length, then read on to
// the end (a pipe has no length, and a file may grow while it is read).
std::string read_file(const std::string& path) {
  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  D2L_CHECK(file, "cannot open ", path, ": ", errno ? std::strerror(errno) : "unknown error");
  std::string data;
  struct stat info;
  if (fstat(fileno(file.get()), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    data.resize(static_cast<std::size_t>(info.st_size));
    data.resize(std::fread(data.data(), 1, data.size(), file.get()));
  }
  char chunk[1 << 16];
  while (const std::size_t got = std::fread(chunk, 1, sizeof chunk, file.get())) data.append(chunk, got);
  D2L_CHECK(!std::ferror(file.get()), "cannot read ", path, ": ", std::strerror(errno));
  return data;
}

std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

}  // namespace

Lines LinesAccess::split(std::shared_ptr<const std::string> buffer, std::size_t begin, std::int64_t replaced) {
  std::vector<std::string_view> lines;
  const std::string_view text(*buffer);
  std::size_t pos = begin;
  while (pos < text.size()) {
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    std::size_t stop = end;
    if (nl && stop > pos && text[stop - 1] == '\r') --stop;  // CRLF
    lines.push_back(text.substr(pos, stop - pos));
    pos = end + 1;
  }
  return make(std::move(buffer), std::move(lines), replaced);
}

Lines::Lines(const std::vector<std::string>& lines) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (auto error = find_invalid_utf8(lines[i])) throw Error(detail::concat("line ", i + 1, ": ", error->message(lines[i])));
    total += lines[i].size();
  }
  auto buffer = std::make_shared<std::string>();
  buffer->reserve(total);
  for (const auto& line : lines) buffer->append(line);
  // Views only once the buffer is complete (appending may move it).
  std::size_t pos = 0;
  lines_.reserve(lines.size());
  for (const auto& line : lines) {
    lines_.emplace_back(buffer->data() + pos, line.size());
    pos += line.size();
  }
  buffer_ = std::move(buffer);
}

Lines Lines::from_text(std::string text) {
  const std::size_t begin = text.size() - skip_bom(text).size();
  if (auto error = find_invalid_utf8(text, begin)) throw Error(error->message(text));
  return LinesAccess::split(std::make_shared<const std::string>(std::move(text)), begin, 0);
}

LinesAccess::Text LinesAccess::read(const std::string& path, ReadOptions options) {
  Text text{read_file(path)};
  text.begin = text.bytes.size() - skip_bom(text.bytes).size();
  if (auto error = find_invalid_utf8(text.bytes, text.begin)) {
    D2L_CHECK(options.lossy, path, ": ", error->message(text.bytes), " on line ", line_of(text.bytes, error->offset),
              "; lossy reading replaces invalid sequences with U+FFFD");
    text.bytes = to_valid_utf8(text.bytes, &text.replaced);
  }
  return text;
}

Lines read_lines(const std::string& path, ReadOptions options) { return LinesAccess::split(LinesAccess::read(path, options)); }

Lines join_lines(const Lines& lines, std::string_view separator) {
  std::size_t size = 0;
  for (const auto line : lines) size += line.size() + separator.size();
  auto joined = std::make_shared<std::string>();
  joined->reserve(size);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) joined->append(separator);
    joined->append(lines[i]);
  }
  std::vector<std::string_view> views{std::string_view(*joined)};
  return LinesAccess::make(std::move(joined), std::move(views), lines.replaced());
}

}  // namespace d2l::text
