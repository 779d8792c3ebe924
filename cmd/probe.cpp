// SPDX-License-Identifier: MIT
#include "cmd/probe.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "capture/route_lookup.hpp"
#include "capture/segment_sniffer.hpp"
#include "capture/tcp_crafter.hpp"
#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/ip_parse.hpp"
#include "cmd/packet_out.hpp"
#include "cmd/stop_signals.hpp"
#include "core/lab/duration_text.hpp"
#include "core/lab/port_list.hpp"
#include "core/lab/probe_match.hpp"
#include "core/lab/probe_verdict.hpp"
#include "core/lab/segment_line.hpp"
#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/ip_format.hpp"
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
  add_duration_option(sub, "--timeout", o.timeout, "How long to wait after the last probe",
                      std::chrono::milliseconds(1), std::chrono::minutes(10));
  sub.add_option("--src", o.src, "Source address (default: the route's)");
  sub.add_option("--sport", o.sport, "Source port (default: random, fixed for the run)");
  sub.add_option("-i,--interface", o.interface, "Listen for answers here (default: the route's)");
  sub.add_option("-w,--write", o.write_file,
                 "Write every probe sent to this pcap, replacing it (see --append)");
  sub.add_flag("--append", o.append, "With -w: add to the pcap instead of replacing it");
  sub.add_flag("--dry-run", o.dry_run, "Print the probes, send nothing");
  sub.add_flag("-v,--verbose", o.verbose, "Print every probe and every answer; fold nothing");
  sub.add_flag("-q,--quiet", o.quiet, "No progress line on the terminal");
}

namespace {

// Everything fixed for the run, from the command line and the routing table.
struct ProbePlan {
  core::ProbeType type;
  std::vector<uint16_t> ports;
  core::IpAddress src;
  core::IpAddress dst;
  uint16_t sport = 0;
  std::string interface;
  capture::SegmentSpec spec;  // one probe; dst_port set per port
};

ProbePlan plan_probe(const ProbeOptions& o) {
  check_probe_rate(o.rate, o.allow_high_rate);
  ProbePlan plan{};
  const auto type = core::parse_probe_type(o.type);
  if (!type) throw UsageError("--type: '" + o.type + "' is not syn, fin, null, xmas or ack");
  plan.type = *type;
  plan.ports = core::parse_port_list(o.ports);
  const auto dst = parse_ip(o.host);
  if (!dst)
    throw UsageError("HOST: '" + o.host + "' is not an IPv4 or IPv6 address (no name lookup)");
  plan.dst = *dst;
  plan.interface = o.interface;
  if (o.src.empty() || plan.interface.empty()) {
    const capture::Route route = capture::route_to(*dst);
    plan.src = route.source;
    if (plan.interface.empty()) plan.interface = route.interface;
  }
  if (!o.src.empty()) {
    auto s = parse_ip(o.src);
    if (!s) throw UsageError("--src: '" + o.src + "' is not an IPv4 or IPv6 address");
    plan.src = *s;
  }
  if (plan.src.version != dst->version)
    throw UsageError("--src and HOST are not the same IP version");
  plan.sport = random_source_port();
  if (!o.sport.empty()) plan.sport = core::parse_port(o.sport, "--sport");
  capture::SegmentSpec& spec = plan.spec;
  spec.src = plan.src;
  spec.dst = plan.dst;
  spec.src_port = plan.sport;
  spec.flags = core::probe_flags(plan.type);
  spec.seq = random_u32();
  spec.ack = plan.type == core::ProbeType::Ack ? random_u32() : 0;
  spec.window = 1024;
  spec.dont_fragment = true;
  if (plan.type == core::ProbeType::Syn) spec.options.mss = 1460;
  return plan;
}

// Answers to our port, ICMP errors for us, and our own kernel's RSTs.
std::unique_ptr<capture::SegmentSniffer> open_answer_sniffer(const ProbePlan& plan) {
  const std::string s = core::ip_to_string(plan.src);
  const std::string d = core::ip_to_string(plan.dst);
  const std::string sport = std::to_string(plan.sport);
  const std::string filter = "(tcp and src host " + d + " and dst host " + s + " and dst port " +
                             sport + ") or ((icmp or icmp6) and dst host " + s +
                             ") or (tcp and src host " + s + " and dst host " + d +
                             " and src port " + sport + " and tcp[tcpflags] & tcp-rst != 0)";
  // tcp[tcpflags] only works for IPv4 in BPF; for IPv6 take every segment from us.
  const std::string filter6 = "(tcp and src host " + d + " and dst host " + s + " and dst port " +
                              sport + ") or (icmp6 and dst host " + s + ") or (tcp and src host " +
                              s + " and dst host " + d + " and src port " + sport + ")";
  return std::make_unique<capture::SegmentSniffer>(plan.interface,
                                                   plan.dst.version == 4 ? filter : filter6);
}

// The answers so far, by port (only ports a probe went to).
struct ProbeResults {
  std::map<uint16_t, PortResult> ports;
  size_t stray = 0;
  size_t open = 0;  // SYN-ACKs so far (for the progress line)

