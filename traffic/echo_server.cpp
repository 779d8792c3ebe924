// SPDX-License-Identifier: MIT
#include "traffic/echo_server.hpp"

#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

#include "traffic/fd.hpp"
#include "traffic/socket_ops.hpp"

namespace tcpinspect::traffic {

namespace {

using Clock = std::chrono::steady_clock;

// How long a closing connection may take to deliver its last bytes: a lingering close
// (FIN sent, client input discarded until its FIN) or a --rst close waiting for the send
// queue to drain so the RST does not destroy echoed data.
constexpr auto kCloseLinger = std::chrono::seconds(2);
// Timers (idle timeout, lingering closes, shutdown deadline) are checked at this period.
constexpr auto kSweepPeriod = std::chrono::milliseconds(50);
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kSendBuffer = 128 * 1024;  // SO_SNDBUF (the kernel doubles it for overhead)
constexpr int kMaxEvents = 256;
// Bounded work per wake-up keeps one busy client from starving the others.
constexpr int kReadsPerWake = 8;
constexpr int kAcceptsPerWake = 256;
constexpr int kDatagramsPerWake = 64;

struct Conn {
  Conn(Fd f, SocketAddress p, EchoMode mode, Clock::time_point now)
      : fd(std::move(f)), peer(p), reply(mode), start(now), last_active(now) {}

  Fd fd;
  SocketAddress peer;
  ReplyBuilder reply;
  std::string out;  // reply bytes; [out_off, size) not yet written
  size_t out_off = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t queued = 0;  // reply bytes ever queued (for --close-after)
  Clock::time_point start;
  Clock::time_point last_active;
  Clock::time_point close_deadline;
  size_t counted = 0;               // out.capacity() as last added to Impl::buffered
  Clock::time_point waiting_since;  // when replies last started to wait (pending 0 -> > 0)
  uint32_t events = 0;              // interest currently registered with epoll
  bool peer_fin = false;            // read() returned 0
  bool closing = false;             // --close-after reached: no more replies
  bool paused = false;              // reading stopped until `out` drains (memory bound)
  bool lingering = false;           // write side shut down, discarding input until client FIN
  bool rst_draining = false;        // waiting for the kernel send queue to empty before RST
  EndReason close_reason = EndReason::ServerClose;

  size_t pending() const { return out.size() - out_off; }
};

double seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration<double>(d).count();
}

bool is_reset(int err) {
  return err == ECONNRESET || err == EPIPE;
}

}  // namespace

const char* to_string(EndReason reason) {
  switch (reason) {
    case EndReason::ClientFin:
      return "client_fin";
    case EndReason::ServerClose:
      return "server_close";
    case EndReason::Reset:
      return "reset";
    case EndReason::Timeout:
      return "timeout";
    case EndReason::Shutdown:
      return "shutdown";
    case EndReason::Refused:
      return "refused";
    case EndReason::Shed:
      return "shed";
    case EndReason::Error:
      return "error";
  }
  return "?";
}

std::string format_summary(const ConnectionSummary& s) {
  char buf[160];
  std::snprintf(buf, sizeof buf, " in=%" PRIu64 " out=%" PRIu64 " duration=%.6fs end=%s",
                s.bytes_in, s.bytes_out, seconds(s.duration), to_string(s.reason));
  std::string line = "conn peer=" + s.peer.to_string() + buf;
  if (s.reason == EndReason::Error) line += std::string(" error=") + std::strerror(s.error);
  return line;
}

std::string format_report(const ServerReport& r, bool udp) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "shutdown: accepted=%" PRIu64 " refused=%" PRIu64 " peak_clients=%" PRIu64
                " open_at_stop=%" PRIu64 " closed_at_deadline=%" PRIu64,
                r.accepted, r.refused, r.peak_clients, r.open_at_stop, r.closed_at_deadline);
  std::string line = buf;
  if (r.shed > 0) line += " shed=" + std::to_string(r.shed);
  if (udp) {
    std::snprintf(buf, sizeof buf, " udp_in=%" PRIu64 " udp_out=%" PRIu64 " udp_dropped=%" PRIu64,
                  r.udp_datagrams_in, r.udp_datagrams_out, r.udp_dropped);
    line += buf;
  }
  return line;
}

SocketAddress default_echo_bind() {
  return parse_ip("::", 7);
}

