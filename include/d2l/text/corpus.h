#pragma once
// The course's load_corpus_time_machine for any text: read, clean, tokenize, build the
// vocabulary from the whole text, map every token to its index, then keep the first
// max_tokens. The indices land in one contiguous int64 buffer; no per-token object is made
// on the way (tokens are counted as they are found, by their bytes in the text).
//
// The fetched corpora have names: "moby-dick" (<data>/text/moby_dick.txt, cleaned to
// letters by default) and "tang300" (<data>/text/tang300.txt, kept as is); scripts/fetch-data
// text writes both.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "d2l/data/paths.h"
#include "d2l/text/clean.h"
#include "d2l/text/lines.h"
#include "d2l/text/vocab.h"

namespace d2l::text {

// Seconds spent in each step of load_corpus.
struct CorpusTiming {
  double read = 0, clean = 0, tokenize = 0, vocab = 0, map = 0;
  double total() const { return read + clean + tokenize + vocab + map; }
};

struct Corpus {
  // Every token's index, line after line (truncated to max_tokens). Its capacity may exceed
  // its size (room reserved for the most tokens the text could hold; never touched, so free).
  std::vector<std::int64_t> corpus;
  Vocab vocab;                       // built from the whole text
  std::int64_t lines = 0;            // lines read
  std::int64_t tokens = 0;           // tokens in the whole text (before max_tokens)
  std::int64_t replaced = 0;         // invalid UTF-8 sequences replaced (lossy reading)
  CorpusTiming timing;
};

// token: "word" or "char"; max_tokens > 0 keeps the first max_tokens indices. A text with no
// tokens (after cleaning) throws, as do the errors of read_lines.
Corpus load_corpus(const std::string& path, std::string_view token, std::int64_t max_tokens = -1,
                   Clean clean = Clean::none, ReadOptions read = {});
// `source` names the lines in errors.
Corpus load_corpus(const Lines& lines, std::string_view token, std::int64_t max_tokens = -1,
                   Clean clean = Clean::none, std::string_view source = "the text");

struct CorpusSource {
  std::string name;   // "moby-dick", "tang300", or the path given
  std::string path;   // the file to read
  Clean clean = Clean::none;  // the default cleaning for it
};

// A corpus name or a file path -> what to read and how to clean it by default. A named
// corpus that is not fetched yet throws, giving the command that fetches it; a path that
// does not exist throws too.
CorpusSource resolve_corpus(std::string_view name_or_path, const std::string& data_dir = data::default_data_dir());

}  // namespace d2l::text
