#include "d2l/memory.h"

#include <malloc.h>

namespace d2l {

void keep_freed_memory() {
  // 32 MB is the largest mmap threshold glibc accepts on 64-bit systems.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace d2l