struct EchoServer::Impl {
  EchoServerOptions opt;
  Fd epoll;
  Fd listener;
  Fd udp;
  Fd wake;   // eventfd written by request_stop()
  Fd spare;  // reserve descriptor released to accept-and-close when out of fds
  SocketAddress local;
  std::vector<std::unique_ptr<Conn>> conns;  // indexed by fd
  std::vector<int> draining;                 // fds with rst_draining set
  std::atomic<size_t> open{0};
  ServerReport report;
  bool stopping = false;
  Clock::time_point stop_deadline;
  Clock::time_point last_sweep;
  size_t lingering = 0;
  // Heap bytes of all reply buffers (sum of out.capacity(): what memory really holds,
  // up to twice the bytes waiting after a string grew).
  size_t buffered = 0;
  std::vector<char> buf = std::vector<char>(kReadChunk);
  std::string udp_out;

  explicit Impl(EchoServerOptions o) : opt(std::move(o)) {}

  void open_sockets();
  void add(int fd, uint32_t events);
  void accept_all();
  void serve_udp();
  void begin_stop();
  void on_conn(int fd, uint32_t events);
  bool read_some(Conn& c);
  bool flush(Conn& c);
  bool advance(Conn& c);
  void start_server_close(Conn& c, EndReason reason);
  void finish(Conn& c, EndReason reason, int err = 0);
  void update_interest(Conn& c);
  void sweep(Clock::time_point now);
  // Brings `buffered` up to date with c's buffer after it changed.
  void account(Conn& c) {
    buffered = buffered - c.counted + c.out.capacity();
    c.counted = c.out.capacity();
    if (buffered > report.peak_buffered) report.peak_buffered = buffered;
  }
  bool over_budget() const { return opt.buffer_budget != 0 && buffered > opt.buffer_budget; }
  void shed_slowest();
  int wait_timeout(Clock::time_point now) const;
  std::time_t wall_now() const { return opt.clock ? opt.clock() : std::time(nullptr); }
  void log(const std::string& line) const {
    if (opt.log) opt.log(line);
  }
};

void EchoServer::Impl::add(int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl(ADD)");
}

void EchoServer::Impl::open_sockets() {
  SocketAddress bind = opt.bind;
  try {
    listener = listen_tcp(bind);
  } catch (const std::system_error& e) {
    // Hosts without IPv6 cannot honour the dual-stack default; IPv4-only still works.
    if (e.code().value() != EAFNOSUPPORT || bind.family() != AF_INET6 || !bind.is_any()) throw;
    bind = parse_ip("0.0.0.0", bind.port());
    listener = listen_tcp(bind);
  }
  local = traffic::local_address(listener.get());
  if (opt.udp) {
    // With --port 0 the kernel picked a TCP port; the same UDP port may be taken, so
    // pick again a few times rather than failing.
    for (int attempt = 0;; ++attempt) {
      try {
        udp = bind_udp(local);
        break;
      } catch (const std::system_error& e) {
        if (e.code().value() != EADDRINUSE || bind.port() != 0 || attempt >= 20) throw;
        listener = listen_tcp(bind);
        local = traffic::local_address(listener.get());
      }
    }
  }
  epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll) throw_errno("epoll_create1");
  wake.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wake) throw_errno("eventfd");
  spare.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  add(listener.get(), EPOLLIN);
  if (udp) add(udp.get(), EPOLLIN);
  add(wake.get(), EPOLLIN);
  if (opt.stop_fd >= 0) add(opt.stop_fd, EPOLLIN);
}

void EchoServer::Impl::accept_all() {
  for (int i = 0; i < kAcceptsPerWake && listener; ++i) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int fd = ::accept4(listener.get(), reinterpret_cast<sockaddr*>(&ss), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) return;
      if (err == EINTR || err == ECONNABORTED || err == EPROTO) continue;
      if ((err == EMFILE || err == ENFILE) && spare) {
        // Out of descriptors: the pending connection would make the listener readable
        // forever. Free the spare, accept and close it, take the spare back.
        spare.reset();
        Fd refused(::accept(listener.get(), nullptr, nullptr));
        refused.reset();
        spare.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        ++report.refused;
        log("refused a connection: out of file descriptors");
        continue;
      }
      log(std::string("accept: ") + std::strerror(err));
      return;
    }
    Fd owned(fd);
    const auto now = Clock::now();
    const SocketAddress peer(reinterpret_cast<const sockaddr*>(&ss), len);
    if (opt.max_clients != 0 && open.load() >= opt.max_clients) {
      owned.reset();
      ++report.refused;
      if (opt.on_close) opt.on_close(ConnectionSummary{peer, 0, 0, {}, EndReason::Refused, 0});
      continue;
    }
    // Replies are written as soon as they are built; Nagle would only add latency.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // A fixed kernel send buffer: autotuning lets it grow to tcp_wmem's maximum (4 MiB) for
    // a client that does not read, outside any budget. Replies then wait in `out`, where
    // pending_cap and the buffer budget count them.
    const int sndbuf = static_cast<int>(kSendBuffer);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (static_cast<size_t>(fd) >= conns.size()) conns.resize(static_cast<size_t>(fd) + 1024);
    conns[fd] = std::make_unique<Conn>(std::move(owned), peer, opt.mode, now);
    Conn& c = *conns[fd];
    add(fd, EPOLLIN);
    c.events = EPOLLIN;
    ++report.accepted;
    const size_t n = ++open;
    if (n > report.peak_clients) report.peak_clients = n;
    if (opt.close_after && *opt.close_after == 0) {
      c.closing = true;
      if (advance(c)) update_interest(c);
    }
  }
}

