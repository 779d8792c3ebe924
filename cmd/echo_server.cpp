// SPDX-License-Identifier: MIT
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/stop_signals.hpp"
#include "traffic/echo_server.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::cmd {

struct EchoServerOptions {
  std::string bind = "::";
  uint16_t port = 7007;
  std::string mode = "echo";
  size_t max_clients = traffic::kDefaultMaxClients;
  size_t buffer_budget_mib = traffic::kDefaultBufferBudget >> 20;
  std::chrono::nanoseconds idle_timeout{0};  // 0: never
  std::chrono::nanoseconds shutdown_timeout = std::chrono::seconds(5);
  std::optional<uint64_t> close_after;
  bool rst = false;
  bool udp = false;
  bool quiet = false;  // -q: no per-connection lines
};

int run_echo_server(const EchoServerOptions& o);

namespace {

std::chrono::milliseconds to_ms(std::chrono::nanoseconds d) {
  return std::chrono::round<std::chrono::milliseconds>(d);
}

}  // namespace

void register_echo_server(CLI::App& app, Action& action) {
  auto opts = std::make_shared<EchoServerOptions>();
  auto* sub = app.add_subcommand(
      "echo-server", "TCP (and UDP) echo server: one epoll loop, IPv4+IPv6, per-connection log");
  sub->add_option("--bind", opts->bind, "Address to listen on (:: = dual-stack IPv6+IPv4)")
      ->capture_default_str();
  sub->add_option("--port", opts->port, "Port; 0 picks a free one (see the first output line)")
      ->capture_default_str();
  sub->add_option("--mode", opts->mode, "Reply: echo | count | time")
      ->check(CLI::IsMember({"echo", "count", "time"}))
      ->capture_default_str();
  sub->add_option("--max-clients", opts->max_clients,
                  "Accept and close connections beyond this many (0 = no limit)")
      ->capture_default_str();
  sub->add_option("--buffer-budget", opts->buffer_budget_mib,
                  "MiB of replies waiting for all clients together; over it the slowest "
                  "readers are closed (0 = no budget)")
      ->check(CLI::Range(size_t{0}, size_t{1} << 20))
      ->capture_default_str();
  add_duration_option(*sub, "--idle-timeout", opts->idle_timeout,
                      "Close a connection idle this long (0 = never)", std::chrono::nanoseconds(0),
                      std::chrono::hours(24 * 365));
  add_duration_option(*sub, "--shutdown-timeout", opts->shutdown_timeout,
                      "On SIGINT/SIGTERM, how long to let clients finish before closing them",
                      std::chrono::nanoseconds(0), std::chrono::hours(24));
  sub->add_option("--close-after", opts->close_after,
                  "Server closes each connection after sending this many reply bytes");
  sub->add_flag("--rst", opts->rst, "Close connections with RST (SO_LINGER 0) instead of FIN");
  sub->add_flag("--udp", opts->udp, "Also serve UDP echo on the same port");
  sub->add_flag("-q,--quiet", opts->quiet,
                "No line per connection (the listening line and the report stay)");
  sub->callback([opts, &action] { action = [opts] { return run_echo_server(*opts); }; });
}

int run_echo_server(const EchoServerOptions& o) {
  traffic::EchoServerOptions so;
  try {
    so.bind = traffic::parse_ip(o.bind, o.port);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--bind: ") + e.what());
  }
  so.mode = *traffic::parse_echo_mode(o.mode);  // CLI11 checked the value
  so.max_clients = o.max_clients;
  so.buffer_budget = o.buffer_budget_mib << 20;
  so.idle_timeout = to_ms(o.idle_timeout);
  so.shutdown_timeout = to_ms(o.shutdown_timeout);
  so.close_after = o.close_after;
  so.rst = o.rst;
  so.udp = o.udp;

  // Thousands of clients need thousands of descriptors.
  traffic::raise_fd_limit(1u << 20);

  // Stop signals reach the event loop as bytes on the helper's pipe: one byte, one request
  // (the second one ends the grace period).
  const StopSignals stop_signals;
  so.stop_fd = stop_signals.fd();

  // Line buffered: every log line reaches a pipe at once (tests read them live).
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (!o.quiet) {
    so.on_close = [](const traffic::ConnectionSummary& s) {
      std::printf("%s\n", traffic::format_summary(s).c_str());
    };
  }
  so.log = [](const std::string& line) { std::printf("%s\n", line.c_str()); };

  traffic::EchoServer server(std::move(so));
  // Exactly "listening on ADDR:PORT": scripts and tests parse this first line.
  std::printf("listening on %s\n", server.local_address().to_string().c_str());
  if (o.udp) std::printf("udp on %s\n", server.local_address().to_string().c_str());
  std::fflush(stdout);
  const traffic::ServerReport report = server.run();
  std::printf("%s\n", traffic::format_report(report, o.udp).c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace tcpinspect::cmd
