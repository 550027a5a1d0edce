#include "d2l/data/dataloader.h"

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "d2l/tensor.h"

namespace d2l::data {

class Epoch {
 public:
  Epoch(std::shared_ptr<const Dataset> dataset, const DataLoaderOptions& options) : dataset_(std::move(dataset)) {
    const std::int64_t n = dataset_->size(), bs = options.batch_size_;
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    if (options.shuffle_) {
      order = randperm(n).to_vector<std::int64_t>();
    } else {
      for (std::int64_t i = 0; i < n; ++i) order[i] = i;
    }
    for (std::int64_t start = 0; start < n; start += bs) {
      const std::int64_t end = std::min(n, start + bs);
      if (end - start < bs && options.drop_last_) break;
      batches_.emplace_back(order.begin() + start, order.begin() + end);
    }
    if (options.num_workers_ > 0) {
      results_.resize(batches_.size());
      window_ = 2 * static_cast<std::size_t>(options.num_workers_);
      for (int w = 0; w < options.num_workers_; ++w) workers_.emplace_back([this] { work(); });
    }
  }

  ~Epoch() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    claimable_.notify_all();
    for (auto& t : workers_) t.join();
  }

  // The next batch in order, or nothing at the end of the epoch.
  std::optional<Example> next() {
    if (next_ == batches_.size()) return std::nullopt;
    if (workers_.empty()) return dataset_->get_batch(batches_[next_++]);
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return results_[next_].has_value() || errors_.count(next_); });
    if (auto it = errors_.find(next_); it != errors_.end()) std::rethrow_exception(it->second);
    Example e = std::move(*results_[next_]);
    results_[next_].reset();
    ++next_;
    lock.unlock();
    claimable_.notify_all();
    return e;
  }

 private:
  // Workers claim batches in order, at most `window_` ahead of the consumer.
  void work() {
    for (;;) {
      std::size_t k;
      {
        std::unique_lock lock(mutex_);
        claimable_.wait(lock, [&] { return stop_ || (claimed_ < batches_.size() && claimed_ < next_ + window_); });
        if (stop_) return;
        k = claimed_++;
      }
      std::optional<Example> result;
      std::exception_ptr error;
      try {
        result = dataset_->get_batch(batches_[k]);
      } catch (...) {
        error = std::current_exception();
      }
      {
        std::lock_guard lock(mutex_);
        if (error) errors_[k] = error;
        else results_[k] = std::move(result);
      }
      ready_.notify_all();
    }
  }

  std::shared_ptr<const Dataset> dataset_;
  std::vector<std::vector<std::int64_t>> batches_;
  std::size_t next_ = 0;
  // Worker state, guarded by mutex_.
  std::vector<std::thread> workers_;
  std::vector<std::optional<Example>> results_;
  std::map<std::size_t, std::exception_ptr> errors_;
  std::size_t claimed_ = 0, window_ = 0;
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable claimable_, ready_;
};

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
  D2L_CHECK(dataset_ != nullptr, "DataLoader: dataset is null");
  D2L_CHECK(options_.batch_size_ > 0, "batch_size should be a positive integer value, but got batch_size=",
            options_.batch_size_);
  D2L_CHECK(options_.num_workers_ >= 0, "num_workers option should be non-negative; got ", options_.num_workers_);
}

std::int64_t DataLoader::size() const {
  const std::int64_t n = dataset_->size(), bs = options_.batch_size_;
  return options_.drop_last_ ? n / bs : (n + bs - 1) / bs;
}

DataLoader::Iterator DataLoader::begin() const { return Iterator(std::make_shared<Epoch>(dataset_, options_)); }

DataLoader::Iterator::Iterator(std::shared_ptr<Epoch> epoch) : epoch_(std::move(epoch)) { ++*this; }

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  if (!epoch_) return *this;
  if (auto e = epoch_->next()) {
    current_ = std::move(*e);
  } else {
    epoch_.reset();
    current_ = Example();
  }
  return *this;
}

}  // namespace d2l::data
