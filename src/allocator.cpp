#include "imeval/allocator.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace imeval {

bool keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  // One arena for all threads: a thread's own arena gives its heaps back to the kernel whenever they
  // empty, whatever the trim threshold. No block is served by mmap, and the heap top is not trimmed.
  return mallopt(M_ARENA_MAX, 1) == 1 && mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
#else
  return false;
#endif
}

}  // namespace imeval
