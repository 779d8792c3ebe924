// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "traffic/udp_transfer_wire.hpp"

/// Receiver side of the selective-repeat window: which chunks arrived, which can be
/// delivered in order, and the cumulative ack + SACK ranges to report. Pure.
///
///   chunk index: 0 ........ cum ............................ cum+window
///                [delivered][ gaps and out-of-order chunks  ][ refused (BeyondWindow)
///
/// The caller keeps each accepted chunk's bytes in buffer slot `slot(seq)` until
/// pop_in_order() hands it back, so at most `window` chunks are ever buffered.
namespace tcpinspect::traffic::udp {

/// What on_data() made of a DATA chunk index.
enum class DataOutcome {
  New,           ///< accepted: store the payload in slot(seq)
  Duplicate,     ///< already have it (delivered or buffered): just re-ack
  BeyondWindow,  ///< too far ahead of cum: the sender overran the granted window
  BeyondEnd,     ///< index >= total chunks: malformed
};

class ReceiveWindow {
 public:
  /// `window` >= 1 chunks of buffer beyond the cumulative ack.
  ReceiveWindow(uint32_t total_chunks, uint32_t window);

  DataOutcome on_data(uint32_t seq);
  /// The next chunk in order if it has arrived (advancing cum), else nullopt.
  std::optional<uint32_t> pop_in_order();
  /// Fills `out` with the ranges received above cum, lowest first; returns how many.
  size_t sack_ranges(std::span<SackRange> out) const;
  /// Ack message for the current state.
  Ack make_ack(uint32_t transfer_id) const;

  size_t slot(uint32_t seq) const { return seq % window_; }
  uint32_t cumulative() const { return cum_; }
  uint32_t window() const { return window_; }
  bool complete() const { return cum_ == total_; }

 private:
  uint32_t total_;
  uint32_t window_;
  std::vector<uint8_t> have_;  // per slot: chunk buffered and not yet delivered
  uint32_t cum_ = 0;
  uint32_t highest_ = 0;  // one past the highest index buffered
};

}  // namespace tcpinspect::traffic::udp
