// SPDX-License-Identifier: MIT
#include "cmd/craft.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "capture/route_lookup.hpp"
#include "capture/segment_sniffer.hpp"
#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/exchange_analysis.hpp"
#include "cmd/ip_parse.hpp"
#include "cmd/packet_out.hpp"
#include "core/lab/duration_text.hpp"
#include "core/lab/hex_dump.hpp"
#include "core/lab/port_list.hpp"
#include "core/lab/segment_line.hpp"
#include "core/lab/tcp_expectation.hpp"
#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/ip_format.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect::cmd {
namespace {

uint16_t parse_u16(const std::string& text, const char* what) {
  const uint32_t v = parse_u32(text, what);
  if (v > 0xFFFF) throw UsageError(std::string(what) + ": '" + text + "' is over 65535");
  return static_cast<uint16_t>(v);
}

std::vector<core::SackBlock> parse_sack(const std::string& text) {
  std::vector<core::SackBlock> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const size_t dash = item.find('-');
    if (dash == std::string::npos) throw UsageError("--sack: '" + item + "' is not LEFT-RIGHT");
    out.push_back(
        {parse_u32(item.substr(0, dash), "--sack"), parse_u32(item.substr(dash + 1), "--sack")});
    start = comma + 1;
  }
  return out;
}

capture::RawTcpOption parse_raw_option(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const uint32_t k = parse_u32(kind, "--opt KIND");
  if (k > 255) throw UsageError("--opt: kind " + kind + " is over 255");
  capture::RawTcpOption o;
  o.kind = static_cast<uint8_t>(k);
  if (colon != std::string::npos) o.body = parse_hex(text.substr(colon + 1), "--opt");
  return o;
}

std::vector<uint8_t> payload_of(const CraftOptions& o) {
  const int given = !o.data.empty() + !o.data_hex.empty() + !o.data_file.empty();
  if (given > 1) throw UsageError("give only one of --data, --data-hex, --data-file");
  if (!o.data.empty()) return {o.data.begin(), o.data.end()};
  if (!o.data_hex.empty()) return parse_hex(o.data_hex, "--data-hex");
  if (!o.data_file.empty()) {
    std::ifstream in(o.data_file, std::ios::binary);
    if (!in) throw UsageError("--data-file: cannot read '" + o.data_file + "'");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  return {};
}

// What RFC 9293 says the peer answers, for a closed and a listening port.
void print_predictions(const core::SentSegment& sent, const core::DecodedPacket* reply) {
  std::printf("RFC 9293 predicts for this segment:\n");
  bool any_match = false;
  for (core::PeerState state : {core::PeerState::Closed, core::PeerState::Listen}) {
    const core::Expectation e = core::expect_reply(state, sent);
    bool match = false;
    if (reply && reply->result == core::DecodeResult::Tcp)
      match = core::reply_matches(e, reply->tcp.flags, reply->tcp.seq, reply->tcp.ack);
    if (!reply) match = e.reply == core::ReplyKind::Nothing;
    any_match = any_match || match;
    std::printf("  %-15s %s%s\n", (std::string(core::peer_state_name(state)) + " port:").c_str(),
                core::describe_expectation(e, sent).c_str(), match ? "   <- what happened" : "");
  }
  if (reply && reply->result == core::DecodeResult::IcmpUnreachable)
    std::printf("  an ICMP error is neither: something refused the segment before TCP saw it\n");
  else if (!any_match && reply)
    std::printf("  the reply matches neither prediction\n");
  else if (!reply)
    std::printf("  (no reply also happens when a firewall drops the segment)\n");
}

void print_reply(const core::DecodedPacket& r, const core::SentSegment& sent, int64_t rtt_ns) {
  std::printf("reply    %s   rtt %s\n", core::format_segment_line(r).c_str(),
              format_ms(rtt_ns).c_str());
  if (r.result != core::DecodeResult::Tcp) return;
  std::string rel = "         flags " + core::tcp_flags_text(r.tcp.flags) + ", seq " +
                    core::relative_to_sent(r.tcp.seq, sent);
  if (r.tcp.flags & core::kAck) rel += ", ack = " + core::relative_to_sent(r.tcp.ack, sent);
  std::printf("%s\n", rel.c_str());
  if ((r.tcp.flags & (core::kSyn | core::kAck)) == (core::kSyn | core::kAck))
    std::printf(
        "         note: this host's kernel answers that SYN-ACK with its own RST: no "
        "socket owns the port a raw socket sent from (RFC 9293 3.10.7.1)\n");
}

}  // namespace

