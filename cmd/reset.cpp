// SPDX-License-Identifier: MIT
#include "cmd/reset.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capture/interfaces.hpp"
#include "capture/kernel_reset_watch.hpp"
#include "capture/route_lookup.hpp"
#include "capture/segment_sniffer.hpp"
#include "capture/tcp_crafter.hpp"
#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/packet_out.hpp"
#include "cmd/stop_signals.hpp"
#include "core/lab/duration_text.hpp"
#include "core/lab/port_list.hpp"
#include "core/lab/rcv_nxt_tracker.hpp"
#include "core/lab/reset_verdict.hpp"
#include "core/lab/segment_line.hpp"
#include "core/lab/tcp_expectation.hpp"
#include "core/lab/tcp_flags_text.hpp"
#include "core/wire/decode.hpp"
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

// A packet for an address of this host is delivered over lo, even one the host sends to
// itself with a raw socket: with lo down it is dropped.
bool loopback_up() {
  for (const capture::InterfaceInfo& i : capture::list_interfaces())
    if (i.loopback) return i.up;
  return false;
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
  sub.add_option("--attempts", o.attempts,
                 "RSTs to try while DST keeps talking, each at its new RCV.NXT (1 with --offset)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  sub.add_option("--spray", o.spray,
                 "RSTs per attempt: RCV.NXT, then one --spray-step further each, as tcpkill "
                 "(each one not exactly RCV.NXT draws a challenge ACK, RFC 5961)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  sub.add_option("--spray-step", o.spray_step,
                 "window: DST's advertised window, as tcpkill; segment: the size of SRC's "
                 "last data segment, where RCV.NXT moves next")
      ->check(CLI::IsMember({"window", "segment"}))
      ->capture_default_str();
  add_duration_option(sub, "--wait", o.wait, "How long to wait for a segment of the connection",
                      std::chrono::milliseconds(1), std::chrono::hours(1));
  add_duration_option(sub, "--observe", o.observe, "How long to keep watching after each RST",
                      std::chrono::nanoseconds(0), std::chrono::minutes(1));
  sub.add_option("-w,--write", o.write_file,
                 "Write the RSTs sent to this pcap, replacing it (see --append)");
  sub.add_flag("--append", o.append, "With -w: add to the pcap instead of replacing it");
  sub.add_flag("--dry-run", o.dry_run, "Compute and print the RST, do not send it");
}

namespace {

// Segments of the connection printed per phase; a busy connection (a bulk transfer) would
// otherwise print thousands a second. The rest are counted.
constexpr int kPrintedPerPhase = 40;

/// One run of reset: the sniffers, the tracker of B's RCV.NXT, the kernel's word when B is a
/// socket of this host, and the attempts.
class ResetRun {
 public:
  ResetRun(const ResetOptions& o, const ConnEnds& c, const StopSignals& stop)
      : o_(o), c_(c), stop_(stop) {
    a_text_ = core::endpoint_to_string(c.a.ip, c.a.port);
    b_text_ = core::endpoint_to_string(c.b.ip, c.b.port);
    victim_local_ = is_local_address(c.b.ip);
    if (victim_local_ && !loopback_up())
      throw RunError(b_text_ + " is an address of this host, so the RST reaches it only over lo, " +
                     "and lo is down (bring it up: sudo ip link set lo up)");
    // Set up first: it takes a while, and segments would queue up meanwhile.
    if (victim_local_ && !o.dry_run) {
      try {
        witness_ = std::make_unique<capture::KernelResetWatch>();
      } catch (const capture::CaptureError& e) {
        std::printf("note: the kernel cannot witness the reset (%s); judging from the wire only\n",
                    e.what());
      }
    }
    sniffer_ = std::make_unique<capture::SegmentSniffer>(o.interface, filter_for(c));
    // A RST for an address of this host never leaves it: the kernel loops it back over lo,
    // where the capture on IFACE cannot see it (nor B's answer, when A is local too). lo is
    // watched only then: a namespace may well have it down.
    if (o.interface != "lo" && victim_local_)
      loopback_ = std::make_unique<capture::SegmentSniffer>("lo", filter_for(c));
    out_ = std::make_unique<PacketOut>(true, o.dry_run, o.write_file, o.append, c.a.ip.version,
                                       "reset");
  }

