// SPDX-License-Identifier: MIT
#include "core/wire/memory_advice.hpp"

#include <atomic>

namespace tcpinspect::core {

namespace {
// Installed once at start-up, read by whichever thread allocates.
std::atomic<HugePageAdvisor> g_advisor{nullptr};
}  // namespace

void set_huge_page_advisor(HugePageAdvisor advisor) {
  g_advisor.store(advisor, std::memory_order_release);
}

void advise_huge_pages(void* block, size_t bytes) {
  if (HugePageAdvisor advisor = g_advisor.load(std::memory_order_acquire)) advisor(block, bytes);
}

}  // namespace tcpinspect::core
