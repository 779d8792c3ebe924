// SPDX-License-Identifier: MIT
#include "cmd/trace.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "capture/error.hpp"
#include "capture/privileges.hpp"
#include "capture/rotating_pcap_writer.hpp"
#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/stdout_writer.hpp"
#include "cmd/stop_signals.hpp"
#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/frame.hpp"

namespace tcpinspect::cmd {
namespace {

using Clock = std::chrono::steady_clock;

// How often held-back records are looked at when no packets come (how long they may wait
// is InspectorConfig::hold_ns, for replay and trace alike).
constexpr int kHeldCheckMs = 250;

// Everything the capture loop needs, so the loop itself reads as the algorithm.
struct Live {
  capture::LiveSource& source;
  core::Inspector& inspector;
  capture::PcapWriter* writer;
  uint64_t captured = 0;
};

int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Waits for frames or a stop signal; -1 timeout means no deadline.
void wait_ready(int capture_fd, int stop_fd, int timeout_ms) {
  pollfd fds[2] = {{capture_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  // Without a selectable fd, poll the signal pipe alone with a short timeout.
  const int rc = capture_fd >= 0
                     ? ::poll(fds, 2, timeout_ms)
                     : ::poll(fds + 1, 1, timeout_ms < 0 ? 10 : std::min(timeout_ms, 10));
  if (rc < 0 && errno != EINTR) throw RunError(std::string("poll failed: ") + std::strerror(errno));
}

void print_capture_stats(uint64_t captured, const capture::LiveStats& stats,
                         const core::InspectorStats& analysis, size_t max_connections) {
  std::fprintf(stderr, "%llu packets captured\n", static_cast<unsigned long long>(captured));
  std::fprintf(stderr, "%llu packets received by filter\n",
               static_cast<unsigned long long>(stats.received));
  std::fprintf(stderr, "%llu packets dropped by kernel\n",
               static_cast<unsigned long long>(stats.dropped));
  if (stats.if_dropped != 0)
    std::fprintf(stderr, "%llu packets dropped by interface\n",
                 static_cast<unsigned long long>(stats.if_dropped));
  if (analysis.evicted != 0)
    std::fprintf(stderr, "%llu connections evicted (--max-connections %zu; peak %llu tracked)\n",
                 static_cast<unsigned long long>(analysis.evicted), max_connections,
                 static_cast<unsigned long long>(analysis.peak_connections));
}

}  // namespace

void add_trace_options(CLI::App& sub, TraceOptions& options) {
  sub.add_option("words", options.words,
                 "Interface (unless -i is given), then a BPF filter (tcpdump syntax)");
  sub.add_option("-i,--interface", options.interface, "Interface to capture on (any: all)");
  add_analysis_options(sub, options.analysis);
  sub.add_flag("--no-checksums", options.no_checksums,
               "Do not verify TCP/IP checksums (offloaded ones are recognised, not bad)");
  sub.add_option("-c,--count", options.count, "Stop after this many frames")
      ->check(CLI::PositiveNumber);
  add_duration_option(sub, "--duration", options.duration, "Stop after this long",
                      std::chrono::milliseconds(1), std::chrono::hours(24 * 365))
      ->default_str("");  // by default no limit
  sub.add_option("-w,--write", options.write_file,
                 "Also write every captured frame to this pcap file, replacing it (see --append)");
  sub.add_flag("--append", options.append,
               "With -w: add to the pcap instead of replacing it (not with -C or -G)");
  sub.add_option("-C,--file-size", options.file_size,
                 "Rotate the -w file once it is larger than this many million bytes, as "
                 "tcpdump -C: FILE, FILE1, FILE2...");
  // tcpdump's -G takes whole seconds with no upper bound that matters (-G 604800: weekly).
  add_duration_option(sub, "-G,--rotate-seconds", options.rotate_every,
                      "Start a new -w file this often; FILE goes through strftime, as tcpdump "
                      "-G (e.g. -w cap-%H%M%S.pcap)",
                      std::chrono::nanoseconds(1), std::chrono::hours(24 * 365))
      ->default_str("");
  sub.add_option("-W,--file-count", options.file_count,
                 "With -C: a ring of this many files FILE0..FILEn; with -G: stop after this "
                 "many files (tcpdump -W)")
      ->check(CLI::Range(1u, 1'000'000u));
  sub.add_flag("-D,--list-interfaces", options.list_interfaces,
               "List the interfaces as tcpdump -D does (number, name, description, flags)");
  sub.add_option("-s,--snaplen", options.snaplen, "Bytes kept per frame")
      ->check(CLI::Range(64, 262144))
      ->capture_default_str();
  sub.add_option("-B,--buffer-size", options.buffer_kib, "Kernel capture buffer in KiB")
      ->check(CLI::Range(64, 4 * 1024 * 1024))
      ->capture_default_str();
  sub.add_flag("--immediate", options.immediate,
               "Hand over every packet at once (default: within 1 ms, in dense blocks that "
               "survive bursts; immediate mode holds far fewer packets)");
  sub.add_flag("-p,--no-promiscuous-mode", options.no_promiscuous,
               "Do not put the interface into promiscuous mode");
  sub.add_option("-Z,--relinquish-privileges", options.user,
                 "Become this user once the capture and -w file are open");
}

void register_trace(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "trace", "Capture live and annotate every TCP segment (needs CAP_NET_RAW, e.g. sudo)");
  auto options = std::make_shared<TraceOptions>();
  add_trace_options(*sub, *options);
  sub->footer(
      "Examples:\n  sudo tcpinspect trace eth0 tcp port 443\n"
      "  sudo tcpinspect trace -i any -w out.pcap --format jsonl host 10.0.0.2\n");
  sub->callback([&action, options] { action = [options] { return run_trace(*options); }; });
}

capture::LiveOptions live_options(const TraceOptions& options) {
  capture::LiveOptions live;
  size_t first_filter_word = 0;
  if (!options.interface.empty()) {
    live.interface = options.interface;
  } else if (!options.words.empty()) {
    live.interface = options.words[0];
    first_filter_word = 1;
  } else {
    throw UsageError("trace: name an interface (see: tcpinspect interfaces)");
  }
  for (size_t i = first_filter_word; i < options.words.size(); ++i) {
    if (!live.filter.empty()) live.filter += ' ';
    live.filter += options.words[i];
  }
  live.snaplen = options.snaplen;
  live.buffer_kib = options.buffer_kib;
  live.promiscuous = !options.no_promiscuous;
  live.immediate = options.immediate;
  return live;
}

int run_trace(const TraceOptions& options) {
  if (options.list_interfaces) return list_interfaces_like_tcpdump();
  const capture::LiveOptions live = live_options(options);
  const capture::RotationOptions rotation = rotation_options(options);
  if (options.append && rotation.active())
    throw UsageError("trace: --append adds to one -w file; -C and -G start new ones");
  if (options.write_file == "-")
    throw UsageError("trace: -w - is not supported: the annotations go to standard output");
  redirect_output(options.analysis);
  const core::RenderOptions render = render_options(options.analysis, ::isatty(STDOUT_FILENO));
  const core::InspectorConfig config = inspector_config(options.analysis);
  // Before anything is opened, so a typo in -Z costs nothing.
  std::optional<capture::TargetUser> user;
  // capture/ names the user; the flag is added here, where the user gave it.
  const auto with_flag = [](const capture::CaptureError& e) {
    return RunError(std::string("-Z: ") + e.what());
  };
  if (!options.user.empty()) {
    try {
      user = capture::lookup_user(options.user);
    } catch (const capture::CaptureError& e) {
      throw with_flag(e);
    }
  }

  // From here on a Ctrl-C ends the capture cleanly (complete -w file, summaries, counters).
  StopSignals stop;
  capture::LiveSource source(live);
  const auto link = core::link_type_from_dlt(source.datalink());
  if (!link) throw RunError("trace: unsupported link type on " + source.describe());
  std::unique_ptr<capture::RotatingPcapWriter> writer;
  if (!options.write_file.empty())
    writer = std::make_unique<capture::RotatingPcapWriter>(options.write_file, rotation,
                                                           source.datalink(), source.snaplen(),
                                                           wall_clock_ns(), options.append);
  if (user) {
    try {
      capture::drop_privileges(*user);
    } catch (const capture::CaptureError& e) {
      throw with_flag(e);
    }
  }

  for (const auto& w : source.warnings())
    std::fprintf(stderr, "tcpinspect: warning: %s\n", w.c_str());
  std::fprintf(stderr, "tcpinspect: listening on %s\n", source.describe().c_str());
  std::fflush(stderr);

  // Fully buffered: one write per batch of packets, flushed below so nothing waits.
  static char out_buffer[1 << 16];
  std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  StdoutWriter out;
  auto renderer = core::make_renderer(render, [&out](std::string_view text) { out.write(text); });
  core::Inspector inspector(config, *renderer);

  const bool timed = options.duration.count() > 0;
  const auto deadline = Clock::now() + options.duration;
  uint64_t captured = 0;
  bool write_failure_told = false;
  bool file_limit_reached = false;  // -G with -W: the frames after the last file are not taken
  core::DecodedFrame decoded;
  auto on_frame = [&](const core::Frame& frame, const pcap_pkthdr&) {
    if (file_limit_reached) return;
    // The frame's capture time (the kernel's wall clock) decides -G, as tcpdump's clock does.
    if (writer && !writer->write(frame, frame.ts_ns)) {
      file_limit_reached = true;
      return;
    }
    ++captured;
    core::decode_frame(*link, frame, decoded, !options.no_checksums);
    inspector.feed({&decoded, 1});
  };

  while (stop.signal() == 0) {
    if (options.count != 0 && captured >= options.count) break;
    int timeout_ms = -1;
    if (timed) {
      const auto left = deadline - Clock::now();
      if (left <= Clock::duration::zero()) break;
      timeout_ms =
          static_cast<int>(std::ceil(std::chrono::duration<double, std::milli>(left).count()));
    }
    // Wake at least every kHeldCheckMs: held-back records must not wait for the next packet.
    if (timeout_ms < 0 || timeout_ms > kHeldCheckMs) timeout_ms = kHeldCheckMs;
    wait_ready(source.selectable_fd(), stop.fd(), timeout_ms);
    if (stop.signal() != 0) break;
    const int max = options.count != 0
                        ? static_cast<int>(std::min<uint64_t>(options.count - captured, 1 << 30))
                        : -1;
    if (source.dispatch(max, on_frame) == capture::LiveSource::kBroken) break;
    if (file_limit_reached) {
      std::fprintf(stderr, "tcpinspect: maximum file limit reached: %u files (-W)\n",
                   options.file_count);
      break;
    }
    if (writer) {
      writer->flush();
      // Said at once, and again at the end; the analysis goes on without the file.
      if (writer->failed() && !write_failure_told) {
        std::fprintf(stderr, "tcpinspect: warning: %s; the analysis goes on\n",
                     writer->error().c_str());
        write_failure_told = true;
      }
    }
    // A record held back until its receiver confirms it (docs/json.md, "unconfirmed") waits
    // at most the hold time of wall time, then goes out marked as unconfirmed so far. Live
    // frames carry the wall clock as their capture time.
    inspector.release_held_as_of(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
    renderer->flush();
    out.flush();
    if (out.failed()) break;  // reader went away (SIGPIPE is caught as a stop), or disk full
  }

  const capture::LiveStats kernel = source.stats();
  if (writer) writer->close();
  inspector.finish();
  out.flush();
  print_capture_stats(captured, kernel, inspector.stats(), config.max_connections);
  // A reader that went away (EPIPE) is a way to stop, as for tcpdump; any other failure
  // cut the annotations short.
  if (out.failed() && out.error() != EPIPE) throw RunError(out.message());
  if (writer && writer->failed()) throw RunError(writer->error());
  return 0;
}

}  // namespace tcpinspect::cmd
