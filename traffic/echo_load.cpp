// SPDX-License-Identifier: MIT
#include "traffic/echo_load.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "traffic/fd.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::traffic {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kPeriod = 251;
constexpr size_t kChunk = 64 * 1024;

// Any run of kChunk pattern bytes is a contiguous slice of this table.
const std::vector<uint8_t>& pattern_table() {
  static const std::vector<uint8_t> table = [] {
    std::vector<uint8_t> t(kPeriod + kChunk);
    for (size_t i = 0; i < t.size(); ++i)
      t[i] = static_cast<uint8_t>(i % kPeriod);
    return t;
  }();
  return table;
}

size_t pattern_start(size_t c, size_t m) {
  return (m * 131 + c * 7919) % kPeriod;
}

enum class Phase { Connecting, Running, Done, Failed };

struct LoadConn {
  Fd fd;
  Phase phase = Phase::Connecting;
  size_t message = 0;
  size_t sent = 0;
  size_t received = 0;
  Clock::time_point started;
  uint32_t events = 0;
};

uint64_t percentile(const std::vector<uint64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest-rank: the smallest value with at least p% of samples at or below it.
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

class Load {
 public:
  explicit Load(const LoadOptions& o) : opt_(o), conns_(o.connections) {
    epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_) throw_errno("epoll_create1");
    latencies_.reserve(std::min<size_t>(o.connections * o.messages, 1u << 24));
  }

  LoadReport run();

 private:
  void set_events(size_t i, uint32_t events);
  void start_connect(size_t i);
  void on_connected(size_t i);
  void fail(size_t i, const std::string& why, bool connecting);
  void begin_message(size_t i);
  void on_event(size_t i, uint32_t events);
  bool pump_send(size_t i);
  bool pump_recv(size_t i);

  const LoadOptions& opt_;
  std::vector<LoadConn> conns_;
  Fd epoll_;
  LoadReport report_;
  std::vector<uint64_t> latencies_;
  size_t next_connect_ = 0;
  size_t connecting_ = 0;
  size_t finished_ = 0;  // connections that are Done or Failed
  bool running_ = false;
  Clock::time_point last_progress_;
  Clock::time_point last_done_;  // the last verified message
  std::array<uint8_t, kChunk> buf_{};
};

void Load::set_events(size_t i, uint32_t events) {
  LoadConn& c = conns_[i];
  if (c.events == events) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = i;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &ev) != 0) throw_errno("epoll_ctl");
  c.events = events;
}

void Load::fail(size_t i, const std::string& why, bool connecting) {
  LoadConn& c = conns_[i];
  if (connecting) {
    ++report_.connect_failures;
    --connecting_;
  } else {
    ++report_.connection_errors;
  }
  if (report_.first_error.empty()) report_.first_error = why;
  c.phase = Phase::Failed;
  c.fd.reset();
  ++finished_;
}

void Load::start_connect(size_t i) {
  LoadConn& c = conns_[i];
  c.fd = open_socket(opt_.target, SOCK_STREAM);
  const int one = 1;
  ::setsockopt(c.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ++connecting_;
  if (::connect(c.fd.get(), opt_.target.data(), opt_.target.size()) != 0 && errno != EINPROGRESS) {
    fail(i, "connect to " + opt_.target.to_string() + ": " + std::strerror(errno), true);
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLOUT;
  ev.data.u64 = i;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.fd.get(), &ev) != 0) throw_errno("epoll_ctl");
  c.events = EPOLLOUT;
}

void Load::on_connected(size_t i) {
  const int err = socket_error(conns_[i].fd.get());
  if (err != 0) {
    fail(i, "connect to " + opt_.target.to_string() + ": " + std::strerror(err), true);
    return;
  }
  --connecting_;
  ++report_.connected;
  conns_[i].phase = Phase::Running;
  set_events(i, 0);  // idle until every connection is up
}

