// SPDX-License-Identifier: MIT
#include "cmd/probe.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "capture/ip_parse.hpp"
#include "capture/route_lookup.hpp"
#include "capture/segment_sniffer.hpp"
#include "capture/tcp_crafter.hpp"
#include "cmd/command.hpp"
#include "cmd/packet_out.hpp"
#include "core/wire/ip_format.hpp"
#include "core/lab/port_list.hpp"
#include "core/lab/probe_verdict.hpp"
#include "core/lab/segment_line.hpp"
#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect::cmd {
namespace {

struct PortResult {
  core::ProbeResponse response = core::ProbeResponse::None;
  int64_t sent_ns = 0;
  int64_t rtt_ns = -1;
  bool kernel_rst = false;  // our kernel reset the SYN-ACK (half-open pattern)
};

std::string rtt_text(const PortResult& r) {
  return r.rtt_ns >= 0 ? format_ms(r.rtt_ns) : "-";
}

}  // namespace

void check_probe_rate(double rate, bool allow_high_rate) {
  if (!(rate > 0)) throw UsageError("--rate must be above 0 probes per second");
  if (rate > kRateLimit && !allow_high_rate)
    throw UsageError("--rate " + std::to_string(static_cast<long>(rate)) + " is over the cap of " +
                     std::to_string(static_cast<long>(kRateLimit)) +
                     "/s; add --allow-high-rate if this lab network can take it");
}

void add_probe_options(CLI::App& sub, ProbeOptions& o) {
  sub.add_option("HOST", o.host, "Target address (IPv4 or IPv6; lab networks only)")->required();
  sub.add_option("PORTS", o.ports, "Ports: 80, 1-1024, 22,80,443 or mixes")->required();
  sub.add_option("--type", o.type, "Probe: syn, fin, null, xmas, ack")
      ->check(CLI::IsMember({"syn", "fin", "null", "xmas", "ack"}))
      ->capture_default_str();
  sub.add_option("--rate", o.rate, "Probes per second (cap 1000 without --allow-high-rate)")
      ->capture_default_str();
  sub.add_flag("--allow-high-rate", o.allow_high_rate, "Allow --rate above 1000/s");
  sub.add_option("--timeout", o.timeout_ms, "Wait this many ms after the last probe")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  sub.add_option("--src", o.src, "Source address (default: the route's)");
  sub.add_option("--sport", o.sport, "Source port (default: random, fixed for the run)");
  sub.add_option("-i,--interface", o.interface, "Listen for answers here (default: the route's)");
  sub.add_option("-w,--write", o.write_file, "Append every probe sent to this pcap");
  sub.add_flag("--dry-run", o.dry_run, "Print the probes, send nothing");
  sub.add_flag("-v,--verbose", o.verbose, "Print every probe and every answer");
}

