#pragma once
// The course's two ways of cutting a corpus into language-model mini-batches:
//
// seq_data_iter_random: start at a random offset in [0, num_steps - 1], cut the rest into
//   (len - 1) // num_steps non-overlapping subsequences of num_steps tokens, shuffle their
//   order, and hand them out batch_size at a time; Y is each X window one token later.
// seq_data_iter_sequential: start at a random offset in [0, num_steps], lay the next
//   ((len - offset - 1) // batch_size) * batch_size tokens out as batch_size rows, and walk
//   the columns num_steps at a time, so row r of batch k + 1 continues row r of batch k.
//
// The random numbers come from a PyRandom, in the course's order (randint, then shuffle), so
// with the same seed the batches equal the course's. They are drawn when the function is
// called (Python draws them at the generator's first step: the same numbers, as long as one
// epoch is read before the next is started). Each batch is two new contiguous int64 tensors
// of shape (batch_size, num_steps), copied row by row from the corpus.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "d2l/tensor.h"
#include "d2l/text/py_random.h"

namespace d2l::text {

struct SeqBatch {
  Tensor X, Y;  // (batch_size, num_steps) int64; Y[r][t] is the token after X[r][t]
};

// One epoch of batches (a range: `for (auto& [X, Y] : seq_data_iter_random(...))`). It reads
// the corpus as it goes, so the corpus must outlive the epoch (SeqDataLoader's epochs hold
// theirs: see keep_alive).
class SeqBatches {
 public:
  struct Plan {
    std::span<const std::int64_t> corpus;
    std::int64_t batch_size = 0, num_steps = 0, num_batches = 0, offset = 0;
    std::vector<std::int64_t> starts;  // row r of batch k starts at corpus[starts[k * batch_size + r]]
    std::shared_ptr<const void> owner;  // whoever owns the corpus, when the epoch keeps it alive
  };

  class Iterator {
   public:
    using value_type = SeqBatch;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    const SeqBatch& operator*() const { return current_; }
    const SeqBatch* operator->() const { return &current_; }
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return done() == other.done(); }

   private:
    friend class SeqBatches;
    explicit Iterator(std::shared_ptr<const Plan> plan);
    bool done() const { return plan_ == nullptr; }
    std::shared_ptr<const Plan> plan_;
    std::int64_t next_ = 0;
    SeqBatch current_;
  };

  explicit SeqBatches(Plan plan) : plan_(std::make_shared<Plan>(std::move(plan))) {}
  Iterator begin() const { return Iterator(plan_); }
  Iterator end() const { return Iterator(); }
  // Batches in this epoch (it depends on the drawn offset).
  std::int64_t size() const { return plan_->num_batches; }
  // The epoch's random offset into the corpus.
  std::int64_t offset() const { return plan_->offset; }
  // Where row `row` of batch `batch` starts in the corpus (Y's row starts one later).
  std::int64_t row_start(std::int64_t batch, std::int64_t row) const;
  // Batch k, made on demand (0 <= k < size()).
  SeqBatch batch(std::int64_t k) const;
  const Plan& plan() const { return *plan_; }
  // Makes the epoch (and its iterators) hold `owner`, the corpus's owner, so that the corpus
  // lives as long as they do.
  SeqBatches& keep_alive(std::shared_ptr<const void> owner) {
    plan_->owner = std::move(owner);
    return *this;
  }

 private:
  std::shared_ptr<Plan> plan_;
};

// The checks both samplers make; `fn` names the caller in the message.
void check_seq_sizes(const char* fn, std::int64_t corpus_length, std::int64_t batch_size, std::int64_t num_steps);

// Both throw d2l::Error for batch_size < 1, num_steps < 1, or a corpus too short for one
// complete batch even at offset 0 (fewer than batch_size * num_steps + 1 tokens). A drawn
// offset can still leave an epoch with fewer batches, or none, as in the course.
SeqBatches seq_data_iter_random(std::span<const std::int64_t> corpus, std::int64_t batch_size,
                                std::int64_t num_steps, PyRandom& rng = python_random());
SeqBatches seq_data_iter_sequential(std::span<const std::int64_t> corpus, std::int64_t batch_size,
                                    std::int64_t num_steps, PyRandom& rng = python_random());

}  // namespace d2l::text
