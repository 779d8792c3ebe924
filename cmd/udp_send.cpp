// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <cstdio>

#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/stop_signals.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/udp_transfer_io.hpp"
#include "traffic/udp_transfer_sender.hpp"
#include "traffic/udp_transfer_wire.hpp"

namespace tcpinspect::cmd {

struct UdpSendOptions {
  std::string file;
  std::string target;  ///< HOST:PORT
  std::string name;
  uint32_t window = 0;
  uint32_t chunk = 0;
  int retries = 20;
  std::chrono::nanoseconds min_rto = std::chrono::milliseconds(20);
  std::chrono::nanoseconds timeout = std::chrono::seconds(10);
  bool verbose = false;
  bool quiet = false;
};

namespace {

// One status line on a terminal, rewritten in place: bytes, rate, retransmissions, ETA.
void print_progress(const traffic::udp::SenderProgress& p) {
  const double secs = static_cast<double>(p.elapsed.count()) / 1e9;
  const double rate = secs > 0 ? static_cast<double>(p.bytes_acked) / secs : 0;
  const double left = static_cast<double>(p.bytes_total - p.bytes_acked);
  char eta[32] = "?";
  if (rate > 0) std::snprintf(eta, sizeof eta, "%.0f s", left / rate);
  std::fprintf(stderr, "\r%.1f of %.1f MiB, %.1f MB/s, %llu retransmissions, ETA %s\x1b[K",
               static_cast<double>(p.bytes_acked) / (1 << 20),
               static_cast<double>(p.bytes_total) / (1 << 20), rate / 1e6,
               static_cast<unsigned long long>(p.retransmissions), eta);
  if (p.bytes_acked == p.bytes_total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

int run_udp_send(const UdpSendOptions& o) {
  using namespace traffic::udp;
  SenderConfig c;
  c.path = o.file;
  try {
    c.receiver = traffic::parse_host_port(o.target);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("udp-send: ") + e.what());
  }
  if (c.receiver.port() == 0) throw UsageError("udp-send: port 0 is not a valid destination");
  if (o.chunk > kMaxChunkSize) {
    throw UsageError("udp-send: --chunk must be at most " + std::to_string(kMaxChunkSize));
  }
  c.name = o.name;
  c.window = o.window;
  c.chunk_size = o.chunk;
  c.handshake_attempts = o.retries;
  c.rtt.min_rto = std::chrono::duration_cast<decltype(c.rtt.min_rto)>(o.min_rto);
  c.idle_timeout = std::chrono::duration_cast<decltype(c.idle_timeout)>(o.timeout);
  c.verbose = o.verbose;
  // A stop tells the receiver to clean up; installed before the transfer starts, removed after.
  const StopSignals stop_signals;
  c.stop = &stop_signals.requested();
  // The line only for a person watching: never in a pipe or a log, never with -v (which has
  // its own). The snapshots are kept either way, for the report of an interrupted transfer.
  const bool show = !o.quiet && !o.verbose && ::isatty(STDERR_FILENO);
  SenderProgress last{};
  c.on_progress = [show, &last](const SenderProgress& p) {
    last = p;
    if (show) print_progress(p);
  };

  SenderReport r;
  try {
    r = send_file(c);
  } catch (const TransferError& e) {
    if (stop_signals.signal() == 0) throw RunError(std::string("udp-send: ") + e.what());
    // Ctrl-C: what was done so far (the sender takes a last snapshot as it stops), then 128+N.
    if (show) std::fputs("\r\x1b[K", stderr);
    if (last.bytes_total == 0) {
      std::printf("interrupted: before any data was sent to %s\n", c.receiver.to_string().c_str());
      std::fflush(stdout);
      throw Interrupted(stop_signals.signal());
    }
    std::printf(
        "interrupted: %llu of %llu bytes of %s acknowledged by %s in %.3f s, %llu "
        "retransmissions; the receiver was told to discard the file\n",
        static_cast<unsigned long long>(last.bytes_acked),
        static_cast<unsigned long long>(last.bytes_total), o.file.c_str(),
        c.receiver.to_string().c_str(), static_cast<double>(last.elapsed.count()) / 1e9,
        static_cast<unsigned long long>(last.retransmissions));
    std::fflush(stdout);
    throw Interrupted(stop_signals.signal());
  }
  const double mbit = r.seconds > 0 ? static_cast<double>(r.bytes) * 8 / r.seconds / 1e6 : 0;
  std::printf(
      "sent %s to %s: %llu bytes in %.3f s, goodput %.1f Mbit/s (%.1f MB/s), chunk %u, window %u, "
      "%llu datagrams, %llu retransmissions, %llu tail loss probes, %llu timeouts, srtt %s, final "
      "RTO %s, sha256 %s\n",
      o.file.c_str(), c.receiver.to_string().c_str(), static_cast<unsigned long long>(r.bytes),
      r.seconds, mbit, mbit / 8, r.chunk_size, r.window,
      static_cast<unsigned long long>(r.datagrams),
      static_cast<unsigned long long>(r.retransmissions), static_cast<unsigned long long>(r.probes),
      static_cast<unsigned long long>(r.timeouts), format_duration(r.srtt).c_str(),
      format_duration(r.final_rto).c_str(), to_hex(r.sha256).c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

void register_udp_send(CLI::App& app, Action& action) {
  auto opts = std::make_shared<UdpSendOptions>();
  auto* sub = app.add_subcommand("udp-send", "Send a file reliably over UDP to `udp-recv`");
  sub->add_option("file", opts->file, "File to send")->required();
  sub->add_option("target", opts->target, "Receiver as HOST:PORT")->required();
  sub->add_option("--name", opts->name, "Name announced to the receiver (default: basename)");
  sub->add_option("--window", opts->window,
                  "Max chunks in flight; 1 = stop-and-wait, 0 = auto (1 MiB)")
      ->capture_default_str();
  sub->add_option("--chunk", opts->chunk, "Payload bytes per datagram (0 = from path MTU)")
      ->capture_default_str();
  sub->add_option("--retries", opts->retries, "HELLO attempts (FIN: twice) before giving up")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  add_duration_option(*sub, "--min-rto", opts->min_rto, "Minimum retransmission timeout",
                      std::chrono::microseconds(100), std::chrono::minutes(1));
  add_duration_option(*sub, "--timeout", opts->timeout,
                      "Give up after this long without an answer (whole handshake, no newly "
                      "acknowledged data, FIN)",
                      std::chrono::milliseconds(100), std::chrono::hours(1));
  sub->add_flag("-v,--verbose", opts->verbose, "Print every datagram, timeout and retransmission");
  sub->add_flag("-q,--quiet", opts->quiet, "No progress line on a terminal");
  sub->callback([opts, &action] { action = [opts] { return run_udp_send(*opts); }; });
}

}  // namespace tcpinspect::cmd
