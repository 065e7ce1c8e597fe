// Process-wide malloc settings for batch evaluation.
//
//   imeval::keep_freed_memory_for_reuse();   // once, before any thread starts
//
// Every forward pass allocates activations of tens of MB and every image its decode and resize
// buffers. glibc serves blocks over its mmap threshold with fresh mappings and returns them to the
// kernel when freed, so each batch pays for page faults and zeroed pages again (a third of
// resnet50's CPU time on LibTorch 1.13). With these settings freed memory stays in the heap and is
// reused; peak memory is unchanged, since a run reaches the same peak batch after batch.
#pragma once

namespace imeval {

// Returns false (and changes nothing) where malloc is not glibc's: another C library, or a sanitizer's allocator.
bool keep_freed_memory_for_reuse();

}  // namespace imeval