void EchoServer::Impl::serve_udp() {
  for (int i = 0; i < kDatagramsPerWake && udp; ++i) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const ssize_t n =
        ::recvfrom(udp.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&ss), &len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // EAGAIN, or a queued ICMP error for an earlier reply: nothing to do.
    }
    ++report.udp_datagrams_in;
    udp_out.clear();
    udp_reply(opt.mode, std::string_view(buf.data(), static_cast<size_t>(n)), wall_now(), udp_out);
    if (::sendto(udp.get(), udp_out.data(), udp_out.size(), MSG_DONTWAIT,
                 reinterpret_cast<const sockaddr*>(&ss), len) < 0) {
      ++report.udp_dropped;
    } else {
      ++report.udp_datagrams_out;
    }
  }
}

void EchoServer::Impl::begin_stop() {
  const auto now = Clock::now();
  if (stopping) {
    stop_deadline = now;  // second request: do not wait any longer
    log("shutdown: second stop request, closing all clients now");
    return;
  }
  stopping = true;
  report.stopped = true;
  report.open_at_stop = open.load();
  listener.reset();
  udp.reset();
  stop_deadline = now + opt.shutdown_timeout;
  char line[160];
  std::snprintf(line, sizeof line,
                "shutdown: stopped accepting, %zu clients open, waiting up to %.3fs", open.load(),
                seconds(opt.shutdown_timeout));
  log(line);
}

void EchoServer::Impl::finish(Conn& c, EndReason reason, int err) {
  if (opt.rst && reason != EndReason::Reset) {
    try {
      set_linger_rst(c.fd.get());
    } catch (const std::system_error&) {
      // The socket is already dead; a plain close is all that is left.
    }
  }
  if (c.lingering) --lingering;
  buffered -= c.counted;
  ConnectionSummary s{c.peer, c.bytes_in, c.bytes_out, Clock::now() - c.start, reason, err};
  const int fd = c.fd.get();
  conns[fd].reset();  // closes the socket, which also removes it from epoll
  --open;
  if (opt.on_close) opt.on_close(s);
}

void EchoServer::Impl::start_server_close(Conn& c, EndReason reason) {
  c.close_reason = reason;
  c.close_deadline = Clock::now() + kCloseLinger;
  if (opt.rst) {
    // SO_LINGER {1,0} discards unsent data: wait until the client has it all.
    c.rst_draining = true;
    draining.push_back(c.fd.get());
    return;
  }
  // Lingering close: FIN now, keep reading (and discarding) until the client's FIN, so
  // unread client data does not turn our close() into a RST that destroys the replies.
  if (::shutdown(c.fd.get(), SHUT_WR) != 0 || c.peer_fin) {
    finish(c, reason);
    return;
  }
  c.lingering = true;
  ++lingering;
}

bool EchoServer::Impl::flush(Conn& c) {
  while (c.pending() > 0) {
    const ssize_t n = ::send(c.fd.get(), c.out.data() + c.out_off, c.pending(), MSG_NOSIGNAL);
    if (n < 0) {
      const int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      if (err == EINTR) continue;
      finish(c, is_reset(err) ? EndReason::Reset : EndReason::Error, err);
      return false;
    }
    c.out_off += static_cast<size_t>(n);
    c.bytes_out += static_cast<uint64_t>(n);
    c.last_active = Clock::now();
  }
  if (c.pending() == 0) {
    c.out.clear();
    c.out_off = 0;
    c.paused = false;  // drained: resume reading
    // A buffer that once held a slow reader's backlog is given back: idle connections
    // must not each keep pending_cap of capacity outside the budget.
    if (c.out.capacity() > 2 * kReadChunk) c.out.shrink_to_fit();
  } else if (c.out_off >= c.out.size() / 2) {
    c.out.erase(0, c.out_off);  // keep the buffer bounded by pending bytes
    c.out_off = 0;
  }
  account(c);
  return true;
}

