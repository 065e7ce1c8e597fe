// The malloc settings the CLI applies before a run.
#include "imeval/allocator.h"

#include <catch2/catch.hpp>

#include <cstdlib>

TEST_CASE("freeing memory back to the kernel is turned off on glibc", "[allocator]") {
#if defined(__GLIBC__)
  CHECK(imeval::keep_freed_memory_for_reuse());
#else
  CHECK_FALSE(imeval::keep_freed_memory_for_reuse());
#endif
}
