// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_sender.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <system_error>
#include <vector>

#include "traffic/fd.hpp"
#include "traffic/socket_ops.hpp"
#include "traffic/udp_transfer_hasher.hpp"
#include "traffic/udp_transfer_io.hpp"
#include "traffic/udp_transfer_sender_window.hpp"
#include "traffic/udp_transfer_wire.hpp"

namespace tcpinspect::traffic::udp {
namespace {

constexpr size_t kBatch = 64;  // datagrams per sendmmsg / recvmmsg
constexpr size_t kAckBuffer = 2048;
constexpr int kSocketBuffer = 8 << 20;
// Added to the RACK reordering window: ACKs are batched by the receiver.
constexpr Nanos kClockSlack = std::chrono::microseconds(200);
constexpr Nanos kMinProbeTimeout = std::chrono::microseconds(250);

std::string errno_text(int err) {
  return std::strerror(err);
}

[[noreturn]] void fail(const std::string& msg) {
  throw TransferError(msg);
}

std::string format_cwnd(double c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", c);
  return buf;
}

// Durations in messages: whole milliseconds (the loop's own overhead is noise).
Nanos round_ms(Nanos d) {
  return std::chrono::round<std::chrono::milliseconds>(d);
}

timespec to_timespec(Nanos d) {
  if (d < Nanos{0}) d = Nanos{0};
  return timespec{static_cast<time_t>(d.count() / 1'000'000'000),
                  static_cast<long>(d.count() % 1'000'000'000)};
}

class Sender {
 public:
  explicit Sender(const SenderConfig& c) : c_(c), trace_(c.out, c.verbose), rtt_(c.rtt) {}

  SenderReport run() {
    open_file();
    open_socket_to_receiver();
    const Nanos start = monotonic_now();
    start_ = start;
    // Hash the file on another core while it is being sent (FIN needs the digest).
    hasher_ = std::make_unique<BackgroundHasher>(file_.get(), size_, size_);
    handshake();
    transfer_data();
    finish();
    report_.seconds = static_cast<double>((monotonic_now() - start).count()) / 1e9;
    report_.bytes = size_;
    report_.final_rto = rtt_.rto();
    report_.srtt = rtt_.srtt();
    return report_;
  }

  // Best effort: tell the receiver to drop its temporary file when we give up.
  void abort(const std::string& why) {
    if (!sock_ || !handshaken_) return;
    send_control(sock_.get(), ErrorMsg{id_, ErrorCode::Aborted, why}, nullptr);
  }

 private:
  void open_file() {
    file_.reset(::open(c_.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file_) fail("cannot open " + c_.path + ": " + errno_text(errno));
    struct stat st {};
    if (::fstat(file_.get(), &st) != 0) fail("cannot stat " + c_.path + ": " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) fail(c_.path + " is not a regular file");
    size_ = static_cast<uint64_t>(st.st_size);
    name_ = c_.name.empty() ? std::filesystem::path(c_.path).filename().string() : c_.name;
  }

  void open_socket_to_receiver() {
    sock_ = open_socket(c_.receiver, SOCK_DGRAM);
    if (::connect(sock_.get(), c_.receiver.data(), c_.receiver.size()) != 0) {
      fail("cannot reach " + c_.receiver.to_string() + ": " + errno_text(errno));
    }
    tune_socket_buffers(sock_.get(), kSocketBuffer);
    chunk_ = c_.chunk_size;
    if (chunk_ == 0) {
      const bool v6 = c_.receiver.family() == AF_INET6;
      int mtu = 1500;
      socklen_t len = sizeof mtu;
      ::getsockopt(sock_.get(), v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU : IP_MTU, &mtu, &len);
      chunk_ = chunk_size_for_mtu(mtu, v6);
    }
    if (chunk_ > kMaxChunkSize) fail("chunk size above " + std::to_string(kMaxChunkSize));
    std::random_device rd;
    id_ = rd();
  }

  // Waits for one datagram from the receiver until `deadline`; false on timeout.
  // ICMP port unreachable (ECONNREFUSED) ends the transfer at once: no receiver will
  // appear at that port by waiting.
  bool wait_reply(Nanos deadline, Message& msg) {
    std::array<uint8_t, kAckBuffer> buf;
    for (;;) {
      check_stop();
      const Nanos now = monotonic_now();
      if (now >= deadline) return false;
      pollfd p{sock_.get(), POLLIN, 0};
      const timespec ts =
          to_timespec(std::min(deadline - now, Nanos{std::chrono::milliseconds(100)}));
      if (::ppoll(&p, 1, &ts, nullptr) < 0 && errno != EINTR) fail("poll: " + errno_text(errno));
      for (;;) {
        const ssize_t n = ::recv(sock_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
        if (n < 0) {
          if (errno == ECONNREFUSED) fail(nothing_listening());
          if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
          fail("recv: " + errno_text(errno));
        }
        if (accept_reply(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)), msg)) {
          return true;
        }
      }
    }
  }

  bool accept_reply(std::span<const uint8_t> d, Message& msg) {
    const DecodeStatus st = decode(d, msg);
    if (st != DecodeStatus::Ok) {
      ++report_.ignored;
      trace_("recv ignored datagram (%zu bytes): %s", d.size(), std::string(to_string(st)).c_str());
      return false;
    }
    const uint32_t id = std::visit([](const auto& m) { return m.transfer_id; }, msg);
    if (id != id_) {
      ++report_.ignored;
      trace_("recv ignored datagram for transfer %08x", id);
      return false;
    }
    if (const auto* e = std::get_if<ErrorMsg>(&msg)) {
      trace_("recv ERROR %s: %s", std::string(to_string(e->code)).c_str(), e->text.c_str());
      fail("receiver " + c_.receiver.to_string() + " refused: " + std::string(to_string(e->code)) +
           (e->text.empty() ? "" : " (" + e->text + ")"));
    }
    return true;
  }

  std::string nothing_listening() const {
    return "nothing listening at " + c_.receiver.to_string() + " (ICMP port unreachable)";
  }

  // Waits of HELLO and FIN double from handshake_timeout but stay at most this far apart,
  // so that the receiver (which drops a transfer silent for its idle timeout) keeps
  // hearing from us and at 30% loss each way enough attempts fit into --timeout.
  static constexpr Nanos kMaxControlWait = std::chrono::milliseconds(500);

  bool stop_requested() const { return c_.stop && c_.stop->load(); }

  void check_stop() {
    if (stop_requested()) {
      abort("sender interrupted");
      fail("interrupted");
    }
  }

  // HELLO with exponential backoff (at most kMaxControlWait apart), until an answer,
  // handshake_attempts sends or idle_timeout in all. The first reply gives the first RTT
  // sample (Karn: only if HELLO was sent once).
  void handshake() {
    const uint32_t want = c_.window ? c_.window : auto_window(chunk_);
    const Hello hello{id_, size_, chunk_, want, name_};
    Nanos timeout = c_.handshake_timeout;
    const Nanos first = monotonic_now();
    const Nanos give_up = first + c_.idle_timeout;
    Nanos waited{0};  // sum of the waits, as documented (not the loop's own overhead)
    int attempt = 1;
    for (; attempt <= c_.handshake_attempts && monotonic_now() < give_up; ++attempt) {
      const Nanos sent = monotonic_now();
      trace_("send HELLO id=%08x name=\"%s\" size=%llu chunk=%u window=%u%s", id_, name_.c_str(),
             static_cast<unsigned long long>(size_), chunk_, want,
             attempt > 1 ? (" (retransmit #" + std::to_string(attempt - 1) + ")").c_str() : "");
      send_control(sock_.get(), hello, nullptr);
      ++report_.datagrams;
      Message msg;
      while (wait_reply(std::min(sent + timeout, give_up), msg)) {
        const auto* ack = std::get_if<HelloAck>(&msg);
        if (!ack) continue;
        trace_("recv HELLO_ACK chunk=%u window=%u cookie=%08x", ack->chunk_size, ack->window,
               ack->cookie);
        if (ack->chunk_size == 0 || ack->chunk_size > chunk_ || ack->window == 0) {
          fail("receiver sent an invalid HELLO_ACK");
        }
        chunk_ = ack->chunk_size;
        window_ = std::min(ack->window, want);
        // From now on the transfer is the receiver's cookie: every DATA, FIN and ERROR we
        // send carries it, and we accept answers only under it (proof that we receive).
        id_ = ack->cookie;
        if (attempt == 1) rtt_.on_sample(monotonic_now() - sent);
        handshaken_ = true;
        report_.chunk_size = chunk_;
        report_.window = window_;
        return;
      }
      const Nanos this_wait = std::min(timeout, give_up - sent);
      waited += this_wait;
      trace_("timeout HELLO after %s", format_duration(this_wait).c_str());
      timeout = std::min(timeout * 2, kMaxControlWait);
    }
    fail("no answer from " + c_.receiver.to_string() + " after " + std::to_string(attempt - 1) +
         " attempts over " + format_duration(waited));
  }

  void read_chunk(uint32_t seq, uint8_t* dst, size_t len) {
    size_t done = 0;
    while (done < len) {
      const ssize_t n = ::pread(file_.get(), dst + done, len - done,
                                static_cast<off_t>(uint64_t{seq} * chunk_ + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const std::string why = "read " + c_.path + ": " + errno_text(errno);
        abort(why);
        fail(why);
      }
      if (n == 0) {
        abort("source file shrank");
        fail(c_.path + " shrank while being sent");
      }
      done += static_cast<size_t>(n);
    }
  }

  size_t chunk_len(uint32_t seq) const {
    const uint64_t off = uint64_t{seq} * chunk_;
    return static_cast<size_t>(std::min<uint64_t>(chunk_, size_ - off));
  }

  // The data phase, one step per loop turn: RTO expiry, the idle bound, a tail loss probe,
  // new and lost chunks as the windows allow, then waiting for and applying ACKs.
  void transfer_data() {
    const uint64_t chunks64 = (size_ + chunk_ - 1) / chunk_;
    if (chunks64 > UINT32_MAX) fail("file too large for chunk size " + std::to_string(chunk_));
    DataPhase d(static_cast<uint32_t>(chunks64), window_, chunk_);
    d.last_progress = monotonic_now();
    while (!d.win.complete()) {
      // A stop's report reads the last snapshot: make it current, not up to an interval old.
      if (stop_requested()) report_progress(d, monotonic_now(), true);
      check_stop();
      const Nanos now = monotonic_now();
      on_rto_expiry(d, now);
      check_idle(d, now);
      size_t n = queue_probe(d, now);
      n = queue_window(d, now, n);
      send_batch(d.msgs.data(), n);
      report_.datagrams += n;
      arm_timers(d, now, n);
      // Wait for ACKs unless a full batch suggests more can be sent right away.
      if (n < kBatch) wait_for_acks(d, now);
      receive_acks(d);
      report_progress(d, now, false);
    }
    report_progress(d, monotonic_now(), true);
    report_.retransmissions = d.win.retransmissions();
  }

  // Everything the data phase keeps between loop turns: the window, the timers and the
  // preallocated batch buffers (no allocation per datagram).
  struct DataPhase {
    DataPhase(uint32_t total, uint32_t window, uint32_t chunk)
        : win(total, window), ring(new uint8_t[size_t{window} * chunk]) {
      for (size_t i = 0; i < kBatch; ++i) {
        ack_iov[i] = {ack_bufs[i].data(), ack_bufs[i].size()};
        ack_msgs[i].msg_hdr.msg_iov = &ack_iov[i];
        ack_msgs[i].msg_hdr.msg_iovlen = 1;
      }
    }
    SenderWindow win;
    // Uninitialised on purpose: zero-filling tens of MB before the first send is waste.
    std::unique_ptr<uint8_t[]> ring;
    std::array<std::array<uint8_t, kDataHeaderSize>, kBatch> headers;
    std::array<iovec, 2 * kBatch> iov;
    std::array<mmsghdr, kBatch> msgs{};
    std::array<std::array<uint8_t, kAckBuffer>, kBatch> ack_bufs;
    std::array<iovec, kBatch> ack_iov;
    std::array<mmsghdr, kBatch> ack_msgs{};
    bool timer_on = false;  // RTO timer (RFC 6298 5.1-5.3)
    Nanos deadline{0};
    bool probe_armed = false;
    int probes_since_ack = 0;  // consecutive probes: each waits twice as long as the last
    Nanos probe_at{0};
    Nanos last_progress{0};  // newly acknowledged data last arrived then
    Nanos next_progress{0};  // the next on_progress call is due then
  };

  void report_progress(DataPhase& d, Nanos now, bool last) {
    if (!c_.on_progress || (!last && now < d.next_progress)) return;
    d.next_progress = now + c_.progress_interval;
    SenderProgress p;
    p.bytes_total = size_;
    p.bytes_acked = std::min<uint64_t>(uint64_t{d.win.cumulative()} * chunk_, size_);
    p.retransmissions = d.win.retransmissions();
    p.elapsed = now - start_;
    c_.on_progress(p);
  }

  Nanos probe_timeout(const DataPhase& d) const {
    return std::max(2 * rtt_.srtt(), kMinProbeTimeout) * (1 << std::min(d.probes_since_ack, 16));
  }

  // RFC 6298 (5.4-5.6): back off, everything outstanding is lost, slow start from one.
  void on_rto_expiry(DataPhase& d, Nanos now) {
    if (!d.timer_on || now < d.deadline) return;
    const Nanos old = rtt_.rto();
    rtt_.on_timeout();
    const double old_cwnd = d.win.cwnd();
    d.win.on_timeout();
    ++report_.timeouts;
    trace_("timeout RTO=%s -> %s, cwnd %.1f -> %.1f, %u chunks presumed lost",
           format_duration(old).c_str(), format_duration(rtt_.rto()).c_str(), old_cwnd,
           d.win.cwnd(), d.win.lost());
    d.deadline = now + rtt_.rto();
  }

  void check_idle(const DataPhase& d, Nanos now) {
    if (now - d.last_progress < c_.idle_timeout) return;
    abort("receiver stopped acknowledging");
    fail("receiver " + c_.receiver.to_string() + " stopped responding (no ACK for " +
         format_duration(round_ms(now - d.last_progress)) + ")");
  }

  // Tail loss probe after ~2 SRTT of silence (RFC 8985 7.2). RFC 8985 allows one probe and
  // then waits for the RTO; at 30% loss the probe itself is often lost, so further probes
  // follow with exponential backoff (2, 4, 8... SRTT) until an ACK arrives, which is still
  // far below the 20 ms minimum RTO on a LAN. Returns the number of datagrams queued (0/1).
  size_t queue_probe(DataPhase& d, Nanos now) {
    if (!d.probe_armed || now < d.probe_at || !rtt_.has_sample()) return 0;
    ++d.probes_since_ack;
    d.probe_at = now + probe_timeout(d);
    const auto p = d.win.probe(now);
    if (!p) return 0;
    ++report_.probes;
    queue_send(*p, d, 0, true);
    return 1;
  }

  // Lost chunks first, then new ones, as far as cwnd and the receiver's window allow.
  size_t queue_window(DataPhase& d, Nanos now, size_t n) {
    while (n < kBatch) {
      const auto next = d.win.next_send(now);
      if (!next) break;
      queue_send(*next, d, n, false);
      ++n;
    }
    return n;
  }

  void arm_timers(DataPhase& d, Nanos now, size_t sent) {
    if (sent > 0 && !d.probe_armed && rtt_.has_sample() && d.win.in_flight() > 0) {
      d.probe_armed = true;
      d.probe_at = now + probe_timeout(d);
    }
    if (!d.timer_on && d.win.in_flight() > 0) {  // RFC 6298 (5.1)
      d.timer_on = true;
      d.deadline = now + rtt_.rto();
    }
  }

  // Sleeps until an ACK arrives or the next timer (RTO, probe, idle bound) is due.
  void wait_for_acks(const DataPhase& d, Nanos now) {
    pollfd p{sock_.get(), POLLIN, 0};
    Nanos wait = d.timer_on ? d.deadline - now : Nanos{std::chrono::milliseconds(100)};
    if (d.probe_armed) wait = std::min(wait, d.probe_at - now);
    wait = std::min(wait, d.last_progress + c_.idle_timeout - now);
    const timespec ts = to_timespec(wait);
    if (::ppoll(&p, 1, &ts, nullptr) < 0 && errno != EINTR) fail("poll: " + errno_text(errno));
  }

  // Reads what ACKs have arrived (one recvmmsg) and applies each.
  void receive_acks(DataPhase& d) {
    const int got = ::recvmmsg(sock_.get(), d.ack_msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (got < 0) {
      if (errno == ECONNREFUSED) {
        fail("receiver " + c_.receiver.to_string() +
             " went away (port unreachable) during the transfer: " + nothing_listening());
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        fail("recv: " + errno_text(errno));
      }
      return;
    }
    const Nanos now = monotonic_now();
    for (int i = 0; i < got; ++i) {
      Message msg;
      if (!accept_reply({d.ack_bufs[i].data(), d.ack_msgs[i].msg_len}, msg)) continue;
      if (const auto* ack = std::get_if<Ack>(&msg)) on_ack(d, *ack, now);
    }
  }

  void on_ack(DataPhase& d, const Ack& ack, Nanos now) {
    // RACK reordering window: SRTT/4 on top of SRTT (RFC 8985 6.2), once measured.
    const Nanos reorder =
        rtt_.has_sample() ? rtt_.srtt() + rtt_.srtt() / 4 + kClockSlack : Nanos::max();
    const AckOutcome o = d.win.on_ack(ack.cumulative, ack.sack(), now, reorder);
    if (trace_.enabled()) {
      trace_("recv ACK cum=%u sack=%s%s%s", ack.cumulative, format_sack(ack.sack()).c_str(),
             o.newly_lost ? (" -> " + std::to_string(o.newly_lost) + " lost").c_str() : "",
             o.window_reduced ? (", cwnd cut to " + format_cwnd(d.win.cwnd())).c_str() : "");
    }
    if (o.invalid) ++report_.ignored;
    if (o.rtt_sample) rtt_.on_sample(*o.rtt_sample);
    // An ACK arrived: the flight is not silent; probe only after another quiet spell.
    d.probes_since_ack = 0;
    d.probe_armed = d.win.in_flight() > 0 && rtt_.has_sample();
    d.probe_at = now + probe_timeout(d);
    if (o.newly_acked > 0) {
      d.last_progress = now;
      rtt_.on_progress();
      // RFC 6298 (5.3): restart the timer when new data is acknowledged.
      d.timer_on = d.win.in_flight() > 0;
      d.deadline = now + rtt_.rto();
    }
  }

  // Fills sendmmsg entry `slot` for chunk `send` (reading it from the file on its first
  // transmission into the ring, where retransmissions find it again).
  void queue_send(const SendDecision& send, DataPhase& dp, size_t slot, bool is_probe) {
    const SendDecision& d = send;
    const size_t len = chunk_len(d.seq);
    uint8_t* data = dp.ring.get() + size_t{d.seq % window_} * chunk_;
    if (d.transmission == 1) read_chunk(d.seq, data, len);
    const std::span<const uint8_t> payload(data, len);
    auto& header = dp.headers[slot];
    encode_data_header(id_, d.seq, payload, header);
    iovec* iov = dp.iov.data() + 2 * slot;
    iov[0] = {header.data(), kDataHeaderSize};
    iov[1] = {data, len};
    mmsghdr& msg = dp.msgs[slot];
    msg.msg_hdr = {};
    msg.msg_hdr.msg_iov = iov;
    msg.msg_hdr.msg_iovlen = 2;
    if (!trace_.enabled()) return;
    if (d.transmission == 1) {
      trace_("send DATA seq=%u len=%zu", d.seq, len);
    } else {
      trace_("send DATA seq=%u len=%zu (%s #%u, RTO=%s)", d.seq, len,
             is_probe ? "tail loss probe, retransmit" : "retransmit", d.transmission - 1,
             format_duration(rtt_.rto()).c_str());
    }
  }

  void send_batch(mmsghdr* msgs, size_t n) {
    size_t sent = 0;
    while (sent < n) {
      const int r = ::sendmmsg(sock_.get(), msgs + sent, static_cast<unsigned>(n - sent), 0);
      if (r > 0) {
        sent += static_cast<size_t>(r);
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
        pollfd p{sock_.get(), POLLOUT, 0};
        ::poll(&p, 1, 10);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == ECONNREFUSED) {
        fail("receiver " + c_.receiver.to_string() +
             " went away (port unreachable) during the transfer");
      }
      fail("send: " + errno_text(errno));
    }
  }

  // FIN carries the SHA-256; retransmitted on RTO with backoff until FIN_ACK or ERROR, but
  // never more than kMaxControlWait apart (the receiver must keep hearing from us), for at
  // most twice handshake_attempts sends and idle_timeout in all.
  void finish() {
    try {
      report_.sha256 = hasher_->finish();
    } catch (const std::system_error& e) {
      abort("source file unreadable");
      fail(c_.path + ": " + e.what());
    }
    const Fin fin{id_, report_.sha256};
    const Nanos give_up = monotonic_now() + c_.idle_timeout;
    for (int attempt = 1; attempt <= 2 * c_.handshake_attempts && monotonic_now() < give_up;
         ++attempt) {
      const Nanos sent = monotonic_now();
      const Nanos wait = std::min(rtt_.rto(), kMaxControlWait);
      trace_("send FIN sha256=%s%s", to_hex(fin.sha256).c_str(),
             attempt > 1 ? (" (retransmit #" + std::to_string(attempt - 1) + ", waiting " +
                            format_duration(wait) + ")")
                               .c_str()
                         : "");
      send_control(sock_.get(), fin, nullptr);
      ++report_.datagrams;
      Message msg;
      while (wait_reply(std::min(sent + wait, give_up), msg)) {
        if (std::holds_alternative<FinAck>(msg)) {
          trace_("recv FIN_ACK");
          return;
        }
      }
      rtt_.on_timeout();
      ++report_.timeouts;
    }
    fail("no FIN_ACK from " + c_.receiver.to_string() + ": the receiver did not confirm the file");
  }

  const SenderConfig& c_;
  Trace trace_;
  RttEstimator rtt_;
  Fd file_;
  Fd sock_;
  uint64_t size_ = 0;
  std::string name_;
  uint32_t chunk_ = 0;
  uint32_t window_ = 1;
  uint32_t id_ = 0;
  bool handshaken_ = false;
  Nanos start_{0};
  std::unique_ptr<BackgroundHasher> hasher_;
  SenderReport report_;
};

}  // namespace

uint32_t auto_window(uint32_t chunk_size) {
  return static_cast<uint32_t>(
      std::clamp<uint64_t>(kAutoWindowBytes / std::max<uint32_t>(chunk_size, 1), 4, 4096));
}

uint32_t chunk_size_for_mtu(int mtu, bool ipv6) {
  const int overhead = (ipv6 ? 40 : 20) + 8 + static_cast<int>(kDataHeaderSize);
  if (mtu - overhead < 512) return 512;  // tiny or unknown MTU: let IP fragment
  return static_cast<uint32_t>(std::min<int>(mtu - overhead, kMaxChunkSize));
}

SenderReport send_file(const SenderConfig& config) {
  Sender s(config);
  try {
    return s.run();
  } catch (const TransferError&) {
    throw;
  } catch (const std::exception& e) {
    s.abort(e.what());
    throw TransferError(e.what());
  }
}

}  // namespace tcpinspect::traffic::udp
