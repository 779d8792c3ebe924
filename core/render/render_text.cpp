// SPDX-License-Identifier: MIT
// The default view: one annotated line per segment, connection summaries as they end.
#include "core/render/render_text.hpp"

#include <algorithm>
#include <bit>

#include "core/render/render_common.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::core {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kDim = "\033[2m";
constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kRed = "\033[31m";
constexpr std::string_view kYellow = "\033[33m";
constexpr std::string_view kCyan = "\033[36m";
constexpr std::string_view kBold = "\033[1m";

}  // namespace

TextRenderer::TextRenderer(const RenderOptions& options, WriteFn write)
    : options_(options), out_(std::move(write)) {}

void TextRenderer::put_endpoints(uint32_t conn_id, const DecodedPacket& p) {
  // The cache grows with the connection ids seen, up to kEndpointCache entries (~400 KB):
  // a short capture does not pay for all of it. An entry left at its old place by a growth
  // only misses once (its conn_id is checked).
  if (conn_id >= endpoints_.size() && endpoints_.size() < kEndpointCache)
    endpoints_.resize(std::min(kEndpointCache, std::bit_ceil(size_t{conn_id} + 1)));
  EndpointText& e = endpoints_[conn_id % endpoints_.size()];
  if (e.conn_id != conn_id) {
    e.conn_id = conn_id;
    e.first_addr = p.src;
    e.first_port = p.tcp.src_port;
    e.len[0] = static_cast<uint8_t>(format_endpoint(p.src, p.tcp.src_port, e.text[0].data()));
    e.len[1] = static_cast<uint8_t>(format_endpoint(p.dst, p.tcp.dst_port, e.text[1].data()));
  }
  // Same connection, same four-tuple: the source is one of the two endpoints.
  const int src = (p.tcp.src_port == e.first_port && p.src == e.first_addr) ? 0 : 1;
  out_.put_prefix(e.text[src], e.len[src]).put(" > ").put_prefix(e.text[1 - src], e.len[1 - src]);
}

// The frame number first, as `tcpdump -#` prints it: the notes cite frames ("the RST of
// frame 8"), and tshark and Wireshark number them the same way.
void TextRenderer::put_frame(uint64_t frame) {
  out_.put_uint(frame).put("  ");
}

void TextRenderer::color(std::string_view code) {
  if (options_.color) out_.put(code);
}

