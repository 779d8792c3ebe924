// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/stop_signals.hpp"
#include "traffic/echo_client.hpp"
#include "traffic/echo_load.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::cmd {

struct EchoClientOptions {
  std::string target;
  std::optional<std::string> send;
  int retries = 0;
  std::chrono::nanoseconds timeout = std::chrono::seconds(5);
  bool half_close = false;
  bool rst = false;
  bool udp = false;
  // Load mode (any of these given).
  std::optional<size_t> connections;
  std::optional<size_t> messages;
  std::optional<size_t> size;
  std::chrono::nanoseconds duration = std::chrono::seconds(60);
  std::chrono::nanoseconds hold{0};
};

int run_echo_client(const EchoClientOptions& o);

namespace {

std::chrono::milliseconds to_ms(std::chrono::nanoseconds d) {
  return std::chrono::round<std::chrono::milliseconds>(d);
}

std::string read_all(int fd) {
  std::string data;
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      data.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      return data;
    } else if (errno != EINTR) {
      throw RunError(std::string("reading stdin: ") + std::strerror(errno));
    }
  }
}

// traffic/ reports; the command line prints (stderr, as before: "connection closed by peer").
void print_notice(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

// The echo exactly as received; on a terminal a missing final newline is added, so the
// shell's prompt does not land on the echo's line (into a pipe or file, the bytes stay exact).
void write_stdout(const std::string& data) {
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), stdout) != data.size())
    throw RunError("writing stdout failed");
  if (!data.empty() && data.back() != '\n' && ::isatty(STDOUT_FILENO)) std::fputc('\n', stdout);
  std::fflush(stdout);
}

int run_load_mode(const EchoClientOptions& o, const traffic::SocketAddress& target) {
  traffic::LoadOptions lo;
  lo.target = target;
  lo.connections = o.connections.value_or(1);
  lo.messages = o.messages.value_or(1);
  lo.size = o.size.value_or(64);
  lo.timeout = to_ms(o.timeout);
  lo.duration = to_ms(o.duration);
  lo.hold = to_ms(o.hold);
  lo.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  if (lo.size == 0) throw UsageError("--size must be at least 1");
  if (lo.connections == 0) throw UsageError("--connections must be at least 1");
  const unsigned long limit = traffic::raise_fd_limit(lo.connections + 64);
  if (limit < lo.connections + 16)
    throw RunError("--connections " + std::to_string(lo.connections) +
                   " needs more file descriptors than the limit of " + std::to_string(limit) +
                   " (raise ulimit -n)");
  // Ctrl-C ends the run with the report of what was done so far, then exit 128 + signal.
  const StopSignals stop;
  lo.stop = &stop.requested();
  const traffic::LoadReport r = traffic::run_load(lo);
  std::printf("%s\n", traffic::format_load_report(r, lo).c_str());
  std::fflush(stdout);
  if (r.stopped_by_signal) throw Interrupted(stop.signal());
  if (!r.ok(lo))
    throw RunError("load: " + (r.first_error.empty() ? std::string("incomplete") : r.first_error));
  return 0;
}

}  // namespace

void register_echo_client(CLI::App& app, Action& action) {
  auto opts = std::make_shared<EchoClientOptions>();
  auto* sub = app.add_subcommand(
      "echo-client", "Echo client: interactive, scripted (--send / stdin) or load mode");
  sub->add_option("target", opts->target, "Server as HOST:PORT or [IPv6]:PORT")->required();
  sub->add_option("--send", opts->send, "Send TEXT (exactly, no newline added), print the echo");
  sub->add_option("--retries", opts->retries, "Connect retries with exponential back-off")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_duration_option(*sub, "--timeout", opts->timeout,
                      "How long to wait for a connect or for any data before giving up",
                      std::chrono::milliseconds(1), std::chrono::hours(24));
  sub->add_flag("--half-close", opts->half_close,
                "shutdown(SHUT_WR) after sending, then read until the server closes");
  sub->add_flag("--rst", opts->rst, "Close with RST (SO_LINGER 0) instead of FIN");
  sub->add_flag("--udp", opts->udp, "Use UDP: one datagram per --send / line");
  sub->add_option("--connections", opts->connections, "Load mode: concurrent connections");
  sub->add_option("--messages", opts->messages, "Load mode: round trips per connection");
  sub->add_option("--size", opts->size, "Load mode: bytes per message");
  add_duration_option(*sub, "--duration", opts->duration, "Load mode: stop after this long",
                      std::chrono::milliseconds(1), std::chrono::hours(24 * 365));
  add_duration_option(*sub, "--hold", opts->hold,
                      "Load mode: keep all connections open this long at the end",
                      std::chrono::nanoseconds(0), std::chrono::hours(24));
  sub->callback([opts, &action] { action = [opts] { return run_echo_client(*opts); }; });
}

int run_echo_client(const EchoClientOptions& o) {
  // A bad HOST:PORT throws std::invalid_argument: a usage error (exit 2) in main.
  const traffic::SocketAddress target = traffic::parse_host_port(o.target);
  const bool load = o.connections || o.messages || o.size;
  if (load) {
    if (o.udp || o.send || o.half_close || o.rst)
      throw UsageError(
          "load mode (--connections/--messages/--size) is TCP only and sends its "
          "own pattern");
    return run_load_mode(o, target);
  }
  const auto timeout = to_ms(o.timeout);
  const bool scripted = o.send.has_value() || !::isatty(STDIN_FILENO);

  if (o.udp) {
    if (o.half_close || o.rst) throw UsageError("--half-close and --rst are TCP only");
    traffic::Fd fd = traffic::connect_udp(target);
    if (!scripted)
      return traffic::interactive(fd.get(), true, STDIN_FILENO, STDOUT_FILENO, "> ", timeout,
                                  print_notice);
    const std::string payload = o.send ? *o.send : read_all(STDIN_FILENO);
    write_stdout(traffic::udp_exchange(fd.get(), payload, timeout, o.retries));
    return 0;
  }

  traffic::Fd fd = traffic::connect_tcp(target, {o.retries, timeout});
  if (!scripted) {
    const int rc = traffic::interactive(fd.get(), false, STDIN_FILENO, STDOUT_FILENO, "> ", timeout,
                                        print_notice);
    if (o.rst) traffic::close_with_rst(fd);
    return rc;
  }
  const std::string payload = o.send ? *o.send : read_all(STDIN_FILENO);
  std::string received;
  const traffic::ExchangeResult r =
      traffic::exchange(fd.get(), payload, {o.half_close, timeout}, received);
  write_stdout(received);
  if (o.rst) traffic::close_with_rst(fd);
  if (r.end != traffic::ExchangeEnd::Complete)
    throw RunError(traffic::describe(r, received.size(), payload.size(), timeout));
  return 0;
}

}  // namespace tcpinspect::cmd