int run_probe(const ProbeOptions& o) {
  check_probe_rate(o.rate, o.allow_high_rate);
  const auto type = core::parse_probe_type(o.type);
  if (!type) throw UsageError("--type: '" + o.type + "' is not syn, fin, null, xmas or ack");
  std::vector<uint16_t> ports;
  try {
    ports = core::parse_port_list(o.ports);
  } catch (const core::ParseError& e) {
    throw UsageError(e.what());
  }
  const auto dst = capture::parse_ip(o.host);
  if (!dst)
    throw UsageError("HOST: '" + o.host + "' is not an IPv4 or IPv6 address (no name lookup)");

  core::IpAddress src;
  std::string interface = o.interface;
  if (o.src.empty() || interface.empty()) {
    const capture::Route route = capture::route_to(*dst);
    src = route.source;
    if (interface.empty()) interface = route.interface;
  }
  if (!o.src.empty()) {
    auto s = capture::parse_ip(o.src);
    if (!s) throw UsageError("--src: '" + o.src + "' is not an IPv4 or IPv6 address");
    src = *s;
  }
  if (src.version != dst->version) throw UsageError("--src and HOST are not the same IP version");
  uint16_t sport = random_source_port();
  if (!o.sport.empty()) {
    try {
      sport = core::parse_port(o.sport, "--sport");
    } catch (const core::ParseError& e) {
      throw UsageError(e.what());
    }
  }

  capture::SegmentSpec spec;
  spec.src = src;
  spec.dst = *dst;
  spec.src_port = sport;
  spec.flags = core::probe_flags(*type);
  spec.seq = random_u32();
  spec.ack = *type == core::ProbeType::Ack ? random_u32() : 0;
  spec.window = 1024;
  spec.dont_fragment = true;
  if (*type == core::ProbeType::Syn) spec.options.mss = 1460;

  if (!o.dry_run) require_raw_privilege("probe");
  PacketOut out(true, o.dry_run, o.write_file, dst->version, "probe");
  const std::string s = core::ip_to_string(src);
  const std::string d = core::ip_to_string(*dst);
  std::unique_ptr<capture::SegmentSniffer> sniffer;
  if (!o.dry_run) {
    // Answers to our port, ICMP errors for us, and our own kernel's RSTs.
    const std::string filter = "(tcp and src host " + d + " and dst host " + s + " and dst port " +
                               std::to_string(sport) + ") or ((icmp or icmp6) and dst host " + s +
                               ") or (tcp and src host " + s + " and dst host " + d +
                               " and src port " + std::to_string(sport) +
                               " and tcp[tcpflags] & tcp-rst != 0)";
    // tcp[tcpflags] only works for IPv4 in BPF; for IPv6 take every segment from us.
    const std::string filter6 = "(tcp and src host " + d + " and dst host " + s + " and dst port " +
                                std::to_string(sport) + ") or (icmp6 and dst host " + s +
                                ") or (tcp and src host " + s + " and dst host " + d +
                                " and src port " + std::to_string(sport) + ")";
    sniffer =
        std::make_unique<capture::SegmentSniffer>(interface, dst->version == 4 ? filter : filter6);
  }

  std::printf("probe %s %s: %zu port%s from %s port %u via %s, %g probes/s, timeout %d ms%s\n",
              std::string(core::probe_type_name(*type)).c_str(), d.c_str(), ports.size(),
              ports.size() == 1 ? "" : "s", s.c_str(), sport, interface.c_str(), o.rate,
              o.timeout_ms, o.dry_run ? " (dry run: nothing is sent)" : "");
  std::printf("each probe: %s > %s:PORT [%s] seq=%u%s win=%u%s\n",
              core::endpoint_to_string(src, sport).c_str(), d.c_str(),
              core::tcp_flags_text(spec.flags).c_str(), spec.seq,
              (spec.flags & core::kAck) ? (" ack=" + std::to_string(spec.ack)).c_str() : "",
              spec.window, spec.options.mss ? " <mss 1460>" : "");
  std::fflush(stdout);

  std::map<uint16_t, PortResult> results;
  for (uint16_t p : ports)
    results[p];
  const uint32_t expect_ack = spec.seq + core::segment_length(spec.flags, 0);
  size_t stray = 0;
  auto on_segment = [&](const capture::SniffedSegment& seg) {
    const core::DecodedPacket& p = *seg.packet;
    if (p.result == core::DecodeResult::IcmpUnreachable) {
      if (p.icmp.quoted_src_port != sport || !(p.icmp.quoted_dst == *dst)) return true;
      auto it = results.find(p.icmp.quoted_dst_port);
      if (it == results.end() || it->second.response != core::ProbeResponse::None) return true;
      it->second.response = core::ProbeResponse::IcmpUnreachable;
      it->second.rtt_ns = seg.ts_ns - it->second.sent_ns;
      if (o.verbose) std::printf("answer   %s\n", core::format_segment_line(p).c_str());
      return true;
    }
    if (p.src == src && p.tcp.src_port == sport) {
      // From us: a probe, or the kernel's RST for a SYN-ACK it did not expect.
      if (p.tcp.flags & core::kRst) {
        auto it = results.find(p.tcp.dst_port);
        if (it != results.end() && it->second.response == core::ProbeResponse::SynAck)
          it->second.kernel_rst = true;
      }
      return true;
    }
    auto it = results.find(p.tcp.src_port);
    if (it == results.end() || p.tcp.dst_port != sport || !(p.src == *dst)) return true;
    // Only answers to our probe: RFC 9293 puts our seq+len in the ack, or our ack in the seq.
    const bool acks_us = (p.tcp.flags & core::kAck) && p.tcp.ack == expect_ack;
    const bool rst_at_our_ack = (p.tcp.flags & core::kRst) && !(p.tcp.flags & core::kAck) &&
                                (spec.flags & core::kAck) && p.tcp.seq == spec.ack;
    if (!acks_us && !rst_at_our_ack) {
      ++stray;
      return true;
    }
    if (it->second.response != core::ProbeResponse::None) return true;  // a retransmission
    const uint16_t f = p.tcp.flags;
    it->second.response = (f & core::kRst) ? core::ProbeResponse::Rst
                          : ((f & (core::kSyn | core::kAck)) == (core::kSyn | core::kAck))
                              ? core::ProbeResponse::SynAck
                              : core::ProbeResponse::Other;
    it->second.rtt_ns = seg.ts_ns - it->second.sent_ns;
    if (o.verbose) std::printf("answer   %s\n", core::format_segment_line(p).c_str());
    return true;
  };

  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / o.rate));
  auto next = Clock::now();
  const auto first_send = next;
  std::vector<uint8_t> bytes;
  for (uint16_t port : ports) {
    const auto now = Clock::now();
    if (next > now) {
      const int wait_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count());
      if (sniffer && wait_ms > 0) sniffer->pump(wait_ms, on_segment);
      std::this_thread::sleep_until(next);
    }
    next += interval;
    spec.dst_port = port;
    bytes = capture::craft_segment(spec);
    results[port].sent_ns = out.emit(bytes, *dst, o.verbose || o.dry_run);
    if (sniffer) sniffer->pump(0, on_segment);
  }
  const double send_s = std::chrono::duration<double>(Clock::now() - first_send).count();
  std::printf("sent %zu probe%s in %.3f s\n", ports.size(), ports.size() == 1 ? "" : "s", send_s);
  if (o.dry_run) {
    std::printf("dry run: %zu probe%s printed, none sent\n", ports.size(),
                ports.size() == 1 ? "" : "s");
    return 0;
  }
  sniffer->pump(o.timeout_ms, on_segment);
  // A SYN-ACK's kernel RST may come a moment after the timeout window's last answer.
  sniffer->pump(50, on_segment);

  std::printf("%-7s %-14s %-17s %-12s %s\n", "PORT", "STATE", "ANSWER", "RTT", "WHY");
  size_t open = 0, kernel_rsts = 0;
  std::map<core::PortVerdict, size_t> counts;
  for (const auto& [port, r] : results) {
    const core::PortVerdict v = core::probe_verdict(*type, r.response);
    ++counts[v];
    if (r.response == core::ProbeResponse::SynAck) ++open;
    if (r.kernel_rst) ++kernel_rsts;
    std::printf("%-7u %-14s %-17s %-12s %s\n", port,
                std::string(core::port_verdict_name(v)).c_str(),
                std::string(core::probe_response_name(r.response)).c_str(), rtt_text(r).c_str(),
                std::string(core::verdict_reason(*type, r.response)).c_str());
  }
  std::string summary;
  for (const auto& [v, n] : counts)
    summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " +
               std::string(core::port_verdict_name(v));
  std::printf("summary: %s\n", summary.c_str());
  if (stray)
    std::printf("ignored %zu segment%s that did not answer our probes\n", stray,
                stray == 1 ? "" : "s");
  if (open) {
    std::printf(
        "note: this host's kernel answered %zu of %zu SYN-ACK%s with its own RST. The probes came\n"
        "      from a raw socket, so no socket owns port %u here and RFC 9293 3.10.7.1 applies:\n"
        "      that is why a half-open (SYN) scan looks like SYN, SYN-ACK, RST in a trace.\n",
        kernel_rsts, open, open == 1 ? "" : "s", sport);
  }
  return 0;
}

void register_probe(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "probe", "Probe ports with SYN (or FIN/NULL/Xmas/ACK) segments, like a SYN scan");
  auto options = std::make_shared<ProbeOptions>();
  add_probe_options(*sub, *options);
  sub->callback([&action, options] { action = [options] { return run_probe(*options); }; });
}

}  // namespace tcpinspect::cmd
