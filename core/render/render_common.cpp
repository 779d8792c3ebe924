// SPDX-License-Identifier: MIT
#include "core/render/render_common.hpp"

#include "core/wire/community_id.hpp"
#include "core/wire/ip_format.hpp"
#include "core/wire/seq.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect::core::render {

void put_flag_names(OutBuffer& out, uint16_t flags, std::string_view sep) {
  out.put_in_place(kMaxTcpFlagsText, [&](char* dst) { return format_tcp_flags(flags, sep, dst); });
}

void put_options_text(OutBuffer& out, const TcpOptions& o, uint32_t sack_base) {
  out.put_in_place(kMaxTcpOptionsText,
                   [&](char* dst) { return format_tcp_options(o, sack_base, dst); });
}

int64_t symbolic_offset(uint32_t value, uint32_t isn) {
  return seq::diff(value, isn);
}

void put_symbolic(OutBuffer& out, char base, int64_t offset) {
  out.put(base);
  if (offset < 0) {
    out.put('-').put_uint(static_cast<uint64_t>(-offset));
  } else if (offset >= 1) {
    out.put("+1");
    if (offset > 1) out.put('+').put_uint(static_cast<uint64_t>(offset - 1));
  }
}

void put_count(OutBuffer& out, uint64_t n, std::string_view singular, std::string_view plural) {
  out.put_uint(n).put(' ').put(n == 1 ? singular : plural);
}

void put_address(OutBuffer& out, const IpAddress& a, uint16_t port) {
  out.put_in_place(kMaxEndpointText, [&](char* dst) { return format_endpoint(a, port, dst); });
}

void put_ip(OutBuffer& out, const IpAddress& a) {
  out.put_in_place(kMaxEndpointText, [&](char* dst) { return format_ip(a, dst); });
}

void put_community_id(OutBuffer& out, const ConnectionSummary& c, uint16_t seed) {
  const auto id = community_id_v1(c.client.addr, c.client.port, c.server.addr, c.server.port,
                                  kIpProtoTcp, seed);
  out.put(std::string_view(id.data(), id.size()));
}

void put_endpoint(OutBuffer& out, const EndpointSummary& e) {
  put_address(out, e.addr, e.port);
}

void put_path(OutBuffer& out, const StatePath& path, std::string_view arrow,
              std::string_view ellipsis) {
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) out.put(arrow);
    if (i == 1 && path.truncated()) out.put(ellipsis).put(arrow);
    out.put(state_name(path[i]));
  }
}

void put_transition(OutBuffer& out, TcpState before, TcpState after, std::string_view arrow,
                    bool unconfirmed) {
  out.put(state_name(before));
  if (before != after) out.put(arrow).put(state_name(after));
  if (unconfirmed) out.put('?');
}

