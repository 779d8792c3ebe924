// SPDX-License-Identifier: MIT
#include "traffic/echo_client.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#include "traffic/socket_ops.hpp"

namespace tcpinspect::traffic {

namespace {

using Clock = std::chrono::steady_clock;

// Largest UDP payload over IPv4 (65535 - 20 IP - 8 UDP).
constexpr size_t kMaxDatagram = 65507;

int ms_left(Clock::time_point deadline) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return ms < 0 ? 0 : static_cast<int>(std::min<long long>(ms, 1 << 30));
}

bool retryable(int err) {
  return err == ECONNREFUSED || err == ETIMEDOUT || err == ENETUNREACH || err == EHOSTUNREACH ||
         err == ECONNRESET || err == EAGAIN;
}

// One connect attempt; returns the socket or sets `err`.
Fd try_connect(const SocketAddress& target, std::chrono::milliseconds timeout, int& err) {
  Fd fd = open_socket(target, SOCK_STREAM);
  if (::connect(fd.get(), target.data(), target.size()) == 0) return fd;
  if (errno != EINPROGRESS) {
    err = errno;
    return {};
  }
  pollfd p{fd.get(), POLLOUT, 0};
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const int n = ::poll(&p, 1, ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("poll");
    if (n == 0) {
      err = ETIMEDOUT;
      return {};
    }
    break;
  }
  err = socket_error(fd.get());
  if (err != 0) return {};
  return fd;
}

}  // namespace

Fd connect_tcp(const SocketAddress& target, const ConnectOptions& options) {
  auto backoff = options.first_backoff;
  int err = 0;
  for (int attempt = 0;; ++attempt) {
    Fd fd = try_connect(target, options.timeout, err);
    if (fd) {
      const int one = 1;
      ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
    if (!retryable(err) || attempt >= options.retries) break;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, options.max_backoff);
  }
  std::string msg = "connect to " + target.to_string() + ": " +
                    (err == ETIMEDOUT ? std::string("timed out") : std::strerror(err));
  if (options.retries > 0) msg += " (after " + std::to_string(options.retries) + " retries)";
  throw ClientError(msg);
}

Fd connect_udp(const SocketAddress& target) {
  Fd fd = open_socket(target, SOCK_DGRAM);
  if (::connect(fd.get(), target.data(), target.size()) != 0)
    throw ClientError("connect to " + target.to_string() + ": " + std::strerror(errno));
  return fd;
}

ExchangeResult exchange(int fd, std::string_view data, const ExchangeOptions& options,
                        std::string& received) {
  ExchangeResult result;
  const size_t base = received.size();
  size_t sent = 0;
  bool shut = false;
  char buf[64 * 1024];
  auto deadline = Clock::now() + options.timeout;
  auto done_reading = [&] { return !options.half_close && received.size() - base >= data.size(); };
  while (!done_reading()) {
    if (options.half_close && sent == data.size() && !shut) {
      if (::shutdown(fd, SHUT_WR) != 0) {
        result.end = ExchangeEnd::Error;
        result.error = errno;
        break;
      }
      shut = true;
    }
    pollfd p{fd, POLLIN, 0};
    if (sent < data.size()) p.events |= POLLOUT;
    const int n = ::poll(&p, 1, ms_left(deadline));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    if (n == 0) {
      result.end = ExchangeEnd::Timeout;
      break;
    }
    bool progress = false;
    if ((p.revents & POLLOUT) != 0 && sent < data.size()) {
      const ssize_t w = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (w > 0) {
        sent += static_cast<size_t>(w);
        progress = true;
      } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        result.error = errno;
        result.end =
            (errno == EPIPE || errno == ECONNRESET) ? ExchangeEnd::Reset : ExchangeEnd::Error;
        break;
      }
    }
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
      if (r > 0) {
        received.append(buf, static_cast<size_t>(r));
        progress = true;
      } else if (r == 0) {
        if (!options.half_close) result.end = ExchangeEnd::PeerClosed;
        break;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        result.error = errno;
        result.end = errno == ECONNRESET ? ExchangeEnd::Reset : ExchangeEnd::Error;
        break;
      }
    }
    if (progress) deadline = Clock::now() + options.timeout;
  }
  result.sent = sent;
  return result;
}

