#pragma once
// A caching allocator for tensor storage. Training loops allocate the same sizes every
// step; handing freed blocks back out skips malloc's aligned path, which dominated the
// small models' step time.
#include <cstddef>

namespace d2l::detail {

// A 64-byte aligned block of at least `bytes`; `capacity` receives its real size, which
// must be passed back to release().
void* acquire_block(std::size_t bytes, std::size_t& capacity);
void release_block(void* block, std::size_t capacity);

}  // namespace d2l::detail

