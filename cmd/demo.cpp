// SPDX-License-Identifier: MIT
// `tcpinspect demo`: a scripted echo conversation on 127.0.0.1, captured on lo and shown
// segment by segment, then as a ladder, with the state machine explained.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "capture/live_source.hpp"
#include "capture/pcap_writer.hpp"
#include "capture/privileges.hpp"
#include "cmd/analysis_options.hpp"
#include "cmd/command.hpp"
#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/frame.hpp"
#include "traffic/demo_scenario.hpp"

namespace tcpinspect::cmd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The capture ends once it has been quiet this long after both applications closed: the
// last ACK (or RST) is in flight for microseconds on lo, so this is ample.
constexpr milliseconds kQuiet{300};
// Upper bound on the whole capture, whatever happens to the conversation.
constexpr milliseconds kCaptureLimit{8000};
// Upper bound on each socket call of the conversation.
constexpr milliseconds kCallTimeout{3000};

struct DemoOptions {
  std::string close = "client";  // --close client|server: who sends the first FIN
  bool rst = false;              // --rst
  bool half_close = false;       // --half-close
  bool refused = false;          // --refused
  std::string write_file;        // -w FILE
  bool append = false;           // --append: add to the -w file instead of replacing it
  AnalysisOptions analysis;
  bool format_given = false;  // --format chosen: print that format alone
};

traffic::DemoVariant variant_of(const DemoOptions& o) {
  // --rst says how the closing side closes, so it combines with --close.
  const int chosen = int{o.rst || o.close != "client"} + int{o.half_close} + int{o.refused};
  if (chosen > 1)
    throw UsageError("demo: choose one of --close server, --rst, --half-close, --refused");
  if (o.rst && o.close == "server") return traffic::DemoVariant::ServerReset;
  if (o.rst) return traffic::DemoVariant::Reset;
  if (o.half_close) return traffic::DemoVariant::HalfClose;
  if (o.refused) return traffic::DemoVariant::Refused;
  if (o.close == "server") return traffic::DemoVariant::ServerCloses;
  return traffic::DemoVariant::ClientCloses;
}

// A frame copied out of the capture ring, so it can be rendered twice and written.
// A captured frame with its own copy of the bytes (the source reuses its buffer).
struct StoredFrame {
  core::Frame frame;  // frame.data is replaced by `bytes` when read: see view()
  std::vector<uint8_t> bytes;
  core::Frame view() const {
    core::Frame f = frame;
    f.data = bytes;
    return f;
  }
};

const char* intro(traffic::DemoVariant v) {
  switch (v) {
    case traffic::DemoVariant::ClientCloses:
      return "A client connects, sends \"hello\\n\" and \"bye\\n\", reads each echo back, and\n"
             "closes first; the server sees EOF and closes too. Expect the three-way handshake\n"
             "(SYN, SYN-ACK, ACK), the data with its ACKs, and the four-way close\n"
             "(FIN, ACK, FIN, ACK).";
    case traffic::DemoVariant::ServerCloses:
      return "A client connects and sends two lines; the server echoes them and closes first\n"
             "(like an HTTP/1.0 server). Expect the handshake, the data, then the four-way close\n"
             "started by the server: the server ends in TIME_WAIT, not the client.";
    case traffic::DemoVariant::Reset:
      return "A client connects, exchanges two lines, then closes with SO_LINGER {on, 0 s}:\n"
             "the kernel sends RST instead of FIN. Expect the handshake, the data, one RST and\n"
             "no close handshake; the server's next read() fails with ECONNRESET.";
    case traffic::DemoVariant::ServerReset:
      return "A client connects and sends two lines; the server echoes them, then closes with\n"
             "SO_LINGER {on, 0 s}: the kernel sends RST instead of FIN. Expect the handshake,\n"
             "the data, one RST from the server; the client's next read() fails with ECONNRESET.";
    case traffic::DemoVariant::HalfClose:
      return "A client connects, sends two lines and calls shutdown(SHUT_WR): a FIN, but it keeps\n"
             "reading. The server reads to EOF, then sends its reply over the half-open\n"
             "connection and closes. Expect data flowing towards a side that already sent FIN.";
    case traffic::DemoVariant::Refused:
      return "A client connects to a port that is bound but has no listener. Expect one SYN\n"
             "answered by RST/ACK: connect() fails with ECONNREFUSED and no connection exists.";
  }
  return "";
}

