// read_lines (LF and CRLF, BOM, NUL bytes, a 50 MB line, invalid UTF-8 with and without
// lossy reading, missing files), join_lines and the course's letter cleaning.
#include <gtest/gtest.h>

#include <fstream>

#include "chapters/run_command.h"
#include "d2l/text/clean.h"
#include "d2l/text/lines.h"
#include "error_of.h"

using namespace d2l::text;

namespace {

void write_file(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::vector<std::string> strings(const Lines& lines) { return {lines.begin(), lines.end()}; }

}  // namespace

TEST(ReadLines, SplitsAtLfAndCrlfWithoutAnEmptyLastLine) {
  TempDir dir("read-lines");
  write_file(dir / "a.txt", "one\r\ntwo\n\nthree\r\n");
  EXPECT_EQ(strings(read_lines(dir / "a.txt")), (std::vector<std::string>{"one", "two", "", "three"}));
  write_file(dir / "b.txt", "no newline at the end");
  EXPECT_EQ(strings(read_lines(dir / "b.txt")), (std::vector<std::string>{"no newline at the end"}));
  // A lone CR is not a line break (it is white space to the tokenizer).
  write_file(dir / "c.txt", "a\rb\n\r\n\n");
  EXPECT_EQ(strings(read_lines(dir / "c.txt")), (std::vector<std::string>{"a\rb", "", ""}));
  write_file(dir / "empty.txt", "");
  EXPECT_TRUE(read_lines(dir / "empty.txt").empty());
  write_file(dir / "bom.txt", "\xEF\xBB\xBF\xE7\x99\xBD\xE6\x97\xA5\nx");
  EXPECT_EQ(strings(read_lines(dir / "bom.txt")), (std::vector<std::string>{"\xE7\x99\xBD\xE6\x97\xA5", "x"}));
}

TEST(ReadLines, KeepsNulBytesAndReadsA50MegabyteLine) {
  TempDir dir("read-lines-big");
  write_file(dir / "nul.txt", std::string("a\0b\n\0\n", 6));
  EXPECT_EQ(strings(read_lines(dir / "nul.txt")), (std::vector<std::string>{std::string("a\0b", 3), std::string(1, '\0')}));

  // 50 MiB of "xxxxxxx " on one line, written a MiB at a time.
  std::string mib(1 << 20, 'x');
  for (std::size_t i = 7; i < mib.size(); i += 8) mib[i] = ' ';
  {
    std::ofstream out(dir / "big.txt", std::ios::binary);
    for (int i = 0; i < 50; ++i) out << mib;
    out << "\nend\n";
  }
  const std::size_t big = std::size_t{50} << 20;
  const Lines lines = read_lines(dir / "big.txt");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].size(), big);
  EXPECT_EQ(lines[0].substr(big - 9), " xxxxxxx ");
  EXPECT_EQ(lines[1], "end");
  const Lines cleaned = clean(lines, Clean::letters);
  EXPECT_EQ(cleaned[0].size(), big - 1);  // the trailing space is stripped
}

TEST(JoinLines, PutsTheSeparatorBetweenLines) {
  const Lines poem(std::vector<std::string>{"白日依山尽", "", "黄河入海流"});
  EXPECT_EQ(strings(join_lines(poem, " ")), (std::vector<std::string>{"白日依山尽  黄河入海流"}));
  EXPECT_EQ(strings(join_lines(poem, "")), (std::vector<std::string>{"白日依山尽黄河入海流"}));
  EXPECT_EQ(strings(join_lines(Lines(), " ")), (std::vector<std::string>{""}));
  TempDir dir("join-lines");
  write_file(dir / "bad.txt", "a\n\xFF\n");
  const Lines joined = join_lines(read_lines(dir / "bad.txt", {.lossy = true}), " ");
  EXPECT_EQ(joined[0], "a \xEF\xBF\xBD");
  EXPECT_EQ(joined.replaced(), 1);
}