void add_craft_options(CLI::App& sub, CraftOptions& o) {
  sub.add_option("--src", o.src, "Source address (default: the one the route to --dst uses)");
  sub.add_option("--dst", o.dst, "Destination address (IPv4 or IPv6)")->required();
  sub.add_option("--sport", o.sport, "Source port (default: random 32768-60999)");
  sub.add_option("--dport", o.dport, "Destination port")->required();
  sub.add_option("--flags", o.flags,
                 "TCP flags: letters (S, SA, FPU, R.) or names (syn,ack); none/null, xmas")
      ->capture_default_str();
  sub.add_option("--seq", o.seq, "Sequence number (default: random)");
  sub.add_option("--ack", o.ack, "Acknowledgment number")->capture_default_str();
  sub.add_option("--window", o.window, "Window")->capture_default_str();
  sub.add_option("--urg-ptr", o.urg_ptr, "Urgent pointer")->capture_default_str();
  sub.add_option("--ttl", o.ttl, "IPv4 TTL / IPv6 hop limit")
      ->check(CLI::Range(0, 255))
      ->capture_default_str();
  sub.add_option("--id", o.ip_id, "IPv4 identification (default: random)");
  sub.add_flag("--df", o.df, "Set IPv4 Don't Fragment");
  sub.add_option("--tos", o.tos, "IPv4 TOS / IPv6 traffic class")->check(CLI::Range(0, 255));
  sub.add_option("--flow-label", o.flow_label, "IPv6 flow label (20 bits)");
  sub.add_option("--mss", o.mss, "MSS option")->check(CLI::Range(0, 65535));
  sub.add_option("--wscale", o.wscale, "Window scale option (shift count)")
      ->check(CLI::Range(0, 255));
  sub.add_flag("--sack-ok", o.sack_ok, "SACK-permitted option");
  sub.add_option("--sack", o.sack, "SACK blocks L-R[,L-R]");
  sub.add_option("--ts", o.ts, "Timestamps option VAL:ECR");
  sub.add_option("--tfo-cookie", o.tfo_cookie, "TCP Fast Open cookie (hex, 4-16 bytes)");
  sub.add_flag("--tfo-request", o.tfo_request, "TCP Fast Open cookie request (empty cookie)");
  sub.add_option("--opt", o.raw_options, "Raw option KIND:HEX (repeatable; KIND alone for 0/1)");
  sub.add_option("--data", o.data, "Payload text");
  sub.add_option("--data-hex", o.data_hex, "Payload bytes in hex");
  sub.add_option("--data-file", o.data_file, "Payload from a file");
  sub.add_flag("--bad-checksum", o.bad_checksum, "Store a deliberately wrong TCP checksum");
  sub.add_flag("--send", o.send, "Send it (raw socket; needs CAP_NET_RAW)");
  sub.add_flag("--dry-run", o.dry_run, "Print what would be sent, send nothing");
  sub.add_option("-w,--write", o.write_file,
                 "Write the packet to this pcap (raw IP link type), replacing it (see --append)");
  sub.add_flag("--append", o.append, "With -w: add to the pcap instead of replacing it");
  sub.add_flag("--hex", o.hex, "Print an annotated hex dump");
  add_duration_option(sub, "--reply", o.reply, "With --send: wait this long for the reply",
                      std::chrono::milliseconds(1), std::chrono::minutes(10))
      ->default_str("");  // by default craft does not wait

  sub.add_option("--interface", o.interface, "Listen for the reply here (default: the route's)");
  sub.add_option("-c,--count", o.count, "Send the segment this many times")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  add_duration_option(sub, "-i,--interval", o.interval, "Between two sends with -c (cap 1000/s)",
                      std::chrono::nanoseconds(0), core::kMaxDuration);
  sub.add_flag("--allow-high-rate", o.allow_high_rate, "Allow -i under 1 ms");
  sub.add_flag("!--no-annotate", o.annotate, "With --reply: skip the replay-style analysis");
}

// The option a crafter complaint is about: capture/ names the field, the user typed a flag.
std::string_view craft_flag(capture::CraftField field) {
  switch (field) {
    case capture::CraftField::Segment:
      return "";
    case capture::CraftField::Sack:
      return "--sack";
    case capture::CraftField::FastOpen:
      return "--tfo-request/--tfo-cookie";
    case capture::CraftField::FastOpenCookie:
      return "--tfo-cookie";
    case capture::CraftField::RawOption:
      return "--opt";
  }
  return "";
}

