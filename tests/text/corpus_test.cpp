// load_corpus on small texts written here (against tokenize + Vocab, the course's way), the
// corpus names, and on the fetched Moby Dick the figures the course's Python code gives.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "chapters/run_command.h"
#include "d2l/text/corpus.h"
#include "error_of.h"

using namespace d2l::text;

namespace {

void write_file(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// The course's way: tokenize, Vocab over every token, then each token's index.
std::vector<std::int64_t> course_corpus(const Lines& lines, const char* token, const Vocab& vocab) {
  return vocab.indices(tokenize(lines, token).all());
}

// <data>/text/moby_dick.txt, looked for under $D2L_DATA, then the source tree's data/.
std::string moby_dick_path() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("D2L_DATA"); env && *env) dirs.emplace_back(env);
  dirs.emplace_back(std::filesystem::path(D2L_SOURCE_DIR) / "data");
  for (const auto& dir : dirs)
    if (std::filesystem::exists(dir / "text" / "moby_dick.txt")) return (dir / "text" / "moby_dick.txt").string();
  return "";
}

}  // namespace

TEST(LoadCorpus, MatchesTokenizeAndVocabForWordsAndChars) {
  TempDir dir("corpus");
  write_file(dir / "t.txt", "The Time Machine, by H. G. Wells\r\n\n\xE7\x99\xBD\xE6\x97\xA5 the time\n  the END.\n");
  for (const Clean how : {Clean::none, Clean::letters}) {
    const Lines lines = clean(read_lines(dir / "t.txt"), how);
    for (const char* token : {"word", "char"}) {
      const Corpus c = load_corpus(dir / "t.txt", token, -1, how);
      const Vocab vocab(tokenize(lines, token));
      EXPECT_EQ(c.vocab.idx_to_token(), vocab.idx_to_token()) << token;
      EXPECT_EQ(c.vocab.token_freqs(), vocab.token_freqs()) << token;
      EXPECT_EQ(c.corpus, course_corpus(lines, token, vocab)) << token;
      EXPECT_EQ(c.lines, 4);
      EXPECT_EQ(c.tokens, static_cast<std::int64_t>(c.corpus.size()));
      EXPECT_GE(c.timing.read, 0.0);
      EXPECT_GE(c.timing.total(), c.timing.map);
    }
  }
  const Corpus words = load_corpus(dir / "t.txt", "word", -1, Clean::letters);
  EXPECT_EQ(words.vocab.idx_to_token()[1], "the");
  EXPECT_EQ(words.vocab.token_freqs()[0], (TokenFreq{"the", 3}));
  EXPECT_EQ(words.tokens, 11);
  // Chinese characters are one token each (cleaning to letters would drop them).
  const Corpus chars = load_corpus(dir / "t.txt", "char");
  EXPECT_GT(chars.vocab["\xE7\x99\xBD"], 0);
}

TEST(LoadCorpus, TruncatesAfterBuildingTheVocabulary) {
  const Lines lines(std::vector<std::string>{"a b a c", "c c d"});
  const Corpus all = load_corpus(lines, "word");
  const Corpus first = load_corpus(lines, "word", 3);
  EXPECT_EQ(first.corpus, (std::vector<std::int64_t>{all.corpus[0], all.corpus[1], all.corpus[2]}));
  EXPECT_EQ(first.vocab.idx_to_token(), all.vocab.idx_to_token());  // d is still in it
  EXPECT_EQ(first.tokens, 7);
  EXPECT_EQ(load_corpus(lines, "word", 100).corpus, all.corpus);
  EXPECT_EQ(load_corpus(lines, "word", 0).corpus, all.corpus);
}

TEST(LoadCorpus, ErrorsAreOneLine) {
  TempDir dir("corpus-errors");
  write_file(dir / "digits.txt", "123 456\n");
  EXPECT_EQ(error_of([&] { load_corpus(dir / "digits.txt", "word", -1, Clean::letters); }),
            "load_corpus: " + (dir / "digits.txt") + " has no word tokens after cleaning to letters");
  write_file(dir / "empty.txt", "");
  EXPECT_NE(error_of([&] { load_corpus(dir / "empty.txt", "char"); }).find("has no char tokens"), std::string::npos);
  EXPECT_EQ(error_of([&] { load_corpus(dir / "missing.txt", "word"); }),
            "cannot open " + (dir / "missing.txt") + ": No such file or directory");
  EXPECT_EQ(error_of([&] { load_corpus(dir / "missing.txt", "words"); }),
            "unknown token type 'words': expected word or char");
  write_file(dir / "bad.txt", "ok\n\xC3(\n");
  EXPECT_NE(error_of([&] { load_corpus(dir / "bad.txt", "char"); }).find("invalid UTF-8 at byte 3"), std::string::npos);
  const Corpus lossy = load_corpus(dir / "bad.txt", "char", -1, Clean::none, {.lossy = true});
  EXPECT_EQ(lossy.replaced, 1);
  EXPECT_EQ(lossy.vocab.to_token(lossy.corpus[2]), "\xEF\xBF\xBD");
}

