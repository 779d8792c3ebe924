// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "capture/live_source.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// One decoded frame handed to a SegmentSniffer callback. `packet` points into `bytes`;
/// both are valid only during the callback.
struct SniffedSegment {
  int64_t ts_ns = 0;               // capture timestamp (wall clock, like the kernel's)
  std::span<const uint8_t> bytes;  // the whole frame, link header included (see link())
  const core::DecodedPacket* packet = nullptr;
};

/// A live capture opened before sending, used to catch replies: a LiveSource with
/// immediate delivery and a small ring, frames decoded with core::decode_packet.
class SegmentSniffer {
 public:
  /// Throws CaptureError (unknown interface, missing privilege, bad filter).
  SegmentSniffer(const std::string& interface, const std::string& filter);

  /// Calls `on_segment` for every TCP segment or quoted ICMP error that arrives within
  /// `timeout_ms` (0: only what is ready now). Stops early when the callback returns
  /// false. Returns false when it stopped early.
  bool pump(int timeout_ms, const std::function<bool(const SniffedSegment&)>& on_segment);

  const std::string& interface() const { return source_.interface(); }
  /// For poll(): readable when frames are waiting.
  int selectable_fd() const { return source_.selectable_fd(); }
  /// The link type of the frames (SniffedSegment::bytes).
  core::LinkType link() const { return link_; }

 private:
  LiveSource source_;
  core::LinkType link_;
  core::DecodedPacket packet_;
};

/// pump() over several sniffers for `timeout_ms` (0: only what is ready now), e.g. a
/// connection's interface and `lo`. `on_segment` also gets the index of the sniffer the
/// frame came from; frames of one sniffer arrive in order, not interleaved by time.
void pump_each(std::span<SegmentSniffer* const> sniffers, int timeout_ms,
               const std::function<void(size_t, const SniffedSegment&)>& on_segment);

/// Wall-clock nanoseconds (what pcap timestamps use), for RTTs against capture times.
int64_t wall_clock_ns();

}  // namespace tcpinspect::capture