void TextRenderer::on_segment(const SegmentEvent& ev) {
  using namespace render;
  const DecodedPacket& p = *ev.packet;
  const bool c2s = ev.dir == Direction::ClientToServer;
  const uint16_t flags = p.tcp.flags;

  if (ev.notes.has(Note::BadChecksum) && !bad_checksum_said_) {
    bad_checksum_said_ = true;
    color(kYellow);
    out_.put("note: frame ")
        .put_uint(ev.frame)
        .put(
            " has a bad TCP checksum: neither the right sum nor the pseudo-header sum that "
            "checksum offload leaves (which is recognised and not counted), so the segment was "
            "damaged or forged; the receiver drops it. Counted in the summaries, not repeated "
            "on each line.");
    color(kReset);
    out_.put('\n');
  }

  if (ev.unconfirmed && !unconfirmed_said_) {
    unconfirmed_said_ = true;
    out_.put("note: ").put(kUnconfirmedLegend).put('\n');
  }
  // Lines already printed cannot be rewritten: a correction of one gets its own line.
  for (uint8_t i = 0; i < ev.revision_count; ++i) {
    const Revision& r = ev.revisions[i];
    if (!r.reached_output) continue;
    color(kYellow);
    out_.put("revised: #").put_uint(ev.conn_id).put(" from frame ").put_uint(r.since_frame);
    out_.put(r.client_side ? " the client was " : " the server was ").put(state_name(r.real));
    out_.put(", not ").put(state_name(r.shown)).put(" (").put(revision_cause_text(r.cause));
    out_.put(")");
    color(kReset);
    out_.put('\n');
  }

  color(kDim);
  put_frame(ev.frame);
  out_.put_seconds(ev.rel_ts_ns);
  color(kReset);
  out_.put(" #").put_uint(ev.conn_id).put(c2s ? " C>S " : " S>C ");
  put_endpoints(ev.conn_id, p);
  out_.put(" [");
  color(kBold);
  put_flag_names(out_, flags, ",");
  color(kReset);
  out_.put("] seq=").put_uint(options_.absolute ? p.tcp.seq : ev.rel_seq);
  if (flags & kAck) out_.put(" ack=").put_uint(options_.absolute ? p.tcp.ack : ev.rel_ack);
  out_.put(" win=").put_uint(p.tcp.window).put(" len=").put_uint(p.payload_len);
  if (p.tcp.options.kind_count > 0 || p.tcp.options.problem != TcpOptionProblem::None) {
    out_.put(" <");
    // SACK edges relative like the ack (Wireshark and tcpdump do the same).
    const bool relative = !options_.absolute && (flags & kAck);
    put_options_text(out_, p.tcp.options, relative ? p.tcp.ack - ev.rel_ack : 0);
    out_.put('>');
  }
  // An IP length decoding replaced by the frame's: the len above comes from the frame.
  if (p.problem_id != DecodeProblem::None && p.problem != nullptr) {
    out_.put(" (").put(p.problem).put(')');
  }

  // The arithmetic, symbolically from the ISNs.
  out_.put("  ");
  const char own = space_of(ev.dir), other = space_of(opposite(ev.dir));
  out_.put("seq=");
  put_symbolic(out_, own, ev.seq_off);
  if (flags & kAck) {
    out_.put(" ack=");
    put_symbolic(out_, other, ev.ack_off);
  }
  for (uint8_t i = 0; i < ev.check_count; ++i) {
    const Check& check = ev.checks[i];
    if (check.ok && check.kind == CheckKind::SeqExpected) continue;  // the normal case
    out_.put(' ');
    color(check.ok ? kGreen : kRed);
    put_check_text(out_, check, ev, glyphs(options_.ascii));
    color(kReset);
  }

  // Both endpoints' states, with the transition this segment caused.
  out_.put("  ");
  color(kCyan);
  out_.put("client ");
  put_transition(out_, ev.client_before, ev.client_after, glyphs(options_.ascii).arrow,
                 ev.unconfirmed & 1);
  out_.put("  server ");
  put_transition(out_, ev.server_before, ev.server_after, glyphs(options_.ascii).arrow,
                 ev.unconfirmed & 2);
  color(kReset);
  if (ev.revised) out_.put(" (revised in hindsight)");

  bool first = true;
  ev.notes.for_each([&](Note n) {
    if (n == Note::BadChecksum || note_hidden(n, ev)) return;  // checksum: said once, above
    out_.put(first ? "  [" : "; ");
    if (first) color(kYellow);
    first = false;
    put_note_text(out_, n, ev);
  });
  if (!first) {
    color(kReset);
    out_.put(']');
  }
  out_.put('\n');
  out_.maybe_flush();
}

void TextRenderer::on_timer(const TimerEvent& ev) {
  color(kDim);
  out_.put_seconds(ev.rel_ts_ns);
  color(kReset);
  out_.put(" #").put_uint(ev.conn_id).put(' ').put(ev.client_side ? "client " : "server ");
  color(kCyan);
  render::put_transition(out_, ev.before, ev.after, glyphs(options_.ascii).arrow);
  color(kReset);
  out_.put("  [").put(note_text(ev.note)).put(" after ").put_seconds(2 * options_.msl_ns, 0);
  out_.put("s]\n");
}

void TextRenderer::on_icmp(const IcmpEvent& ev) {
  const DecodedPacket& p = *ev.packet;
  const IcmpQuote& q = p.icmp;
  color(kDim);
  put_frame(ev.frame);
  out_.put_seconds(ev.rel_ts_ns);
  color(kReset);
  if (ev.conn_id) out_.put(" #").put_uint(ev.conn_id);
  out_.put(p.ip_version == 6 ? " ICMPv6 " : " ICMP ");
  char buf[kMaxEndpointText];
  out_.put(std::string_view(buf, format_ip(p.src, buf))).put(" > ");
  out_.put(std::string_view(buf, format_ip(p.dst, buf)));
  out_.put(" destination unreachable (code ").put_uint(q.code).put(") quoting ");
  render::put_address(out_, q.quoted_src, q.quoted_src_port);
  out_.put(" > ");
  render::put_address(out_, q.quoted_dst, q.quoted_dst_port);
  if (ev.conn_id) {
    out_.put("  ");
    color(kCyan);
    out_.put("client ").put(state_name(ev.client_state));
    color(kReset);
    out_.put("  [").put(ev.client_state == TcpState::Closed ? "connect() fails with "
                                                            : "soft error: ");
    out_.put(ev.errno_name).put(']');
  } else {
    out_.put("  [no tracked connection]");
  }
  out_.put('\n');
}

