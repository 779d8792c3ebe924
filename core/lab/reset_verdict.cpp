// SPDX-License-Identifier: MIT
#include "core/lab/reset_verdict.hpp"

#include "core/lab/duration_text.hpp"
#include "core/wire/seq.hpp"

namespace tcpinspect::core {

RcvNxtReading read_rcv_nxt(const DecodedPacket& p, bool from_a) {
  RcvNxtReading r;
  const uint16_t f = p.tcp.flags;
  if (f & kRst) {
    r.source = RcvNxtSource::Rst;
    return r;
  }
  if (f & kSyn) {
    r.source = RcvNxtSource::Syn;
    return r;
  }
  if (from_a) {
    r.source = RcvNxtSource::SenderSegment;
    r.seq = p.tcp.seq;
    r.seg_len = seq::seg_len(f, p.payload_len);
    r.rcv_nxt = seq::seg_end(p.tcp.seq, f, p.payload_len);
    return r;
  }
  r.receiver_window = p.tcp.window;
  if (f & kAck) {
    r.source = RcvNxtSource::ReceiverAck;
    r.rcv_nxt = p.tcp.ack;
  } else {
    r.source = RcvNxtSource::NoAck;
  }
  return r;
}

std::string rcv_nxt_reasoning(const RcvNxtReading& r, std::string_view a, std::string_view b) {
  switch (r.source) {
    case RcvNxtSource::SenderSegment:
      return "seq " + std::to_string(r.seq) + " + len " + std::to_string(r.seg_len) + " of " +
             std::string(a) + "'s segment";
    case RcvNxtSource::ReceiverAck:
      return "the ack " + std::string(b) + " just sent";
    case RcvNxtSource::ChallengeAck:
      return "the challenge ACK " + std::string(b) + " sent: its ack is RCV.NXT (RFC 5961 3.2)";
    case RcvNxtSource::Rst:
    case RcvNxtSource::Syn:
    case RcvNxtSource::NoAck:
      break;
  }
  return {};
}

AfterRstSegment classify_after_rst(const DecodedPacket& p, uint32_t rcv_nxt) {
  const uint16_t f = p.tcp.flags;
  if (f & kRst) return AfterRstSegment::Rst;
  if ((f & (kAck | kSyn | kFin)) == kAck && p.tcp.ack == rcv_nxt && p.payload_len == 0)
    return AfterRstSegment::ChallengeAck;
  if (p.payload_len > 0) return AfterRstSegment::Data;
  return AfterRstSegment::Other;
}

std::string_view after_rst_text(AfterRstSegment s) {
  return enum_entry<AfterRstSegment>(kAfterRstSegments, s).text;
}

AfterRstSegment AfterRst::take(const DecodedPacket& p, uint32_t rcv_nxt) {
  const AfterRstSegment s = classify_after_rst(p, rcv_nxt);
  switch (s) {
    case AfterRstSegment::Rst:
      ++rsts_;
      break;
    case AfterRstSegment::ChallengeAck:
      challenge_ = true;
      break;
    case AfterRstSegment::Data:
      data_ = true;
      break;
    case AfterRstSegment::Other:
      other_ = true;
      break;
  }
  return s;
}

RstOutcome AfterRst::outcome() const {
  if (challenge_) return RstOutcome::ChallengeAck;
  if (data_ || other_) return RstOutcome::KeptTalking;
  if (rsts_ > 0) return RstOutcome::AnsweredRst;
  return RstOutcome::Silence;
}

std::string AfterRst::outcome_text(std::string_view b, std::chrono::nanoseconds observe) const {
  const std::string who(b);
  switch (outcome()) {
    case RstOutcome::ChallengeAck:
      return "outcome: " + who + " answered with a challenge ACK: the connection survives";
    case RstOutcome::KeptTalking:
      return "outcome: " + who + " kept talking after our RST (" +
             (data_ ? "data" : "a segment without RST") + "): the connection survives";
    case RstOutcome::AnsweredRst:
      return "outcome: " + who + " answered the next segment with RST: the RST was accepted " +
             "(its socket reports ECONNRESET, and so does its peer's after that RST)";
    case RstOutcome::Silence:
      break;
  }
  return "outcome: nothing from " + who + " within " + format_duration(observe) +
         ": consistent with the RST being accepted (its socket now reports ECONNRESET)";
}

}  // namespace tcpinspect::core
