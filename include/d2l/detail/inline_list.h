#pragma once
// A short list kept inline, spilling to the heap past N elements. Graph nodes use it for
// their inputs and their gradients: nearly every op has one to three, and a heap
// allocation for each list was a visible share of a small model's step.
#include <array>
#include <cstddef>
#include <initializer_list>
#include <utility>
#include <vector>

namespace d2l::detail {

template <class T, std::size_t N>
class InlineList {
 public:
  InlineList() = default;
  InlineList(std::initializer_list<T> items) {
    for (const auto& x : items) push_back(x);
  }
  explicit InlineList(std::size_t n) { resize(n); }
  InlineList(std::vector<T>&& items) {  // NOLINT: a backward may return a std::vector
    if (items.size() > N) {
      heap_ = std::move(items);
      spilled_ = true;
      size_ = heap_.size();
    } else {
      for (auto& x : items) push_back(std::move(x));
    }
  }

  void push_back(T value) {
    if (!spilled_ && size_ == N) {  // move everything to the heap once
      heap_.reserve(2 * N);
      for (auto& x : inline_) heap_.push_back(std::move(x));
      spilled_ = true;
    }
    if (spilled_) heap_.push_back(std::move(value));
    else inline_[size_] = std::move(value);
    ++size_;
  }
  void resize(std::size_t n) {
    while (size_ < n) push_back(T());
  }
  void reserve(std::size_t n) {
    if (n > N && !spilled_) {
      heap_.reserve(n);
      for (std::size_t i = 0; i < size_; ++i) heap_.push_back(std::move(inline_[i]));
      spilled_ = true;
    }
  }
  void clear() {
    for (std::size_t i = 0; i < size_; ++i) data()[i] = T();
    heap_.clear();
    spilled_ = false;
    size_ = 0;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return spilled_ ? heap_.data() : inline_.data(); }
  const T* data() const { return spilled_ ? heap_.data() : inline_.data(); }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }

 private:
  std::array<T, N> inline_{};
  std::vector<T> heap_;
  std::size_t size_ = 0;
  bool spilled_ = false;
};

}  // namespace d2l::detail
