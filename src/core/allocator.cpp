#include "core/allocator.h"

#include <bit>
#include <cstdlib>

#include "d2l/error.h"

namespace d2l::detail {

namespace {

// Each thread keeps its own free lists, so no locks; a block freed on another thread
// simply joins that thread's cache.
constexpr std::size_t kMaxCachedBytes = std::size_t{256} << 20;
constexpr int kClasses = 4 * 64;

// Sizes round up to a power of two below 4 KiB and to a quarter of one above, so blocks
// are reused across nearby sizes while wasting at most a quarter. Each class has an index.
std::size_t size_class(std::size_t bytes, int& index) {
  if (bytes <= 64) {
    index = 0;
    return 64;
  }
  if (bytes <= 4096) {
    const std::size_t c = std::bit_ceil(bytes);
    index = std::countr_zero(c) - 6;  // 128 -> 1 ... 4096 -> 6
    return c;
  }
  const std::size_t floor = std::bit_floor(bytes), step = floor / 4;
  const std::size_t c = (bytes + step - 1) / step * step;
  // floor = 2^e with e >= 12; c / step is in (4, 8].
  index = 7 + 4 * (std::countr_zero(floor) - 12) + static_cast<int>(c / step - 5);
  return c;
}

// Free blocks of one size class form a list threaded through the blocks themselves (every
// block holds at least 64 bytes), so taking or returning one is two pointer moves.
struct FreeBlock {
  FreeBlock* next;
};

struct BlockCache {
  FreeBlock* free_blocks[kClasses] = {};
  std::size_t cached_bytes = 0;
  ~BlockCache() {
    for (FreeBlock* head : free_blocks)
      while (head) {
        FreeBlock* next = head->next;
        std::free(head);
        head = next;
      }
  }
};

BlockCache& cache() {
  static thread_local BlockCache c;
  return c;
}

}  // namespace

void* acquire_block(std::size_t bytes, std::size_t& capacity) {
  int index;
  capacity = size_class(bytes, index);
  BlockCache& c = cache();
  if (index < kClasses) {
    if (FreeBlock* block = c.free_blocks[index]) {
      c.free_blocks[index] = block->next;
      c.cached_bytes -= capacity;
      return block;
    }
  }
  void* block = std::aligned_alloc(64, capacity);
  if (!block) throw Error(concat("out of memory allocating ", bytes, " bytes"));
  return block;
}

void release_block(void* block, std::size_t capacity) {
  int index;
  size_class(capacity, index);
  BlockCache& c = cache();
  if (index >= kClasses || c.cached_bytes + capacity > kMaxCachedBytes) {
    std::free(block);
    return;
  }
  FreeBlock* b = static_cast<FreeBlock*>(block);
  b->next = c.free_blocks[index];
  c.free_blocks[index] = b;
  c.cached_bytes += capacity;
}

}  // namespace d2l::detail
