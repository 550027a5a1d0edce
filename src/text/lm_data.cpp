#include "d2l/text/lm_data.h"

namespace d2l::text {

namespace {

Corpus load(std::int64_t max_tokens, const LmCorpusOptions& o) {
  const CorpusSource source = resolve_corpus(o.corpus, o.data_dir);
  return load_corpus(source.path, o.token, max_tokens, o.clean.value_or(source.clean), o.read);
}

}  // namespace

SeqDataLoader::SeqDataLoader(Corpus corpus, std::int64_t batch_size, std::int64_t num_steps, bool use_random_iter,
                             PyRandom& rng)
    : corpus_(std::make_shared<const Corpus>(std::move(corpus))),
      batch_size_(batch_size),
      num_steps_(num_steps),
      use_random_iter_(use_random_iter),
      rng_(&rng) {
  check_seq_sizes(use_random_iter ? "seq_data_iter_random" : "seq_data_iter_sequential",
                  static_cast<std::int64_t>(corpus_->corpus.size()), batch_size, num_steps);
}

SeqDataLoader::SeqDataLoader(std::int64_t batch_size, std::int64_t num_steps, bool use_random_iter,
                             std::int64_t max_tokens, const LmCorpusOptions& options, PyRandom& rng)
    : SeqDataLoader(load(max_tokens, options), batch_size, num_steps, use_random_iter, rng) {}

SeqBatches SeqDataLoader::epoch() const {
  const std::span<const std::int64_t> tokens = corpus_->corpus;
  SeqBatches batches = use_random_iter_ ? seq_data_iter_random(tokens, batch_size_, num_steps_, *rng_)
                                        : seq_data_iter_sequential(tokens, batch_size_, num_steps_, *rng_);
  batches.keep_alive(corpus_);
  return batches;
}

std::pair<SeqDataLoader, Vocab> load_data_lm(std::int64_t batch_size, std::int64_t num_steps, bool use_random_iter,
                                             std::int64_t max_tokens, const LmCorpusOptions& options, PyRandom& rng) {
  SeqDataLoader loader(batch_size, num_steps, use_random_iter, max_tokens, options, rng);
  Vocab vocab = loader.vocab();
  return {std::move(loader), std::move(vocab)};
}

}  // namespace d2l::text
