#include "d2l/text/corpus.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "d2l/error.h"
#include "count_tokens.h"
#include "interner.h"
#include "lines_access.h"

namespace d2l::text {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point& start) {
  const auto now = Clock::now();
  const double s = std::chrono::duration<double>(now - start).count();
  start = now;
  return s;
}

// Tokenizes, counts, builds the vocabulary and maps: the steps after reading and cleaning.
Corpus build(const Lines& lines, TokenKind kind, std::int64_t max_tokens, Clean how, std::string_view source,
             Clock::time_point start, CorpusTiming timing) {
  Corpus out;
  out.lines = static_cast<std::int64_t>(lines.size());
  out.replaced = lines.replaced();

  Interner interner(expected_distinct(lines.views(), kind));
  std::vector<std::int64_t> ids;
  count_tokens(lines.views(), kind, interner, &ids);
  D2L_CHECK(!ids.empty(), "load_corpus: ", source, " has no ", to_string(kind), " tokens",
            how == Clean::none ? "" : " after cleaning to letters");
  timing.tokenize = seconds_since(start);

  const std::vector<std::size_t> order = interner.by_frequency();
  out.vocab = Vocab::from_counts(interner.entries(order));
  std::vector<std::int64_t> index_of(interner.size());
  if (out.vocab.size() == static_cast<std::int64_t>(order.size()) + 1) {
    // Every token got its own index after <unk>, in this order: no need to look them up.
    for (std::size_t rank = 0; rank < order.size(); ++rank) index_of[order[rank]] = static_cast<std::int64_t>(rank) + 1;
  } else {  // "<unk>" itself was in the text
    for (std::size_t id = 0; id < index_of.size(); ++id) index_of[id] = out.vocab.index(interner.keys()[id]);
  }
  timing.vocab = seconds_since(start);

  // The ids become vocabulary indices in place: the corpus is the one buffer ever made.
  for (auto& id : ids) id = index_of[static_cast<std::size_t>(id)];
  out.tokens = static_cast<std::int64_t>(ids.size());
  if (max_tokens > 0 && max_tokens < out.tokens) {
    ids.resize(static_cast<std::size_t>(max_tokens));
    ids.shrink_to_fit();
  }
  out.corpus = std::move(ids);
  timing.map = seconds_since(start);
  out.timing = timing;
  return out;
}

}  // namespace

Corpus load_corpus(const std::string& path, std::string_view token, std::int64_t max_tokens, Clean clean,
                   ReadOptions read) {
  const TokenKind kind = parse_token_kind(token);  // a bad token type fails before the file is read
  auto start = Clock::now();
  LinesAccess::Text text = LinesAccess::read(path, read);
  CorpusTiming timing;
  timing.read = seconds_since(start);
  // Cleaning writes over the text read: no second copy of the text is made.
  const Lines lines = clean == Clean::letters ? LinesAccess::split_letters(std::move(text)) : LinesAccess::split(std::move(text));
  timing.clean = seconds_since(start);
  return build(lines, kind, max_tokens, clean, path, start, timing);
}

Corpus load_corpus(const Lines& lines, std::string_view token, std::int64_t max_tokens, Clean how,
                   std::string_view source) {
  const TokenKind kind = parse_token_kind(token);
  auto start = Clock::now();
  CorpusTiming timing;
  const Lines cleaned = clean(lines, how);
  timing.clean = seconds_since(start);
  return build(cleaned, kind, max_tokens, how, source, start, timing);
}

CorpusSource resolve_corpus(std::string_view name_or_path, const std::string& data_dir) {
  struct Named {
    std::string_view name, file;
    Clean clean;
  };
  static constexpr Named kNamed[] = {{"moby-dick", "moby_dick.txt", Clean::letters}, {"tang300", "tang300.txt", Clean::none}};
  for (const auto& named : kNamed) {
    if (name_or_path != named.name) continue;
    const std::string path = (std::filesystem::path(data_dir) / "text" / named.file).string();
    const std::string fetch = data_dir == data::default_data_dir() ? "scripts/fetch-data text"
                                                                    : "scripts/fetch-data --data-dir " + data_dir + " text";
    D2L_CHECK(std::filesystem::exists(path), "the ", named.name, " corpus is not in ", path, "; fetch it with: ", fetch);
    return {std::string(named.name), path, named.clean};
  }
  const std::string path(name_or_path);
  D2L_CHECK(std::filesystem::exists(path), "corpus ", path,
            ": no such file (give a UTF-8 text file, or moby-dick or tang300 once fetched)");
  return {path, path, Clean::none};
}

}  // namespace d2l::text
