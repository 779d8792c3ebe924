// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "traffic/fd.hpp"
#include "traffic/socket_address.hpp"

/// Blocking-style echo client building blocks (non-blocking sockets driven by poll(2), so
/// every wait has a timeout). See docs/echo.md.
namespace tcpinspect::traffic {

/// A client failure with a one-line, user-facing message.
struct ClientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ConnectOptions {
  int retries = 0;  ///< extra attempts after a refused / timed-out / unreachable connect
  std::chrono::milliseconds timeout{5000};       ///< per attempt
  std::chrono::milliseconds first_backoff{100};  ///< doubled after every failed attempt
  std::chrono::milliseconds max_backoff{5000};
};

/// Connects a non-blocking TCP socket. Throws ClientError, e.g.
/// "connect to 127.0.0.1:9: Connection refused (after 3 retries)".
Fd connect_tcp(const SocketAddress& target, const ConnectOptions& options);

/// A UDP socket connect()ed to `target` (so ICMP port-unreachable reports ECONNREFUSED).
Fd connect_udp(const SocketAddress& target);

struct ExchangeOptions {
  bool half_close = false;                  ///< shutdown(SHUT_WR) after sending, then read to EOF
  std::chrono::milliseconds timeout{5000};  ///< longest wait without any progress
};

/// How an exchange ended.
enum class ExchangeEnd {
  Complete,    ///< got as many bytes as sent (or EOF after --half-close)
  PeerClosed,  ///< EOF before all echoed bytes arrived
  Reset,       ///< ECONNRESET / EPIPE
  Timeout,     ///< no progress for ExchangeOptions::timeout
  Error,       ///< another socket error (`error`)
};

struct ExchangeResult {
  ExchangeEnd end = ExchangeEnd::Complete;
  int error = 0;
  uint64_t sent = 0;
};

/// Sends `data` while reading replies into `received` (reading and writing concurrently,
/// so a payload larger than the socket buffers cannot deadlock). Without half_close it
/// stops once data.size() bytes came back; with half_close it reads until EOF.
ExchangeResult exchange(int fd, std::string_view data, const ExchangeOptions& options,
                        std::string& received);

/// One-line description of a non-Complete result: "connection closed by peer after 5 of
/// 10 bytes", "connection reset by peer after ...", "timeout: no data for 5s after ...".
std::string describe(const ExchangeResult& result, size_t received, size_t expected,
                     std::chrono::milliseconds timeout);

/// Sends one datagram and waits for one reply, resending up to `retries` times after a
/// timeout. Throws ClientError on timeout / refused / oversize (> 65507 bytes).
std::string udp_exchange(int fd, std::string_view datagram, std::chrono::milliseconds timeout,
                         int retries);

/// SO_LINGER {1,0} then close: the peer sees RST.
void close_with_rst(Fd& fd);

/// Interactive mode: copies lines from `in_fd` to the socket and everything the server
/// sends to `out_fd`, printing `prompt` when the reply so far ends with a newline. On
/// input EOF it half-closes and waits (up to `timeout`) for the server to finish.
/// Returns 0, or throws ClientError (reset, error). UDP sockets send one datagram per line.
/// What is neither data nor an error ("connection closed by peer" while input was still
/// open) goes to `notice`, for the caller to print; traffic/ prints nothing itself.
int interactive(int sock, bool udp, int in_fd, int out_fd, std::string_view prompt,
                std::chrono::milliseconds timeout,
                const std::function<void(std::string_view)>& notice = {});

}  // namespace tcpinspect::traffic
