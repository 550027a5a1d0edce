// Vocab against the course's class (expected values from it, run in Python): ordering by
// frequency with ties in order of first appearance, min_freq, reserved tokens, unknown
// tokens; the saved file's round trip and its malformed forms.
#include <gtest/gtest.h>

#include <fstream>

#include "chapters/run_command.h"
#include "d2l/text/vocab.h"
#include "error_of.h"

using namespace d2l::text;
using Strings = std::vector<std::string>;

namespace {

const std::vector<Strings> kTokens = {{"b", "a", "c", "a"}, {"d", "c", "e", "a"}, {"<pad>", "b"}};

void write_file(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

void expect_same(const Vocab& a, const Vocab& b) {
  EXPECT_EQ(a.idx_to_token(), b.idx_to_token());
  EXPECT_EQ(a.token_freqs(), b.token_freqs());
  EXPECT_EQ(a.reserved_tokens(), b.reserved_tokens());
  EXPECT_EQ(a.min_freq(), b.min_freq());
  for (const auto& token : a.idx_to_token()) EXPECT_EQ(a[token], b[token]) << token;
}

}  // namespace

TEST(Vocab, OrdersByFrequencyThenFirstAppearance) {
  const Vocab vocab(kTokens);
  EXPECT_EQ(vocab.idx_to_token(), (Strings{"<unk>", "a", "b", "c", "d", "e", "<pad>"}));
  EXPECT_EQ(vocab.size(), 7);
  EXPECT_EQ(vocab.token_freqs(),
            (std::vector<TokenFreq>{{"a", 3}, {"b", 2}, {"c", 2}, {"d", 1}, {"e", 1}, {"<pad>", 1}}));
  EXPECT_EQ(vocab["c"], 3);
  EXPECT_EQ(vocab.index("zzz"), Vocab::unk());
  EXPECT_EQ(vocab.indices(Strings{"e", "a", "nope"}), (std::vector<std::int64_t>{5, 1, 0}));
  EXPECT_EQ(vocab.to_token(2), "b");
  const std::vector<std::int64_t> back = {0, 6, 1};
  EXPECT_EQ(vocab.to_tokens(back), (Strings{"<unk>", "<pad>", "a"}));
  EXPECT_NE(error_of([&] { vocab.to_token(7); }).find("index 7 is out of range for a vocabulary of 7 tokens"),
            std::string::npos);
  EXPECT_NE(error_of([&] { vocab.to_token(-1); }).find("index -1"), std::string::npos);
}

TEST(Vocab, MinFreqAndReservedTokens) {
  const Vocab vocab(kTokens, 2, {"<pad>", "<bos>"});
  EXPECT_EQ(vocab.idx_to_token(), (Strings{"<unk>", "<pad>", "<bos>", "a", "b", "c"}));
  EXPECT_EQ(vocab.indices(Strings{"a", "d", "<pad>", "<bos>", "zzz"}), (std::vector<std::int64_t>{3, 0, 1, 2, 0}));
  // token_freqs keeps every counted token, those below min_freq too.
  EXPECT_EQ(vocab.token_freqs().size(), 6u);
  EXPECT_EQ(error_of([] { Vocab(Strings{"a"}, 0, {"<unk>"}); }),
            "Vocab: \"<unk>\" is always index 0; it cannot be a reserved token");
  EXPECT_EQ(error_of([] { Vocab(Strings{"a"}, 0, {"<pad>", "<pad>"}); }),
            "Vocab: the reserved token \"<pad>\" is given twice");
}

TEST(Vocab, BuildsTheSameFromTokensFlatListsAndCounts) {
  const Lines lines(std::vector<std::string>{"b a c a", "d c e a", "<pad> b"});
  const Vocab from_lists(kTokens), from_tokens(tokenize(lines, "word"));
  expect_same(from_lists, from_tokens);
  const Vocab flat(Strings{"b", "a", "c", "a", "d", "c", "e", "a", "<pad>", "b"});
  expect_same(from_lists, flat);
  // "<unk>" in the text counts, but keeps index 0.
  const Vocab with_unk(Strings{"x", "<unk>", "<unk>"});
  EXPECT_EQ(with_unk.idx_to_token(), (Strings{"<unk>", "x"}));
  EXPECT_EQ(with_unk.token_freqs().front(), (TokenFreq{"<unk>", 2}));
  EXPECT_EQ(Vocab().size(), 1);
  EXPECT_EQ(Vocab()["anything"], 0);
}

TEST(Vocab, SaveAndLoadRoundTripWithAwkwardTokens) {
  TempDir dir("vocab");
  // Char tokens may be spaces, tabs, backslashes or CRs; words may hold non-ASCII letters.
  const Strings tokens = {" ", "\t", "\\", "\\t", "\r", "\n", "a b", "\xE7\x99\xBD", " ", "x", "x", "-", "x"};
  for (const std::int64_t min_freq : {0, 2}) {
    const Vocab vocab(tokens, min_freq, {"<pad>", "<b\tos>"});
    vocab.save(dir / "v.txt");
    const Vocab back = Vocab::load(dir / "v.txt");
    expect_same(vocab, back);
    EXPECT_EQ(back["\t"], vocab["\t"]);
  }
  const Vocab vocab(tokens);
  vocab.save(dir / "v.txt");
  std::ifstream in(dir / "v.txt", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.substr(0, 41), "d2l-vocab 1 min_freq=0\n<unk>\t-\nx\t3\n \t2\n\\t");
  std::ofstream(dir / "a-file") << "x";  // where a directory should be
  EXPECT_NE(error_of([&] { vocab.save(dir / "a-file/v.txt"); }).find(dir / "a-file"), std::string::npos);
}

TEST(Vocab, MalformedFilesNameTheFileAndLine) {
  TempDir dir("vocab-bad");
  const std::pair<std::string, std::string> cases[] = {
      {"", "v.txt: not a vocabulary file: it is empty"},
      {"tokens\n", "v.txt:1: not a vocabulary file: expected the header \"d2l-vocab 1 min_freq=N\", got \"tokens\""},
      {"d2l-vocab 1 min_freq=x\n", "v.txt:1: not a vocabulary file: expected the header"},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\nthe 5\n", "v.txt:3: not a vocabulary file: expected a token, a tab and a count, got \"the 5\""},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\na\t1\t2\n", "v.txt:3: not a vocabulary file: expected a token, a tab and a count"},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\nthe\tmany\n", "v.txt:3: not a vocabulary file: expected a count of at least 1 or \"-\", got \"many\""},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\nthe\t0\n", "v.txt:3: not a vocabulary file: expected a count of at least 1"},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\nthe\t3\nof\t4\n", "v.txt:4: not a vocabulary file: counts must not increase (4 after 3)"},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\nthe\t3\nthe\t2\n", "v.txt:4: not a vocabulary file: the token \"the\" is given twice"},
      {"d2l-vocab 1 min_freq=0\nthe\t3\n", "v.txt:2: not a vocabulary file: the first token must be <unk>"},
      {"d2l-vocab 1 min_freq=0\n<pad>\t-\n", "v.txt:2: not a vocabulary file: the first token must be <unk>, got \"<pad>\""},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\nthe\t3\n<pad>\t-\n", "v.txt:4: not a vocabulary file: the reserved token \"<pad>\" comes after counted tokens"},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\n<pad>\t-\n<pad>\t-\n", "v.txt:4: not a vocabulary file: the reserved token \"<pad>\" is given twice"},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\na\\q\t3\n", "v.txt:3: not a vocabulary file: unknown escape \\q"},
      {"d2l-vocab 1 min_freq=0\n<unk>\t-\na\\\t3\n", "v.txt:3: not a vocabulary file: a backslash at the end of the token"},
      {"d2l-vocab 1 min_freq=0\n", "v.txt:1: not a vocabulary file: no <unk> entry"},
  };
  for (const auto& [text, expected] : cases) {
    write_file(dir / "v.txt", text);
    const std::string message = error_of([&] { Vocab::load(dir / "v.txt"); });
    EXPECT_NE(message.find(expected), std::string::npos) << "got: " << message << "\nexpected: " << expected;
    EXPECT_EQ(message.rfind(dir / "v.txt", 0), 0u) << message;
  }
  EXPECT_NE(error_of([&] { Vocab::load(dir / "missing.txt"); }).find("cannot open"), std::string::npos);
  // CRLF line ends (an edited file) still load.
  write_file(dir / "v.txt", "d2l-vocab 1 min_freq=0\r\n<unk>\t-\r\nthe\t3\r\n");
  EXPECT_EQ(Vocab::load(dir / "v.txt")["the"], 1);
}
