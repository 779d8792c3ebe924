// SPDX-License-Identifier: MIT
// `tcpinspect converse HOST:PORT [STEP...]`: a whole TCP conversation from user space.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capture/kernel_rst_guard.hpp"
#include "capture/raw_sender.hpp"
#include "capture/route_lookup.hpp"
#include "capture/segment_sniffer.hpp"
#include "capture/tcp_crafter.hpp"
#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/exchange_analysis.hpp"
#include "cmd/ip_parse.hpp"
#include "cmd/packet_out.hpp"
#include "cmd/stop_signals.hpp"
#include "core/lab/conversation.hpp"
#include "core/lab/duration_text.hpp"
#include "core/lab/segment_line.hpp"
#include "core/lab/tcp_expectation.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::cmd {
namespace {

struct ConverseOptions {
  std::string target;              // HOST:PORT
  std::vector<std::string> steps;  // as written; empty: core::default_script()
  std::string interface;           // default: the route's
  std::string sport;               // default: random 32768-60999
  std::chrono::nanoseconds reply = std::chrono::milliseconds(500);
  bool annotate = true;
};

/// One run: the crafted segments out, the peer's in, our TCB between them.
class Conversation {
 public:
  Conversation(const ConverseOptions& o, const StopSignals& stop) : o_(o), stop_(stop) {
    peer_ = parse_ip_port(o.target, "HOST:PORT");
    const capture::Route route = capture::route_to(peer_.ip);
    local_ = route.source;
    interface_ = o.interface.empty() ? route.interface : o.interface;
    local_port_ = o.sport.empty() ? random_source_port() : core::parse_port(o.sport, "--sport");
    for (const std::string& s : o.steps)
      script_.push_back(core::parse_step(s));
    if (script_.empty()) script_ = core::default_script();
    require_raw_privilege("converse");
    // Capture first, so that not even a loopback reply is missed; then the guard.
    const std::string l = core::ip_to_string(local_), p = core::ip_to_string(peer_.ip);
    sniffer_ = std::make_unique<capture::SegmentSniffer>(
        interface_, "tcp and ((src host " + l + " and src port " + std::to_string(local_port_) +
                        " and dst host " + p + " and dst port " + std::to_string(peer_.port) +
                        ") or (src host " + p + " and src port " + std::to_string(peer_.port) +
                        " and dst host " + l + " and dst port " + std::to_string(local_port_) +
                        "))");
    guard_ = std::make_unique<capture::KernelRstGuard>(local_, local_port_, peer_.ip, peer_.port);
    sender_ = std::make_unique<capture::RawSender>(local_.version);
    sender_->set_mark(capture::kOwnPacketMark);
  }

  int run() {
    const std::string me = core::endpoint_to_string(local_, local_port_);
    const std::string them = core::endpoint_to_string(peer_.ip, peer_.port);
    std::printf("converse %s > %s on %s, %zu step%s after the handshake\n", me.c_str(),
                them.c_str(), interface_.c_str(), script_.size(), script_.size() == 1 ? "" : "s");
    std::printf(
        "guard    nft: %s  (in %s: this kernel's RST for a port no socket owns is kept "
        "off the wire while we run; removed on exit)\n",
        guard_->rule().c_str(), guard_->chain().c_str());
    std::fflush(stdout);

    send_step(tcb_.syn(), "SYN");
    if (!tcb_.synchronized()) {
      std::printf("outcome: no handshake (%s); nothing more to say\n",
                  tcb_.reset() ? "the peer reset it" : "no SYN-ACK");
      finish();
      return 1;
    }
    for (const core::ConversationStep& step : script_) {
      if (stopped() || tcb_.reset()) break;
      if (step.kind == core::StepKind::Wait) {
        std::printf("wait     %s\n", core::format_duration(step.wait).c_str());
        std::fflush(stdout);
        listen(step.wait, nullptr);
        continue;
      }
      send_step(tcb_.segment_for(step), step.text);
    }
    // After our FIN, the peer's own FIN comes when its application closes: wait for it a
    // little, and acknowledge it.
    if (!tcb_.reset() && tcb_.our_fin_acked() && !tcb_.peer_fin_received() && !stopped())
      listen(std::chrono::seconds(2), nullptr, true);
    print_outcome();
    finish();
    return 0;
  }

