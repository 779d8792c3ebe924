// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "traffic/echo_reply.hpp"
#include "traffic/socket_address.hpp"

/// A single-threaded epoll echo server (TCP, optionally UDP on the same port).
/// See docs/echo.md for the behaviour the options select.
namespace tcpinspect::traffic {

/// How a connection ended; to_string() gives the stable id printed in log lines.
enum class EndReason {
  ClientFin,    ///< "client_fin": the client closed its side, all replies were delivered
  ServerClose,  ///< "server_close": --close-after reached, the server closed first
  Reset,        ///< "reset": the client reset the connection (ECONNRESET / EPIPE)
  Timeout,      ///< "timeout": nothing sent or received for --idle-timeout
  Shutdown,     ///< "shutdown": still open when the shutdown grace period ended
  Refused,      ///< "refused": accepted and closed at once (--max-clients, out of fds)
  Shed,         ///< "shed": closed because the server's reply buffers ran over their budget
  Error,        ///< "error": any other socket error (see ConnectionSummary::error)
};
const char* to_string(EndReason reason);

/// One line of the per-connection log.
struct ConnectionSummary {
  SocketAddress peer;
  uint64_t bytes_in = 0;   ///< bytes read from the client
  uint64_t bytes_out = 0;  ///< bytes written to the client
  std::chrono::nanoseconds duration{0};
  EndReason reason = EndReason::ClientFin;
  int error = 0;  ///< errno for Reset / Error
};
/// "conn peer=127.0.0.1:40000 in=5 out=5 duration=0.001234s end=client_fin"
/// (+ " error=<strerror>" for Error).
std::string format_summary(const ConnectionSummary& s);

/// Totals returned by EchoServer::run().
struct ServerReport {
  uint64_t accepted = 0;  ///< connections served (refused ones excluded)
  uint64_t refused = 0;
  uint64_t peak_clients = 0;
  uint64_t open_at_stop = 0;        ///< connections open when shutdown began
  uint64_t closed_at_deadline = 0;  ///< of those, closed because the grace period ended
  uint64_t udp_datagrams_in = 0;
  uint64_t udp_datagrams_out = 0;
  uint64_t udp_dropped = 0;    ///< replies not sent (socket buffer full)
  uint64_t shed = 0;           ///< connections closed to get back under the buffer budget
  uint64_t peak_buffered = 0;  ///< most heap bytes of reply buffers at once
  bool stopped = false;        ///< run() ended because of a stop request
};
/// "shutdown: accepted=.. refused=.. peak_clients=.. open_at_stop=.. closed_at_deadline=.."
/// (+ " shed=.." when connections were shed, + " udp_in=.. udp_out=.. udp_dropped=.." when
/// UDP was served).
std::string format_report(const ServerReport& r, bool udp);

/// [::]:7007, dual-stack (IPv4 clients arrive as ::ffff:a.b.c.d).
SocketAddress default_echo_bind();

/// Defaults that bound the server's memory: each connection holds at most pending_cap +
/// one read of replies, all of them together at most the budget (+ one read).
inline constexpr size_t kDefaultMaxClients = 1024;
inline constexpr size_t kDefaultBufferBudget = 64 * 1024 * 1024;

struct EchoServerOptions {
  SocketAddress bind = default_echo_bind();
  EchoMode mode = EchoMode::Echo;
  size_t max_clients = kDefaultMaxClients;    ///< 0 = unlimited
  std::chrono::milliseconds idle_timeout{0};  ///< 0 = never
  std::chrono::milliseconds shutdown_timeout{5000};
  std::optional<uint64_t> close_after;  ///< close after this many reply bytes
  bool rst = false;                     ///< every server-side close sends RST
  bool udp = false;                     ///< also serve UDP on the same port
  size_t pending_cap = 256 * 1024;      ///< stop reading while more reply bytes are queued
  /// Heap bytes of all reply buffers together. Over it the server reads nothing more
  /// and closes the slowest readers (the longest without draining their replies) until it
  /// is back under; each is logged and ends "shed". 0 = no budget.
  size_t buffer_budget = kDefaultBufferBudget;
  /// Extra descriptor (e.g. the read end of a self-pipe a signal handler writes to) whose
  /// readability means "stop"; the server reads one byte per request from it. The second
  /// stop request ends the grace period at once.
  int stop_fd = -1;
  std::function<void(const ConnectionSummary&)> on_close;  ///< one call per connection
  std::function<void(const std::string&)> log;             ///< other informational lines
  std::function<std::time_t()> clock;  ///< wall clock for --mode time (default time())
};

class EchoServer {
 public:
  /// Binds and listens (throws std::system_error, e.g. "bind [::]:7: Address in use").
  explicit EchoServer(EchoServerOptions options);
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  /// The bound address, with the real port when 0 was asked for.
  SocketAddress local_address() const;

  /// Serves until a stop request, then shuts down gracefully and returns the totals.
  ServerReport run();

  /// Thread- and async-signal-safe: starts the graceful shutdown (a second call ends it).
  void request_stop();

  /// Currently open TCP connections (safe to read from another thread).
  size_t client_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcpinspect::traffic