bool EchoServer::Impl::read_some(Conn& c) {
  for (int i = 0; i < kReadsPerWake; ++i) {
    if (c.paused && !c.lingering) return true;
    // Over the total budget: read nothing more until shed_slowest() has made room (level-
    // triggered epoll reports the data again).
    if (!c.lingering && !c.closing && over_budget()) return true;
    const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
    if (n < 0) {
      const int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) return true;
      if (err == EINTR) continue;
      if (c.lingering) {
        finish(c, c.close_reason);
      } else {
        finish(c, is_reset(err) ? EndReason::Reset : EndReason::Error, err);
      }
      return false;
    }
    if (n == 0) {
      c.peer_fin = true;
      if (c.lingering) {
        finish(c, c.close_reason);
        return false;
      }
      return true;
    }
    c.bytes_in += static_cast<uint64_t>(n);
    c.last_active = Clock::now();
    if (c.lingering || c.closing) continue;  // input after --close-after is discarded
    const size_t before = c.out.size();
    if (c.pending() == 0) c.waiting_since = c.last_active;
    c.reply.on_chunk(std::string_view(buf.data(), static_cast<size_t>(n)), wall_now(), c.out);
    uint64_t added = c.out.size() - before;
    if (opt.close_after && c.queued + added >= *opt.close_after) {
      added = *opt.close_after - c.queued;
      c.out.resize(before + static_cast<size_t>(added));
      c.closing = true;
    }
    c.queued += added;
    account(c);
    if (!flush(c)) return false;
    if (c.pending() >= opt.pending_cap) c.paused = true;
    if (c.closing) return true;
    // A short read drained the socket: skip the recv() that would only say EAGAIN
    // (level-triggered epoll reports any later data).
    if (static_cast<size_t>(n) < buf.size()) return true;
  }
  return true;
}

bool EchoServer::Impl::advance(Conn& c) {
  if (c.pending() > 0 || c.lingering || c.rst_draining) return true;
  if (c.closing) {
    start_server_close(c, EndReason::ServerClose);
    return conns[c.fd.get()] != nullptr;
  }
  if (c.peer_fin) {
    finish(c, EndReason::ClientFin);
    return false;
  }
  return true;
}

void EchoServer::Impl::update_interest(Conn& c) {
  const bool reading = !c.peer_fin && !c.rst_draining && (c.lingering || (!c.closing && !c.paused));
  const uint32_t want = (reading ? EPOLLIN : 0u) | (c.pending() > 0 ? EPOLLOUT : 0u);
  if (want == c.events) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.fd = c.fd.get();
  if (::epoll_ctl(epoll.get(), EPOLL_CTL_MOD, c.fd.get(), &ev) != 0) throw_errno("epoll_ctl(MOD)");
  c.events = want;
}

void EchoServer::Impl::on_conn(int fd, uint32_t events) {
  if (static_cast<size_t>(fd) >= conns.size() || !conns[fd]) return;
  Conn& c = *conns[fd];
  if ((events & EPOLLERR) != 0) {
    const int err = socket_error(fd);
    if (c.lingering || c.rst_draining) {
      finish(c, c.close_reason);
    } else {
      finish(c, is_reset(err) ? EndReason::Reset : EndReason::Error, err);
    }
    return;
  }
  if ((events & EPOLLHUP) != 0 && c.rst_draining) {
    // Both directions are gone: the send queue can never drain, and level-triggered
    // EPOLLHUP would wake the loop until the drain deadline.
    finish(c, c.close_reason);
    return;
  }
  if ((events & (EPOLLIN | EPOLLHUP)) != 0 && !c.peer_fin && !c.rst_draining) {
    if (!read_some(c)) return;
  }
  if ((events & EPOLLOUT) != 0 && !flush(c)) return;
  if ((events & EPOLLHUP) != 0 && c.peer_fin && c.pending() > 0) {
    // Both directions are gone: the replies can never be delivered.
    finish(c, EndReason::Reset, EPIPE);
    return;
  }
  if (!advance(c)) return;
  update_interest(c);
}

