// SPDX-License-Identifier: MIT
#include "core/lab/conversation.hpp"

#include <charconv>

#include "core/lab/duration_text.hpp"
#include "core/wire/seq.hpp"
#include "core/wire/tcp_flag.hpp"

namespace tcpinspect::core {
namespace {

// "\n", "\r", "\t" and "\\" in step text, so a line protocol can be spoken.
std::string unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    switch (text[++i]) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      default:
        out += text[i];
        break;
    }
  }
  return out;
}

[[noreturn]] void bad_step(std::string_view text, std::string_view why) {
  throw ParseError("step '" + std::string(text) + "': " + std::string(why));
}

}  // namespace

ConversationStep parse_step(std::string_view text) {
  ConversationStep s;
  s.text = std::string(text);
  const size_t colon = text.find(':');
  const std::string_view verb = text.substr(0, colon);
  const bool has_arg = colon != std::string_view::npos;
  const std::string_view arg = has_arg ? text.substr(colon + 1) : std::string_view{};
  if (verb == "data") {
    s.kind = StepKind::Data;
    s.data = unescape(arg);
    if (s.data.empty()) bad_step(text, "data needs text, e.g. data:hello");
  } else if (verb == "oow") {
    s.kind = StepKind::OutOfWindow;
    s.data = has_arg ? unescape(arg) : "x";
    if (s.data.empty()) bad_step(text, "oow needs text after ':', or none at all");
  } else if (verb == "rst") {
    s.kind = StepKind::Rst;
    if (has_arg) {
      const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), s.offset);
      if (ec != std::errc() || end != arg.data() + arg.size() || s.offset > 0x7FFFFFFF ||
          s.offset < -0x7FFFFFFF)
        bad_step(text, "the offset is a whole number of bytes, e.g. rst:1000 or rst:-1");
    }
  } else if (verb == "fin") {
    s.kind = StepKind::Fin;
    if (has_arg) bad_step(text, "fin takes nothing after it");
  } else if (verb == "wait") {
    s.kind = StepKind::Wait;
    if (!has_arg) bad_step(text, "wait needs a duration, e.g. wait:500ms");
    s.wait = parse_duration(arg, "wait", std::chrono::minutes(10));
  } else {
    bad_step(text, "not one of data:TEXT, oow[:TEXT], rst[:OFFSET], fin, wait:DURATION");
  }
  return s;
}

std::vector<ConversationStep> default_script() {
  return {parse_step("data:hello\\n"), parse_step("fin")};
}

PlannedSegment UserTcb::syn() const {
  return {{kSyn, iss_, 0, 0}, {}, kOurWindow};
}

PlannedSegment UserTcb::ack() const {
  return {{kAck, snd_nxt_, rcv_nxt_, 0}, {}, kOurWindow};
}

PlannedSegment UserTcb::segment_for(const ConversationStep& step) const {
  PlannedSegment p;
  p.window = kOurWindow;
  switch (step.kind) {
    case StepKind::Data:
      p.payload = step.data;
      p.sent = {static_cast<uint16_t>(kPsh | kAck), snd_nxt_, rcv_nxt_,
                static_cast<uint32_t>(p.payload.size())};
      break;
    case StepKind::OutOfWindow:
      // RCV.NXT + RCV.WND is the first sequence number outside the peer's window; 1000
      // beyond it leaves no doubt, whatever rounding the peer's window has.
      p.payload = step.data;
      p.sent = {static_cast<uint16_t>(kPsh | kAck), snd_nxt_ + peer_window_ + 1000u, rcv_nxt_,
                static_cast<uint32_t>(p.payload.size())};
      break;
    case StepKind::Rst:
      p.sent = {kRst, snd_nxt_ + static_cast<uint32_t>(step.offset), 0, 0};
      p.window = 0;
      break;
    case StepKind::Fin:
      p.sent = {static_cast<uint16_t>(kFin | kAck), snd_nxt_, rcv_nxt_, 0};
      break;
    case StepKind::Wait:
      break;
  }
  return p;
}

void UserTcb::sent(const PlannedSegment& s) {
  const uint16_t f = s.sent.flags;
  if (f & kRst) {
    // At exactly the peer's RCV.NXT the peer takes it (RFC 5961 3.2): the connection is over.
    if (s.sent.seq == snd_nxt_) reset_ = true;
    return;
  }
  if (s.sent.seq != snd_nxt_) return;  // out of window: SND.NXT stays
  if (f & kSyn) snd_una_ = iss_;
  if (f & kFin) {
    fin_sent_ = true;
    fin_seq_ = seq::fin_seq(s.sent.seq, f, s.sent.payload_len);
  }
  snd_nxt_ = seq::seg_end(s.sent.seq, f, s.sent.payload_len);
}

PeerSegmentEffect UserTcb::receive(uint16_t flags, uint32_t seq, uint32_t ack, uint32_t payload_len,
                                   uint16_t window) {
  PeerSegmentEffect e;
  if (flags & kRst) {
    // SYN-SENT: acceptable if it acknowledges our SYN; synchronized: at RCV.NXT (RFC 5961).
    const bool acceptable = synchronized_ ? seq == rcv_nxt_ : ((flags & kAck) && ack == iss_ + 1);
    if (acceptable) reset_ = true;
    e.reset = acceptable;
    return e;
  }
  if (!synchronized_) {
    if ((flags & (kSyn | kAck)) != (kSyn | kAck)) return e;
    if (ack != iss_ + 1) {
      e.bad_synack = true;
      return e;
    }
    irs_ = seq;
    rcv_nxt_ = seq + 1;
    snd_una_ = ack;
    peer_window_ = window;
    synchronized_ = true;
    e.needs_ack = true;
    return e;
  }
  peer_window_ = window;
  if ((flags & kAck) && seq::gt(ack, snd_una_) && seq::le(ack, snd_nxt_)) snd_una_ = ack;
  const uint32_t len = seq::seg_len(flags & ~kSyn, payload_len);
  if (len == 0) return e;
  if (seq == rcv_nxt_) {
    rcv_nxt_ += len;
    if (flags & kFin) peer_fin_ = true;
  }
  e.needs_ack = true;  // in order: acknowledge it; out of order: a duplicate ACK
  return e;
}

Expectation UserTcb::expect(const PlannedSegment& s) const {
  if (s.sent.flags & kSyn) return expect_reply(PeerState::Listen, s.sent);
  return expect_reply(PeerState::Established, s.sent, ReceiverWindow{snd_nxt_, peer_window_});
}

bool UserTcb::seq_before_fin_acked() const {
  return seq::lt(snd_una_, fin_seq_ + 1);
}

}  // namespace tcpinspect::core