  void on_segment(const core::ProbeIdentity& id, const capture::SniffedSegment& seg, bool verbose) {
    const core::ProbeMatch m = core::match_probe_answer(id, *seg.packet);
    if (m.kind == core::ProbeMatchKind::Unrelated) return;
    auto it = ports.find(m.port);
    if (it == ports.end()) return;  // not a port we probed (yet)
    PortResult& r = it->second;
    switch (m.kind) {
      case core::ProbeMatchKind::KernelRst:
        if (r.response == core::ProbeResponse::SynAck) r.kernel_rst = true;
        return;
      case core::ProbeMatchKind::Stray:
        ++stray;
        return;
      case core::ProbeMatchKind::Answer:
        if (r.response != core::ProbeResponse::None) return;  // a retransmission
        r.response = m.response;
        r.rtt_ns = seg.ts_ns - r.sent_ns;
        if (m.response == core::ProbeResponse::SynAck) ++open;
        if (verbose) std::printf("answer   %s\n", core::format_segment_line(*seg.packet).c_str());
        return;
      case core::ProbeMatchKind::Unrelated:
        return;
    }
  }
};

// "probe: 1200/65535 sent, 2 open" on stderr, rewritten in place at most 4 times a second;
// only on a terminal (never in a pipe or a log) and not with -q.
class ProgressLine {
 public:
  ProgressLine(bool enabled, size_t total) : enabled_(enabled), total_(total) {}
  void update(size_t sent, size_t open) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (shown_ && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    shown_ = true;
    std::fprintf(stderr, "\rprobe: %zu/%zu sent, %zu open", sent, total_, open);
    std::fflush(stderr);
  }
  void clear() {
    if (!shown_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  size_t total_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_;
};

// The sniffer's callback: files each segment that answers one of our probes under its port.
auto answer_recorder(const ProbeOptions& o, const ProbePlan& plan, ProbeResults& results) {
  const core::ProbeIdentity id{plan.src,        plan.dst,      plan.sport,
                               plan.spec.flags, plan.spec.seq, plan.spec.ack};
  return [&o, &results, id](const capture::SniffedSegment& seg) {
    results.on_segment(id, seg, o.verbose);
    return true;
  };
}

// Sends one probe per port at the rate, catching answers between sends. Stops early on a
// stop signal; returns how many probes went out.
size_t send_probes(const ProbeOptions& o, ProbePlan& plan, PacketOut& out,
                   capture::SegmentSniffer* sniffer, ProbeResults& results, const StopSignals& stop,
                   ProgressLine& progress) {
  auto on_segment = answer_recorder(o, plan, results);
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / o.rate));
  auto next = Clock::now();
  size_t sent = 0;
  for (uint16_t port : plan.ports) {
    if (stop.signal() != 0) break;
    const auto now = Clock::now();
    if (next > now) {
      const int wait_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count());
      if (sniffer && wait_ms > 0) sniffer->pump(wait_ms, on_segment);
      std::this_thread::sleep_until(next);
    }
    next += interval;
    plan.spec.dst_port = port;
    const std::vector<uint8_t> bytes = capture::craft_segment(plan.spec);
    results.ports[port].sent_ns = out.emit(bytes, plan.dst, o.verbose || o.dry_run);
    ++sent;
    if (sniffer) sniffer->pump(0, on_segment);
    progress.update(sent, results.open);
  }
  return sent;
}

// After the last probe: answers for up to --timeout, in slices so Ctrl-C is prompt.
void collect_answers(const ProbeOptions& o, const ProbePlan& plan, capture::SegmentSniffer& sniffer,
                     ProbeResults& results, const StopSignals& stop) {
  auto on_segment = answer_recorder(o, plan, results);
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + o.timeout;
  while (stop.signal() == 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    sniffer.pump(static_cast<int>(std::min<int64_t>(left, 100)), on_segment);
  }
  // A SYN-ACK's kernel RST may come a moment after the timeout window's last answer.
  sniffer.pump(50, on_segment);
}

// A verdict shared by more than this many ports is folded into one "not shown" line, as
// nmap does ("Not shown: 997 closed ports"); -v shows every port.
constexpr size_t kFoldAbove = 25;

