// UTF-8: 1-4 byte characters both ways, each kind of ill-formed sequence with its offset,
// the lossy counts (as Python's errors="replace" gives them), and the BOM.
#include <gtest/gtest.h>

#include <algorithm>

#include "d2l/text/utf8.h"
#include "error_of.h"

using namespace d2l::text;

TEST(Utf8, DecodesOneToFourByteCharactersAndEncodesThemBack) {
  const std::string text = "a\xC3\xA9\xE7\x99\xBD\xF0\x9F\x98\x80";  // a é 白 😀
  EXPECT_EQ(decode_utf8(text), (std::u32string{U'a', 0xE9, 0x767D, 0x1F600}));
  EXPECT_EQ(encode_utf8(decode_utf8(text)), text);
  // The ends of each length's range.
  const std::u32string edges = {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
  EXPECT_EQ(decode_utf8(encode_utf8(edges)), edges);
  EXPECT_EQ(encode_utf8(U"\u00e9").size(), 2u);
  EXPECT_EQ(encode_utf8(U"\U0010FFFF"), "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(decode_utf8(std::string("a\0b", 3)), (std::u32string{U'a', 0, U'b'}));
}

TEST(Utf8, EncodingRejectsSurrogatesAndValuesAboveTheLastCodePoint) {
  EXPECT_NE(error_of([] { encode_utf8(std::u32string{0xD800}); }).find("U+D800 is a surrogate"), std::string::npos);
  EXPECT_NE(error_of([] { encode_utf8(std::u32string{0x110000}); }).find("U+110000 is above U+10FFFF"),
            std::string::npos);
}

TEST(Utf8, FindsEachKindOfIllFormedSequenceAtItsOffset) {
  struct Case {
    std::string text;
    std::size_t offset, length;
    Utf8Problem problem;
  };
  const Case cases[] = {
      {"ab\x80z", 2, 1, Utf8Problem::stray_continuation},
      {"\xC3\xA9\xBF", 2, 1, Utf8Problem::stray_continuation},   // one continuation too many
      {"abc\xC0\xAF", 3, 1, Utf8Problem::overlong},              // '/' in two bytes
      {"\xC1\xBF", 0, 1, Utf8Problem::overlong},
      {"x\xE0\x80\xAF", 1, 1, Utf8Problem::overlong},            // '/' in three bytes
      {"xy\xF0\x80\x80\xAF", 2, 1, Utf8Problem::overlong},       // '/' in four bytes
      {"\xED\xA0\x80", 0, 1, Utf8Problem::surrogate},            // U+D800
      {"ok\xED\xBF\xBF", 2, 1, Utf8Problem::surrogate},          // U+DFFF
      {"\xF4\x90\x80\x80", 0, 1, Utf8Problem::too_large},        // U+110000
      {"a\xF5\x80\x80\x80", 1, 1, Utf8Problem::too_large},
      {"a\xF8", 1, 1, Utf8Problem::invalid_byte},
      {"\xFF", 0, 1, Utf8Problem::invalid_byte},
      {"ab\xE7\x99", 2, 2, Utf8Problem::truncated},              // 白 cut at the end
      {"\xE7\x99z", 0, 2, Utf8Problem::truncated},               // ... or by an ASCII byte
      {"\xF0\x9F\x98", 0, 3, Utf8Problem::truncated},
      {"\xC3", 0, 1, Utf8Problem::truncated},
      {"\xC3 ", 0, 1, Utf8Problem::truncated},
  };
  for (const auto& c : cases) {
    const auto error = find_invalid_utf8(c.text);
    ASSERT_TRUE(error) << c.text;
    EXPECT_EQ(error->offset, c.offset) << c.text;
    EXPECT_EQ(error->length, c.length) << c.text;
    EXPECT_EQ(error->problem, c.problem) << c.text;
    const std::string message = error_of([&] { decode_utf8(c.text); });
    EXPECT_NE(message.find("invalid UTF-8 at byte " + std::to_string(c.offset) + " (" + to_string(c.problem)),
              std::string::npos)
        << message;
  }
  EXPECT_EQ(error_of([] { decode_utf8("ok\xED\xA0\x80"); }),
            "invalid UTF-8 at byte 2 (a surrogate code point: ED A0 80)");
  EXPECT_FALSE(find_invalid_utf8("plain ASCII, long enough for the eight-byte path"));
  EXPECT_FALSE(find_invalid_utf8("\xE7\x99\xBD\xE6\x97\xA5\xE4\xBE\x9D\xE5\xB1\xB1\xE5\xB0\xBD"));  // 白日依山尽
  // The search starts where it is told and reports offsets from the text's start.
  const std::string two = "\x80 then a good stretch of text \xFF";
  const auto later = find_invalid_utf8(two, 1);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->offset, two.size() - 1);
}

TEST(Utf8, LossyDecodingReplacesEachMaximalSubpartAsPythonDoes) {
  // Counts from bytes.decode("utf-8", "replace") in Python 3.
  const std::pair<std::string, std::int64_t> cases[] = {
      {"\xC0\x80", 2}, {"\xE0\x80\x80", 3}, {"\xE2\x82", 1}, {"\xF4\x90\x80\x80", 4},
      {"\xED\xA0\x80", 3}, {"\xF0\x9F\x98", 1}, {"a\x80\x80z", 2}, {"fine", 0},
  };
  for (const auto& [text, expected] : cases) {
    std::int64_t replaced = -1;
    const std::u32string decoded = decode_utf8_lossy(text, &replaced);
    EXPECT_EQ(replaced, expected) << text;
    EXPECT_EQ(std::count(decoded.begin(), decoded.end(), kReplacementChar), expected) << text;
    std::int64_t replaced_bytes = -1;
    const std::string fixed = to_valid_utf8(text, &replaced_bytes);
    EXPECT_EQ(replaced_bytes, expected);
    EXPECT_FALSE(find_invalid_utf8(fixed));
    EXPECT_EQ(decode_utf8(fixed), decoded);
  }
  std::int64_t replaced = 0;
  EXPECT_EQ(decode_utf8_lossy("a\xE2\x82z", &replaced), (std::u32string{U'a', 0xFFFD, U'z'}));
  EXPECT_EQ(to_valid_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
}

TEST(Utf8, LeadingByteOrderMarkIsSkipped) {
  EXPECT_EQ(decode_utf8("\xEF\xBB\xBFhi"), U"hi");
  EXPECT_EQ(decode_utf8_lossy("\xEF\xBB\xBF\xFF"), U"\uFFFD");
  EXPECT_EQ(skip_bom("\xEF\xBB\xBFx"), "x");
  EXPECT_EQ(skip_bom("x\xEF\xBB\xBF"), "x\xEF\xBB\xBF");
  // Only a leading one: later it is U+FEFF, an ordinary character.
  EXPECT_EQ(decode_utf8("a\xEF\xBB\xBF"), (std::u32string{U'a', 0xFEFF}));
  // Offsets still count the BOM's bytes.
  EXPECT_NE(error_of([] { decode_utf8("\xEF\xBB\xBF\x80"); }).find("at byte 3"), std::string::npos);
}