const char* explanation(traffic::DemoVariant v) {
  switch (v) {
    case traffic::DemoVariant::ClientCloses:
      return "- The SYN moved the client from CLOSED to SYN_SENT and the listening server to\n"
             "  SYN_RCVD; the SYN-ACK moved the client to ESTABLISHED (connect() returned); the\n"
             "  client's ACK moved the server to ESTABLISHED (accept() returned).\n"
             "- Every ack is the peer's seq plus what it consumed: payload bytes, and one for\n"
             "  each SYN and FIN (x+1, y+1, x+1+10 ...).\n"
             "- The client's FIN moved it to FIN_WAIT_1 and the server to CLOSE_WAIT: the\n"
             "  server's read() returned 0. The server's kernel ACKed the FIN on its own (often\n"
             "  after a delayed-ACK timer of ~40 ms), moving the client to FIN_WAIT_2.\n"
             "- The server's close() sent its FIN (server: LAST_ACK), which moved the client to\n"
             "  TIME_WAIT; the client's ACK of it moved the server to CLOSED.\n"
             "- The client stays in TIME_WAIT for 2*MSL (60 s on Linux), so stray segments of\n"
             "  this connection cannot confuse a new one on the same four-tuple:\n"
             "  `ss -tan state time-wait` shows it now.";
    case traffic::DemoVariant::ServerCloses:
      return "- The same handshake and data as the default demo.\n"
             "- The server's FIN moved it to FIN_WAIT_1 and the client to CLOSE_WAIT (its read()\n"
             "  returned 0); the client's ACK of the FIN moved the server to FIN_WAIT_2.\n"
             "- The client's close() sent its FIN (client: LAST_ACK), which moved the server to\n"
             "  TIME_WAIT; the server's ACK of it moved the client to CLOSED.\n"
             "- Whoever closes first pays with TIME_WAIT: here the server, which is why busy\n"
             "  servers prefer the client to close (`ss -tan state time-wait`).";
    case traffic::DemoVariant::Reset:
      return "- The same handshake and data as the default demo.\n"
             "- SO_LINGER with a zero timeout makes close() abort: RST, unsent data dropped.\n"
             "  Both ends went straight from ESTABLISHED to CLOSED: no FIN_WAIT, no TIME_WAIT.\n"
             "- The RST's sequence number was exactly the server's RCV.NXT, so it was\n"
             "  accepted (RFC 5961 3.2) and the server's read() failed with ECONNRESET.";
    case traffic::DemoVariant::ServerReset:
      return "- The same handshake and data as the default demo.\n"
             "- The server's close() with a zero linger timeout aborted the connection: RST,\n"
             "  both ends straight from ESTABLISHED to CLOSED, no TIME_WAIT anywhere.\n"
             "- The echo had already reached the client's kernel, so the client read it; its\n"
             "  next read() failed with ECONNRESET (a write() would fail with EPIPE).";
    case traffic::DemoVariant::HalfClose:
      return "- shutdown(SHUT_WR) sent the client's FIN (client: FIN_WAIT_1, then FIN_WAIT_2\n"
             "  once ACKed); the server's read() returned 0 (server: CLOSE_WAIT).\n"
             "- CLOSE_WAIT only means \"the peer will send no more\": the server still sent its\n"
             "  reply, and the client, in FIN_WAIT_2, still received it (note half_close).\n"
             "- Then the server's FIN (LAST_ACK), the client's ACK (client: TIME_WAIT,\n"
             "  server: CLOSED): a graceful close, like the default demo.";
    case traffic::DemoVariant::Refused:
      return "- The SYN moved the client to SYN_SENT. No socket listens on the port, so the\n"
             "  kernel answered with RST/ACK, acknowledging ISN+1 (RFC 9293 3.10.7.1).\n"
             "- The client went back to CLOSED and connect() failed with ECONNREFUSED. The\n"
             "  server side never existed: Zeek calls this conn_state REJ.";
  }
  return "";
}

