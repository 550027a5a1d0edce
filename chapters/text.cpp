// Text preprocessing (course chapter "text preprocessing"): read a book, split it into
// tokens, build the vocabulary and turn the text into indices, each step timed.
#include "text.h"

#include <iostream>

#include "d2l/text.h"
#include "d2l/train/format.h"
#include "d2l/train/timer.h"

namespace d2l::chapters {

using train::format;

void add_corpus_options(CLI::App& app, std::string& corpus, std::string& clean, bool& lossy, std::string& data_dir) {
  app.add_option("--corpus", corpus, "moby-dick, tang300 (scripts/fetch-data text) or a UTF-8 text file")
      ->capture_default_str();
  app.add_option("--clean", clean, "letters: the course's English cleaning; none: as is (default: letters for "
                                   "moby-dick, none otherwise)")
      ->check(CLI::IsMember({"letters", "none"}));
  app.add_flag("--lossy", lossy, "replace invalid UTF-8 with U+FFFD instead of stopping");
  app.add_option("--data-dir", data_dir, "where scripts/fetch-data put the corpora")->capture_default_str();
}

void TextOptions::add_to(CLI::App& app, bool lm) {
  add_corpus_options(app, corpus, clean, lossy, data_dir);
  app.add_option("--token", token, "split into words or characters")
      ->check(CLI::IsMember({"word", "char"}))->capture_default_str();
  if (!lm) app.add_option("--min-freq", min_freq, "tokens seen fewer times map to <unk>")
               ->check(whole_number(0))->capture_default_str();
  app.add_option("--top", top, lm ? "n-grams listed for each n" : "most frequent tokens listed")
      ->check(whole_number(0))->capture_default_str();
  if (lm) {
    app.add_flag("--demo-samplers", demo_samplers,
                 "print both samplers' mini-batches of the sequence 0..34 (batch 2, 5 steps)");
    app.add_option("--seed", seed, "seed of the samplers' random numbers (Python's random.seed)")
        ->capture_default_str();
  }
  app.add_option("--out", out, "directory for plots")->capture_default_str();
  app.add_option("--metrics", metrics, "write the run's settings and results to this JSON file");
  app.add_flag("--quiet", quiet, "print nothing but errors");
}

text::CorpusSource corpus_from_flags(const std::string& corpus, const std::string& clean, const std::string& data_dir) {
  text::CorpusSource source = text::resolve_corpus(corpus, data_dir);
  if (!clean.empty()) source.clean = text::parse_clean(clean);
  return source;
}

TextOptions TextOptions::for_tour(const std::string& out_dir, const std::string& chapter) const {
  TextOptions o = *this;
  o.out = out_dir;
  o.metrics = out_dir + "/" + chapter + ".json";
  return o;
}

std::string py_repr(std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string r(1, quote);
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') r += {'\\', c};
    else if (c == '\n') r += "\\n";
    else if (c == '\t') r += "\\t";
    else if (c == '\r') r += "\\r";
    else if (u < 0x20 || u == 0x7f) r += format("\\x%02x", u);
    else r += c;  // printable ASCII, and UTF-8 bytes of characters Python prints as they are
  }
  return r + quote;
}

namespace {

// ['call', 'me', 'ishmael', ...]: the items given, then how many of `total` were left out.
template <class Items, class Repr>
std::string py_list(const Items& items, std::size_t total, Repr repr) {
  std::string r = "[";
  std::size_t i = 0;
  for (const auto& item : items) r += (i++ ? ", " : "") + repr(item);
  if (total > i) r += format(", ... (%zu more)", total - i);
  return r + "]";
}

constexpr std::size_t kShownTokens = 12;
constexpr std::size_t kShownLines = 2;

}  // namespace