std::string describe(const ExchangeResult& result, size_t received, size_t expected,
                     std::chrono::milliseconds timeout) {
  const std::string where =
      " after " + std::to_string(received) + " of " + std::to_string(expected) + " bytes";
  switch (result.end) {
    case ExchangeEnd::Complete:
      return "complete";
    case ExchangeEnd::PeerClosed:
      return "connection closed by peer" + where;
    case ExchangeEnd::Reset:
      return "connection reset by peer" + where;
    case ExchangeEnd::Timeout: {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%gs", std::chrono::duration<double>(timeout).count());
      return std::string("timeout: nothing received for ") + secs + where;
    }
    case ExchangeEnd::Error:
      return std::string(std::strerror(result.error)) + where;
  }
  return "?";
}

std::string udp_exchange(int fd, std::string_view datagram, std::chrono::milliseconds timeout,
                         int retries) {
  if (datagram.size() > kMaxDatagram)
    throw ClientError("datagram of " + std::to_string(datagram.size()) +
                      " bytes exceeds the UDP maximum of 65507");
  std::string reply(64 * 1024, '\0');
  for (int attempt = 0; attempt <= retries; ++attempt) {
    if (::send(fd, datagram.data(), datagram.size(), 0) < 0)
      throw ClientError(std::string("send: ") + std::strerror(errno));
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      const int n = ::poll(&p, 1, ms_left(deadline));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      const ssize_t r = ::recv(fd, reply.data(), reply.size(), 0);
      if (r >= 0) {
        reply.resize(static_cast<size_t>(r));
        return reply;
      }
      if (errno == EAGAIN || errno == EINTR) continue;
      throw ClientError(std::string("udp: ") + std::strerror(errno));
    }
  }
  throw ClientError(
      "timeout: no UDP reply" +
      (retries > 0 ? " after " + std::to_string(retries) + " retries" : std::string()));
}

void close_with_rst(Fd& fd) {
  if (!fd) return;
  try {
    set_linger_rst(fd.get());
  } catch (const std::system_error&) {
    // Already dead: a plain close is all that is left.
  }
  fd.reset();
}

namespace {

bool write_all(int fd, const char* data, size_t len, std::chrono::milliseconds timeout) {
  while (len > 0) {
    const ssize_t w = ::write(fd, data, len);
    if (w > 0) {
      data += w;
      len -= static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

int interactive(int sock, bool udp, int in_fd, int out_fd, std::string_view prompt,
                std::chrono::milliseconds timeout,
                const std::function<void(std::string_view)>& notice) {
  char buf[64 * 1024];
  bool input_open = true;
  auto show_prompt = [&] {
    if (input_open && !prompt.empty()) write_all(out_fd, prompt.data(), prompt.size(), timeout);
  };
  show_prompt();
  std::string line;  // input not yet sent as a complete line (UDP sends whole lines)
  auto deadline = Clock::time_point::max();
  for (;;) {
    pollfd p[2] = {{sock, POLLIN, 0}, {in_fd, static_cast<short>(input_open ? POLLIN : 0), 0}};
    const int wait = deadline == Clock::time_point::max() ? -1 : ms_left(deadline);
    const int n = ::poll(p, 2, wait);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    if (n == 0) {
      if (udp) return 0;
      throw ClientError("timeout: server did not close within the timeout after end of input");
    }
    if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t r = ::recv(sock, buf, sizeof buf, 0);
      if (r == 0) {
        if (input_open && notice) notice("connection closed by peer");
        return 0;
      }
      if (r < 0 && errno != EAGAIN && errno != EINTR) {
        throw ClientError(errno == ECONNRESET ? "connection reset by peer"
                                              : std::string("recv: ") + std::strerror(errno));
      }
      if (r > 0) {
        write_all(out_fd, buf, static_cast<size_t>(r), timeout);
        if (buf[r - 1] == '\n' || udp) show_prompt();
      }
    }
    if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t r = ::read(in_fd, buf, sizeof buf);
      if (r > 0) {
        line.append(buf, static_cast<size_t>(r));
        // Send whole lines; a terminal delivers one per read, a paste may hold several.
        size_t nl;
        while ((nl = line.find('\n')) != std::string::npos) {
          const bool ok = udp ? ::send(sock, line.data(), nl + 1, 0) >= 0
                              : write_all(sock, line.data(), nl + 1, timeout);
          if (!ok) throw ClientError(std::string("send: ") + std::strerror(errno));
          line.erase(0, nl + 1);
        }
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        input_open = false;
        if (!line.empty()) {
          const bool ok = udp ? ::send(sock, line.data(), line.size(), 0) >= 0
                              : write_all(sock, line.data(), line.size(), timeout);
          if (!ok) throw ClientError(std::string("send: ") + std::strerror(errno));
          line.clear();
        }
        if (!udp) ::shutdown(sock, SHUT_WR);
        deadline = Clock::now() + timeout;
      }
    }
  }
}

}  // namespace tcpinspect::traffic
