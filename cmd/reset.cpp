// SPDX-License-Identifier: MIT
#include "cmd/reset.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capture/route_lookup.hpp"
#include "capture/segment_sniffer.hpp"
#include "capture/tcp_crafter.hpp"
#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/packet_out.hpp"
#include "core/lab/duration_text.hpp"
#include "core/lab/port_list.hpp"
#include "core/lab/reset_verdict.hpp"
#include "core/lab/segment_line.hpp"
#include "core/lab/tcp_expectation.hpp"
#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::cmd {
namespace {

std::string filter_for(const ConnEnds& c) {
  const std::string a = core::ip_to_string(c.a.ip);
  const std::string b = core::ip_to_string(c.b.ip);
  const std::string pa = std::to_string(c.a.port);
  const std::string pb = std::to_string(c.b.port);
  return "tcp and ((src host " + a + " and src port " + pa + " and dst host " + b +
         " and dst port " + pb + ") or (src host " + b + " and src port " + pb + " and dst host " +
         a + " and dst port " + pa + "))";
}

// Linux picks a destination's own address as the source only for addresses of this host.
bool is_local_address(const core::IpAddress& ip) {
  try {
    return capture::route_to(ip).source == ip;
  } catch (const capture::CaptureError&) {
    return false;  // no route: certainly not ours
  }
}

}  // namespace

ConnEnds parse_conn(const std::string& text) {
  const size_t comma = text.find(',');
  if (comma == std::string::npos)
    throw UsageError("--conn: '" + text + "' is not SRC:PORT,DST:PORT");
  ConnEnds c;
  c.a = parse_ip_port(text.substr(0, comma), "--conn SRC");
  c.b = parse_ip_port(text.substr(comma + 1), "--conn DST");
  if (c.a.ip.version != c.b.ip.version)
    throw UsageError("--conn: both ends must be IPv4 or both IPv6");
  return c;
}

void add_reset_options(CLI::App& sub, ResetOptions& o) {
  sub.add_option("--conn", o.conn, "SRC:PORT,DST:PORT of an established connection; DST is reset")
      ->required();
  sub.add_option("-i,--interface", o.interface, "Interface that sees the connection")->required();
  sub.add_option("--offset", o.offset, "Send the RST this many bytes past RCV.NXT (challenge ACK)")
      ->capture_default_str();
  add_duration_option(sub, "--wait", o.wait, "How long to wait for a segment of the connection",
                      std::chrono::milliseconds(1), std::chrono::hours(1));
  add_duration_option(sub, "--observe", o.observe, "How long to keep watching after the RST",
                      std::chrono::nanoseconds(0), std::chrono::minutes(1));
  sub.add_option("-w,--write", o.write_file,
                 "Write the RST sent to this pcap, replacing it (see --append)");
  sub.add_flag("--append", o.append, "With -w: add to the pcap instead of replacing it");
  sub.add_flag("--dry-run", o.dry_run, "Compute and print the RST, do not send it");
}