void Load::begin_message(size_t i) {
  LoadConn& c = conns_[i];
  c.sent = 0;
  c.received = 0;
  c.started = Clock::now();
  if (!pump_send(i)) return;
  set_events(i, EPOLLIN | (c.sent < opt_.size ? EPOLLOUT : 0u));
}

bool Load::pump_send(size_t i) {
  LoadConn& c = conns_[i];
  const auto& table = pattern_table();
  const size_t start = pattern_start(i, c.message);
  while (c.sent < opt_.size) {
    const size_t len = std::min(opt_.size - c.sent, kChunk);
    const ssize_t n =
        ::send(c.fd.get(), table.data() + (start + c.sent) % kPeriod, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      fail(i, std::string("send: ") + std::strerror(errno), false);
      return false;
    }
    c.sent += static_cast<size_t>(n);
    last_progress_ = Clock::now();
  }
  return true;
}

bool Load::pump_recv(size_t i) {
  LoadConn& c = conns_[i];
  const auto& table = pattern_table();
  for (;;) {
    const ssize_t n = ::recv(c.fd.get(), buf_.data(), buf_.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      fail(i, std::string("recv: ") + std::strerror(errno), false);
      return false;
    }
    if (n == 0) {
      fail(i,
           "connection closed by server after " + std::to_string(c.received) + " of " +
               std::to_string(opt_.size) + " bytes of message " + std::to_string(c.message),
           false);
      return false;
    }
    last_progress_ = Clock::now();
    const size_t got = static_cast<size_t>(n);
    const size_t start = pattern_start(i, c.message);
    const size_t expect = std::min(got, opt_.size - c.received);
    if (got > expect ||
        std::memcmp(buf_.data(), table.data() + (start + c.received) % kPeriod, expect) != 0) {
      ++report_.mismatches;
      size_t at = 0;
      while (at < expect && buf_[at] == table[(start + c.received + at) % kPeriod])
        ++at;
      fail(i,
           "echo mismatch on connection " + std::to_string(i) + " message " +
               std::to_string(c.message) + " at byte " + std::to_string(c.received + at),
           false);
      return false;
    }
    c.received += got;
    if (c.received < opt_.size) continue;
    const auto now = Clock::now();
    latencies_.push_back(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.started).count()));
    ++report_.messages;
    report_.bytes += opt_.size;
    last_done_ = now;
    if (++c.message == opt_.messages) {
      c.phase = Phase::Done;
      ++finished_;
      set_events(i, 0);
      return false;
    }
    begin_message(i);
    return false;  // begin_message() set the interest; the next reply wakes us again
  }
}

void Load::on_event(size_t i, uint32_t events) {
  LoadConn& c = conns_[i];
  if (c.phase == Phase::Connecting) {
    on_connected(i);
    return;
  }
  if (c.phase != Phase::Running || !running_) return;
  if ((events & EPOLLOUT) != 0 && c.sent < opt_.size) {
    if (!pump_send(i)) return;
    if (c.sent == opt_.size) set_events(i, EPOLLIN);
  }
  if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) pump_recv(i);
}

