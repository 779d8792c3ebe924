// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <vector>

#include "core/wire/frame.hpp"

namespace tcpinspect::cmd {

/// One captured frame of an exchange that craft or converse took part in.
struct ExchangeFrame {
  int64_t ts_ns = 0;
  std::vector<uint8_t> bytes;
};

/// Prints the exchange as `replay` would annotate it (both endpoints' states, the seq/ack
/// checks), after a heading line; nothing for an empty exchange.
void print_analysis(core::LinkType link, const std::vector<ExchangeFrame>& frames);

}  // namespace tcpinspect::cmd
