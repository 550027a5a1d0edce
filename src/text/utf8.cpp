#include "d2l/text/utf8.h"

#include <cstdio>
#include <cstring>

#include "d2l/error.h"

namespace d2l::text {

namespace {

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Eight bytes at once while they are all ASCII: most text is, and then validation costs
// little more than reading it.
std::size_t skip_ascii(const unsigned char* p, std::size_t pos, std::size_t n) {
  while (pos + 8 <= n) {
    std::uint64_t word;
    std::memcpy(&word, p + pos, 8);
    if (word & 0x8080808080808080ull) break;
    pos += 8;
  }
  while (pos < n && p[pos] < 0x80) ++pos;
  return pos;
}

// "U+D800"
std::string u_plus(char32_t cp) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
  return hex;
}

Utf8Step bad(Utf8Problem problem, std::size_t length) { return {0, length, problem}; }

}  // namespace

const char* to_string(Utf8Problem problem) {
  switch (problem) {
    case Utf8Problem::stray_continuation: return "a continuation byte without a lead byte";
    case Utf8Problem::overlong: return "an overlong encoding";
    case Utf8Problem::surrogate: return "a surrogate code point";
    case Utf8Problem::too_large: return "a code point above U+10FFFF";
    case Utf8Problem::invalid_byte: return "a byte that never occurs in UTF-8";
    case Utf8Problem::truncated: return "a truncated sequence";
  }
  return "an ill-formed sequence";
}

std::string Utf8Error::message(std::string_view text) const {
  // The bytes the lead byte promised (at least the ill-formed subpart), as far as the text goes.
  std::size_t shown = length;
  if (offset < text.size()) {
    // Lead bytes C0..F7 announce 2-4 bytes even where no such sequence is valid.
    const auto lead = static_cast<unsigned char>(text[offset]);
    const std::size_t announced = lead < 0xC0 || lead >= 0xF8 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (announced > shown) shown = announced;
  }
  std::string bytes;
  for (std::size_t i = offset; i < text.size() && i < offset + shown; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned char>(text[i]));
    if (!bytes.empty()) bytes += ' ';
    bytes += hex;
  }
  return detail::concat("invalid UTF-8 at byte ", offset, " (", to_string(problem), ": ", bytes, ")");
}

Utf8Step utf8_step(std::string_view text, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const unsigned char b0 = p[pos];
  if (b0 < 0x80) return {b0, 1, std::nullopt};
  if (b0 < 0xC0) return bad(Utf8Problem::stray_continuation, 1);
  if (b0 < 0xC2) return bad(Utf8Problem::overlong, 1);
  if (b0 >= 0xF8) return bad(Utf8Problem::invalid_byte, 1);
  if (b0 >= 0xF5) return bad(Utf8Problem::too_large, 1);
  const std::size_t len = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;

  // The second byte's range depends on the lead byte (table 3-7); that is where overlong
  // forms, surrogates and values above U+10FFFF show.
  unsigned char lo = 0x80, hi = 0xBF;
  Utf8Problem outside = Utf8Problem::truncated;
  if (b0 == 0xE0) lo = 0xA0, outside = Utf8Problem::overlong;
  else if (b0 == 0xED) hi = 0x9F, outside = Utf8Problem::surrogate;
  else if (b0 == 0xF0) lo = 0x90, outside = Utf8Problem::overlong;
  else if (b0 == 0xF4) hi = 0x8F, outside = Utf8Problem::too_large;
  if (pos + 1 >= n) return bad(Utf8Problem::truncated, 1);
  const unsigned char b1 = p[pos + 1];
  if (b1 < lo || b1 > hi) return bad(is_continuation(b1) ? outside : Utf8Problem::truncated, 1);

  char32_t cp = len == 2 ? b0 & 0x1F : len == 3 ? b0 & 0x0F : b0 & 0x07;
  cp = cp << 6 | (b1 & 0x3F);
  for (std::size_t k = 2; k < len; ++k) {
    if (pos + k >= n || !is_continuation(p[pos + k])) return bad(Utf8Problem::truncated, k);
    cp = cp << 6 | (p[pos + k] & 0x3F);
  }
  return {cp, len, std::nullopt};
}

std::optional<Utf8Error> find_invalid_utf8(std::string_view text, std::size_t from) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t pos = from;
  while (true) {
    pos = skip_ascii(p, pos, text.size());
    if (pos >= text.size()) return std::nullopt;
    const Utf8Step step = utf8_step(text, pos);
    if (step.problem) return Utf8Error{pos, step.length, *step.problem};
    pos += step.length;
  }
}

std::string_view skip_bom(std::string_view text) {
  return text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? text.substr(kUtf8Bom.size()) : text;
}

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t pos = text.size() - skip_bom(text).size(); pos < text.size();) {
    const Utf8Step step = utf8_step(text, pos);
    if (step.problem) throw Error(Utf8Error{pos, step.length, *step.problem}.message(text));
    out.push_back(step.code_point);
    pos += step.length;
  }
  return out;
}

std::u32string decode_utf8_lossy(std::string_view text, std::int64_t* replaced) {
  std::u32string out;
  out.reserve(text.size());
  std::int64_t count = 0;
  for (std::size_t pos = text.size() - skip_bom(text).size(); pos < text.size();) {
    const Utf8Step step = utf8_step(text, pos);
    if (step.problem) ++count;
    out.push_back(step.problem ? kReplacementChar : step.code_point);
    pos += step.length;
  }
  if (replaced) *replaced = count;
  return out;
}

std::string to_valid_utf8(std::string_view text, std::int64_t* replaced) {
  std::string out;
  out.reserve(text.size());
  std::int64_t count = 0;
  std::size_t pos = 0;
  while (auto error = find_invalid_utf8(text, pos)) {
    out.append(text.substr(pos, error->offset - pos));
    append_utf8(out, kReplacementChar);
    ++count;
    pos = error->offset + error->length;
  }
  out.append(text.substr(pos));
  if (replaced) *replaced = count;
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  D2L_CHECK(cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF), "encode_utf8: ", u_plus(cp),
            cp > 0x10FFFF ? " is above U+10FFFF, the last code point" : " is a surrogate, not a character");
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string encode_utf8(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t cp : code_points) append_utf8(out, cp);
  return out;
}

}  // namespace d2l::text
