#pragma once
// The course's Timer and Accumulator.
#include <chrono>
#include <algorithm>
#include <cstddef>
#include <vector>

namespace d2l::train {

// Records the durations of several runs (start/stop), like d2l.Timer.
class Timer {
 public:
  Timer() { start(); }
  void start() { begin_ = std::chrono::steady_clock::now(); }
  // Stops the current run, records it and returns its seconds.
  double stop() {
    times_.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count());
    return times_.back();
  }
  double sum() const {
    double s = 0;
    for (double t : times_) s += t;
    return s;
  }
  double avg() const { return times_.empty() ? 0.0 : sum() / static_cast<double>(times_.size()); }
  const std::vector<double>& times() const { return times_; }

 private:
  std::chrono::steady_clock::time_point begin_;
  std::vector<double> times_;
};

// Sums n running totals (d2l.Accumulator).
class Accumulator {
 public:
  explicit Accumulator(std::size_t n) : data_(n, 0.0) {}
  template <class... T>
  void add(T... values) {
    std::size_t i = 0;
    ((data_.at(i++) += static_cast<double>(values)), ...);
  }
  void reset() { std::fill(data_.begin(), data_.end(), 0.0); }
  double operator[](std::size_t i) const { return data_.at(i); }

 private:
  std::vector<double> data_;
};

}  // namespace d2l::train