 private:
  bool stopped() const { return stop_.requested().load(); }

  capture::SegmentSpec spec_for(const core::PlannedSegment& s) const {
    capture::SegmentSpec spec;
    spec.src = local_;
    spec.dst = peer_.ip;
    spec.src_port = local_port_;
    spec.dst_port = peer_.port;
    spec.flags = s.sent.flags;
    spec.seq = s.sent.seq;
    spec.ack = s.sent.ack;
    spec.window = s.window;
    spec.dont_fragment = true;
    if (s.sent.flags & core::kSyn) spec.options.mss = 1460;
    spec.payload.assign(s.payload.begin(), s.payload.end());
    return spec;
  }

  void send_segment(const core::PlannedSegment& s) {
    capture::SegmentSpec spec = spec_for(s);
    spec.ip_id = next_ip_id_++;
    sender_->send(capture::craft_segment(spec), peer_.ip);
    tcb_.sent(s);
  }

  // Sends one scripted segment, says what RFC 9293 expects, and shows what came back.
  void send_step(const core::PlannedSegment& s, const std::string& label) {
    const core::Expectation e = tcb_.expect(s);
    send_segment(s);
    print_line("sent    ", s, label);
    std::printf("expect   %s\n", core::describe_expectation(e, s.sent).c_str());
    std::fflush(stdout);
    listen(o_.reply, &e, false, &s.sent);
  }

  void print_line(const char* tag, const core::PlannedSegment& s, const std::string& label) {
    const capture::SegmentSpec spec = spec_for(s);
    const std::vector<uint8_t> bytes = capture::craft_segment(spec);
    core::DecodedPacket p;
    core::decode_packet(core::LinkType::Raw, bytes, static_cast<uint32_t>(bytes.size()), p);
    std::printf("%s %s%s%s%s\n", tag, core::format_segment_line(p).c_str(),
                label.empty() ? "" : "   (", label.c_str(), label.empty() ? "" : ")");
    std::fflush(stdout);
  }

  // Reads the peer's segments for `how_long`, acknowledging its data and FIN. The first one
  // after a scripted segment is judged against `expected`; with nothing expected, silence
  // is the right answer. `until_peer_fin` stops at the peer's FIN.
  void listen(std::chrono::nanoseconds how_long, const core::Expectation* expected,
              bool until_peer_fin = false, const core::SentSegment* sent = nullptr) {
    bool judged = expected == nullptr;
    const auto deadline = std::chrono::steady_clock::now() + how_long;
    while (!stopped() && std::chrono::steady_clock::now() < deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      sniffer_->pump(static_cast<int>(std::clamp<int64_t>(left, 1, 50)),
                     [&](const capture::SniffedSegment& seg) {
                       keep(seg);
                       const core::DecodedPacket& p = *seg.packet;
                       if (p.result != core::DecodeResult::Tcp || p.src == local_) return true;
                       take_peer_segment(p, judged ? nullptr : expected, sent);
                       judged = true;
                       return !(until_peer_fin && tcb_.peer_fin_received());
                     });
      if (until_peer_fin && tcb_.peer_fin_received()) break;
      if (tcb_.reset()) break;
    }
    if (!judged && expected) {
      if (expected->reply == core::ReplyKind::Nothing)
        std::printf("reply    none within %s   <- as predicted\n",
                    core::format_duration(how_long).c_str());
      else
        std::printf("reply    none within %s   <- NOT as predicted\n",
                    core::format_duration(how_long).c_str());
    }
    std::fflush(stdout);
  }

