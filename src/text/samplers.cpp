#include "d2l/text/samplers.h"

#include <cstring>

namespace d2l::text {

void check_seq_sizes(const char* fn, std::int64_t len, std::int64_t batch_size, std::int64_t num_steps) {
  D2L_CHECK(batch_size >= 1, fn, ": batch_size must be >= 1, got batch_size=", batch_size);
  D2L_CHECK(num_steps >= 1, fn, ": num_steps must be >= 1, got num_steps=", num_steps);
  // len >= batch_size * num_steps + 1, written so that it cannot overflow.
  D2L_CHECK(len >= 1 && (len - 1) / num_steps >= batch_size, fn, ": a corpus of ", len,
            " tokens leaves no complete batch of batch_size=", batch_size, " x num_steps=", num_steps,
            " (it needs more than batch_size * num_steps tokens)");
}

namespace {

SeqBatches::Plan plan_for(std::span<const std::int64_t> corpus, std::int64_t batch_size, std::int64_t num_steps) {
  SeqBatches::Plan p;
  p.corpus = corpus;
  p.batch_size = batch_size;
  p.num_steps = num_steps;
  return p;
}

// Batch k: two fresh contiguous tensors, each row one memcpy from the corpus.
SeqBatch make_batch(const SeqBatches::Plan& p, std::int64_t k) {
  SeqBatch b{empty({p.batch_size, p.num_steps}, kInt64), empty({p.batch_size, p.num_steps}, kInt64)};
  std::int64_t* x = b.X.data_ptr<std::int64_t>();
  std::int64_t* y = b.Y.data_ptr<std::int64_t>();
  const std::size_t row_bytes = static_cast<std::size_t>(p.num_steps) * sizeof(std::int64_t);
  for (std::int64_t r = 0; r < p.batch_size; ++r) {
    const std::int64_t* src = p.corpus.data() + p.starts[k * p.batch_size + r];
    std::memcpy(x + r * p.num_steps, src, row_bytes);
    std::memcpy(y + r * p.num_steps, src + 1, row_bytes);
  }
  return b;
}

}  // namespace

SeqBatches seq_data_iter_random(std::span<const std::int64_t> corpus, std::int64_t batch_size,
                                std::int64_t num_steps, PyRandom& rng) {
  check_seq_sizes("seq_data_iter_random", static_cast<std::int64_t>(corpus.size()), batch_size, num_steps);
  SeqBatches::Plan p = plan_for(corpus, batch_size, num_steps);
  p.offset = rng.randint(0, num_steps - 1);
  // Minus one: the last X window needs the token after it for Y.
  const std::int64_t num_subseqs = (static_cast<std::int64_t>(corpus.size()) - p.offset - 1) / num_steps;
  std::vector<std::int64_t> initial_indices(static_cast<std::size_t>(num_subseqs));
  for (std::int64_t i = 0; i < num_subseqs; ++i) initial_indices[i] = i * num_steps;
  rng.shuffle(initial_indices);
  p.num_batches = num_subseqs / batch_size;
  initial_indices.resize(static_cast<std::size_t>(p.num_batches * batch_size));
  for (auto& start : initial_indices) start += p.offset;
  p.starts = std::move(initial_indices);
  return SeqBatches(std::move(p));
}

SeqBatches seq_data_iter_sequential(std::span<const std::int64_t> corpus, std::int64_t batch_size,
                                    std::int64_t num_steps, PyRandom& rng) {
  check_seq_sizes("seq_data_iter_sequential", static_cast<std::int64_t>(corpus.size()), batch_size, num_steps);
  SeqBatches::Plan p = plan_for(corpus, batch_size, num_steps);
  p.offset = rng.randint(0, num_steps);
  // The course's Xs.reshape(batch_size, -1): row r holds tokens [offset + r * columns, ...).
  const std::int64_t columns = (static_cast<std::int64_t>(corpus.size()) - p.offset - 1) / batch_size;
  p.num_batches = columns / num_steps;
  p.starts.resize(static_cast<std::size_t>(p.num_batches * batch_size));
  for (std::int64_t k = 0; k < p.num_batches; ++k)
    for (std::int64_t r = 0; r < batch_size; ++r) p.starts[k * batch_size + r] = p.offset + r * columns + k * num_steps;
  return SeqBatches(std::move(p));
}

std::int64_t SeqBatches::row_start(std::int64_t batch, std::int64_t row) const {
  const Plan& p = *plan_;
  D2L_CHECK(batch >= 0 && batch < p.num_batches && row >= 0 && row < p.batch_size, "SeqBatches: batch ", batch,
            " row ", row, " is out of range for ", p.num_batches, " batches of ", p.batch_size, " rows");
  return p.starts[batch * p.batch_size + row];
}

SeqBatch SeqBatches::batch(std::int64_t k) const {
  D2L_CHECK(k >= 0 && k < plan_->num_batches, "SeqBatches: batch ", k, " is out of range for ", plan_->num_batches,
            " batches");
  return make_batch(*plan_, k);
}

SeqBatches::Iterator::Iterator(std::shared_ptr<const Plan> plan) : plan_(std::move(plan)) { ++*this; }

SeqBatches::Iterator& SeqBatches::Iterator::operator++() {
  if (!plan_) return *this;
  if (next_ == plan_->num_batches) {
    plan_.reset();
    current_ = SeqBatch{};
    return *this;
  }
  current_ = make_batch(*plan_, next_++);
  return *this;
}

}  // namespace d2l::text