void print_results(const ProbeOptions& o, core::ProbeType type, uint16_t sport,
                   const ProbeResults& results) {
  std::map<core::PortVerdict, size_t> counts;
  std::map<core::PortVerdict, core::ProbeResponse> folded_answer;
  for (const auto& [port, r] : results.ports)
    ++counts[core::probe_verdict(type, r.response)];
  std::set<core::PortVerdict> folded;
  for (const auto& [v, n] : counts)
    if (n > kFoldAbove && v != core::PortVerdict::Open && !o.verbose) folded.insert(v);
  for (const auto& [port, r] : results.ports) {
    const core::PortVerdict v = core::probe_verdict(type, r.response);
    if (folded.count(v)) folded_answer.emplace(v, r.response);
  }
  for (core::PortVerdict v : folded)
    std::printf("not shown: %zu %s ports (%s)\n", counts[v],
                std::string(core::port_verdict_name(v)).c_str(),
                std::string(core::verdict_reason(type, folded_answer[v])).c_str());
  std::printf("%-7s %-14s %-17s %-12s %s\n", "PORT", "STATE", "ANSWER", "RTT", "WHY");
  size_t open = 0, kernel_rsts = 0;
  for (const auto& [port, r] : results.ports) {
    const core::PortVerdict v = core::probe_verdict(type, r.response);
    if (r.response == core::ProbeResponse::SynAck) ++open;
    if (r.kernel_rst) ++kernel_rsts;
    if (folded.count(v)) continue;
    std::printf("%-7u %-14s %-17s %-12s %s\n", port,
                std::string(core::port_verdict_name(v)).c_str(),
                std::string(core::probe_response_name(r.response)).c_str(), rtt_text(r).c_str(),
                std::string(core::verdict_reason(type, r.response)).c_str());
  }
  std::string summary;
  for (const auto& [v, n] : counts)
    summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " +
               std::string(core::port_verdict_name(v));
  std::printf("summary: %s\n", summary.c_str());
  if (results.stray)
    std::printf("ignored %zu segment%s that did not answer our probes\n", results.stray,
                results.stray == 1 ? "" : "s");
  if (open) {
    std::printf(
        "note: this host's kernel answered %zu of %zu SYN-ACK%s with its own RST. The probes came\n"
        "      from a raw socket, so no socket owns port %u here and RFC 9293 3.10.7.1 applies:\n"
        "      that is why a half-open (SYN) scan looks like SYN, SYN-ACK, RST in a trace.\n",
        kernel_rsts, open, open == 1 ? "" : "s", sport);
  }
}

}  // namespace

int run_probe(const ProbeOptions& o) {
  ProbePlan plan = plan_probe(o);
  if (!o.dry_run) require_raw_privilege("probe");
  PacketOut out(true, o.dry_run, o.write_file, o.append, plan.dst.version, "probe");
  std::unique_ptr<capture::SegmentSniffer> sniffer;
  if (!o.dry_run) sniffer = open_answer_sniffer(plan);

  const std::string d = core::ip_to_string(plan.dst);
  const size_t n = plan.ports.size();
  std::printf("probe %s %s: %zu port%s from %s port %u via %s, %g probes/s, timeout %s%s\n",
              std::string(core::probe_type_name(plan.type)).c_str(), d.c_str(), n,
              n == 1 ? "" : "s", core::ip_to_string(plan.src).c_str(), plan.sport,
              plan.interface.c_str(), o.rate, core::format_duration(o.timeout).c_str(),
              o.dry_run ? " (dry run: nothing is sent)" : "");
  std::printf(
      "each probe: %s > %s:PORT [%s] seq=%u%s win=%u%s\n",
      core::endpoint_to_string(plan.src, plan.sport).c_str(), d.c_str(),
      core::tcp_flags_text(plan.spec.flags).c_str(), plan.spec.seq,
      (plan.spec.flags & core::kAck) ? (" ack=" + std::to_string(plan.spec.ack)).c_str() : "",
      plan.spec.window, plan.spec.options.mss ? " <mss 1460>" : "");
  std::fflush(stdout);

  // Ctrl-C (or SIGTERM) stops the probes and reports what was found so far.
  const StopSignals stop;
  ProgressLine progress(!o.quiet && !o.verbose && ::isatty(STDERR_FILENO) == 1, n);
  ProbeResults results;
  const auto first_send = std::chrono::steady_clock::now();
  const size_t sent = send_probes(o, plan, out, sniffer.get(), results, stop, progress);
  progress.clear();
  const double send_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - first_send).count();
  std::printf("sent %zu probe%s in %.3f s\n", sent, sent == 1 ? "" : "s", send_s);
  if (o.dry_run) {
    std::printf("dry run: %zu probe%s printed, none sent\n", sent, sent == 1 ? "" : "s");
    return 0;
  }
  collect_answers(o, plan, *sniffer, results, stop);
  if (stop.signal() != 0)
    std::printf("interrupted: %zu of %zu probes sent; the answers so far:\n", sent, n);
  print_results(o, plan.type, plan.sport, results);
  if (stop.signal() != 0) throw Interrupted(stop.signal());
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