// Runs the conversation on its own thread while this one drains the capture, so the
// capture sees every segment as it happens. Returns when quiet after the conversation.
std::vector<StoredFrame> capture_conversation(capture::LiveSource& source,
                                              traffic::DemoScenario& scenario,
                                              traffic::DemoOutcome& outcome) {
  std::vector<StoredFrame> frames;
  std::atomic<bool> done{false};
  std::thread talk([&] {
    outcome = scenario.run(kCallTimeout);
    done.store(true);
  });
  const auto start = Clock::now();
  auto last_activity = start;
  auto on_frame = [&](const core::Frame& frame, const pcap_pkthdr&) {
    frames.push_back({frame, {frame.data.begin(), frame.data.end()}});
  };
  bool conversation_over = false;
  try {
    for (;;) {
      pollfd pfd{source.selectable_fd(), POLLIN, 0};
      ::poll(&pfd, pfd.fd >= 0 ? 1 : 0, 20);
      const size_t before = frames.size();
      source.dispatch(-1, on_frame);
      const auto now = Clock::now();
      if (frames.size() != before) last_activity = now;
      if (!conversation_over && done.load()) {
        conversation_over = true;
        last_activity = std::max(last_activity, now);
      }
      if (conversation_over && now - last_activity >= kQuiet) break;
      if (now - start >= kCaptureLimit) break;
    }
  } catch (...) {
    talk.join();  // a joinable thread must not be destroyed; the conversation is bounded
    throw;
  }
  talk.join();  // bounded: every socket call has kCallTimeout
  return frames;
}

