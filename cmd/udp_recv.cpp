// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/stop_signals.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/udp_transfer_io.hpp"
#include "traffic/udp_transfer_name.hpp"
#include "traffic/udp_transfer_receiver.hpp"

namespace tcpinspect::cmd {

struct UdpRecvOptions {
  std::string bind = traffic::udp::kDefaultReceiverBind;
  int port = 0;
  std::string dir = ".";
  bool overwrite = false;
  uint32_t count = 0;
  std::chrono::nanoseconds idle_timeout = std::chrono::seconds(10);
  uint32_t max_transfers = 64;
  uint64_t max_size = uint64_t{16} << 30;
  bool verbose = false;
  bool quiet = false;
};

namespace {

bool g_progress_shown = false;  // a status line is on the terminal (see print_progress)

// One line per event: completed files on stdout, everything that went wrong on stderr.
void print_event(const traffic::udp::ReceiverEvent& e) {
  if (g_progress_shown) {  // erase the status line first; the next report redraws it
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
  }
  using traffic::udp::printable;
  using traffic::udp::ReceiverEvent;
  char id[9];
  std::snprintf(id, sizeof id, "%08x", e.transfer_id);
  const std::string peer = e.peer.to_string();
  switch (e.kind) {
    case ReceiverEvent::Kind::Completed:
      std::printf("received %s: %llu bytes from %s in %.3f s (%.1f Mbit/s), sha256 %s\n",
                  printable(e.path.string()).c_str(), static_cast<unsigned long long>(e.bytes),
                  peer.c_str(), e.seconds,
                  e.seconds > 0 ? static_cast<double>(e.bytes) * 8 / e.seconds / 1e6 : 0.0,
                  traffic::udp::to_hex(e.sha256).c_str());
      std::fflush(stdout);
      return;
    case ReceiverEvent::Kind::Failed:
      std::fprintf(stderr, "tcpinspect: udp-recv: transfer %s from %s (\"%s\") failed: %s%s%s\n",
                   id, peer.c_str(), printable(e.name).c_str(),
                   std::string(to_string(e.code)).c_str(), e.text.empty() ? "" : ": ",
                   printable(e.text).c_str());
      break;
    case ReceiverEvent::Kind::AbortedBySender:
      std::fprintf(stderr,
                   "tcpinspect: udp-recv: transfer %s from %s (\"%s\") aborted by sender: %s\n", id,
                   peer.c_str(), printable(e.name).c_str(), printable(e.text).c_str());
      break;
    case ReceiverEvent::Kind::DatagramError:
      std::fprintf(stderr, "tcpinspect: udp-recv: datagram from %s: %s\n", peer.c_str(),
                   printable(e.text).c_str());
      break;
  }
  std::fflush(stderr);
}

// One status line on a terminal for all transfers under way (rate from the previous
// snapshot); erased when none is left, so event lines never interleave with it.
void print_progress(const traffic::udp::ReceiverProgress& p) {
  static auto last_time = std::chrono::steady_clock::now();
  static uint64_t last_bytes = 0;
  const auto now = std::chrono::steady_clock::now();
  const double secs = std::chrono::duration<double>(now - last_time).count();
  const double rate = secs > 0 && p.bytes_written >= last_bytes
                          ? static_cast<double>(p.bytes_written - last_bytes) / secs
                          : 0;
  last_time = now;
  last_bytes = p.bytes_written;
  g_progress_shown = p.active > 0;
  if (p.active == 0) {
    last_bytes = 0;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    return;
  }
  char eta[32] = "?";
  if (rate > 0) {
    std::snprintf(eta, sizeof eta, "%.0f s",
                  static_cast<double>(p.bytes_expected - p.bytes_written) / rate);
  }
  std::fprintf(stderr,
               "\rreceiving %u: %.1f of %.1f MiB, %.1f MB/s, %llu retransmissions, ETA %s\x1b[K",
               p.active, static_cast<double>(p.bytes_written) / (1 << 20),
               static_cast<double>(p.bytes_expected) / (1 << 20), rate / 1e6,
               static_cast<unsigned long long>(p.duplicates), eta);
  std::fflush(stderr);
}

int run_udp_recv(const UdpRecvOptions& o) {
  using namespace traffic::udp;
  ReceiverConfig c;
  try {
    c.bind = traffic::parse_ip(o.bind, static_cast<uint16_t>(o.port));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("udp-recv: ") + e.what());
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(o.dir, ec)) {
    throw RunError("udp-recv: " + o.dir + " is not a directory");
  }
  c.dir = o.dir;
  c.overwrite = o.overwrite;
  c.count = o.count;
  c.idle_timeout = std::chrono::duration_cast<decltype(c.idle_timeout)>(o.idle_timeout);
  c.max_transfers = o.max_transfers;
  c.max_file_size = o.max_size;
  c.verbose = o.verbose;
  c.on_event = print_event;
  if (!o.quiet && !o.verbose && ::isatty(STDERR_FILENO)) c.on_progress = print_progress;
  // A stop ends the run and removes temporary files; installed until the summary is printed.
  const StopSignals stop_signals;
  c.stop = &stop_signals.requested();

  std::unique_ptr<Receiver> r;
  try {
    r = std::make_unique<Receiver>(c);
  } catch (const std::system_error& e) {
    throw RunError(std::string("udp-recv: ") + e.what());
  }
  std::printf("listening on %s\n", r->local_address().to_string().c_str());
  std::fflush(stdout);
  const ReceiverSummary s = r->run();
  std::printf("%u transfer%s completed, %u failed, %llu datagram%s ignored\n", s.completed,
              s.completed == 1 ? "" : "s", s.failed, static_cast<unsigned long long>(s.ignored),
              s.ignored == 1 ? "" : "s");
  std::fflush(stdout);
  return s.failed > 0 ? 1 : 0;
}

}  // namespace

void register_udp_recv(CLI::App& app, Action& action) {
  auto opts = std::make_shared<UdpRecvOptions>();
  auto* sub = app.add_subcommand("udp-recv", "Receive files sent with `udp-send`");
  sub->add_option("--port", opts->port, "UDP port (0 = any; the chosen one is printed)")
      ->check(CLI::Range(0, 65535))
      ->required();
  sub->add_option("--bind", opts->bind, "Local address to listen on (:: = dual-stack IPv6+IPv4)")
      ->capture_default_str();
  sub->add_option("--dir", opts->dir, "Directory for received files")->capture_default_str();
  sub->add_flag("--overwrite", opts->overwrite, "Replace existing files");
  sub->add_option("--count", opts->count, "Exit after N transfers ended (0 = run forever)")
      ->capture_default_str();
  add_duration_option(*sub, "--idle-timeout", opts->idle_timeout,
                      "Abort a transfer silent this long", std::chrono::milliseconds(100),
                      std::chrono::hours(1));
  sub->add_option("--max-transfers", opts->max_transfers,
                  "Files received at once; more senders are refused as busy")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  sub->add_option("--max-size", opts->max_size,
                  "Largest file accepted, bytes (suffixes K, M, G, T: powers of 1024)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  sub->add_flag("-v,--verbose", opts->verbose, "Print every datagram and acknowledgement");
  sub->add_flag("-q,--quiet", opts->quiet, "No progress line on a terminal");
  sub->callback([opts, &action] { action = [opts] { return run_udp_recv(*opts); }; });
}

}  // namespace tcpinspect::cmd
