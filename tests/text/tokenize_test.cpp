// tokenize: words as Python's str.split(), characters as list(str), English and Chinese.
#include <gtest/gtest.h>

#include "d2l/text/tokenize.h"
#include "d2l/text/vocab.h"
#include "error_of.h"

using namespace d2l::text;
using Nested = std::vector<std::vector<std::string>>;

TEST(Tokenize, WordsSplitOnWhiteSpaceAsPythonDoes) {
  const Lines lines(std::vector<std::string>{"the time  machine", "", "  by h g wells ", "a\tb\r\nc\vd\fe"});
  const Tokens tokens = tokenize(lines, "word");
  EXPECT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens.to_vectors(),
            (Nested{{"the", "time", "machine"}, {}, {"by", "h", "g", "wells"}, {"a", "b", "c", "d", "e"}}));
  EXPECT_EQ(tokens.count(), 12u);
  EXPECT_EQ(tokens.all().to_vector()[3], "by");
  EXPECT_EQ(tokens[2].size(), 4u);
  EXPECT_TRUE(tokens[1].empty());
  EXPECT_FALSE(tokens[0].empty());
}

TEST(Tokenize, ViewsIterateAcrossEmptyLinesAndPointIntoTheText) {
  const Lines lines(std::vector<std::string>{"", "  ", "one two", "", "three", " "});
  const Tokens tokens = tokenize(lines, "word");
  std::vector<std::string_view> seen;
  for (const std::string_view token : tokens.all()) seen.push_back(token);
  ASSERT_EQ(seen, (std::vector<std::string_view>{"one", "two", "three"}));
  EXPECT_EQ(seen[0].data(), lines[2].data());  // a view into the lines, not a copy
  auto it = tokens.all().begin();
  const auto first = it++;
  EXPECT_EQ(*first, "one");
  EXPECT_EQ(*it, "two");
  EXPECT_TRUE(++it != tokens.all().end());
  EXPECT_TRUE(++it == tokens.all().end());
  EXPECT_TRUE(tokens[0].begin() == tokens[0].end());
  EXPECT_EQ(tokenize(Lines(), "char").count(), 0u);
  EXPECT_TRUE(tokenize(Lines(), "char").all().empty());
}

TEST(Tokenize, LongLinesSplitTheSameWhicheverWayTheyAreRead) {
  // Words of many lengths (one longer than the 512-byte blocks of the ASCII scanner) between
  // runs of mixed white space, so edges fall on and across block boundaries.
  std::vector<std::string> words;
  std::string line = "  ";
  for (std::size_t i = 0; i < 400; ++i) {
    words.push_back(std::string(i == 150 ? 1500 : 1 + i * 7 % 23, static_cast<char>('a' + i % 26)));
    line += words.back() + std::string(1 + i % 4, i % 3 ? ' ' : '\t');
  }
  line += "end";
  words.push_back("end");
  for (const std::string& text : {line, line + " \xC3\xA9"}) {  // all ASCII, and not
    if (text != line) words.push_back("\xC3\xA9");
    const Tokens tokens = tokenize(Lines(std::vector<std::string>{text, text}), "word");
    EXPECT_EQ(tokens[1].to_vector(), words);  // found one by one
    EXPECT_EQ(tokens.count(), 2 * words.size());  // counted in blocks
    const Vocab vocab(tokens);
    std::int64_t counted = 0;
    for (const auto& [token, n] : vocab.token_freqs()) counted += n;
    EXPECT_EQ(counted, static_cast<std::int64_t>(2 * words.size()));
    EXPECT_EQ(vocab.indices(tokens[0]), vocab.indices(words));
  }
}

TEST(Tokenize, WordsSplitOnUnicodeWhiteSpaceToo) {
  // "a\x1cb c\x85d".split() == ['a', 'b', 'c', 'd']; U+3000 (the ideographic space), U+00A0
  // and U+2003 split as well, but U+200B (zero width space) does not: it is not str.isspace.
  const Lines lines(std::vector<std::string>{"a\x1c" "b c\xC2\x85" "d",
                                             "\xE7\x99\xBD\xE6\x97\xA5\xE3\x80\x80\xE4\xBE\x9D\xE5\xB1\xB1",
                                             "x\xC2\xA0y\xE2\x80\x83z\xE2\x80\x8Bw"});
  EXPECT_EQ(tokenize(lines, "word").to_vectors(),
            (Nested{{"a", "b", "c", "d"},
                    {"\xE7\x99\xBD\xE6\x97\xA5", "\xE4\xBE\x9D\xE5\xB1\xB1"},
                    {"x", "y", "z\xE2\x80\x8Bw"}}));
}

TEST(Tokenize, CharsAreCodePointsIncludingSpaces) {
  const Lines lines(std::vector<std::string>{"ab c", "", "\xE7\x99\xBD\xE6\x97\xA5 \xF0\x9F\x98\x80\xC3\xA9"});
  const Tokens tokens = tokenize(lines, "char");
  EXPECT_EQ(tokens.to_vectors(),
            (Nested{{"a", "b", " ", "c"}, {}, {"\xE7\x99\xBD", "\xE6\x97\xA5", " ", "\xF0\x9F\x98\x80", "\xC3\xA9"}}));
  EXPECT_EQ(tokenize(lines, TokenKind::character).count(), 9u);
}

TEST(Tokenize, TokensOutliveTheLines) {
  Tokens tokens;
  {
    const Lines lines(std::vector<std::string>{"kept alive by the tokens"});
    tokens = tokenize(lines, "word");
  }
  EXPECT_EQ(tokens[0].to_vector()[4], "tokens");
}

TEST(Tokenize, UnknownTokenTypeIsAnError) {
  const Lines lines(std::vector<std::string>{"x"});
  EXPECT_EQ(error_of([&] { tokenize(lines, "byte"); }), "unknown token type 'byte': expected word or char");
  EXPECT_EQ(parse_token_kind("char"), TokenKind::character);
  EXPECT_STREQ(to_string(TokenKind::word), "word");
}
