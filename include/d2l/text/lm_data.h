#pragma once
// The course's SeqDataLoader and load_data_time_machine for any corpus: the corpus, its
// vocabulary and one of the two samplers, iterated once per epoch:
//
//   auto [train_iter, vocab] = text::load_data_lm(32, 35);
//   for (int epoch = 0; epoch < num_epochs; ++epoch)
//     for (const auto& [X, Y] : train_iter) ...   // a new offset (and order) every epoch
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "d2l/text/corpus.h"
#include "d2l/text/samplers.h"

namespace d2l::text {

// Which text load_data_lm reads, and how.
struct LmCorpusOptions {
  std::string corpus = "moby-dick";    // "moby-dick", "tang300" or a file path (see resolve_corpus)
  std::string token = "char";          // "char" as the course's language models, or "word"
  std::optional<Clean> clean;          // unset: the corpus's default (letters for moby-dick)
  std::string data_dir = data::default_data_dir();
  ReadOptions read;
};

class SeqDataLoader {
 public:
  // Over a loaded corpus. Random numbers come from `rng` (Python's module-level `random` by
  // default), which must outlive the loader. Throws when no complete batch fits.
  SeqDataLoader(Corpus corpus, std::int64_t batch_size, std::int64_t num_steps, bool use_random_iter,
                PyRandom& rng = python_random());
  // Loads the corpus first (the course's constructor, which loads the time machine).
  SeqDataLoader(std::int64_t batch_size, std::int64_t num_steps, bool use_random_iter, std::int64_t max_tokens,
                const LmCorpusOptions& options = {}, PyRandom& rng = python_random());

  // A new epoch: seq_data_iter_random or seq_data_iter_sequential over the corpus. Its
  // batches keep the corpus alive.
  SeqBatches epoch() const;
  SeqBatches::Iterator begin() const { return epoch().begin(); }
  SeqBatches::Iterator end() const { return SeqBatches::Iterator(); }

  const Corpus& corpus() const { return *corpus_; }
  const Vocab& vocab() const { return corpus_->vocab; }
  std::int64_t batch_size() const { return batch_size_; }
  std::int64_t num_steps() const { return num_steps_; }
  bool use_random_iter() const { return use_random_iter_; }

 private:
  std::shared_ptr<const Corpus> corpus_;
  std::int64_t batch_size_, num_steps_;
  bool use_random_iter_;
  PyRandom* rng_;
};

// The course's load_data_time_machine: (the loader, its vocabulary). max_tokens <= 0 keeps
// the whole corpus.
std::pair<SeqDataLoader, Vocab> load_data_lm(std::int64_t batch_size, std::int64_t num_steps,
                                             bool use_random_iter = false, std::int64_t max_tokens = 10000,
                                             const LmCorpusOptions& options = {}, PyRandom& rng = python_random());

}  // namespace d2l::text