capture::SegmentSpec build_segment_spec(const CraftOptions& o, const core::IpAddress& default_src) {
  capture::SegmentSpec s;
  s.dst = parse_ip_or_throw(o.dst, "--dst");
  s.src = o.src.empty() ? default_src : parse_ip_or_throw(o.src, "--src");
  if (s.src.version != s.dst.version)
    throw UsageError("--src " + core::ip_to_string(s.src) + " and --dst " +
                     core::ip_to_string(s.dst) + " are not the same IP version");
  s.dst_port = core::parse_port(o.dport, "--dport");
  s.src_port = o.sport.empty() ? random_source_port() : core::parse_port(o.sport, "--sport");
  try {
    s.flags = core::parse_tcp_flags(o.flags);
  } catch (const core::ParseError& e) {
    throw UsageError(std::string("--flags ") + e.what());  // core/ names the value, we the flag
  }
  s.seq = o.seq.empty() ? random_u32() : parse_u32(o.seq, "--seq");
  s.ack = parse_u32(o.ack, "--ack");
  s.window = parse_u16(o.window, "--window");
  s.urgent_pointer = parse_u16(o.urg_ptr, "--urg-ptr");
  s.ttl = static_cast<uint8_t>(o.ttl);
  s.ip_id = o.ip_id.empty() ? static_cast<uint16_t>(1 + random_u32() % 0xFFFF)
                            : parse_u16(o.ip_id, "--id");
  s.dont_fragment = o.df;
  s.tos = static_cast<uint8_t>(o.tos);
  s.flow_label = parse_u32(o.flow_label, "--flow-label");
  if (s.flow_label > 0xFFFFF) throw UsageError("--flow-label: at most 20 bits (1048575)");
  if (o.mss >= 0) s.options.mss = static_cast<uint16_t>(o.mss);
  if (o.wscale >= 0) s.options.window_scale = static_cast<uint8_t>(o.wscale);
  s.options.sack_permitted = o.sack_ok;
  if (!o.sack.empty()) s.options.sack = parse_sack(o.sack);
  if (!o.ts.empty()) {
    const size_t colon = o.ts.find(':');
    if (colon == std::string::npos) throw UsageError("--ts: '" + o.ts + "' is not VAL:ECR");
    s.options.timestamps = std::make_pair(parse_u32(o.ts.substr(0, colon), "--ts VAL"),
                                          parse_u32(o.ts.substr(colon + 1), "--ts ECR"));
  }
  s.options.fast_open_request = o.tfo_request;
  if (!o.tfo_cookie.empty()) s.options.fast_open_cookie = parse_hex(o.tfo_cookie, "--tfo-cookie");
  for (const std::string& raw : o.raw_options)
    s.options.raw.push_back(parse_raw_option(raw));
  s.payload = payload_of(o);
  s.bad_checksum = o.bad_checksum;
  // Layout problems (options over 40 bytes...) are usage errors too.
  try {
    (void)capture::encode_tcp_options(s.options);
  } catch (const capture::CraftError& e) {
    const std::string_view flag = craft_flag(e.field);
    throw UsageError(flag.empty() ? std::string(e.what()) : std::string(flag) + ": " + e.what());
  }
  return s;
}

bool waits_for_reply(const CraftOptions& o) {
  return o.reply.count() >= 0;
}

std::chrono::nanoseconds checked_interval(const CraftOptions& o) {
  const std::chrono::nanoseconds interval = o.interval;
  if (o.count < 1) throw UsageError("-c: at least 1 segment");
  if (o.count > 1 && waits_for_reply(o))
    throw UsageError("--reply waits for the reply to one segment: leave out -c");
  // The same cap as probe's --rate: a lab tool, not a flooder.
  const auto floor = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / kRateLimit));
  if (o.count > 1 && interval < floor && !o.allow_high_rate)
    throw UsageError("-i " + core::format_duration(interval) + " is over the cap of " +
                     std::to_string(static_cast<long>(kRateLimit)) +
                     " segments/s; add --allow-high-rate if this lab network can take it");
  return interval;
}

