#pragma once
// Process-wide memory settings for programs built on the library.
namespace d2l {

// Keeps memory that is freed for reuse instead of handing it back to the system at once:
// glibc maps every block over 128 KB afresh and unmaps it on free, so a program that builds
// and drops large buffers (a corpus, a vocabulary, a batch) pays for fresh, zeroed pages on
// every use. Buffers up to 32 MB then come from the heap, which is trimmed only beyond 256 MB
// free. Call once, early in main.
void keep_freed_memory();

}  // namespace d2l