TEST(ResolveCorpus, NamesTheFetchedFilesAndHowToFetchThem) {
  TempDir dir("corpus-names");
  const std::string data = dir.path.string();
  EXPECT_EQ(error_of([&] { resolve_corpus("moby-dick", data); }),
            "the moby-dick corpus is not in " + data + "/text/moby_dick.txt; fetch it with: scripts/fetch-data --data-dir " +
                data + " text");
  std::filesystem::create_directories(dir.path / "text");
  write_file(dir / "text/moby_dick.txt", "Call me Ishmael.\n");
  write_file(dir / "text/tang300.txt", "x\n");
  const CorpusSource moby = resolve_corpus("moby-dick", data);
  EXPECT_EQ(moby.path, data + "/text/moby_dick.txt");
  EXPECT_EQ(moby.clean, Clean::letters);
  const CorpusSource tang = resolve_corpus("tang300", data);
  EXPECT_EQ(tang.name, "tang300");
  EXPECT_EQ(tang.clean, Clean::none);
  const CorpusSource file = resolve_corpus(dir / "text/tang300.txt", data);
  EXPECT_EQ(file.path, dir / "text/tang300.txt");
  EXPECT_EQ(file.clean, Clean::none);
  EXPECT_NE(error_of([&] { resolve_corpus(dir / "nope.txt", data); }).find("no such file"), std::string::npos);
  // With the default data directory the command needs no --data-dir.
  const char* old = std::getenv("D2L_DATA");
  const std::string saved = old ? old : "";
  ::setenv("D2L_DATA", (dir / "empty").c_str(), 1);
  EXPECT_NE(error_of([] { resolve_corpus("tang300"); }).find("; fetch it with: scripts/fetch-data text"), std::string::npos);
  if (old) ::setenv("D2L_DATA", saved.c_str(), 1);
  else ::unsetenv("D2L_DATA");
}

TEST(MobyDick, CountsEqualThePythonReference) {
  const std::string path = moby_dick_path();
  if (path.empty()) GTEST_SKIP() << "data/text/moby_dick.txt is absent (looked in $D2L_DATA and " << D2L_SOURCE_DIR
                                 << "/data); fetch it with: scripts/fetch-data text";
  const Corpus words = load_corpus(path, "word", -1, Clean::letters);
  EXPECT_EQ(words.lines, 4979);
  EXPECT_EQ(words.corpus.size(), 214384u);
  EXPECT_EQ(words.vocab.size(), 16684);
  ASSERT_GE(words.vocab.token_freqs().size(), 3u);
  EXPECT_EQ(words.vocab.token_freqs()[0], (TokenFreq{"the", 14150}));
  EXPECT_EQ(words.vocab.token_freqs()[1], (TokenFreq{"of", 6460}));
  EXPECT_EQ(words.vocab.token_freqs()[2], (TokenFreq{"and", 6315}));
  EXPECT_EQ(words.vocab.to_tokens(std::span(words.corpus).first(3)), (std::vector<std::string>{"chapter", "loomings", "call"}));

  const Corpus chars = load_corpus(path, "char", -1, Clean::letters);
  EXPECT_EQ(chars.corpus.size(), 1146301u);
  EXPECT_EQ(chars.vocab.size(), 28);
  EXPECT_EQ(chars.vocab.idx_to_token()[1], " ");
  EXPECT_EQ(chars.vocab.idx_to_token()[2], "e");

  // The per-line path (tokenize, then Vocab) agrees with load_corpus.
  const Lines lines = clean(read_lines(path), Clean::letters);
  const Vocab vocab(tokenize(lines, "word"));
  EXPECT_EQ(vocab.idx_to_token(), words.vocab.idx_to_token());
  EXPECT_EQ(vocab.indices(tokenize(lines, "word").all()), words.corpus);
}