LoadReport Load::run() {
  const auto t0 = Clock::now();
  last_progress_ = t0;
  const auto run_deadline = t0 + opt_.duration;
  std::array<epoll_event, 512> events{};
  Clock::time_point t_run{};
  while (finished_ < conns_.size()) {
    while (!running_ && next_connect_ < conns_.size() && connecting_ < opt_.max_connecting)
      start_connect(next_connect_++);
    if (!running_ && next_connect_ == conns_.size() && connecting_ == 0) {
      // Every connect finished: start all round trips at once.
      running_ = true;
      t_run = Clock::now();
      report_.connect_seconds = std::chrono::duration<double>(t_run - t0).count();
      if (opt_.progress)
        opt_.progress("connected " + std::to_string(report_.connected) + " of " +
                      std::to_string(conns_.size()) + " in " +
                      std::to_string(report_.connect_seconds) + "s");
      last_progress_ = t_run;
      for (size_t i = 0; i < conns_.size(); ++i)
        if (conns_[i].phase == Phase::Running) begin_message(i);
      last_done_ = t_run;
      continue;
    }
    const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), 100);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("epoll_wait");
    }
    for (int k = 0; k < n; ++k)
      on_event(events[k].data.u64, events[k].events);
    const auto now = Clock::now();
    if (opt_.stop && opt_.stop->load()) {
      report_.stopped_by_signal = true;
      last_done_ = now;
      break;
    }
    if (now >= run_deadline) {
      report_.stopped_by_duration = true;
      last_done_ = now;  // the rate is over the whole run, not up to the last reply
      break;
    }
    if (now - last_progress_ >= opt_.timeout) {
      report_.stalled = true;
      if (report_.first_error.empty())
        report_.first_error =
            "timeout: no progress for " + std::to_string(opt_.timeout.count() / 1000.0) + "s";
      break;
    }
  }
  if (running_) {
    // The last verified byte, not the moment the loop noticed the run was over.
    report_.elapsed_seconds = std::chrono::duration<double>(last_done_ - t_run).count();
  } else {
    report_.connect_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  std::sort(latencies_.begin(), latencies_.end());
  report_.p50_ns = percentile(latencies_, 50);
  report_.p99_ns = percentile(latencies_, 99);
  report_.max_ns = latencies_.empty() ? 0 : latencies_.back();
  if (opt_.hold.count() > 0) {
    size_t open = 0;
    for (const auto& c : conns_)
      open += c.fd ? 1 : 0;
    if (opt_.progress)
      opt_.progress("holding " + std::to_string(open) + " connections for " +
                    std::to_string(opt_.hold.count() / 1000.0) + "s");
    std::this_thread::sleep_for(opt_.hold);
  }
  return report_;
}

}  // namespace

uint8_t load_pattern_byte(size_t c, size_t m, size_t i) {
  return static_cast<uint8_t>((pattern_start(c, m) + i) % kPeriod);
}

double LoadReport::messages_per_second() const {
  return elapsed_seconds > 0 ? static_cast<double>(messages) / elapsed_seconds : 0;
}

double LoadReport::bytes_per_second() const {
  return elapsed_seconds > 0 ? static_cast<double>(bytes) / elapsed_seconds : 0;
}

bool LoadReport::ok(const LoadOptions& options) const {
  return connect_failures == 0 && connection_errors == 0 && mismatches == 0 && !stalled &&
         !stopped_by_signal &&
         (stopped_by_duration || messages == options.connections * options.messages);
}

LoadReport run_load(const LoadOptions& options) {
  if (options.size == 0) throw std::invalid_argument("load: --size must be at least 1");
  if (options.connections == 0) throw std::invalid_argument("load: --connections must be >= 1");
  Load load(options);
  return load.run();
}

std::string format_load_report(const LoadReport& r, const LoadOptions& o) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "connections=%zu/%zu messages=%" PRIu64 "/%zu bytes=%" PRIu64
                " connect=%.3fs elapsed=%.3fs msgs/s=%.0f bytes/s=%.0f p50=%.3fms "
                "p99=%.3fms max=%.3fms errors=%zu mismatches=%" PRIu64 "%s",
                r.connected, o.connections, r.messages, o.connections * o.messages, r.bytes,
                r.connect_seconds, r.elapsed_seconds, r.messages_per_second(), r.bytes_per_second(),
                static_cast<double>(r.p50_ns) / 1e6, static_cast<double>(r.p99_ns) / 1e6,
                static_cast<double>(r.max_ns) / 1e6, r.connect_failures + r.connection_errors,
                r.mismatches,
                r.stopped_by_signal     ? " (interrupted)"
                : r.stopped_by_duration ? " (stopped by --duration)"
                                        : "");
  std::string line = buf;
  if (!r.first_error.empty()) line += " first_error=\"" + r.first_error + "\"";
  return line;
}

}  // namespace tcpinspect::traffic