  int run() {
    std::printf("waiting up to %s on %s for a segment of %s <-> %s (the RST goes to %s)\n",
                core::format_duration(o_.wait).c_str(), o_.interface.c_str(), a_text_.c_str(),
                b_text_.c_str(), b_text_.c_str());
    if (witness_)
      std::printf(
          "the kernel's tcp:tcp_receive_reset tracepoint will say whether %s's socket "
          "took it\n",
          b_text_.c_str());
    std::fflush(stdout);
    const int attempts = o_.offset != 0 ? 1 : o_.attempts;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      if (!wait_for_moment())
        throw RunError("no usable segment of " + a_text_ + " <-> " + b_text_ + " within " +
                       core::format_duration(o_.wait) + " on " + o_.interface);
      if (attempts > 1 && attempt > 1) std::printf("attempt %d of %d\n", attempt, attempts);
      const int64_t sent_at = send_rsts();
      if (o_.dry_run) return 0;
      const Verdict v = observe(sent_at);
      if (v == Verdict::Missed && attempt < attempts) {
        std::printf(
            "not taken, as far as the wire shows: %s sent more after our RST; RCV.NXT "
            "is now %u, trying again\n",
            b_text_.c_str(), tracker_.rcv_nxt());
        continue;
      }
      const bool wire_says_alive = seen_.outcome() == core::RstOutcome::KeptTalking ||
                                   seen_.outcome() == core::RstOutcome::ChallengeAck;
      if (v == Verdict::Witnessed && wire_says_alive)
        std::printf(
            "outcome: %s's socket was reset; what it sent after our RST had left it "
            "before the RST arrived\n",
            b_text_.c_str());
      else
        std::printf("%s\n", seen_.outcome_text(b_text_, o_.observe).c_str());
      if (witness_)
        std::printf(
            "kernel: %s\n",
            v == Verdict::Witnessed
                ? ("tcp:tcp_receive_reset for " + b_text_ +
                   "'s socket: the RST was accepted (attempt " + std::to_string(attempt) + ")")
                      .c_str()
                : ("no tcp:tcp_receive_reset for " + b_text_ + "'s socket").c_str());
      if (v == Verdict::Missed)
        std::printf("gave up after %d attempt%s: %s kept talking every time\n", attempts,
                    attempts == 1 ? "" : "s", b_text_.c_str());
      return 0;
    }
    return 0;
  }

 private:
  enum class Verdict : uint8_t {
    Witnessed,  // the kernel said B's socket took a RST
    Accepted,   // B answered with RST, or stayed silent: consistent with acceptance
    Missed,     // B kept talking: the RST was not taken
  };

  bool from_a(const core::DecodedPacket& p) const {
    return p.src == c_.a.ip && p.tcp.src_port == c_.a.port;
  }
  bool from_b(const core::DecodedPacket& p) const {
    return p.src == c_.b.ip && p.tcp.src_port == c_.b.port;
  }

  void print_observed(const core::DecodedPacket& p, int& printed, uint64_t& unprinted) {
    if (printed++ < kPrintedPerPhase)
      std::printf("observed %s\n", core::format_segment_line(p).c_str());
    else
      ++unprinted;
  }

  // Reads segments until the tracker advises sending (ResetMoment). False when o.wait
  // passes first.
  bool wait_for_moment() {
    const int64_t deadline = capture::wall_clock_ns() + o_.wait.count();
    int printed = 0;
    uint64_t unprinted = 0;
    for (;;) {
      stop_if_asked();
      const int64_t now = capture::wall_clock_ns();
      if (tracker_.moment(now) == core::ResetMoment::Send) break;
      if (now >= deadline) return false;
      // Wake up when the wait for the peer's reply ends, if that comes first.
      int64_t until = deadline;
      if (tracker_.wait_until_ns() > 0) until = std::min(until, tracker_.wait_until_ns());
      const int slice_ms = static_cast<int>(std::clamp<int64_t>((until - now) / 1'000'000, 1, 100));
      bool draining = false;
      auto take = [&](const capture::SniffedSegment& s) {
        const core::DecodedPacket& p = *s.packet;
        if (p.result != core::DecodeResult::Tcp) return true;
        print_observed(p, printed, unprinted);
        tracker_.observe(p, from_a(p), s.ts_ns);
        if (p.tcp.flags & core::kRst)
          std::printf("         a RST: this connection is already being torn down; waiting on\n");
        else if (p.tcp.flags & core::kSyn)
          std::printf(
              "         handshake segment: not synchronized yet; waiting for the next one\n");
        // Send at once when this segment made it the moment.
        return draining || tracker_.moment(capture::wall_clock_ns()) != core::ResetMoment::Send;
      };
      // A segment read late (the ring fills while tracefs is set up, say) can make it look
      // like the moment on its own: all that is already queued is read before deciding.
      if (!sniffer_->pump(slice_ms, take)) {
        draining = true;
        // pump(0) reads up to a batch of what is ready; more may be queued behind it.
        const int before = printed + static_cast<int>(unprinted);
        for (int batch = before;; batch = printed + static_cast<int>(unprinted)) {
          sniffer_->pump(0, take);
          if (printed + static_cast<int>(unprinted) == batch) break;
        }
      }
    }
    if (unprinted > 0)
      std::printf("(and %llu more segments of the connection)\n",
                  static_cast<unsigned long long>(unprinted));
    return true;
  }

