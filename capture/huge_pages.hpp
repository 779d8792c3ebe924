// SPDX-License-Identifier: MIT
#pragma once

namespace tcpinspect::capture {

/// Lets core's large blocks (the connection table's nodes) ask the kernel for transparent
/// huge pages: one page fault per 2 MiB instead of 512 (core/tcp/huge_page_store.hpp).
void install_huge_page_advice();

}  // namespace tcpinspect::capture