void write_stdout(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

void render(const std::vector<StoredFrame>& frames, core::LinkType link,
            const core::InspectorConfig& config, const core::RenderOptions& options) {
  auto renderer = core::make_renderer(options, write_stdout);
  core::Inspector inspector(config, *renderer);
  for (const auto& f : frames) {
    // On lo the kernel never completes TCP checksums (checksum offload: the field holds only
    // the pseudo-header sum when the packet is captured); the decoder recognises that value
    // as offloaded, not bad, so verifying costs nothing and would show real damage.
    core::DecodedFrame d;
    core::decode_frame(link, f.view(), d, /*verify_checksums=*/true);
    inspector.feed({&d, 1});
  }
  inspector.finish();
  std::fflush(stdout);
}

void heading(const char* title) {
  std::printf("\n=== %s ===\n\n", title);
}

int run_demo(const DemoOptions& options) {
  const traffic::DemoVariant variant = variant_of(options);
  if (options.write_file == "-")
    throw UsageError("demo: -w - is not supported: the annotations go to standard output");
  // Say what is missing before any socket is opened.
  if (!capture::can_capture()) throw RunError(capture::capture_privilege_message("lo"));
  const core::InspectorConfig config = inspector_config(options.analysis);
  core::RenderOptions render_opts = render_options(options.analysis, ::isatty(STDOUT_FILENO));

  traffic::DemoScenario scenario(variant);
  capture::LiveOptions live;
  live.interface = "lo";
  live.filter = "tcp port " + std::to_string(scenario.port());
  live.snaplen = 65535;
  live.buffer_kib = 4096;
  live.promiscuous = false;
  // A few dozen segments: per-packet delivery is cheap here and shows them at once.
  live.immediate = true;
  capture::LiveSource source(live);
  const auto link = core::link_type_from_dlt(source.datalink());
  if (!link) throw RunError("demo: unsupported link type on " + source.describe());
  std::unique_ptr<capture::PcapWriter> writer;
  if (!options.write_file.empty())
    writer = std::make_unique<capture::PcapWriter>(
        options.write_file, source.datalink(), source.snaplen(),
        // Keep what the kernel gave, so a replay of the file matches the demo to the ns.
        source.nanosecond_timestamps() ? capture::PcapWriter::Precision::Nano
                                       : capture::PcapWriter::Precision::Micro,
        options.append);

  // With --format, stdout carries that format alone; the story goes to stderr.
  FILE* story = options.format_given ? stderr : stdout;
  std::fprintf(story,
               "tcpinspect demo (%s): client and server on 127.0.0.1, port %u, capturing on "
               "lo with filter '%s'.\n%s\n",
               traffic::to_string(variant), scenario.port(), live.filter.c_str(), intro(variant));
  std::fflush(story);

  traffic::DemoOutcome outcome;
  const std::vector<StoredFrame> frames = capture_conversation(source, scenario, outcome);
  const capture::LiveStats stats = source.stats();
  if (writer) {
    for (const auto& f : frames)
      writer->write(f.view());
    writer->close();
  }

  if (options.format_given) {
    render(frames, *link, config, render_opts);
  } else {
    heading("What the applications did");
    for (const auto& step : outcome.steps)
      std::printf("%8.3f ms  %-6s  %s\n",
                  std::chrono::duration<double, std::milli>(step.at).count(), step.side.c_str(),
                  step.text.c_str());
    heading("What the wire carried (every segment, annotated)");
    std::fflush(stdout);
    render_opts.format = core::OutputFormat::Text;
    render(frames, *link, config, render_opts);
    heading("The same segments as a ladder");
    std::fflush(stdout);
    render_opts.format = core::OutputFormat::Ladder;
    render(frames, *link, config, render_opts);
    heading("What happened");
    std::printf("%s\n", explanation(variant));
    if (writer && !writer->failed())
      std::printf("\n%zu frames written to %s (open with: tcpinspect replay %s)\n", frames.size(),
                  options.write_file.c_str(), options.write_file.c_str());
  }
  std::fflush(stdout);

  if (stats.dropped != 0)
    std::fprintf(stderr, "tcpinspect: warning: the kernel dropped %llu packets of the capture\n",
                 static_cast<unsigned long long>(stats.dropped));
  if (!outcome.error.empty())
    throw RunError("demo: the conversation did not go as scripted: " + outcome.error);
  if (frames.empty()) throw RunError("demo: nothing was captured on lo");
  // The demo is shown in full either way; a -w file that could not be written (a full disk)
  // ends on its last whole record, and the run fails saying so.
  if (writer && writer->failed()) throw RunError(writer->error());
  return 0;
}

}  // namespace

void register_demo(CLI::App& app, Action& action) {
  auto options = std::make_shared<DemoOptions>();
  auto* sub = app.add_subcommand(
      "demo",
      "Show a TCP handshake and close on this machine: echo client and server on 127.0.0.1, "
      "traced on lo (needs CAP_NET_RAW, e.g. sudo)");
  sub->add_option("--close", options->close, "Who closes first: client or server")
      ->check(CLI::IsMember({"client", "server"}))
      ->capture_default_str();
  sub->add_flag("--rst", options->rst,
                "The closing side (see --close) aborts with RST (SO_LINGER 0) instead of FIN");
  sub->add_flag("--half-close", options->half_close,
                "The client sends FIN with shutdown(SHUT_WR), then reads the server's reply");
  sub->add_flag("--refused", options->refused,
                "Connect to a port with no listener: SYN, RST/ACK, ECONNREFUSED");
  sub->add_option("-w,--write", options->write_file,
                  "Also save the captured frames as pcap, replacing the file (see --append)");
  sub->add_flag("--append", options->append, "With -w: add to the pcap instead of replacing it");
  add_analysis_options(*sub, options->analysis);
  sub->footer(
      "Without --format: the applications' socket calls, the annotated segments (text), the\n"
      "ladder and an explanation. With --format: that output alone (the story goes to stderr).\n"
      "Examples:\n  sudo tcpinspect demo\n  sudo tcpinspect demo --close server -w close.pcap\n"
      "  sudo tcpinspect demo --refused --format jsonl\n");
  sub->callback([&action, options, sub] {
    options->format_given = sub->get_option("--format")->count() > 0;
    action = [options] { return run_demo(*options); };
  });
}

}  // namespace tcpinspect::cmd
