#pragma once
// Small-object pooling for the objects every op creates.
#include <cstddef>
#include <memory>
#include <new>

namespace d2l::detail {

// A free list of fixed-size blocks per thread, for the small objects every op creates
// (TensorImpl, Storage, graph nodes) through std::allocate_shared. The list is threaded
// through the free blocks themselves: a push or a pop is two pointer moves, with no
// container to grow. Sizes are rounded up to 16 bytes, so types of similar size share one list.
template <std::size_t Size>
struct BlockFreeList {
  static_assert(Size >= sizeof(void*) && Size % 16 == 0);
  static constexpr std::size_t kMaxFree = 4096;  // beyond this, blocks go back to the heap
  struct Block {
    Block* next;
  };
  Block* head = nullptr;
  std::size_t count = 0;

  BlockFreeList() = default;
  BlockFreeList(const BlockFreeList&) = delete;
  BlockFreeList& operator=(const BlockFreeList&) = delete;
  ~BlockFreeList() {
    while (head) {
      Block* b = head;
      head = b->next;
      ::operator delete(b);
    }
  }
  static BlockFreeList& local() {
    static thread_local BlockFreeList list;
    return list;
  }
  void* allocate() {
    if (Block* b = head) {
      head = b->next;
      --count;
      return b;
    }
    return ::operator new(Size);
  }
  void deallocate(void* p) {
    if (count >= kMaxFree) {
      ::operator delete(p);
      return;
    }
    Block* b = static_cast<Block*>(p);
    b->next = head;
    head = b;
    ++count;
  }
};

constexpr std::size_t pooled_size(std::size_t bytes) { return (bytes + 15) / 16 * 16; }

template <class T>
struct PoolAllocator {
  using value_type = T;
  using List = BlockFreeList<pooled_size(sizeof(T))>;
  PoolAllocator() = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) {}  // NOLINT: rebinding, as allocate_shared needs
  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "pooled types use the default alignment");
    if (n == 1) return static_cast<T*>(List::local().allocate());
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) {
    if (n == 1) List::local().deallocate(p);
    else ::operator delete(p);
  }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const { return true; }
};

template <class T, class... Args>
std::shared_ptr<T> make_pooled(Args&&... args) {
  return std::allocate_shared<T>(PoolAllocator<T>(), std::forward<Args>(args)...);
}

}  // namespace d2l::detail