  capture::SegmentSpec rst_at(uint32_t seq) const {
    capture::SegmentSpec spec;
    spec.src = c_.a.ip;
    spec.dst = c_.b.ip;
    spec.src_port = c_.a.port;
    spec.dst_port = c_.b.port;
    spec.flags = core::kRst;
    spec.seq = seq;
    spec.window = 0;
    spec.dont_fragment = true;
    spec.ip_id = static_cast<uint16_t>(1 + random_u32() % 0xFFFF);
    return spec;
  }

  // Sends the RST (and with --spray the next ones) first, and explains after: the explaining
  // costs time the race does not have. Returns the wall-clock time of the first send.
  int64_t send_rsts() {
    rcv_nxt_ = tracker_.rcv_nxt();
    const uint32_t first = rcv_nxt_ + static_cast<uint32_t>(o_.offset);
    const bool by_window = o_.spray_step == "window";
    std::vector<uint32_t> seqs = tracker_.aim(static_cast<unsigned>(o_.spray),
                                              by_window ? core::RcvNxtTracker::SprayStep::Window
                                                        : core::RcvNxtTracker::SprayStep::Segment);
    for (uint32_t& s : seqs)
      s += static_cast<uint32_t>(o_.offset);
    std::vector<std::vector<uint8_t>> packets;
    for (uint32_t s : seqs)
      packets.push_back(capture::craft_segment(rst_at(s)));
    int64_t sent_at = 0;
    for (size_t i = 0; i < packets.size(); ++i) {
      const int64_t t = out_->emit(packets[i], c_.b.ip, false);
      if (i == 0) sent_at = t;
    }
    const core::RcvNxtReading& basis = tracker_.basis();
    // The window on the wire is scaled by a factor the handshake set, before the capture:
    // it is at least 65535 bytes only if the scale is known, so 65535 is assumed.
    const core::ReceiverWindow w{rcv_nxt_, 65535};
    const core::SentSegment sent{core::kRst, first, 0, 0};
    const core::Expectation e = core::expect_reply(core::PeerState::Established, sent, w);
    std::printf("RCV.NXT of %s = %u (%s)\n", b_text_.c_str(), rcv_nxt_,
                core::rcv_nxt_reasoning(basis, a_text_, b_text_).c_str());
    std::printf("RST seq=%u (RCV.NXT%s)\n", first,
                o_.offset == 0 ? ""
                               : (o_.offset > 0 ? " + " + std::to_string(o_.offset)
                                                : " - " + std::to_string(-o_.offset))
                                     .c_str());
    if (seqs.size() > 1) {
      std::string rest;
      for (size_t i = 1; i < seqs.size(); ++i)
        rest += (i > 1 ? ", " : "") + std::to_string(seqs[i]);
      const std::string step = std::to_string(seqs[1] - seqs[0]);
      std::printf(
          "spray: then seq=%s, %s; RFC 5961 takes only the exact RCV.NXT, and each "
          "other one inside the window draws a challenge ACK\n",
          rest.c_str(),
          (by_window
               ? "a window of " + b_text_ + " (" + step + " on the wire) apart, as tcpkill aims"
               : "where RCV.NXT of " + b_text_ + " moves if more of " + a_text_ + "'s " + step +
                     "-byte segments land first")
              .c_str());
    } else if (o_.spray > 1) {
      std::printf("spray: no %s seen to size the next positions; one RST\n",
                  (by_window ? "window of " + b_text_ : "data segment of " + a_text_).c_str());
    }
    std::printf(
        "predicted: %s [window of %s assumed 65535 bytes: its scale is set in the "
        "handshake]\n",
        core::describe_expectation(e, sent).c_str(), b_text_.c_str());
    for (const auto& bytes : packets) {
      core::DecodedPacket p;
      core::decode_packet(core::LinkType::Raw, bytes, static_cast<uint32_t>(bytes.size()), p);
      std::printf("%s%s\n", o_.dry_run ? "dry-run  " : "sent     ",
                  core::format_segment_line(p).c_str());
    }
    if (!out_->write_path().empty())
      std::printf("wrote the RST%s to %s\n", packets.size() > 1 ? "s" : "",
                  out_->write_path().c_str());
    std::fflush(stdout);
    return sent_at;
  }

  bool witnessed() {
    if (!witness_) return false;
    for (const capture::KernelResetEvent& e : witness_->take())
      if (e.local == c_.b.ip && e.local_port == c_.b.port && e.remote == c_.a.ip &&
          e.remote_port == c_.a.port)
        return true;
    return false;
  }

