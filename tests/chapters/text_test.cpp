// `d2l text` and `d2l lm` on small files the tests write: the printed counts, the metrics
// JSON, the Zipf plot, the course's sampler demonstration and the errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chapters/run_command.h"
#include "text.h"  // chapters/text.h
#include "text/text_golden.h"

namespace d2l::chapters {
namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

TextOptions options_for(const TempDir& dir, const std::string& corpus) {
  TextOptions o;
  o.corpus = corpus;
  o.data_dir = dir.path.string();
  o.out = dir / "out";
  o.metrics = dir / "metrics.json";
  return o;
}

TEST(TextChapter, PyReprQuotesAsPython) {
  EXPECT_EQ(py_repr("the"), "'the'");
  EXPECT_EQ(py_repr("it's"), "\"it's\"");
  EXPECT_EQ(py_repr("say \"it's\""), "'say \"it\\'s\"'");
  EXPECT_EQ(py_repr("a\tb\n\\"), "'a\\tb\\n\\\\'");
  EXPECT_EQ(py_repr(std::string("\0", 1)), "'\\x00'");
  EXPECT_EQ(py_repr("白日"), "'白日'");
}

TEST(TextChapter, CountsTokensAndVocabulary) {
  TempDir dir("text-chapter");
  // Cleaned to letters (the default for a file is none, so ask for it): "the cat the dog a cat the".
  write_file(dir / "book.txt", "The cat, the dog!\n\nA cat -- the.\n");
  TextOptions o = options_for(dir, dir / "book.txt");
  o.clean = "letters";
  std::ostringstream log;
  const train::Metrics m = text_stats(o, log);
  EXPECT_EQ(m.final["lines"], 3);
  EXPECT_EQ(m.final["tokens"], 7);
  EXPECT_EQ(m.final["vocab_size"], 5);  // <unk>, the, cat, dog, a
  EXPECT_EQ(m.final["top"].dump(), R"([["the",3],["cat",2],["dog",1],["a",1]])");
  EXPECT_NE(log.str().find("top 4: [('the', 3), ('cat', 2), ('dog', 1), ('a', 1)]"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("line 1 tokens:  ['the', 'cat', 'the', 'dog']"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("line 1 indices: [1, 2, 1, 3]"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("line 3 tokens:  ['a', 'cat', 'the']"), std::string::npos) << log.str();
  const nlohmann::json saved = read_json(o.metrics);
  EXPECT_EQ(saved["final"]["tokens"], 7);
  for (const char* step : {"read", "clean", "tokenize", "vocab", "map"}) EXPECT_TRUE(saved["timing"].contains(step)) << step;

  // A long line shows its first 12 tokens and how many more it has.
  write_file(dir / "long.txt", "w w w w w w w w w w w w w w w w w w w w\n");
  TextOptions long_line = options_for(dir, dir / "long.txt");
  std::ostringstream long_log;
  text_stats(long_line, long_log);
  EXPECT_NE(long_log.str().find("line 1 tokens:  ['w', 'w', 'w', 'w', 'w', 'w', 'w', 'w', 'w', 'w', 'w', 'w', ... (8 more)]"),
            std::string::npos) << long_log.str();
  EXPECT_NE(long_log.str().find("line 1 indices: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ... (8 more)]"), std::string::npos)
      << long_log.str();

  o.min_freq = 2;  // dog and a fall below: <unk>, the, cat
  EXPECT_EQ(text_stats(o, log).final["vocab_size"], 3);
}

TEST(TextChapter, ChineseCharactersAreOneTokenEach) {
  TempDir dir("text-chapter-zh");
  write_file(dir / "poem.txt", "白日依山尽，\n黄河入海流。\n");
  TextOptions o = options_for(dir, dir / "poem.txt");
  o.token = "char";
  std::ostringstream log;
  const train::Metrics m = text_stats(o, log);
  EXPECT_EQ(m.final["tokens"], 12);
  EXPECT_EQ(m.final["vocab_size"], 13);  // twelve distinct characters and <unk>
  EXPECT_EQ(m.final["top"][0][0], "白");
  EXPECT_NE(log.str().find("line 1 tokens:  ['白', '日', '依', '山', '尽', '，']"), std::string::npos) << log.str();
}

TEST(TextChapter, NamedCorpusFromTheDataDirectory) {
  TempDir dir("text-chapter-named");
  std::filesystem::create_directories(dir.path / "text");
  write_file(dir / "text/moby_dick.txt", "Call me Ishmael.\n");
  TextOptions o = options_for(dir, "moby-dick");  // cleaned to letters by default
  std::ostringstream log;
  const train::Metrics m = text_stats(o, log);
  EXPECT_EQ(m.config["clean"], "letters");
  EXPECT_EQ(m.final["top"][0][0], "call");
}

TEST(LmChapter, CountsNgramsAndWritesTheZipfPlot) {
  TempDir dir("lm-chapter");
  write_file(dir / "book.txt", "a b a b c\na b\n");
  TextOptions o = options_for(dir, dir / "book.txt");
  o.top = 2;
  std::ostringstream log;
  const train::Metrics m = lm_stats(o, log);
  EXPECT_EQ(m.final["ngrams"]["1"].dump(), R"([["a",3],["b",3]])");
  // The lines join into one sequence, a b a b c a b: the pair (c, a) spans the line break.
  EXPECT_EQ(m.final["ngrams"]["2"].dump(), R"([[["a","b"],3],[["b","a"],1]])");
  EXPECT_EQ(m.final["ngrams"]["3"].dump(), R"([[["a","b","a"],1],[["b","a","b"],1]])");
  EXPECT_NE(log.str().find("bigrams (4 distinct): [(('a', 'b'), 3), (('b', 'a'), 1)]"), std::string::npos) << log.str();
  EXPECT_TRUE(std::filesystem::exists(dir / "out/lm-zipf.svg"));
  EXPECT_TRUE(read_json(o.metrics)["final"].contains("ngrams"));
}

TEST(LmChapter, SamplerDemoEqualsTheCourse) {
  // Python: random.seed(s); the course's loops over list(range(35)) with batch 2, 5 steps.
  for (const auto& c : text_golden()["samplers"]) {
    if (c["length"] != 35 || c["batch_size"] != 2 || c["num_steps"] != 5) continue;
    SCOPED_TRACE(c["seed"].dump());
    TempDir dir("lm-demo");
    TextOptions o = options_for(dir, "unused");
    o.demo_samplers = true;
    o.seed = c["seed"].get<std::uint64_t>();
    std::ostringstream log;
    const train::Metrics m = lm_stats(o, log);
    // The golden file seeds each sampler afresh; the demo runs them one after the other
    // from one seed, as the course does, so only the first sampler's epoch lines up.
    const auto& want = c["random"][0];
    const auto& got = m.final["seq_data_iter_random"];
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(got[k]["X"], want[k][0]) << "batch " << k;
      EXPECT_EQ(got[k]["Y"], want[k][1]) << "batch " << k;
    }
    EXPECT_NE(log.str().find("X:  tensor([["), std::string::npos);
  }
}

TEST(TextChapter, BadInputIsAOneLineError) {
  TempDir dir("text-chapter-bad");
  write_file(dir / "bad.txt", "abc\xff def\n");
  write_file(dir / "empty.txt", "");
  auto run = [&](const std::string& args) { return run_d2l(args + " --data-dir " + dir.path.string()); };
  CommandResult r = run("text --corpus " + (dir / "bad.txt"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("bad.txt: invalid UTF-8 at byte 3"), std::string::npos) << r.output;
  r = run("text --lossy --corpus " + (dir / "bad.txt"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("replaced 1 invalid UTF-8 sequences"), std::string::npos) << r.output;
  r = run("text --corpus " + (dir / "empty.txt"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("empty.txt: no word tokens"), std::string::npos) << r.output;
  r = run("lm --corpus " + (dir / "missing.txt"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("missing.txt"), std::string::npos) << r.output;
  r = run("text --corpus tang300");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("fetch it with: scripts/fetch-data"), std::string::npos) << r.output;
  r = run("text --token bytes");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

}  // namespace
}  // namespace d2l::chapters
