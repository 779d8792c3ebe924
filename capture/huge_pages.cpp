// SPDX-License-Identifier: MIT
#include "capture/huge_pages.hpp"

#include <sys/mman.h>

#include "core/wire/memory_advice.hpp"

namespace tcpinspect::capture {

namespace {
void advise(void* block, size_t bytes) {
#ifdef MADV_HUGEPAGE
  // Only advice: where transparent huge pages are off the block stays on small pages.
  (void)::madvise(block, bytes, MADV_HUGEPAGE);
#else
  (void)block;
  (void)bytes;
#endif
}
}  // namespace

void install_huge_page_advice() {
  core::set_huge_page_advisor(&advise);
}

}  // namespace tcpinspect::capture