  // What B sent after our RST decides the outcome. A RST from B (answering A's next
  // segment: B no longer has the connection) or silence means the RST was accepted; only
  // what a live connection sends (a challenge ACK, data, any other ACK or FIN) means it
  // was not. Captured away from B, a segment of B's may have left before the RST landed:
  // no round-trip estimate mid-connection is good enough to tell (a delayed ACK makes one
  // 40-500 ms), so it counts, and at worst costs one more RST to a socket already gone,
  // which B ignores. Where B is local the kernel says which attempt took.
  Verdict observe(int64_t sent_at) {
    seen_ = core::AfterRst();
    const int64_t deadline = sent_at + o_.observe.count();
    std::vector<capture::SegmentSniffer*> sniffers{sniffer_.get()};
    if (loopback_) sniffers.push_back(loopback_.get());
    bool live = false;
    int printed = 0;
    uint64_t unprinted = 0;
    bool kernel_said = false;
    while (capture::wall_clock_ns() < deadline) {
      stop_if_asked();
      kernel_said = kernel_said || witnessed();
      // A miss is retried at once; a reset is watched to the end, to show what followed.
      if (live && !kernel_said) break;
      const int slice_ms = static_cast<int>(
          std::clamp<int64_t>((deadline - capture::wall_clock_ns()) / 1'000'000, 1, 10));
      capture::pump_each(sniffers, slice_ms, [&](size_t from, const capture::SniffedSegment& s) {
        const core::DecodedPacket& p = *s.packet;
        if (p.result != core::DecodeResult::Tcp) return;
        const bool ours = p.src == c_.a.ip && (p.tcp.flags & core::kRst) &&
                          p.tcp.src_port == c_.a.port && p.tcp.window == 0;
        const bool by_b = from_b(p);
        const bool after = s.ts_ns > sent_at;
        std::string note;
        if (ours) {
          note = from == 0 ? "   (our RST)" : "   (our RST, on lo)";
        } else if (by_b && !after) {
          note = "   (sent before our RST arrived)";
        } else if (by_b) {
          const core::AfterRstSegment k = seen_.take(p, rcv_nxt_);
          note = "   <- " + std::string(core::after_rst_text(k));
          if (k == core::AfterRstSegment::ChallengeAck) tracker_.learn_exact(p.tcp.ack);
          if (k != core::AfterRstSegment::Rst) live = true;
        }
        if (!ours && !(by_b && seen_.outcome() == core::RstOutcome::ChallengeAck))
          tracker_.observe(p, from_a(p), s.ts_ns);
        if (printed++ < kPrintedPerPhase) {
          const int64_t dt = s.ts_ns - sent_at;
          std::printf("%s%-10s %s%s\n", dt < 0 ? "-" : "+", format_ms(dt < 0 ? -dt : dt).c_str(),
                      core::format_segment_line(p).c_str(), note.c_str());
        } else {
          ++unprinted;
        }
      });
    }
    kernel_said = kernel_said || witnessed();
    if (unprinted > 0)
      std::printf("(and %llu more segments of the connection)\n",
                  static_cast<unsigned long long>(unprinted));
    std::fflush(stdout);
    // The kernel's word outweighs the wire's: what B sent after the RST left had left B
    // before the RST arrived.
    if (kernel_said) return Verdict::Witnessed;
    return live ? Verdict::Missed : Verdict::Accepted;
  }

  // Ctrl-C ends the run through the destructors, so the tracefs instance goes too.
  void stop_if_asked() const {
    if (stop_.requested()) throw Interrupted(stop_.signal());
  }

  const ResetOptions& o_;
  const ConnEnds& c_;
  const StopSignals& stop_;
  std::string a_text_, b_text_;
  std::unique_ptr<capture::SegmentSniffer> sniffer_;
  std::unique_ptr<capture::SegmentSniffer> loopback_;
  std::unique_ptr<capture::KernelResetWatch> witness_;
  std::unique_ptr<PacketOut> out_;
  bool victim_local_ = false;
  core::RcvNxtTracker tracker_;
  core::AfterRst seen_;
  uint32_t rcv_nxt_ = 0;
};

}  // namespace

int run_reset(const ResetOptions& o) {
  const ConnEnds c = parse_conn(o.conn);
  require_raw_privilege("reset");
  StopSignals stop;
  ResetRun run(o, c, stop);
  return run.run();
}

void register_reset(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "reset", "Lab demo of RST injection: reset a connection at RCV.NXT (RFC 5961)");
  auto options = std::make_shared<ResetOptions>();
  add_reset_options(*sub, *options);
  sub->callback([&action, options] { action = [options] { return run_reset(*options); }; });
}

}  // namespace tcpinspect::cmd
