// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "traffic/echo_client.hpp"
#include "traffic/echo_server.hpp"
#include "traffic/socket_address.hpp"

namespace tcpinspect::traffic::test {

/// An EchoServer running on its own thread, always stopped by the destructor.
/// Collects every connection summary for the test to inspect.
class ServerThread {
 public:
  explicit ServerThread(EchoServerOptions options) {
    options.on_close = [this](const ConnectionSummary& s) {
      std::lock_guard lock(mu_);
      summaries_.push_back(s);
      cv_.notify_all();
    };
    server_ = std::make_unique<EchoServer>(std::move(options));
    thread_ = std::thread([this] { report_ = server_->run(); });
  }
  ~ServerThread() { stop(); }

  /// Requests a graceful stop and waits for run() to return.
  ServerReport stop() {
    if (thread_.joinable()) {
      server_->request_stop();
      thread_.join();
    }
    return report_;
  }
  /// Waits for run() to return without requesting a stop (after a stop was requested).
  ServerReport join() {
    if (thread_.joinable()) thread_.join();
    return report_;
  }

  EchoServer& server() { return *server_; }
  SocketAddress address() const { return server_->local_address(); }

  /// Waits until at least `n` connections were logged; returns a copy of all of them.
  std::vector<ConnectionSummary> wait_summaries(
      size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return summaries_.size() >= n; });
    return summaries_;
  }

  /// Polls client_count() until it equals `n` (or 10 s pass).
  bool wait_clients(size_t n) {
    for (int i = 0; i < 1000; ++i) {
      if (server_->client_count() == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::unique_ptr<EchoServer> server_;
  std::thread thread_;
  ServerReport report_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ConnectionSummary> summaries_;
};

/// Options for a loopback server on a kernel-chosen port.
inline EchoServerOptions loopback_options(const char* ip = "127.0.0.1") {
  EchoServerOptions o;
  o.bind = parse_ip(ip, 0);
  return o;
}

/// Deterministic, non-repeating-looking test bytes.
inline std::string test_bytes(size_t n, uint32_t seed = 1) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& ch : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    ch = static_cast<char>(x & 0xff);
  }
  return s;
}

inline Fd connect_to(const SocketAddress& a) {
  return connect_tcp(a, ConnectOptions{});
}

}  // namespace tcpinspect::traffic::test
