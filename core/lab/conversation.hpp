// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/lab/tcp_expectation.hpp"

/// `converse`: a whole TCP conversation run from user space, a handshake and then scripted
/// segments, each with what RFC 9293 (and RFC 5961) says the peer answers. This is the pure
/// part: the script, and our end's transmission control block (RFC 9293 3.3.1).
namespace tcpinspect::core {

/// One scripted step after the handshake.
enum class StepKind : uint8_t {
  Data,         // "data:TEXT": in-order data at SND.NXT
  OutOfWindow,  // "oow[:TEXT]": data beyond the peer's receive window
  Rst,          // "rst[:OFFSET]": a RST at the peer's RCV.NXT + OFFSET
  Fin,          // "fin": our FIN at SND.NXT
  Wait,         // "wait:DURATION": only listen (the peer's own segments are acknowledged)
};

struct ConversationStep {
  StepKind kind = StepKind::Data;
  std::string data;                  // Data, OutOfWindow
  int64_t offset = 0;                // Rst
  std::chrono::nanoseconds wait{0};  // Wait
  std::string text;                  // as written, for the report
};

/// Parses one step as written on the command line. Throws ParseError naming the step.
ConversationStep parse_step(std::string_view text);

/// The script when none is given: say hello, then close.
std::vector<ConversationStep> default_script();

/// A segment our end sends (what crafting needs beyond SentSegment: the payload).
struct PlannedSegment {
  SentSegment sent;
  std::string payload;
  uint16_t window = 0;
};

/// What a segment from the peer did to our end.
struct PeerSegmentEffect {
  bool needs_ack = false;   // it carried data, a FIN or the SYN-ACK: we acknowledge it
  bool bad_synack = false;  // a SYN-ACK that does not acknowledge our SYN (RFC 9293: RST)
  bool reset = false;       // the peer reset the connection
};

/// Our end of the connection. Sequence numbers are absolute; the window we advertise is
/// fixed (we read everything at once), and we offer no window scaling, so the peer's
/// window on the wire is in bytes.
class UserTcb {
 public:
  static constexpr uint16_t kOurWindow = 64240;

  explicit UserTcb(uint32_t iss) : iss_(iss), snd_nxt_(iss) {}

  /// <SEQ=ISS><CTL=SYN> (with an MSS option, added by the crafter).
  PlannedSegment syn() const;
  /// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
  PlannedSegment ack() const;
  /// The segment for a step (Wait has none: do not call it for one).
  PlannedSegment segment_for(const ConversationStep& step) const;
  /// Records that `s` left: SYN, in-window data and FIN advance SND.NXT.
  void sent(const PlannedSegment& s);
  /// Takes a segment of the peer's.
  PeerSegmentEffect receive(uint16_t flags, uint32_t seq, uint32_t ack, uint32_t payload_len,
                            uint16_t window);

  /// What the peer should answer to `s`: as a listener for our SYN, as a synchronized
  /// connection (RFC 9293 3.10.7.4, RFC 5961) after it.
  Expectation expect(const PlannedSegment& s) const;

  bool synchronized() const { return synchronized_; }
  bool peer_fin_received() const { return peer_fin_; }
  bool our_fin_acked() const { return fin_sent_ && !seq_before_fin_acked(); }
  bool reset() const { return reset_; }
  uint32_t snd_nxt() const { return snd_nxt_; }
  uint32_t rcv_nxt() const { return rcv_nxt_; }
  uint32_t iss() const { return iss_; }
  uint32_t irs() const { return irs_; }

 private:
  bool seq_before_fin_acked() const;

  uint32_t iss_ = 0;
  uint32_t snd_nxt_ = 0;
  uint32_t snd_una_ = 0;
  uint32_t irs_ = 0;
  uint32_t rcv_nxt_ = 0;
  uint16_t peer_window_ = 0;
  uint32_t fin_seq_ = 0;
  bool synchronized_ = false;
  bool fin_sent_ = false;
  bool peer_fin_ = false;
  bool reset_ = false;
};

}  // namespace tcpinspect::core
