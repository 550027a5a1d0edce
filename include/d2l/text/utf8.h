#pragma once
// UTF-8 to code points and back. Well-formed means Unicode's table 3-7: no overlong forms,
// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no sequence cut short and no
// continuation byte without a lead byte. A leading byte order mark (EF BB BF) is skipped by
// the decoders; offsets always count from the start of the text given, BOM included.
//
// The lossy decoders replace each "maximal subpart" of an ill-formed sequence with one
// U+FFFD, as Unicode recommends and as Python's errors="replace" does, so their counts agree.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace d2l::text {

enum class Utf8Problem {
  stray_continuation,  // 80..BF where a character should start
  overlong,            // C0, C1; E0 80..9F; F0 80..8F: a shorter form exists
  surrogate,           // ED A0..BF: U+D800..U+DFFF
  too_large,           // F4 90..BF, F5..F7: above U+10FFFF
  invalid_byte,        // F8..FF: never in UTF-8
  truncated,           // a lead byte without all its continuation bytes
};

// "a stray continuation byte", ..., for messages.
const char* to_string(Utf8Problem problem);

struct Utf8Error {
  std::size_t offset = 0;  // byte offset of the ill-formed sequence
  std::size_t length = 1;  // bytes in its maximal subpart (what one U+FFFD replaces)
  Utf8Problem problem = Utf8Problem::invalid_byte;
  // "invalid UTF-8 at byte 12 (a surrogate code point: ED A0 80)"
  std::string message(std::string_view text) const;
};

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr char32_t kReplacementChar = 0xFFFD;

// The number of bytes of the UTF-8 encoding of the code point after byte `lead` (1-4), or 0
// when `lead` cannot start a character. Says nothing about the bytes that follow.
inline int utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return lead < 0xF5 ? 4 : 0;
}

// Examines the character starting at text[pos] (pos < text.size()): its code point and
// length, or the problem with it.
struct Utf8Step {
  char32_t code_point = 0;
  std::size_t length = 1;          // bytes consumed: the character, or the ill-formed subpart
  std::optional<Utf8Problem> problem;
};
Utf8Step utf8_step(std::string_view text, std::size_t pos);

// The first ill-formed sequence at or after byte `from`; nullopt when the rest is valid.
std::optional<Utf8Error> find_invalid_utf8(std::string_view text, std::size_t from = 0);

// The text without its leading BOM (if any).
std::string_view skip_bom(std::string_view text);

// Code points of well-formed UTF-8; an ill-formed sequence throws d2l::Error naming its byte
// offset and kind.
std::u32string decode_utf8(std::string_view text);

// Code points, each ill-formed subpart replaced with U+FFFD; *replaced (when given) is set to
// the number of replacements.
std::u32string decode_utf8_lossy(std::string_view text, std::int64_t* replaced = nullptr);

// The text with each ill-formed subpart replaced with U+FFFD (EF BF BD), otherwise byte for
// byte the same (a BOM is kept); *replaced as above.
std::string to_valid_utf8(std::string_view text, std::int64_t* replaced = nullptr);

// Appends the encoding of one code point; surrogates and values above U+10FFFF throw.
void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(std::u32string_view code_points);

}  // namespace d2l::text
