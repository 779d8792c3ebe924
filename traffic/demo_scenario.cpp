// SPDX-License-Identifier: MIT
#include "traffic/demo_scenario.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include "traffic/fd.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::traffic {
namespace {

using Clock = std::chrono::steady_clock;

// The two messages the client sends; the server echoes each.
constexpr std::string_view kMessages[] = {"hello\n", "bye\n"};
constexpr size_t kTotalBytes = 10;  // "hello\n" + "bye\n"

// "hello\n" -> "\"hello\\n\"": what went over the wire, readable on one line.
std::string quoted(std::string_view bytes) {
  std::string s = "\"";
  for (const char c : bytes) {
    if (c == '\n') {
      s += "\\n";
    } else if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else {
      s += c;
    }
  }
  return s + "\"";
}

std::string errno_name(int err) {
  switch (err) {
    case ECONNREFUSED:
      return "ECONNREFUSED";
    case ECONNRESET:
      return "ECONNRESET";
    case EPIPE:
      return "EPIPE";
    case ETIMEDOUT:
      return "ETIMEDOUT";
    case EAGAIN:
      return "EAGAIN (timed out)";
    default:
      return "errno " + std::to_string(err);
  }
}

std::string failed(std::string_view call, int err) {
  return std::string(call) + " failed: " + errno_name(err) + " (" + std::strerror(err) + ")";
}

// Both threads write here; the first deviation from the script is kept as the error.
class StepLog {
 public:
  StepLog() : start_(Clock::now()) {}

  void add(std::string_view side, std::string text) {
    const std::lock_guard lock(mutex_);
    outcome_.steps.push_back({Clock::now() - start_, std::string(side), std::move(text)});
  }
  void fail(std::string_view side, const std::string& what) {
    const std::lock_guard lock(mutex_);
    if (outcome_.error.empty()) outcome_.error = std::string(side) + ": " + what;
  }
  DemoOutcome take() {
    const std::lock_guard lock(mutex_);
    return std::move(outcome_);
  }

 private:
  Clock::time_point start_;
  std::mutex mutex_;
  DemoOutcome outcome_;
};

// A script step that did not go as planned; caught at the thread's top.
struct Deviation {
  std::string what;
};

// Blocking calls bounded by `timeout` (SO_RCVTIMEO also bounds accept and connect).
void set_timeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
    throw_errno("setsockopt(SO_RCVTIMEO)");
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
    throw_errno("setsockopt(SO_SNDTIMEO)");
}

SocketAddress loopback(uint16_t port) {
  return parse_ip("127.0.0.1", port);
}

Fd blocking_tcp_socket(std::chrono::milliseconds timeout) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw_errno("socket");
  set_timeouts(fd.get(), timeout);
  return fd;
}

void write_all(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Deviation{failed("write()", errno)};
    done += static_cast<size_t>(n);
  }
}

// One read(): the bytes (empty at EOF); errors become a Deviation unless `expected_err`.
struct ReadResult {
  std::string bytes;
  int err = 0;
};
ReadResult read_once(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {{}, errno};
    return {std::string(buffer, static_cast<size_t>(n)), 0};
  }
}

std::string read_exactly(int fd, size_t want, StepLog& log, std::string_view side) {
  std::string got;
  while (got.size() < want) {
    const ReadResult r = read_once(fd);
    if (r.err != 0) throw Deviation{failed("read()", r.err)};
    if (r.bytes.empty()) throw Deviation{"read() returned 0 (EOF) before the echo came back"};
    log.add(side,
            "read() returned " + std::to_string(r.bytes.size()) + " bytes " + quoted(r.bytes));
    got += r.bytes;
  }
  return got;
}

void pause_for(std::chrono::milliseconds pause, StepLog& log, std::string_view side) {
  log.add(side, "sleeps " + std::to_string(pause.count()) + " ms before close()");
  std::this_thread::sleep_for(pause);
}