int run_reset(const ResetOptions& o) {
  const ConnEnds c = parse_conn(o.conn);
  require_raw_privilege("reset");
  capture::SegmentSniffer sniffer(o.interface, filter_for(c));
  // A RST for an address of this host never leaves it: the kernel loops it back over lo,
  // where the capture on IFACE cannot see it (nor B's answer, when A is local too).
  std::unique_ptr<capture::SegmentSniffer> loopback;
  if (o.interface != "lo" && is_local_address(c.b.ip))
    loopback = std::make_unique<capture::SegmentSniffer>("lo", filter_for(c));
  PacketOut out(true, o.dry_run, o.write_file, o.append, c.a.ip.version, "reset");
  const std::string a = core::endpoint_to_string(c.a.ip, c.a.port);
  const std::string b = core::endpoint_to_string(c.b.ip, c.b.port);
  std::printf("waiting up to %s on %s for a segment of %s <-> %s (the RST goes to %s)\n",
              core::format_duration(o.wait).c_str(), o.interface.c_str(), a.c_str(), b.c_str(),
              b.c_str());
  std::fflush(stdout);

  core::RcvNxtReading reading;
  uint32_t b_window = 0;
  bool b_window_seen = false;
  const int64_t deadline_ms = std::chrono::ceil<std::chrono::milliseconds>(o.wait).count();
  const int64_t started = capture::wall_clock_ns();
  while (!reading.found() && (capture::wall_clock_ns() - started) / 1'000'000 < deadline_ms) {
    sniffer.pump(100, [&](const capture::SniffedSegment& s) {
      const core::DecodedPacket& p = *s.packet;
      if (p.result != core::DecodeResult::Tcp) return true;
      const bool from_a = p.src == c.a.ip && p.tcp.src_port == c.a.port;
      std::printf("observed %s\n", core::format_segment_line(p).c_str());
      const core::RcvNxtReading r = core::read_rcv_nxt(p, from_a);
      if (r.receiver_window) {
        b_window = *r.receiver_window;
        b_window_seen = true;
      }
      if (r.source == core::RcvNxtSource::Rst)
        std::printf("         a RST: this connection is already being torn down; waiting on\n");
      else if (r.source == core::RcvNxtSource::Syn)
        std::printf("         handshake segment: not synchronized yet; waiting for the next one\n");
      if (!r.found()) return true;
      reading = r;
      return false;
    });
  }
  if (!reading.found())
    throw RunError("no usable segment of " + a + " <-> " + b + " within " +
                   core::format_duration(o.wait) + " on " + o.interface);
  const uint32_t rcv_nxt = reading.rcv_nxt;

  capture::SegmentSpec spec;
  spec.src = c.a.ip;
  spec.dst = c.b.ip;
  spec.src_port = c.a.port;
  spec.dst_port = c.b.port;
  spec.flags = core::kRst;
  spec.seq = rcv_nxt + static_cast<uint32_t>(o.offset);
  spec.window = 0;
  spec.dont_fragment = true;
  spec.ip_id = static_cast<uint16_t>(1 + random_u32() % 0xFFFF);
  const std::vector<uint8_t> bytes = capture::craft_segment(spec);

  const core::ReceiverWindow window{rcv_nxt, b_window_seen ? b_window : 65535u};
  const core::SentSegment sent{spec.flags, spec.seq, 0, 0};
  const core::Expectation e = core::expect_reply(core::PeerState::Established, sent, window);
  std::printf("RCV.NXT of %s = %u (%s)\n", b.c_str(), rcv_nxt,
              core::rcv_nxt_reasoning(reading, a, b).c_str());
  std::printf("RST seq=%u (RCV.NXT%s)\n", spec.seq,
              o.offset == 0 ? ""
                            : (o.offset > 0 ? " + " + std::to_string(o.offset)
                                            : " - " + std::to_string(-o.offset))
                                  .c_str());
  std::printf("predicted: %s%s\n", core::describe_expectation(e, sent).c_str(),
              b_window_seen ? "" : (" [window of " + b + " not seen; assumed 65535]").c_str());
  const int64_t sent_at = out.emit(bytes, spec.dst);
  if (!out.write_path().empty()) std::printf("wrote the RST to %s\n", out.write_path().c_str());
  if (o.dry_run) return 0;

  // What B sent after our RST decides the outcome. A RST from B (answering A's next
  // segment: B no longer has the connection) or silence means the RST was accepted; only
  // what a live connection sends (a challenge ACK, data, any other ACK or FIN) means it
  // was not.
  core::AfterRst seen;
  bool rst_seen = false;  // our RST showed up in a capture
  std::vector<capture::SegmentSniffer*> sniffers{&sniffer};
  if (loopback) sniffers.push_back(loopback.get());
  capture::pump_each(
      sniffers, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(o.observe).count()),
      [&](size_t from, const capture::SniffedSegment& s) {
        const core::DecodedPacket& p = *s.packet;
        if (p.result != core::DecodeResult::Tcp) return;
        const bool ours = p.src == c.a.ip && (p.tcp.flags & core::kRst) && p.tcp.seq == spec.seq;
        const bool from_b = p.src == c.b.ip && p.tcp.src_port == c.b.port;
        // B's ACK of the segment we reacted to can reach the capture before our RST does: only
        // what B sends after the RST answers it.
        const bool after = rst_seen || s.ts_ns > sent_at;
        std::string note;
        if (ours) {
          rst_seen = true;
          note = from == 0 ? "   (our RST)" : "   (our RST, on lo)";
        } else if (from_b && !after) {
          note = "   (sent before our RST arrived)";
        } else if (from_b) {
          note = "   <- " + std::string(core::after_rst_text(seen.take(p, rcv_nxt)));
        }
        const int64_t dt = s.ts_ns - sent_at;
        std::printf("%s%-10s %s%s\n", dt < 0 ? "-" : "+", format_ms(dt < 0 ? -dt : dt).c_str(),
                    core::format_segment_line(p).c_str(), note.c_str());
      });
  std::printf("%s\n", seen.outcome_text(b, o.observe).c_str());
  return 0;
}

void register_reset(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "reset", "Lab demo of RST injection: reset a connection at RCV.NXT (RFC 5961)");
  auto options = std::make_shared<ResetOptions>();
  add_reset_options(*sub, *options);
  sub->callback([&action, options] { action = [options] { return run_reset(*options); }; });
}

}  // namespace tcpinspect::cmd
