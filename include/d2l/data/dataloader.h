#pragma once
// DataLoader: mini-batches over a Dataset, optionally shuffled each epoch and prepared
// ahead by worker threads. The batch order depends only on the seed, never on the number
// of workers: indices are drawn up front, and workers fill batches in that order.
#include <memory>

#include "d2l/data/dataset.h"

namespace d2l::data {

struct DataLoaderOptions {
  DataLoaderOptions() = default;
  explicit DataLoaderOptions(std::int64_t batch_size) : batch_size_(batch_size) {}
  DataLoaderOptions& batch_size(std::int64_t v) { batch_size_ = v; return *this; }
  DataLoaderOptions& shuffle(bool v) { shuffle_ = v; return *this; }
  DataLoaderOptions& drop_last(bool v) { drop_last_ = v; return *this; }
  DataLoaderOptions& num_workers(int v) { num_workers_ = v; return *this; }
  std::int64_t batch_size_ = 1;
  bool shuffle_ = false;
  bool drop_last_ = false;
  int num_workers_ = 0;
};

class Epoch;  // one pass: the drawn order and, with workers, the threads preparing batches

class DataLoader {
 public:
  DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options);

  class Iterator {
   public:
    using value_type = Example;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    const Example& operator*() const { return current_; }
    const Example* operator->() const { return &current_; }
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return done() == other.done(); }

   private:
    friend class DataLoader;
    explicit Iterator(std::shared_ptr<Epoch> epoch);
    bool done() const { return epoch_ == nullptr; }
    std::shared_ptr<Epoch> epoch_;
    Example current_;
  };

  // Starts an epoch: draws a new order when shuffling.
  Iterator begin() const;
  Iterator end() const { return Iterator(); }
  // Number of batches per epoch.
  std::int64_t size() const;
  const DataLoaderOptions& options() const { return options_; }
  const Dataset& dataset() const { return *dataset_; }

 private:
  std::shared_ptr<const Dataset> dataset_;
  DataLoaderOptions options_;
};

}  // namespace d2l::data
