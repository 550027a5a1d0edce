#pragma once
// A short list kept inline, spilling to the heap past N elements. Graph nodes use it for
// their inputs and their gradients: nearly every op has one to three, and a heap
// allocation for each list was a visible share of a small model's step.
//
// Only the first size() slots hold live objects: making, moving or destroying a list of
// one gradient touches one Tensor, not N of them.
#include <cstddef>
#include <initializer_list>
#include <new>
#include <utility>
#include <vector>

namespace d2l::detail {

template <class T, std::size_t N>
class InlineList {
 public:
  InlineList() = default;
  InlineList(std::initializer_list<T> items) {
    reserve(items.size());
    for (const auto& x : items) push_back(x);
  }
  explicit InlineList(std::size_t n) { resize(n); }
  InlineList(std::vector<T>&& items) {  // NOLINT: a backward may return a std::vector
    reserve(items.size());
    for (auto& x : items) push_back(std::move(x));
  }
  InlineList(const InlineList& other) {
    reserve(other.size_);
    for (const auto& x : other) push_back(x);
  }
  InlineList(InlineList&& other) noexcept { take(other); }
  InlineList& operator=(const InlineList& other) {
    if (this != &other) {
      clear();
      reserve(other.size_);
      for (const auto& x : other) push_back(x);
    }
    return *this;
  }
  InlineList& operator=(InlineList&& other) noexcept {
    if (this != &other) {
      clear();
      free_heap();
      take(other);
    }
    return *this;
  }
  ~InlineList() {
    clear();
    free_heap();
  }

  void push_back(T value) {
    if (size_ == capacity_) grow(2 * capacity_);
    ::new (data_ + size_) T(std::move(value));
    ++size_;
  }
  // Removes the last element and returns it.
  T pop_back() {
    T last = std::move(data_[size_ - 1]);
    data_[--size_].~T();
    return last;
  }
  void resize(std::size_t n) {
    reserve(n);
    while (size_ < n) push_back(T());
  }
  void reserve(std::size_t n) {
    if (n > capacity_) grow(n);
  }
  // Destroys the elements; a spilled list keeps its heap buffer for reuse.
  void clear() {
    for (std::size_t i = 0; i < size_; ++i) data_[i].~T();
    size_ = 0;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  T* inline_data() { return std::launder(reinterpret_cast<T*>(storage_)); }
  bool spilled() const { return capacity_ > N; }
  // Moves the elements into a heap buffer of `n` slots.
  void grow(std::size_t n) {
    T* heap = static_cast<T*>(::operator new(n * sizeof(T)));
    for (std::size_t i = 0; i < size_; ++i) {
      ::new (heap + i) T(std::move(data_[i]));
      data_[i].~T();
    }
    free_heap();
    data_ = heap;
    capacity_ = n;
  }
  void free_heap() {
    if (spilled()) ::operator delete(data_);
    data_ = inline_data();
    capacity_ = N;
  }
  // Takes other's elements (other is empty, with no heap buffer, after).
  void take(InlineList& other) {
    if (other.spilled()) {
      data_ = other.data_;
      capacity_ = other.capacity_;
      size_ = other.size_;
    } else {
      for (std::size_t i = 0; i < other.size_; ++i) {
        ::new (data_ + i) T(std::move(other.data_[i]));
        other.data_[i].~T();
      }
      size_ = other.size_;
    }
    other.data_ = other.inline_data();
    other.capacity_ = N;
    other.size_ = 0;
  }

  alignas(T) unsigned char storage_[N * sizeof(T)];
  T* data_ = inline_data();
  std::size_t size_ = 0;
  std::size_t capacity_ = N;
};

}  // namespace d2l::detail