void EchoServer::Impl::shed_slowest() {
  while (over_budget()) {
    // The slowest reader: replies waiting the longest (ties: the most bytes).
    Conn* slowest = nullptr;
    for (auto& slot : conns) {
      if (!slot || slot->pending() == 0) continue;
      if (!slowest || slot->waiting_since < slowest->waiting_since ||
          (slot->waiting_since == slowest->waiting_since && slot->pending() > slowest->pending()))
        slowest = slot.get();
    }
    if (!slowest) return;  // cannot happen: buffered > 0 means some pending() > 0
    char line[200];
    std::snprintf(line, sizeof line,
                  "shed %s: slowest reader (%zu reply bytes unread for %.3fs); %zu bytes of "
                  "reply buffers, over the budget of %zu",
                  slowest->peer.to_string().c_str(), slowest->pending(),
                  seconds(Clock::now() - slowest->waiting_since), buffered, opt.buffer_budget);
    log(line);
    ++report.shed;
    // Its unread input and unsent replies make close() send RST: the client learns at once.
    finish(*slowest, EndReason::Shed);
  }
}

void EchoServer::Impl::sweep(Clock::time_point now) {
  if (!draining.empty()) {
    std::vector<int> still;
    for (const int fd : draining) {
      if (static_cast<size_t>(fd) >= conns.size() || !conns[fd] || !conns[fd]->rst_draining)
        continue;
      Conn& c = *conns[fd];
      int unsent = 0;
      if (::ioctl(fd, SIOCOUTQ, &unsent) != 0 || unsent == 0 || now >= c.close_deadline) {
        finish(c, c.close_reason);
      } else {
        still.push_back(fd);
      }
    }
    draining.swap(still);
  }
  if (now - last_sweep < kSweepPeriod) return;
  last_sweep = now;
  const bool idle = opt.idle_timeout.count() > 0;
  const bool deadline = stopping && now >= stop_deadline;
  if (!idle && lingering == 0 && !deadline) return;
  for (auto& slot : conns) {
    if (!slot) continue;
    Conn& c = *slot;
    if (deadline) {
      ++report.closed_at_deadline;
      finish(c, EndReason::Shutdown);
    } else if (c.lingering && now >= c.close_deadline) {
      finish(c, c.close_reason);
    } else if (idle && !c.rst_draining && !c.lingering && now - c.last_active >= opt.idle_timeout) {
      finish(c, EndReason::Timeout);
    }
  }
}

int EchoServer::Impl::wait_timeout(Clock::time_point now) const {
  if (!draining.empty()) return 2;
  if (opt.idle_timeout.count() > 0 || lingering > 0 || stopping) {
    auto next = last_sweep + kSweepPeriod;
    if (stopping && stop_deadline < next) next = stop_deadline;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(next - now).count();
    return ms < 0 ? 0 : static_cast<int>(ms);
  }
  return -1;
}

EchoServer::EchoServer(EchoServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->open_sockets();
}

EchoServer::~EchoServer() = default;

SocketAddress EchoServer::local_address() const {
  return impl_->local;
}

size_t EchoServer::client_count() const {
  return impl_->open.load();
}

void EchoServer::request_stop() {
  const uint64_t one = 1;
  // write(2) is async-signal-safe; a full counter still leaves the eventfd readable.
  [[maybe_unused]] const ssize_t n = ::write(impl_->wake.get(), &one, sizeof one);
}

ServerReport EchoServer::run() {
  Impl& s = *impl_;
  std::array<epoll_event, kMaxEvents> events{};
  s.last_sweep = Clock::now();
  while (!(s.stopping && s.open.load() == 0)) {
    const int n =
        ::epoll_wait(s.epoll.get(), events.data(), kMaxEvents, s.wait_timeout(Clock::now()));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (s.listener && fd == s.listener.get()) {
        s.accept_all();
      } else if (s.udp && fd == s.udp.get()) {
        s.serve_udp();
      } else if (fd == s.wake.get()) {
        uint64_t count = 0;
        [[maybe_unused]] const ssize_t r = ::read(fd, &count, sizeof count);
        s.begin_stop();
      } else if (fd == s.opt.stop_fd) {
        // One byte per request; the level-triggered epoll reports any further byte again.
        char request = 0;
        if (::read(fd, &request, 1) == 1) s.begin_stop();
      } else {
        s.on_conn(fd, events[i].events);
      }
    }
    // After the batch, not inside it: shedding closes connections other events may name.
    if (s.over_budget()) s.shed_slowest();
    s.sweep(Clock::now());
  }
  return s.report;
}

}  // namespace tcpinspect::traffic
