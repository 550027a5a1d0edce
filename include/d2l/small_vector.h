#pragma once
// A vector that keeps up to N elements inline and moves to the heap beyond that. Shapes
// and strides use it: nearly every tensor has a few dims, and two heap allocations per
// tensor were a large share of a small model's step time.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <type_traits>
#include <vector>

namespace d2l {

template <class T, std::size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T>, "SmallVector holds trivially copyable values only");

 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using iterator = T*;
  using const_iterator = const T*;

  SmallVector() = default;
  SmallVector(std::initializer_list<T> values) { assign(values.begin(), values.end()); }
  explicit SmallVector(size_type n, const T& value = T()) { resize(n, value); }
  template <class It, class = typename std::iterator_traits<It>::iterator_category>
  SmallVector(It first, It last) {
    assign(first, last);
  }
  SmallVector(const std::vector<T>& v) { assign(v.begin(), v.end()); }  // NOLINT: implicit on purpose
  SmallVector(const SmallVector& other) { copy_from(other); }
  SmallVector(SmallVector&& other) noexcept { take(other); }
  SmallVector& operator=(const SmallVector& other) {
    if (this != &other) copy_from(other);
    return *this;
  }
  SmallVector& operator=(SmallVector&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~SmallVector() { release(); }

  operator std::vector<T>() const { return std::vector<T>(begin(), end()); }  // NOLINT

  size_type size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_type i) { return data_[i]; }
  const T& operator[](size_type i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  T& front() { return data_[0]; }
  const T& front() const { return data_[0]; }
  iterator begin() { return data_; }
  iterator end() { return data_ + size_; }
  const_iterator begin() const { return data_; }
  const_iterator end() const { return data_ + size_; }

  void reserve(size_type n) {
    if (n <= capacity_) return;
    T* heap = new T[n];
    std::memcpy(heap, data_, size_ * sizeof(T));
    if (data_ != inline_) delete[] data_;
    data_ = heap;
    capacity_ = n;
  }
  void clear() { size_ = 0; }
  void resize(size_type n, const T& value = T()) {
    if (n <= N && data_ == inline_) {
      // A fixed-length loop: the compiler unrolls it rather than calling memset.
      for (size_type i = 0; i < N; ++i)
        if (i >= size_ && i < n) inline_[i] = value;
    } else {
      reserve(n);
      if (n > size_) std::fill(data_ + size_, data_ + n, value);
    }
    size_ = n;
  }
  void push_back(const T& value) {
    if (size_ == capacity_) reserve(2 * capacity_);
    data_[size_++] = value;
  }
  void pop_back() { --size_; }
  iterator insert(const_iterator pos, const T& value) {
    const T copy = value;
    const auto at = static_cast<size_type>(pos - data_);
    if (size_ == capacity_) reserve(2 * capacity_);
    std::memmove(data_ + at + 1, data_ + at, (size_ - at) * sizeof(T));
    data_[at] = copy;
    ++size_;
    return data_ + at;
  }
  template <class It, class = typename std::iterator_traits<It>::iterator_category>
  iterator insert(const_iterator pos, It first, It last) {
    const SmallVector items(first, last);  // the range may point into *this
    const auto at = static_cast<size_type>(pos - data_), n = items.size();
    reserve(size_ + n);
    std::memmove(data_ + at + n, data_ + at, (size_ - at) * sizeof(T));
    std::memcpy(data_ + at, items.data(), n * sizeof(T));
    size_ += n;
    return data_ + at;
  }
  iterator erase(const_iterator pos) {
    const auto at = static_cast<size_type>(pos - data_);
    std::memmove(data_ + at, data_ + at + 1, (size_ - at - 1) * sizeof(T));
    --size_;
    return data_ + at;
  }

  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    if (a.size_ != b.size_) return false;
    for (size_type i = 0; i < a.size_; ++i)  // a few elements: cheaper than a memcmp call
      if (!(a.data_[i] == b.data_[i])) return false;
    return true;
  }

 private:
  template <class It>
  void assign(It first, It last) {
    const auto n = static_cast<size_type>(std::distance(first, last));
    size_ = 0;
    if (n <= N && data_ == inline_) {
      for (size_type i = 0; i < N && i < n; ++i, ++first) inline_[i] = *first;  // unrolled, no memmove call
    } else {
      reserve(n);
      std::copy(first, last, data_);
    }
    size_ = n;
  }
  // Shapes are copied with every tensor made: when the elements fit inline, copy the whole
  // inline array (a fixed size, so a few vector moves instead of a memmove call). A heap
  // buffer always holds more than N elements, so reading N from either source stays in bounds.
  void copy_from(const SmallVector& other) {
    if (other.size_ <= N && data_ == inline_) {
      std::memcpy(inline_, other.data_, sizeof(inline_));
    } else {
      size_ = 0;
      reserve(other.size_);
      std::memcpy(data_, other.data_, other.size_ * sizeof(T));
    }
    size_ = other.size_;
  }
  void take(SmallVector& other) {
    if (other.data_ == other.inline_) {
      data_ = inline_;
      capacity_ = N;
      std::memcpy(inline_, other.inline_, sizeof(inline_));
    } else {
      data_ = other.data_;
      capacity_ = other.capacity_;
      other.data_ = other.inline_;
      other.capacity_ = N;
    }
    size_ = other.size_;
    other.size_ = 0;
  }
  void release() {
    if (data_ != inline_) delete[] data_;
    data_ = inline_;
    capacity_ = N;
  }

  T inline_[N];
  T* data_ = inline_;
  size_type size_ = 0;
  size_type capacity_ = N;
};

}  // namespace d2l
