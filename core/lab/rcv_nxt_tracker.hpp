// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/lab/reset_verdict.hpp"
#include "core/wire/packet.hpp"

/// reset on a connection that is talking: B's RCV.NXT followed through both directions up to
/// the instant of sending, and the moment to send. A is the end the RST pretends to come
/// from, B the one reset (the victim).
namespace tcpinspect::core {

/// What the tracker advises at a given instant.
enum class ResetMoment : uint8_t {
  Wait,  // nothing read yet, or the peer's reply to the victim's segment may still move RCV.NXT
  Send,  // RCV.NXT is what B will hold when the RST arrives, as far as the capture can tell
};

class RcvNxtTracker {
 public:
  /// How long to wait for A's reply after a segment of B's that A will answer (data or
  /// FIN): an echo or a response moves B's RCV.NXT as soon as it arrives, so a RST sent
  /// before it, and arriving after it, is one reply behind and ignored.
  static constexpr std::chrono::nanoseconds kPeerReplyWait = std::chrono::milliseconds(20);

  /// A segment of the connection, `from_a` or from B, captured at `ts_ns`.
  void observe(const DecodedPacket& p, bool from_a, int64_t ts_ns);

  /// B's RCV.NXT once a segment told it: the furthest of B's last acknowledgement and the
  /// end (SEG.SEQ + SEG.LEN) of A's furthest segment seen. A's segment still in flight
  /// arrives before a RST sent after it on the same path, so the furthest is what B
  /// holds when the RST lands.
  bool known() const { return known_; }
  uint32_t rcv_nxt() const { return rcv_nxt_; }
  /// The segment that gave rcv_nxt(), for the report (rcv_nxt_reasoning).
  const RcvNxtReading& basis() const { return basis_; }
  /// When to send, at capture-clock instant `now_ns` (see ResetMoment).
  ResetMoment moment(int64_t now_ns) const;
  /// Until when Wait holds for lack of a reply (capture clock); 0 when not waiting for one.
  int64_t wait_until_ns() const;

  /// B's RCV.NXT read exactly from a challenge ACK (RFC 5961 3.2: its ack is RCV.NXT): A's
  /// segments beyond it were not delivered (yet), so the tracker starts again from it.
  void learn_exact(uint32_t rcv_nxt);

  /// Where to aim `count` RSTs (count >= 1): RCV.NXT first, then one step further each.
  /// Window: B's last advertised window as on the wire, tcpkill's steps (seq = ack + i *
  /// win), made for stacks that took any RST inside the window; since RFC 5961 only the
  /// exact RCV.NXT resets and each other one inside the window draws a challenge ACK.
  /// Segment: A's latest data segment's size, where B's RCV.NXT moves if more of A's
  /// segments land before the RST. Without a step (no window or no data seen), RCV.NXT only.
  enum class SprayStep : uint8_t { Window, Segment };
  std::vector<uint32_t> aim(unsigned count, SprayStep step) const;

 private:
  void take(uint32_t candidate, const RcvNxtReading& r);

  RcvNxtReading basis_;
  uint32_t rcv_nxt_ = 0;
  bool known_ = false;
  uint32_t a_segment_size_ = 0;  // payload of A's latest data segment
  uint16_t b_window_ = 0;        // B's latest window, as on the wire (0: none seen)
  // B's latest segment that its peer answers (SEG.LEN > 0), not yet followed by one of A's.
  int64_t awaiting_reply_since_ = -1;
};

}  // namespace tcpinspect::core
