// SPDX-License-Identifier: MIT
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cmd/command.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/udp_transfer_receiver.hpp"

namespace tcpinspect::cmd {

struct UdpRecvOptions {
  std::string bind = traffic::udp::kDefaultReceiverBind;
  int port = 0;
  std::string dir = ".";
  bool overwrite = false;
  uint32_t count = 0;
  double idle_timeout_s = 10;
  uint32_t max_transfers = 64;
  uint64_t max_size = uint64_t{16} << 30;
  bool verbose = false;
};

namespace {

std::atomic<bool> g_stop{false};  // SIGINT/SIGTERM: stop and remove temporary files

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
  c.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(o.idle_timeout_s * 1000));
  c.max_transfers = o.max_transfers;
  c.max_file_size = o.max_size;
  c.verbose = o.verbose;
  c.stop = &g_stop;
  std::signal(SIGINT, [](int) { g_stop = true; });
  std::signal(SIGTERM, [](int) { g_stop = true; });

  std::unique_ptr<Receiver> r;
  try {
    r = std::make_unique<Receiver>(c);
  } catch (const std::system_error& e) {
    throw RunError(std::string("udp-recv: ") + e.what());
  }
  std::printf("listening on %s\n", r->local_address().to_string().c_str());
  std::fflush(stdout);
  const ReceiverSummary s = r->run();
  std::printf("%u transfers completed, %u failed, %llu datagrams ignored\n", s.completed, s.failed,
              static_cast<unsigned long long>(s.ignored));
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
  sub->add_option("--idle-timeout", opts->idle_timeout_s,
                  "Abort a transfer silent for this many seconds")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  sub->add_option("--max-transfers", opts->max_transfers,
                  "Files received at once; more senders are refused as busy")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  sub->add_option("--max-size", opts->max_size,
                  "Largest file accepted, bytes (suffixes K, M, G, T: powers of 1024)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  sub->add_flag("-v,--verbose", opts->verbose, "Print every datagram and acknowledgement");
  sub->callback([opts, &action] { action = [opts] { return run_udp_recv(*opts); }; });
}

}  // namespace tcpinspect::cmd