void put_check_text(OutBuffer& out, const Check& check, const SegmentEvent& ev, const Glyphs& g) {
  const Direction peer = opposite(ev.dir);
  const char own = space_of(ev.dir), other = space_of(peer);
  const uint32_t own_isn = ev.sender_isn(), other_isn = ev.receiver_isn();
  auto sym_own = [&](uint32_t v) { put_symbolic(out, own, symbolic_offset(v, own_isn)); };
  auto sym_other = [&](uint32_t v) { put_symbolic(out, other, symbolic_offset(v, other_isn)); };
  out.put(check.ok ? g.ok : g.bad).put(' ');
  switch (check.kind) {
    case CheckKind::SynAckAcksSyn:
      if (check.ok && check.expected != other_isn + 1) {
        out.put("ack=");
        sym_other(check.actual);
        out.put(": the SYN consumed one, and its Fast Open data was accepted");
      } else if (check.ok) {
        out.put("ack=").put(other).put("+1: the SYN consumed one");
      } else {
        out.put("SYN-ACK must acknowledge ").put(other).put("+1, got ");
        sym_other(check.actual);
      }
      break;
    case CheckKind::HandshakeAck:
      if (check.ok && check.actual != other_isn + 1) {
        out.put("ack=");
        sym_other(check.actual);
        out.put(": the SYN-ACK's SYN and the data after it");
      } else if (check.ok) {
        out.put("ack=").put(other).put("+1: the SYN-ACK's SYN consumed one");
      } else {
        out.put("handshake ACK must acknowledge ").put(other).put("+1, got ");
        sym_other(check.actual);
      }
      break;
    case CheckKind::SeqExpected:
      if (check.ok) {
        out.put("seq in order");
      } else {
        out.put("expected seq=");
        sym_own(check.expected);
        if (seq::lt(check.actual, check.expected))
          out.put(" (").put_int(seq::diff(check.expected, check.actual)).put(" already sent)");
        else
          out.put(" (").put_int(seq::diff(check.actual, check.expected)).put(" bytes unseen)");
      }
      break;
    case CheckKind::AckInRange:
      out.put("acknowledges ");
      sym_other(check.actual);
      out.put(" but only ");
      sym_other(check.expected);
      out.put(" was sent");
      break;
    case CheckKind::FinAcked:
      out.put("ack=");
      sym_other(check.actual);
      out.put(": the FIN consumed one");
      break;
    case CheckKind::RstAcceptable:
      if (check.ok) {
        out.put("RST seq=");
        sym_own(check.actual);
        out.put(" = receiver's RCV.NXT: accepted");
      } else {
        out.put("RST seq=");
        sym_own(check.actual);
        out.put(" but receiver expects ");
        sym_own(check.expected);
      }
      break;
    case CheckKind::RstAcksSyn:
      if (check.ok) {
        out.put("RST ack=").put(other).put("+1 answers the SYN");
      } else {
        out.put("RST in SYN_SENT must ack ").put(other).put("+1: ignored");
      }
      break;
  }
}

}  // namespace tcpinspect::core::render

namespace tcpinspect::core::render {

bool note_hidden(Note n, const SegmentEvent& ev) {
  // A fast or spurious retransmission says so itself, with its evidence.
  const RetransmissionRule rule = ev.retransmission.rule;
  return n == Note::Retransmission &&
         (rule == RetransmissionRule::Fast || rule == RetransmissionRule::Spurious);
}

void put_note_text(OutBuffer& out, Note n, const SegmentEvent& ev) {
  const RetransmissionEvidence& r = ev.retransmission;
  const ForgedRstEvidence& f = ev.forged_rst;
  auto since_original = [&] {
    if (r.original_frame == 0) return;
    out.put(", ").put_seconds(r.since_original_ns).put(" s after the original (frame ");
    out.put_uint(r.original_frame).put(')');
  };
  out.put(note_text(n));
  switch (n) {
    case Note::Retransmission:
    case Note::SynRetransmission:
      if (r.rule == RetransmissionRule::FastOpenResend)
        out.put(": Fast Open data the SYN-ACK did not accept");
      since_original();
      break;
    case Note::FastRetransmission:
      out.put(" (").put_uint(r.dup_acks).put(" in a row, the last ");
      out.put_seconds(r.since_last_ack_ns).put(" s before)");
      break;
    case Note::SpuriousRetransmission: {
      out.put(" (ack=");
      put_symbolic(out, space_of(ev.dir), symbolic_offset(r.acked, ev.sender_isn()));
      if (r.acked_frame != 0) out.put(" in frame ").put_uint(r.acked_frame);
      out.put(')');
      since_original();
      break;
    }
    case Note::OutOfOrder:
      if (r.rule == RetransmissionRule::OutOfOrderTime) {
        out.put(" (").put_seconds(r.since_newest_ns).put(" s after the newest segment, within ");
        out.put_seconds(r.threshold_ns).put(" s)");
      }
      break;
    case Note::RstSuspectedForged: {
      const char* sep = ": ";
      if (f.reasons & kTtlDiffers) {
        out.put(sep).put("TTL ").put_uint(f.ttl).put(", its sender's other segments ");
        out.put_uint(f.usual_ttl);
        sep = "; ";
      }
      if (f.reasons & kIpIdOutOfSequence) {
        out.put(sep).put("IP ID ").put_uint(f.ip_id).put(" far from the sender's last, ");
        out.put_uint(f.previous_ip_id);
        sep = "; ";
      }
      if (f.reasons & kDataAfterRst)
        out.put(sep)
            .put("this side still sends data after the RST of frame ")
            .put_uint(f.rst_frame);
      break;
    }
    default:
      break;
  }
}

}  // namespace tcpinspect::core::render