TEST(ReadLines, InvalidUtf8NamesTheFileByteAndLineUnlessLossy) {
  TempDir dir("read-lines-utf8");
  write_file(dir / "bad.txt", "fine\nstill fine\nthen \xED\xA0\x80 here\n\xFF\n");
  const std::string message = error_of([&] { read_lines(dir / "bad.txt"); });
  EXPECT_NE(message.find(dir / "bad.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid UTF-8 at byte 21 (a surrogate code point: ED A0 80) on line 3"), std::string::npos)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);

  const Lines lines = read_lines(dir / "bad.txt", {.lossy = true});
  EXPECT_EQ(lines.replaced(), 4);  // ED, A0 and 80 separately (Python agrees), then FF
  EXPECT_EQ(lines[2], "then \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD here");
  EXPECT_EQ(lines[3], "\xEF\xBF\xBD");
  EXPECT_EQ(clean(lines, Clean::letters).replaced(), 4);

  write_file(dir / "good.txt", "ok\n");
  EXPECT_EQ(read_lines(dir / "good.txt", {.lossy = true}).replaced(), 0);
}

TEST(ReadLines, MissingFileOrDirectoryIsAnError) {
  TempDir dir("read-lines-missing");
  EXPECT_EQ(error_of([&] { read_lines(dir / "nope.txt"); }), "cannot open " + (dir / "nope.txt") + ": No such file or directory");
  const std::string message = error_of([&] { read_lines(dir.path.string()); });
  EXPECT_NE(message.find("Is a directory"), std::string::npos) << message;
}

TEST(Lines, FromStringsAndTextCheckUtf8) {
  const Lines lines(std::vector<std::string>{"a b", "", "\xE7\x99\xBD"});
  EXPECT_EQ(strings(lines), (std::vector<std::string>{"a b", "", "\xE7\x99\xBD"}));
  const Lines copy = lines;  // shares the buffer; the views stay valid
  EXPECT_EQ(copy[2], "\xE7\x99\xBD");
  EXPECT_EQ(error_of([] { Lines(std::vector<std::string>{"ok", "b\xC0\xAF"}); }),
            "line 2: invalid UTF-8 at byte 1 (an overlong encoding: C0 AF)");
  EXPECT_EQ(strings(Lines::from_text("x\r\ny")), (std::vector<std::string>{"x", "y"}));
  EXPECT_NE(error_of([] { Lines::from_text("x\n\xFF"); }).find("at byte 2"), std::string::npos);
}

TEST(Clean, LettersIsTheCoursesRegexStripAndLower) {
  // Expected values from Python: re.sub('[^A-Za-z]+', ' ', s).strip().lower().
  const std::pair<std::string, std::string> cases[] = {
      {"The Time Machine, by H. G. Wells [1898]", "the time machine by h g wells"},
      {"  Call me Ishmael.  ", "call me ishmael"},
      {"never mind\xE2\x80\x94how long", "never mind how long"},  // an em dash
      {"caf\xC3\xA9 au lait", "caf au lait"},                     // é is not [A-Za-z]
      {"1234 ... !!", ""},
      {"", ""},
      {"a1b2c", "a b c"},
      {"tab\there\r", "tab here"},
      {"\xE7\x99\xBD\xE6\x97\xA5", ""},
      {"ABC", "abc"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(clean_letters(in), out) << in;

  const Lines lines(std::vector<std::string>{"Hello, World!", "", "--", "x-Y"});
  EXPECT_EQ(strings(clean(lines, Clean::letters)), (std::vector<std::string>{"hello world", "", "", "x y"}));
  EXPECT_EQ(strings(clean(lines, Clean::none)), strings(lines));
}

TEST(Clean, NamesParseAndBadNamesAreErrors) {
  EXPECT_EQ(parse_clean("letters"), Clean::letters);
  EXPECT_EQ(parse_clean("none"), Clean::none);
  EXPECT_STREQ(to_string(Clean::letters), "letters");
  EXPECT_EQ(error_of([] { parse_clean("lower"); }), "unknown cleaning 'lower': expected none or letters");
}
