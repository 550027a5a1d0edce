// Language models and their data (course chapter "language models"): unigram, bigram and
// trigram counts with the Zipf plot, and the two samplers that cut a corpus into mini-batches.
#include <filesystem>
#include <iostream>

#include "d2l/text.h"
#include "d2l/train/format.h"
#include "d2l/train/timer.h"
#include "d2l/train/zipf.h"
#include "text.h"

namespace d2l::chapters {

using train::format;

namespace {

const char* const kGramNames[] = {"unigrams", "bigrams", "trigrams"};

// A (rows x cols) int64 tensor as a list of rows, as X.tolist() gives it.
nlohmann::ordered_json rows_of(const Tensor& t) {
  const std::vector<std::int64_t> v = t.to_vector<std::int64_t>();
  const auto cols = static_cast<std::size_t>(t.size(1));
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < v.size(); i += cols)
    rows.push_back(std::vector<std::int64_t>(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(i + cols)));
  return rows;
}

// The course's demonstration: my_seq = list(range(35)), batch_size=2, num_steps=5, each
// batch printed as print('X: ', X, '\nY:', Y).
void demo_samplers(const TextOptions& options, std::ostream& log, train::Metrics& metrics) {
  text::python_random().seed(static_cast<std::int64_t>(options.seed));
  std::vector<std::int64_t> my_seq(35);
  for (std::int64_t i = 0; i < 35; ++i) my_seq[static_cast<std::size_t>(i)] = i;
  struct Sampler {
    const char* name;
    text::SeqBatches (*iter)(std::span<const std::int64_t>, std::int64_t, std::int64_t, text::PyRandom&);
  };
  const Sampler samplers[] = {{"seq_data_iter_random", text::seq_data_iter_random},
                              {"seq_data_iter_sequential", text::seq_data_iter_sequential}};
  for (const Sampler& s : samplers) {
    log << s.name << "(my_seq, batch_size=2, num_steps=5):\n";
    nlohmann::ordered_json batches = nlohmann::ordered_json::array();
    for (const auto& [X, Y] : s.iter(my_seq, 2, 5, text::python_random())) {
      log << "X:  " << X.to_string() << " \nY: " << Y.to_string() << "\n";
      batches.push_back({{"X", rows_of(X)}, {"Y", rows_of(Y)}});
    }
    metrics.final[s.name] = batches;
  }
}

void count_ngrams(const TextOptions& options, std::ostream& log, train::Metrics& metrics) {
  const text::CorpusSource source = corpus_from_flags(options.corpus, options.clean, options.data_dir);
  const text::Clean how = source.clean;
  metrics.config["corpus"] = source.name;
  metrics.config["path"] = source.path;
  metrics.config["token"] = options.token;
  metrics.config["clean"] = text::to_string(how);
  metrics.config["top"] = options.top;

  train::Timer step;
  const text::Corpus corpus = text::load_corpus(source.path, options.token, -1, how, {options.lossy});
  const double load_s = step.stop();
  log << source.name << ": " << source.path << " (clean " << text::to_string(how) << ", " << options.token
      << " tokens)\n";
  if (corpus.replaced > 0) log << "replaced " << corpus.replaced << " invalid UTF-8 sequences with U+FFFD\n";
  log << "tokens: " << corpus.tokens << ", vocabulary: " << corpus.vocab.size() << "\n";

  step.start();
  std::vector<text::NgramCounter> counters;
  for (int n = 1; n <= 3; ++n) counters.emplace_back(corpus.corpus, n);
  const double count_s = step.stop();

  // Words are joined by nothing in a tuple's repr but commas; chars the same, as the course's
  // Counter over zip(corpus[:-1], corpus[1:]) prints them.
  nlohmann::ordered_json ngrams = nlohmann::ordered_json::object();
  for (const text::NgramCounter& counter : counters) {
    const int n = counter.n();
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    std::string line;
    for (const text::Ngram& g : counter.top_k(options.top)) {
      const std::vector<std::string> words = corpus.vocab.to_tokens(g.indices);
      std::string repr;
      if (n == 1) {
        repr = py_repr(words[0]);
        top.push_back({words[0], g.count});
      } else {
        for (const std::string& w : words) repr += (repr.empty() ? "" : ", ") + py_repr(w);
        repr = "(" + repr + ")";
        top.push_back({words, g.count});
      }
      line += format("%s(%s, %lld)", line.empty() ? "" : ", ", repr.c_str(), static_cast<long long>(g.count));
    }
    log << kGramNames[n - 1] << " (" << counter.size() << " distinct): [" << line << "]\n";
    ngrams[std::to_string(n)] = top;
  }
  std::filesystem::create_directories(options.out);
  const std::string plot = options.out + "/lm-zipf.svg";
  train::save_zipf_plot(plot, counters);
  log << "Zipf plot: " << plot << "\n";

  metrics.final["tokens"] = corpus.tokens;
  metrics.final["vocab_size"] = corpus.vocab.size();
  metrics.final["ngrams"] = ngrams;
  const text::CorpusTiming& t = corpus.timing;
  metrics.timing = {{"read", t.read}, {"clean", t.clean}, {"tokenize", t.tokenize}, {"vocab", t.vocab},
                    {"map", t.map},   {"load", load_s},   {"ngrams", count_s}};
}

}  // namespace

train::Metrics lm_stats(const TextOptions& options, std::ostream& log) {
  train::Metrics metrics("lm");
  metrics.config["demo_samplers"] = options.demo_samplers;
  metrics.config["seed"] = options.seed;
  if (options.demo_samplers) demo_samplers(options, log, metrics);
  else count_ngrams(options, log, metrics);
  if (!options.metrics.empty()) metrics.save(options.metrics);
  return metrics;
}

namespace {

class LmCommand : public Command {
 public:
  std::string name() const override { return "lm"; }
  std::string summary() const override {
    return "language-model data: n-gram counts, the Zipf plot, random and sequential mini-batch samplers";
  }
  void add_options(CLI::App& app) override { options_.add_to(app, true); }
  int run() override {
    std::ostream null(nullptr);
    lm_stats(options_, options_.quiet ? null : std::cout);
    return 0;
  }
  TourLine tour(const std::string& out_dir) override {
    train::Timer timer;
    std::ostream null(nullptr);
    TextOptions o = options_.for_tour(out_dir, name());
    const train::Metrics m = lm_stats(o, null);
    std::string result;
    const auto& ngrams = m.final["ngrams"];
    for (const char* n : {"2", "3"}) {
      if (ngrams[n].empty()) continue;
      std::string gram;
      for (const auto& w : ngrams[n][0][0]) gram += (gram.empty() ? "" : " ") + w.get<std::string>();
      result += format("%stop %s-gram '%s' %lld", result.empty() ? "" : ", ", n, gram.c_str(),
                       ngrams[n][0][1].get<long long>());
    }
    return {name(), result, timer.stop()};
  }

 private:
  TextOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_lm_command() { return std::make_unique<LmCommand>(); }

}  // namespace d2l::chapters