void TextRenderer::on_problem(const ProblemEvent& ev) {
  color(kDim);
  put_frame(ev.frame);
  out_.put_seconds(ev.rel_ts_ns);
  color(kReset);
  out_.put(' ');
  out_.put(decode_result_text(ev.result));
  if (ev.problem) out_.put(": ").put(ev.problem);
  out_.put('\n');
}

void TextRenderer::on_connection_end(const ConnectionSummary& c) {
  using namespace render;
  const Glyphs& g = glyphs(options_.ascii);
  color(kBold);
  out_.put(g.rule).put(" #").put_uint(c.id).put(' ');
  put_endpoint(out_, c.client);
  out_.put(' ').put(g.arrow).put(' ');
  put_endpoint(out_, c.server);
  out_.put("  ").put(close_kind_id(c.close));
  color(kReset);
  out_.put(" (").put(close_kind_text(c.close));
  if (c.close == CloseKind::NoAnswer && c.since_syn_ns) {
    // What the capture shows of the attempt; how long the stack keeps trying it does not.
    out_.put("; ").put_uint(c.client.retransmissions).put(" retransmissions over ");
    out_.put_seconds(*c.since_syn_ns).put(" s");
  }
  out_.put(')');
  out_.put("  zeek ").put(c.zeek.conn_state).put(' ').put(c.zeek.history());
  if (c.inferred) out_.put("  (mid-stream: inferred)");
  if (c.evicted) out_.put("  (evicted: --max-connections)");
  out_.put('\n');
  // An ISN is only seen in a SYN; otherwise it is Wireshark's base (first seq - 1), or
  // unknown when that side sent nothing.
  auto put_isn = [&](const EndpointSummary& e) {
    if (!e.isn_set) {
      out_.put('-');
      return;
    }
    out_.put_uint(e.isn);
    if (!e.isn_known) out_.put(" (inferred)");
  };
  out_.put("   ISN client x=");
  put_isn(c.client);
  out_.put(" server y=");
  put_isn(c.server);
  out_.put("  duration ").put_seconds(c.duration_ns).put("s  c>s ");
  out_.put_uint(c.client.packets).put(" pkts ").put_uint(c.client.payload_bytes).put(" B  s>c ");
  out_.put_uint(c.server.packets).put(" pkts ").put_uint(c.server.payload_bytes).put(" B");
  if (c.rtt_syn_synack_ns)
    out_.put("  rtt SYN").put(g.arrow).put("SYN-ACK ").put_seconds(*c.rtt_syn_synack_ns).put('s');
  if (c.rtt_synack_ack_ns)
    out_.put(" SYN-ACK").put(g.arrow).put("ACK ").put_seconds(*c.rtt_synack_ack_ns).put('s');
  if (c.retransmissions > 0) out_.put("  retransmissions ").put_uint(c.retransmissions);
  if (c.bad_checksums > 0) out_.put("  bad checksums ").put_uint(c.bad_checksums);
  out_.put('\n');
  out_.put("   client ");
  const std::string arrow = " " + std::string(g.arrow) + " ";
  put_path(out_, c.client.path, arrow, g.ellipsis);
  out_.put("\n   server ");
  put_path(out_, c.server.path, arrow, g.ellipsis);
  out_.put('\n');
  out_.maybe_flush();
}

void TextRenderer::on_finish(const InspectorStats& s) {
  using render::put_count;
  out_.put(glyphs(options_.ascii).rule).put(' ');
  put_count(out_, s.frames, "frame", "frames");
  out_.put(", "), put_count(out_, s.tcp_segments, "TCP segment", "TCP segments");
  out_.put(", "), put_count(out_, s.connections, "connection", "connections");
  if (s.not_tcp) out_.put(", ").put_uint(s.not_tcp).put(" not TCP");
  if (s.truncated) out_.put(", ").put_uint(s.truncated).put(" truncated");
  if (s.malformed) out_.put(", ").put_uint(s.malformed).put(" malformed");
  if (s.non_first_fragments)
    out_.put(", "), put_count(out_, s.non_first_fragments, "fragment", "fragments");
  if (s.icmp_unreachable) out_.put(", ").put_uint(s.icmp_unreachable).put(" ICMP unreachable");
  if (s.bad_checksums)
    out_.put(", "), put_count(out_, s.bad_checksums, "bad checksum", "bad checksums");
  if (s.evicted) out_.put(", ").put_uint(s.evicted).put(" evicted (--max-connections)");
  if (s.idle_expired) out_.put(", ").put_uint(s.idle_expired).put(" idle-expired");
  out_.put('\n');
  out_.flush();
}

}  // namespace tcpinspect::core