train::Metrics text_stats(const TextOptions& options, std::ostream& log) {
  train::Metrics metrics("text");
  const text::CorpusSource source = corpus_from_flags(options.corpus, options.clean, options.data_dir);
  const text::Clean how = source.clean;
  const text::TokenKind kind = text::parse_token_kind(options.token);
  metrics.config = {{"corpus", source.name}, {"path", source.path},    {"token", options.token},
                    {"clean", text::to_string(how)}, {"min_freq", options.min_freq}, {"top", options.top},
                    {"lossy", options.lossy}};

  // The course's steps, one at a time: read_time_machine, tokenize, Vocab, vocab[tokens].
  train::Timer step;
  const text::Lines raw = text::read_lines(source.path, {options.lossy});
  const double read_s = step.stop();
  step.start();
  const text::Lines lines = text::clean(raw, how);
  const double clean_s = step.stop();
  step.start();
  const text::Tokens tokens = text::tokenize(lines, kind);
  const double tokenize_s = step.stop();
  D2L_CHECK(tokens.count() > 0, source.path, ": no ", options.token, " tokens in the text (clean ",
            text::to_string(how), ")");
  step.start();
  const text::Vocab vocab(tokens, options.min_freq);
  const double vocab_s = step.stop();
  step.start();
  const std::vector<std::int64_t> corpus = vocab.indices(tokens.all());
  const double map_s = step.stop();

  log << source.name << ": " << source.path << " (clean " << text::to_string(how) << ", " << options.token
      << " tokens)\n";
  if (raw.replaced() > 0) log << "replaced " << raw.replaced() << " invalid UTF-8 sequences with U+FFFD\n";
  log << "# text lines: " << raw.size() << "\n";
  log << "tokens: " << corpus.size() << ", vocabulary: " << vocab.size() << " (with <unk>)\n";
  const auto& freqs = vocab.token_freqs();
  const std::size_t top = std::min(freqs.size(), static_cast<std::size_t>(options.top));
  const std::vector<text::TokenFreq> top_freqs(freqs.begin(), freqs.begin() + static_cast<std::ptrdiff_t>(top));
  log << "top " << top << ": "
      << py_list(top_freqs, top,
                 [](const text::TokenFreq& f) {
                   return format("(%s, %lld)", py_repr(f.first).c_str(), static_cast<long long>(f.second));
                 })
      << "\n";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < tokens.size() && shown < kShownLines; ++i) {
    // The first tokens of the line and its length: a line may be a whole 50 MB book.
    std::vector<std::string_view> head;
    std::size_t length = 0;
    for (std::string_view t : tokens[i]) {
      if (head.size() < kShownTokens) head.push_back(t);
      ++length;
    }
    if (length == 0) continue;
    ++shown;
    log << "line " << i + 1 << " tokens:  " << py_list(head, length, [](std::string_view t) { return py_repr(t); })
        << "\n";
    log << "line " << i + 1 << " indices: "
        << py_list(vocab.indices(std::span<const std::string_view>(head)), length,
                   [](std::int64_t v) { return std::to_string(v); })
        << "\n";
  }

  metrics.final["lines"] = raw.size();
  metrics.final["tokens"] = corpus.size();
  metrics.final["vocab_size"] = vocab.size();
  nlohmann::ordered_json top_json = nlohmann::ordered_json::array();
  for (const auto& [token, count] : top_freqs) top_json.push_back({token, count});
  metrics.final["top"] = top_json;
  if (raw.replaced() > 0) metrics.final["replaced"] = raw.replaced();
  metrics.timing = {{"read", read_s}, {"clean", clean_s}, {"tokenize", tokenize_s}, {"vocab", vocab_s},
                    {"map", map_s},   {"total", read_s + clean_s + tokenize_s + vocab_s + map_s}};
  if (!options.metrics.empty()) metrics.save(options.metrics);
  return metrics;
}

namespace {

class TextCommand : public Command {
 public:
  std::string name() const override { return "text"; }
  std::string summary() const override {
    return "text preprocessing: tokenize a book (English or Chinese), build its vocabulary, map it to indices";
  }
  void add_options(CLI::App& app) override { options_.add_to(app, false); }
  int run() override {
    std::ostream null(nullptr);
    text_stats(options_, options_.quiet ? null : std::cout);
    return 0;
  }
  TourLine tour(const std::string& out_dir) override {
    train::Timer timer;
    std::ostream null(nullptr);
    const train::Metrics m = text_stats(options_.for_tour(out_dir, name()), null);
    const auto& top = m.final["top"];
    std::string result = format("%lld tokens, vocab %lld", m.final["tokens"].get<long long>(),
                                m.final["vocab_size"].get<long long>());
    if (!top.empty())
      result += format(", top %s %lld", py_repr(top[0][0].get<std::string>()).c_str(), top[0][1].get<long long>());
    return {name(), result, timer.stop()};
  }

 private:
  TextOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_text_command() { return std::make_unique<TextCommand>(); }

}  // namespace d2l::chapters
