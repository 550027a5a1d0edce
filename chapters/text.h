#pragma once
// The text chapters: `d2l text` (read a book, tokenize it, build the vocabulary, map the
// text to indices) and `d2l lm` (n-gram counts, the Zipf plot, and the two ways of cutting
// a corpus into language-model mini-batches).
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "command.h"
#include "d2l/data/paths.h"
#include "d2l/text/corpus.h"
#include "d2l/train/metrics.h"

namespace d2l::chapters {

struct TextOptions {
  std::string corpus = "moby-dick";  // "moby-dick", "tang300" or a UTF-8 text file
  std::string token = "word";        // word | char
  std::string clean;                 // letters | none; empty: the corpus's default
  std::int64_t min_freq = 0;
  std::int64_t top = 10;             // tokens (n-grams) listed
  bool lossy = false;                // replace invalid UTF-8 instead of failing
  bool demo_samplers = false;        // lm: the course's sampler demonstration instead
  std::string data_dir = data::default_data_dir();
  std::uint64_t seed = 0;            // Python's random.seed for the samplers
  std::string out = "out";
  std::string metrics;
  bool quiet = false;

  void add_to(CLI::App& app, bool lm);
  // These settings for a tour run: files under `out_dir`, metrics in out_dir/<chapter>.json.
  TextOptions for_tour(const std::string& out_dir, const std::string& chapter) const;
};

// The flags that pick a corpus and say how to read it (--corpus, --clean, --lossy,
// --data-dir), for every program that reads one.
void add_corpus_options(CLI::App& app, std::string& corpus, std::string& clean, bool& lossy, std::string& data_dir);
// The corpus those flags name, its clean mode --clean when given, else the corpus's default.
text::CorpusSource corpus_from_flags(const std::string& corpus, const std::string& clean, const std::string& data_dir);

// Prints the corpus's line, token and vocabulary counts, the top tokens, and the first
// lines as tokens and as indices; returns the metrics (also saved with --metrics).
train::Metrics text_stats(const TextOptions& options, std::ostream& log);
// Prints the top unigrams, bigrams and trigrams and writes out/lm-zipf.svg; with
// demo_samplers, prints both samplers' batches of the sequence 0..34 instead.
train::Metrics lm_stats(const TextOptions& options, std::ostream& log);

// Python's repr of a str: 'the', "it's", '白日' (printable text kept, quotes and control
// characters escaped), so listings read as the course's printed lists.
std::string py_repr(std::string_view s);

std::unique_ptr<Command> make_text_command();
std::unique_ptr<Command> make_lm_command();

}  // namespace d2l::chapters
