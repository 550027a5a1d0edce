#include "d2l/text/clean.h"

#include <array>
#include <cstring>
#include <utility>

#include "d2l/error.h"
#include "lines_access.h"

namespace d2l::text {

namespace {

// Each byte's lower-case letter, or 0 for a byte that is not an ASCII letter (UTF-8 lead
// and continuation bytes included: a non-ASCII character is never [A-Za-z]).
constexpr std::array<char, 256> kLetter = [] {
  std::array<char, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = static_cast<char>(c - 'A' + 'a');
  return table;
}();

// Writes the cleaned line at out (which has room for line.size() bytes); returns its length.
// Branch-free: a letter and the space before it are written always and kept or not by how
// far `o` moves, since word boundaries come too often for a branch to predict them. `o`
// never passes the byte being read, so out may be line.data() itself.
std::size_t write_letters(char* out, std::string_view line) {
  char* o = out;
  bool any = false;  // a letter written
  bool gap = false;  // non-letters read since the last letter, after the first one
  for (const char c : line) {
    const char letter = kLetter[static_cast<unsigned char>(c)];
    const bool is_letter = letter != 0;
    *o = ' ';
    o += is_letter & gap;
    *o = letter;
    o += is_letter;
    any |= is_letter;
    gap = !is_letter & any;
  }
  return static_cast<std::size_t>(o - out);
}

}  // namespace

Lines LinesAccess::split_letters(Text text) {
  char* const data = text.bytes.data();
  const std::size_t n = text.bytes.size();
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // (start, size): views only once the text is final
  std::size_t read = text.begin, write = 0;
  while (read < n) {
    const void* nl = std::memchr(data + read, '\n', n - read);
    const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : n;
    // The writer never passes the reader: it writes one byte per letter read, and one space
    // per run of non-letters read. (A CR before the LF is a non-letter: it goes too.)
    const std::size_t size = write_letters(data + write, std::string_view(data + read, end - read));
    spans.emplace_back(write, size);
    write += size;
    read = end + 1;
  }
  text.bytes.resize(write);
  auto buffer = std::make_shared<const std::string>(std::move(text.bytes));
  std::vector<std::string_view> views;
  views.reserve(spans.size());
  for (const auto& [start, size] : spans) views.emplace_back(buffer->data() + start, size);
  return make(std::move(buffer), std::move(views), text.replaced);
}

Clean parse_clean(std::string_view name) {
  if (name == "none") return Clean::none;
  if (name == "letters") return Clean::letters;
  throw Error(detail::concat("unknown cleaning '", name, "': expected none or letters"));
}

const char* to_string(Clean clean) { return clean == Clean::letters ? "letters" : "none"; }

std::string clean_letters(std::string_view line) {
  std::string out(line.size(), '\0');
  out.resize(write_letters(out.data(), line));
  return out;
}

Lines clean(const Lines& lines, Clean how) {
  if (how == Clean::none) return lines;
  std::size_t total = 0;
  for (const auto line : lines) total += line.size();
  // A cleaned line is never longer than the line, so one buffer of the total size holds them.
  auto buffer = std::make_shared<std::string>(total, '\0');
  std::vector<std::string_view> views;
  views.reserve(lines.size());
  std::size_t pos = 0;
  for (const auto line : lines) {
    const std::size_t size = write_letters(buffer->data() + pos, line);
    views.emplace_back(buffer->data() + pos, size);
    pos += size;
  }
  buffer->resize(pos);  // shrinking never moves the bytes the views point at
  return LinesAccess::make(std::move(buffer), std::move(views), lines.replaced());
}

}  // namespace d2l::text