int run_craft(const CraftOptions& o) {
  if (waits_for_reply(o) && !o.send) throw UsageError("--reply needs --send");
  const std::chrono::nanoseconds interval = checked_interval(o);
  const core::IpAddress dst = parse_ip_or_throw(o.dst, "--dst");
  core::IpAddress default_src;
  std::string interface = o.interface;
  if (o.src.empty() || (waits_for_reply(o) && interface.empty())) {
    const capture::Route route = capture::route_to(dst);
    default_src = route.source;
    if (interface.empty()) interface = route.interface;
  }
  const capture::SegmentSpec spec = build_segment_spec(o, default_src);
  std::vector<uint8_t> bytes;
  try {
    bytes = capture::craft_segment(spec);
  } catch (const capture::CraftError& e) {
    throw UsageError(e.what());
  }

  PacketOut out(o.send, o.dry_run, o.write_file, o.append, spec.dst.version, "craft --send");
  // Open the capture before sending so that even a loopback reply is not missed.
  std::unique_ptr<capture::SegmentSniffer> sniffer;
  if (waits_for_reply(o) && out.sending()) {
    const std::string s = core::ip_to_string(spec.src);
    const std::string d = core::ip_to_string(spec.dst);
    const std::string filter =
        "(tcp and src host " + d + " and dst host " + s + " and src port " +
        std::to_string(spec.dst_port) + " and dst port " + std::to_string(spec.src_port) +
        ") or ((icmp or icmp6) and dst host " + s + ") or (tcp and src host " + s +
        " and dst host " + d + " and src port " + std::to_string(spec.src_port) + ")";
    sniffer = std::make_unique<capture::SegmentSniffer>(interface, filter);
  }
  if (o.hex) std::printf("%s", core::annotated_hex_dump(bytes).c_str());
  int64_t sent_at = 0;
  // Sends are spaced from the first one's start, so printing does not stretch the interval.
  // Without --send nothing goes on the wire and nothing waits.
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < o.count; ++i) {
    if (i > 0 && out.sending()) {
      next += interval;
      std::this_thread::sleep_until(next);
    }
    sent_at = out.emit(bytes, spec.dst);
  }
  if (!out.write_path().empty())
    std::printf("wrote %d packet%s to %s\n", o.count, o.count == 1 ? "" : "s",
                out.write_path().c_str());
  if (!out.sending() && !o.dry_run && !o.hex && out.write_path().empty())
    std::printf("(nothing sent: add --send, -w FILE or --hex)\n");
  if (!sniffer) return 0;

  const core::SentSegment sent{spec.flags, spec.seq, spec.ack,
                               static_cast<uint32_t>(spec.payload.size())};
  int64_t sent_seen = 0;  // capture time of our own segment, when the interface shows it
  std::vector<ExchangeFrame> exchange;  // every frame of the exchange, for the analyzer
  bool got = false;
  std::vector<uint8_t> kept;
  int64_t reply_ts = 0;
  sniffer->pump(
      static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(o.reply).count()),
      [&](const capture::SniffedSegment& s) {
        const core::DecodedPacket& p = *s.packet;
        exchange.push_back({s.ts_ns, {s.bytes.begin(), s.bytes.end()}});
        if (p.result == core::DecodeResult::Tcp && p.src == spec.src &&
            p.tcp.src_port == spec.src_port) {
          if (sent_seen == 0 && p.tcp.seq == spec.seq) sent_seen = s.ts_ns;
          return true;  // our own segment (or our kernel's RST after a SYN-ACK)
        }
        if (p.result == core::DecodeResult::IcmpUnreachable &&
            (p.icmp.quoted_src_port != spec.src_port || p.icmp.quoted_dst_port != spec.dst_port))
          return true;
        kept.assign(s.bytes.begin(), s.bytes.end());
        reply_ts = s.ts_ns;
        got = true;
        return false;
      });
  if (!got) {
    std::printf("no reply within %s\n", core::format_duration(o.reply).c_str());
    print_predictions(sent, nullptr);
    if (o.annotate) print_analysis(sniffer->link(), exchange);
    return 0;
  }
  core::DecodedPacket reply;
  // Decode again from our copy: the capture buffer is gone after the callback.
  core::decode_packet(sniffer->link(), kept, static_cast<uint32_t>(kept.size()), reply, false);
  const int64_t rtt = reply_ts - (sent_seen ? sent_seen : sent_at);
  print_reply(reply, sent, rtt);
  print_predictions(sent, &reply);
  if (reply.result == core::DecodeResult::Tcp &&
      (reply.tcp.flags & (core::kSyn | core::kAck)) == (core::kSyn | core::kAck)) {
    // Show the kernel's RST that makes half-open scans look the way they do.
    sniffer->pump(300, [&](const capture::SniffedSegment& s) {
      const core::DecodedPacket& p = *s.packet;
      exchange.push_back({s.ts_ns, {s.bytes.begin(), s.bytes.end()}});
      if (p.result == core::DecodeResult::Tcp && p.src == spec.src &&
          p.tcp.src_port == spec.src_port && (p.tcp.flags & core::kRst)) {
        std::printf("kernel   %s   (+%s after the SYN-ACK)\n", core::format_segment_line(p).c_str(),
                    format_ms(s.ts_ns - reply_ts).c_str());
        return false;
      }
      return true;
    });
  }
  if (o.annotate) print_analysis(sniffer->link(), exchange);
  return 0;
}

}  // namespace tcpinspect::cmd

namespace tcpinspect::cmd {

void register_craft(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "craft",
      "Build any TCP segment: print it (--hex), write it to a pcap (-w), send it (--send)");
  auto options = std::make_shared<CraftOptions>();
  add_craft_options(*sub, *options);
  sub->callback([&action, options] { action = [options] { return run_craft(*options); }; });
}

}  // namespace tcpinspect::cmd