  void take_peer_segment(const core::DecodedPacket& p, const core::Expectation* expected,
                         const core::SentSegment* sent) {
    std::string verdict;
    if (expected) {
      const bool ok = core::reply_matches(*expected, p.tcp.flags, p.tcp.seq, p.tcp.ack);
      verdict = ok ? "   <- as predicted" : "   <- NOT as predicted";
      if (sent && (p.tcp.flags & core::kAck))
        verdict += ": ack = " + core::relative_to_sent(p.tcp.ack, *sent);
    }
    std::printf("reply    %s%s\n", core::format_segment_line(p).c_str(), verdict.c_str());
    const core::PeerSegmentEffect fx =
        tcb_.receive(p.tcp.flags, p.tcp.seq, p.tcp.ack, p.payload_len, p.tcp.window);
    if (fx.bad_synack) {
      // RFC 9293 3.10.7.3: a SYN-ACK for another SYN is answered <SEQ=SEG.ACK><CTL=RST>.
      std::printf("         this SYN-ACK acknowledges another SYN: answered with RST\n");
      send_segment({{core::kRst, p.tcp.ack, 0, 0}, {}, 0});
    }
    if (fx.reset) std::printf("         the peer reset the connection\n");
    if (fx.needs_ack) {
      const core::PlannedSegment ack = tcb_.ack();
      send_segment(ack);
      print_line("ack     ", ack,
                 p.payload_len > 0 ? "ours, for its " + std::to_string(p.payload_len) + " bytes"
                 : (p.tcp.flags & core::kFin) ? "ours, for its FIN"
                 : (p.tcp.flags & core::kSyn) ? "ours: the handshake's third segment"
                                              : "ours");
    }
  }

  void keep(const capture::SniffedSegment& s) {
    if (exchange_.size() < 10000) exchange_.push_back({s.ts_ns, {s.bytes.begin(), s.bytes.end()}});
  }

  void print_outcome() {
    if (stopped())
      std::printf("outcome: interrupted\n");
    else if (tcb_.reset())
      std::printf("outcome: the connection was reset\n");
    else if (tcb_.our_fin_acked() && tcb_.peer_fin_received())
      std::printf(
          "outcome: closed cleanly: both FINs sent and acknowledged; our end is in "
          "TIME_WAIT (nothing of it lives in this kernel)\n");
    else if (tcb_.our_fin_acked())
      std::printf("outcome: half-closed: our FIN acknowledged, the peer's FIN not seen\n");
    else
      std::printf(
          "outcome: left open (no FIN in the script); once the guard is gone, this "
          "kernel answers the peer's next segment with RST\n");
  }

  void finish() {
    guard_.reset();  // before the annotation: the rule is gone the moment we are done
    std::printf("guard    removed\n");
    std::fflush(stdout);
    if (o_.annotate) print_analysis(sniffer_->link(), exchange_);
  }

  const ConverseOptions& o_;
  const StopSignals& stop_;
  IpPort peer_;
  core::IpAddress local_;
  uint16_t local_port_ = 0;
  std::string interface_;
  std::vector<core::ConversationStep> script_;
  std::unique_ptr<capture::SegmentSniffer> sniffer_;
  std::unique_ptr<capture::KernelRstGuard> guard_;
  std::unique_ptr<capture::RawSender> sender_;
  core::UserTcb tcb_{random_u32()};
  uint16_t next_ip_id_ = static_cast<uint16_t>(1 + random_u32() % 0xFFFF);
  std::vector<ExchangeFrame> exchange_;
};

int run_converse(const ConverseOptions& o) {
  StopSignals stop;
  Conversation c(o, stop);
  const int code = c.run();
  if (stop.requested()) throw Interrupted(stop.signal());
  return code;
}

}  // namespace

void register_converse(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "converse", "A whole TCP conversation from user space: handshake, scripted segments, close");
  auto o = std::make_shared<ConverseOptions>();
  sub->add_option("target", o->target, "HOST:PORT of a listener ([ADDRESS]:PORT for IPv6)")
      ->required();
  sub->add_option("steps", o->steps,
                  "After the handshake, in order: data:TEXT, oow[:TEXT] (beyond the window), "
                  "rst[:OFFSET], fin, wait:DURATION (default: data:hello\\n fin)");
  sub->add_option("-i,--interface", o->interface, "Capture replies here (default: the route's)");
  sub->add_option("--sport", o->sport, "Source port (default: random 32768-60999)");
  add_duration_option(*sub, "--reply", o->reply, "How long to listen after each segment",
                      std::chrono::milliseconds(1), std::chrono::minutes(1));
  sub->add_flag("!--no-annotate", o->annotate, "Skip the replay-style analysis at the end");
  sub->callback([&action, o] { action = [o] { return run_converse(*o); }; });
}

}  // namespace tcpinspect::cmd
