#include "core/allocator.h"

#include <bit>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "d2l/error.h"

namespace d2l::detail {

namespace {

// Each thread keeps its own free lists, so no locks; a block freed on another thread
// simply joins that thread's cache.
constexpr std::size_t kMaxCachedBytes = std::size_t{256} << 20;

struct BlockCache {
  std::unordered_map<std::size_t, std::vector<void*>> free_blocks;
  std::size_t cached_bytes = 0;
  ~BlockCache() {
    for (auto& [size, blocks] : free_blocks)
      for (void* b : blocks) std::free(b);
  }
};

BlockCache& cache() {
  static thread_local BlockCache c;
  return c;
}

// Sizes round up to a power of two below 4 KiB and to a quarter of one above, so blocks
// are reused across nearby sizes while wasting at most a quarter.
std::size_t size_class(std::size_t bytes) {
  if (bytes <= 64) return 64;
  if (bytes <= 4096) return std::bit_ceil(bytes);
  const std::size_t step = std::bit_floor(bytes) / 4;
  return (bytes + step - 1) / step * step;
}

}  // namespace

void* acquire_block(std::size_t bytes, std::size_t& capacity) {
  capacity = size_class(bytes);
  BlockCache& c = cache();
  if (auto it = c.free_blocks.find(capacity); it != c.free_blocks.end() && !it->second.empty()) {
    void* block = it->second.back();
    it->second.pop_back();
    c.cached_bytes -= capacity;
    return block;
  }
  void* block = std::aligned_alloc(64, capacity);
  if (!block) throw Error(concat("out of memory allocating ", bytes, " bytes"));
  return block;
}

void release_block(void* block, std::size_t capacity) {
  BlockCache& c = cache();
  if (c.cached_bytes + capacity > kMaxCachedBytes) {
    std::free(block);
    return;
  }
  c.free_blocks[capacity].push_back(block);
  c.cached_bytes += capacity;
}

}  // namespace d2l::detail
