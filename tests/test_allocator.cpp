// The malloc settings the CLI applies before a run.
#include "imeval/allocator.h"

#include <catch2/catch.hpp>

#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#define IMEVAL_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IMEVAL_TEST_ASAN 1
#endif
#endif

TEST_CASE("freeing memory back to the kernel is turned off on glibc", "[allocator]") {
#if defined(IMEVAL_TEST_ASAN)
  CHECK_FALSE(imeval::keep_freed_memory_for_reuse());  // AddressSanitizer's allocator ignores mallopt
#elif defined(__GLIBC__)
  CHECK(imeval::keep_freed_memory_for_reuse());
#else
  CHECK_FALSE(imeval::keep_freed_memory_for_reuse());
#endif
}
