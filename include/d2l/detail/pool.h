#pragma once
// Small-object pooling for the objects every op creates.
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace d2l::detail {

// A free list of fixed-size blocks per thread, for the small objects every op creates
// (TensorImpl, Storage, graph nodes) through std::allocate_shared.
template <std::size_t Size>
struct BlockFreeList {
  std::vector<void*> blocks;
  ~BlockFreeList() {
    for (void* b : blocks) ::operator delete(b);
  }
  static BlockFreeList& local() {
    static thread_local BlockFreeList list;
    return list;
  }
};

template <class T>
struct PoolAllocator {
  using value_type = T;
  static constexpr std::size_t kMaxFree = 4096;
  PoolAllocator() = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) {}  // NOLINT: rebinding, as allocate_shared needs
  T* allocate(std::size_t n) {
    if (n == 1) {
      auto& list = BlockFreeList<sizeof(T)>::local().blocks;
      if (!list.empty()) {
        void* p = list.back();
        list.pop_back();
        return static_cast<T*>(p);
      }
    }
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) {
    auto& list = BlockFreeList<sizeof(T)>::local().blocks;
    if (n == 1 && list.size() < kMaxFree) {
      list.push_back(p);
      return;
    }
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const { return true; }
};

template <class T, class... Args>
std::shared_ptr<T> make_pooled(Args&&... args) {
  return std::allocate_shared<T>(PoolAllocator<T>(), std::forward<Args>(args)...);
}

}  // namespace d2l::detail