// Waits until the peer has acknowledged everything this socket sent (TCP_INFO). A FIN
// sent behind unacknowledged data leaves two segments in flight; Linux then arms its tail
// loss probe at about 2*RTT (microseconds on lo) instead of allowing for the peer's delayed
// ACK, and probes by sending the FIN again before the peer's ACK comes: a real but
// distracting retransmission in a textbook picture.
void wait_acked(int fd, std::chrono::milliseconds timeout, StepLog& log, std::string_view side) {
  const auto deadline = Clock::now() + timeout;
  bool waited = false;
  for (;;) {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
      throw Deviation{failed("getsockopt(TCP_INFO)", errno)};
    if (info.tcpi_unacked == 0) break;
    if (Clock::now() >= deadline) throw Deviation{"the peer never acknowledged our data"};
    waited = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (waited) log.add(side, "waited until the peer acknowledged everything sent");
}

void run_client(DemoVariant variant, uint16_t port, std::chrono::milliseconds pause,
                std::chrono::milliseconds timeout, StepLog& log) {
  constexpr std::string_view kSide = "client";
  Fd fd = blocking_tcp_socket(timeout);
  const SocketAddress target = loopback(port);
  log.add(kSide, "connect(" + target.to_string() + "): sends SYN");
  if (::connect(fd.get(), target.data(), target.size()) != 0) {
    const int err = errno;
    log.add(kSide, failed("connect()", err));
    if (variant == DemoVariant::Refused && err == ECONNREFUSED) return;
    throw Deviation{failed("connect()", err)};
  }
  if (variant == DemoVariant::Refused)
    throw Deviation{"connect() succeeded, expected ECONNREFUSED"};
  log.add(kSide, "connect() returned 0 from " + local_address(fd.get()).to_string() +
                     ": the handshake is complete");

  if (variant == DemoVariant::HalfClose) {
    for (const auto message : kMessages) {
      log.add(kSide, "write(" + quoted(message) + ")");
      write_all(fd.get(), message);
    }
    wait_acked(fd.get(), timeout, log, kSide);
    if (::shutdown(fd.get(), SHUT_WR) != 0) throw Deviation{failed("shutdown(SHUT_WR)", errno)};
    log.add(kSide, "shutdown(SHUT_WR): sends FIN, keeps reading");
    std::string got;
    for (;;) {
      const ReadResult r = read_once(fd.get());
      if (r.err != 0) throw Deviation{failed("read()", r.err)};
      if (r.bytes.empty()) break;
      log.add(kSide, "read() returned " + std::to_string(r.bytes.size()) + " bytes " +
                         quoted(r.bytes) + " after its own FIN");
      got += r.bytes;
    }
    log.add(kSide, "read() returned 0 (EOF: the server sent FIN)");
    if (got.size() != kTotalBytes)
      throw Deviation{"got " + std::to_string(got.size()) + " bytes back, expected " +
                      std::to_string(kTotalBytes)};
    log.add(kSide, "close()");
    fd.reset();
    return;
  }

  for (const auto message : kMessages) {
    log.add(kSide, "write(" + quoted(message) + ")");
    write_all(fd.get(), message);
    read_exactly(fd.get(), message.size(), log, kSide);
  }
  switch (variant) {
    case DemoVariant::ClientCloses:
      wait_acked(fd.get(), timeout, log, kSide);
      log.add(kSide, "close(): sends FIN");
      fd.reset();
      return;
    case DemoVariant::Reset:
      set_linger_rst(fd.get());
      log.add(kSide, "close() with SO_LINGER {1, 0}: sends RST, no FIN, no TIME_WAIT");
      fd.reset();
      return;
    case DemoVariant::ServerReset: {
      const ReadResult r = read_once(fd.get());
      if (r.err != ECONNRESET)
        throw Deviation{r.err != 0 ? failed("read()", r.err)
                                   : "read() returned " + std::to_string(r.bytes.size()) +
                                         " bytes, expected ECONNRESET"};
      log.add(kSide, failed("read()", r.err));
      log.add(kSide, "close(): nothing to send, the connection is already gone");
      fd.reset();
      return;
    }
    case DemoVariant::ServerCloses: {
      const ReadResult r = read_once(fd.get());
      if (r.err != 0) throw Deviation{failed("read()", r.err)};
      if (!r.bytes.empty()) throw Deviation{"read() returned data, expected EOF"};
      log.add(kSide, "read() returned 0 (EOF: the server sent FIN)");
      pause_for(pause, log, kSide);
      wait_acked(fd.get(), timeout, log, kSide);
      log.add(kSide, "close(): sends FIN");
      fd.reset();
      return;
    }
    case DemoVariant::HalfClose:
    case DemoVariant::Refused:
      return;  // handled above
  }
}

void run_server(DemoVariant variant, int listen_fd, std::chrono::milliseconds pause,
                std::chrono::milliseconds timeout, StepLog& log) {
  constexpr std::string_view kSide = "server";
  Fd fd(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
  if (!fd) throw Deviation{failed("accept()", errno)};
  log.add(kSide, "accept() returned a connection from " + peer_address(fd.get()).to_string());

  std::string received;
  for (;;) {
    if (variant == DemoVariant::ServerCloses && received.size() >= kTotalBytes) {
      wait_acked(fd.get(), timeout, log, kSide);
      log.add(kSide, "close() after echoing " + std::to_string(kTotalBytes) + " bytes: sends FIN");
      fd.reset();
      return;
    }
    if (variant == DemoVariant::ServerReset && received.size() >= kTotalBytes) {
      // The client's kernel holds the echo before the RST arrives, so its read() of the
      // echo still succeeds (Linux keeps received data readable after a reset).
      wait_acked(fd.get(), timeout, log, kSide);
      set_linger_rst(fd.get());
      log.add(kSide, "close() with SO_LINGER {1, 0} after echoing " + std::to_string(kTotalBytes) +
                         " bytes: sends RST");
      fd.reset();
      return;
    }
    const ReadResult r = read_once(fd.get());
    if (r.err != 0) {
      log.add(kSide, failed("read()", r.err));
      if (variant == DemoVariant::Reset && r.err == ECONNRESET) {
        log.add(kSide, "close(): nothing to send, the connection is already gone");
        fd.reset();
        return;
      }
      throw Deviation{failed("read()", r.err)};
    }
    if (r.bytes.empty()) break;
    log.add(kSide,
            "read() returned " + std::to_string(r.bytes.size()) + " bytes " + quoted(r.bytes));
    received += r.bytes;
    if (variant != DemoVariant::HalfClose) {
      log.add(kSide, "write(" + quoted(r.bytes) + "): the echo");
      write_all(fd.get(), r.bytes);
    }
  }

  log.add(kSide, "read() returned 0 (EOF: the client sent FIN)");
  if (variant == DemoVariant::Reset) throw Deviation{"read() returned 0, expected ECONNRESET"};
  if (variant == DemoVariant::ServerCloses || variant == DemoVariant::ServerReset)
    throw Deviation{"the client closed first"};
  if (variant == DemoVariant::HalfClose) {
    // Waiting first lets the ACK of the FIN leave alone instead of riding on the reply.
    log.add(kSide, "sleeps " + std::to_string(pause.count()) + " ms, then replies");
    std::this_thread::sleep_for(pause);
    log.add(kSide, "write(" + quoted(received) + "): sending still works after the peer's FIN");
    write_all(fd.get(), received);
  }
  pause_for(pause, log, kSide);
  wait_acked(fd.get(), timeout, log, kSide);
  log.add(kSide, "close(): sends FIN");
  fd.reset();
}

// Runs `body`, turning every failure into the log's error.
template <typename Body>
void guarded(StepLog& log, std::string_view side, Body&& body) {
  try {
    body();
  } catch (const Deviation& d) {
    log.add(side, d.what);
    log.fail(side, d.what);
  } catch (const std::exception& e) {
    log.add(side, e.what());
    log.fail(side, e.what());
  }
}

}  // namespace

const char* to_string(DemoVariant variant) {
  switch (variant) {
    case DemoVariant::ClientCloses:
      return "client";
    case DemoVariant::ServerCloses:
      return "server";
    case DemoVariant::Reset:
      return "rst";
    case DemoVariant::ServerReset:
      return "server-rst";
    case DemoVariant::HalfClose:
      return "half-close";
    case DemoVariant::Refused:
      return "refused";
  }
  return "?";
}

DemoScenario::DemoScenario(DemoVariant variant, std::chrono::milliseconds pause)
    : variant_(variant), pause_(pause) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw_errno("socket");
  const SocketAddress any_port = loopback(0);
  if (::bind(fd.get(), any_port.data(), any_port.size()) != 0) throw_errno("bind 127.0.0.1:0");
  // Refused keeps the port bound but never listens: a SYN to it finds no listener.
  if (variant != DemoVariant::Refused && ::listen(fd.get(), 1) != 0)
    throw_errno("listen 127.0.0.1");
  port_ = local_address(fd.get()).port();
  listen_fd_ = fd.release();
}

DemoScenario::~DemoScenario() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

DemoOutcome DemoScenario::run(std::chrono::milliseconds timeout) {
  StepLog log;
  std::thread server;
  if (variant_ != DemoVariant::Refused) {
    try {
      set_timeouts(listen_fd_, timeout);  // bounds accept() if the client never connects
      server = std::thread([&] {
        guarded(log, "server", [&] { run_server(variant_, listen_fd_, pause_, timeout, log); });
      });
    } catch (const std::exception& e) {
      log.fail("server", e.what());
      return log.take();
    }
  }
  guarded(log, "client", [&] { run_client(variant_, port_, pause_, timeout, log); });
  if (server.joinable()) server.join();
  return log.take();
}

}  // namespace tcpinspect::traffic
