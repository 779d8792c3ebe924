// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>

namespace tcpinspect::core {

/// Advice to the operating system about large blocks that core allocates (core itself makes
/// no system calls: the program installs the advice at its edge, capture/huge_pages.cpp).
/// Without an advisor, as in the tests, advice is skipped and nothing else changes.
using HugePageAdvisor = void (*)(void* block, size_t bytes);

/// Installs the function that asks for huge pages on a block (nullptr: none).
void set_huge_page_advisor(HugePageAdvisor advisor);

/// Asks for huge pages on [block, block + bytes), if an advisor is installed. block is
/// aligned to bytes, and bytes is a multiple of 2 MiB.
void advise_huge_pages(void* block, size_t bytes);

}  // namespace tcpinspect::core
