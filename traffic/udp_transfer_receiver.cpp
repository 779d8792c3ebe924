// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_receiver.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "traffic/socket_ops.hpp"
#include "traffic/udp_transfer_cookie.hpp"
#include "traffic/udp_transfer_hasher.hpp"
#include "traffic/udp_transfer_io.hpp"
#include "traffic/udp_transfer_name.hpp"
#include "traffic/udp_transfer_receiver_window.hpp"
#include "traffic/udp_transfer_sha256.hpp"
#include "traffic/udp_transfer_wire.hpp"

namespace tcpinspect::traffic::udp {
namespace {

constexpr size_t kBatch = 32;                 // datagrams per recvmmsg
constexpr size_t kRecvBuffer = 65536;         // any UDP datagram fits
constexpr size_t kMaxBufferBytes = 64 << 20;  // reassembly memory per transfer
constexpr int kSocketBuffer = 16 << 20;
constexpr size_t kTruesizeOverhead = 1024;  // kernel bookkeeping per queued datagram
constexpr Nanos kFinishedMemory = std::chrono::seconds(60);
// Final answers remembered for duplicates: bounded, so a flood of refused HELLOs with
// distinct ids cannot grow it without limit (the oldest answers are forgotten first).
constexpr size_t kMaxFinished = 4096;
constexpr Nanos kLinger = std::chrono::milliseconds(500);
constexpr const char* kLegacyRefusal = "protocol version 1 not supported, upgrade the sender";

/// Identifies a transfer: sender address + port + the cookie our HELLO_ACK gave it (the
/// sender's own id only selects the cookie; it never keys anything).
struct PeerKey {
  uint32_t id = 0;
  uint16_t port = 0;
  int family = 0;
  std::array<uint8_t, 16> addr{};
  auto operator<=>(const PeerKey&) const = default;
};

PeerKey make_key(const sockaddr_storage& ss, uint32_t id) {
  PeerKey k;
  k.id = id;
  k.family = ss.ss_family;
  if (ss.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(ss);
    std::memcpy(k.addr.data(), &in.sin_addr, 4);
    k.port = in.sin_port;
  } else if (ss.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(ss);
    std::memcpy(k.addr.data(), &in6.sin6_addr, 16);
    k.port = in6.sin6_port;
  }
  return k;
}

std::string hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

}  // namespace

struct Receiver::Impl {
  struct Transfer {
    PeerKey key;
    uint32_t sender_id = 0;  // the id of its HELLO (key.id is our cookie)
    SocketAddress peer;
    std::string name;
    std::filesystem::path temp;
    std::filesystem::path final_path;
    Fd file;
    uint64_t size = 0;
    uint32_t chunk = 0;
    uint32_t total = 0;
    uint32_t window = 0;
    ReceiveWindow win;
    std::unique_ptr<uint8_t[]> buffer;         // window * chunk, uninitialised on purpose
    std::unique_ptr<BackgroundHasher> hasher;  // declared after `file`: stops before it closes
    uint64_t written = 0;
    Nanos started{0};
    Nanos last_heard{0};
    bool need_ack = false;
    uint64_t datagrams = 0;
    uint64_t duplicates = 0;

    Transfer(uint32_t total_chunks, uint32_t w) : win(total_chunks, w) {}
    size_t chunk_len(uint32_t seq) const {
      return static_cast<size_t>(std::min<uint64_t>(chunk, size - uint64_t{seq} * chunk));
    }
  };
  struct Finished {
    Message reply;  // re-sent when a duplicate HELLO/FIN/DATA arrives
    bool ok = false;
    Nanos at{0};
  };
  // A HELLO answered with HELLO_ACK; becomes a Transfer (file, buffer, hasher) only when
  // its first DATA or FIN shows the sender received our answer.
  struct Pending {
    Hello hello;
    SocketAddress peer;
    uint32_t total = 0;
    uint32_t window = 0;
    Nanos first_heard{0};
    Nanos last_heard{0};
  };

  ReceiverConfig c;
  CookieIssuer cookies;  // per-process secret from getrandom()
  Fd sock;
  int rcvbuf = 0;
  Trace trace;
  std::map<PeerKey, std::unique_ptr<Transfer>> active;
  std::map<PeerKey, Finished> finished;
  std::map<PeerKey, Pending> pending;
  std::vector<PeerKey> pending_acks;
  ReceiverSummary summary;
  Nanos last_sweep{0};
  Nanos next_progress{0};
  bool progress_shown = false;  // the last report had transfers: owe one with none

  explicit Impl(ReceiverConfig cfg) : c(std::move(cfg)), trace(c.out, c.verbose) {
    sock = bind_udp(c.bind);
    rcvbuf = tune_socket_buffers(sock.get(), kSocketBuffer);
  }

  ~Impl() {
    for (auto& [key, t] : active)
      remove_temp(*t);
  }

  uint32_t ended() const { return summary.completed + summary.failed; }

  void remove_temp(Transfer& t) {
    t.hasher.reset();
    t.file.reset();
    std::error_code ec;
    std::filesystem::remove(t.temp, ec);
  }

  void reply(const Message& m, const SocketAddress& to) {
    send_control(sock.get(), m, &to);
    if (trace.enabled()) {
      if (const auto* e = std::get_if<ErrorMsg>(&m)) {
        trace("send ERROR %s to %s", std::string(to_string(e->code)).c_str(),
              to.to_string().c_str());
      } else if (std::holds_alternative<FinAck>(m)) {
        trace("send FIN_ACK to %s", to.to_string().c_str());
      }
    }
  }

  // Ends a transfer that never got going or broke: tell the sender, report, forget.
  // `reply_id`: the sender's own id when refusing its HELLO (it has no cookie yet).
  void refuse(const PeerKey& key, const SocketAddress& peer, std::string_view name, ErrorCode code,
              const std::string& text, std::optional<uint32_t> reply_id = std::nullopt) {
    const ErrorMsg e{reply_id.value_or(key.id), code, text};
    reply(e, peer);
    ReceiverEvent ev;
    ev.kind = ReceiverEvent::Kind::Failed;
    ev.transfer_id = e.transfer_id;
    ev.peer = peer;
    ev.name = std::string(name);
    ev.code = code;
    ev.text = text;
    report(ev);
    remember(key, Finished{e, false, monotonic_now()});
    ++summary.failed;
  }

  void report(const ReceiverEvent& ev) {
    if (c.on_event) c.on_event(ev);
  }

  void remember(const PeerKey& key, Finished f) {
    if (finished.size() >= kMaxFinished && !finished.contains(key)) {
      const auto oldest = std::min_element(finished.begin(), finished.end(), [](auto& a, auto& b) {
        return a.second.at < b.second.at;
      });
      finished.erase(oldest);
    }
    finished[key] = std::move(f);
  }

  void fail(Transfer& t, ErrorCode code, const std::string& text) {
    remove_temp(t);
    const PeerKey key = t.key;
    refuse(key, t.peer, t.name, code, text);
    active.erase(key);
  }

  static ErrorCode code_for_errno(int err) {
    return (err == ENOSPC || err == EDQUOT) ? ErrorCode::NoSpace : ErrorCode::Io;
  }

  // The HELLO's key: its source and the cookie for (source, sender's id). Stateless, so a
  // duplicate HELLO finds the same entry and gets the same cookie.
  PeerKey cookie_key(const sockaddr_storage& from, uint32_t sender_id) const {
    PeerKey k = make_key(from, 0);
    k.id = cookies.cookie(k.family, k.addr, k.port, sender_id);
    return k;
  }

  void on_hello(const Hello& h, const PeerKey& key, const SocketAddress& peer, Nanos now) {
    const uint32_t sid = h.transfer_id;
    const auto collides = [&](uint32_t other_sid) {
      if (other_sid == sid) return false;
      // Two ids of one source with the same cookie (chance 2^-32): the newer one retries.
      reply(ErrorMsg{sid, ErrorCode::BadRequest, "transfer id collides, retry with another"}, peer);
      return true;
    };
    if (auto it = active.find(key); it != active.end()) {
      if (collides(it->second->sender_id)) return;
      reply(HelloAck{sid, it->second->chunk, it->second->window, key.id}, peer);  // reply lost
      return;
    }
    if (auto it = pending.find(key); it != pending.end()) {
      if (collides(it->second.hello.transfer_id)) return;
      it->second.last_heard = now;
      reply(HelloAck{sid, it->second.hello.chunk_size, it->second.window, key.id}, peer);
      return;
    }
    if (auto it = finished.find(key); it != finished.end()) {
      reply(it->second.reply, peer);
      return;
    }
    trace("recv HELLO id=%08x from %s name=\"%s\" size=%llu chunk=%u window=%u", sid,
          peer.to_string().c_str(), printable(h.name).c_str(),
          static_cast<unsigned long long>(h.file_size), h.chunk_size, h.window);
    const NameCheck nc = check_name(h.name);
    if (nc != NameCheck::Ok) {
      return refuse(key, peer, h.name, ErrorCode::BadName, std::string(to_string(nc)), sid);
    }
    if (h.chunk_size == 0 || h.chunk_size > kMaxChunkSize || h.window == 0 ||
        (h.file_size + h.chunk_size - 1) / h.chunk_size > UINT32_MAX) {
      return refuse(key, peer, h.name, ErrorCode::BadRequest, "impossible chunk size or window",
                    sid);
    }
    if (h.file_size > c.max_file_size) {
      return refuse(key, peer, h.name, ErrorCode::TooLarge,
                    std::to_string(h.file_size) + " bytes declared, at most " +
                        std::to_string(c.max_file_size) + " accepted",
                    sid);
    }
    const std::filesystem::path final_path = c.dir / h.name;
    std::error_code ec;
    if (!c.overwrite && std::filesystem::exists(std::filesystem::symlink_status(final_path, ec))) {
      return refuse(key, peer, h.name, ErrorCode::Exists, final_path.string() + " exists", sid);
    }
    if (active.size() >= c.max_transfers) return refuse_busy(key, peer, h.name, sid);
    const auto total = static_cast<uint32_t>((h.file_size + h.chunk_size - 1) / h.chunk_size);
    uint64_t w = std::min<uint64_t>(
        {uint64_t{h.window}, uint64_t{c.max_window}, uint64_t{kMaxBufferBytes / h.chunk_size},
         static_cast<uint64_t>(rcvbuf) / 2 / (h.chunk_size + kTruesizeOverhead)});
    w = std::max<uint64_t>(std::min<uint64_t>(w, total), 1);
    if (pending.size() >= std::max<uint32_t>(c.max_pending, 1)) {
      const auto oldest = std::min_element(pending.begin(), pending.end(), [](auto& a, auto& b) {
        return a.second.last_heard < b.second.last_heard;
      });
      trace("forget HELLO id=%08x from %s: %zu HELLOs already wait for data", oldest->first.id,
            oldest->second.peer.to_string().c_str(), pending.size());
      pending.erase(oldest);
    }
    pending.emplace(key, Pending{h, peer, total, static_cast<uint32_t>(w), now, now});
    summary.peak_pending = std::max(summary.peak_pending, static_cast<uint32_t>(pending.size()));
    reply(HelloAck{sid, h.chunk_size, static_cast<uint32_t>(w), key.id}, peer);
    trace("send HELLO_ACK id=%08x chunk=%u window=%u cookie=%08x", sid, h.chunk_size,
          static_cast<uint32_t>(w), key.id);
  }

  void refuse_busy(const PeerKey& key, const SocketAddress& peer, std::string_view name,
                   std::optional<uint32_t> reply_id = std::nullopt) {
    refuse(key, peer, name, ErrorCode::Busy,
           "already receiving " + std::to_string(active.size()) + " files, the maximum", reply_id);
  }

  // The sender's first DATA or FIN after our HELLO_ACK: only now the file is created and
  // its space reserved, the buffer allocated and the hashing thread started. nullptr when
  // refused (the sender has been told why).
  Transfer* start_transfer(const PeerKey& key, Nanos now) {
    const auto node = pending.extract(key);
    const Pending& p = node.mapped();
    const Hello& h = p.hello;
    if (active.size() >= c.max_transfers) {
      refuse_busy(key, p.peer, h.name);
      return nullptr;
    }
    auto t = std::make_unique<Transfer>(p.total, p.window);
    t->key = key;
    t->sender_id = h.transfer_id;
    t->peer = p.peer;
    t->name = h.name;
    t->size = h.file_size;
    t->chunk = h.chunk_size;
    t->total = p.total;
    t->window = p.window;
    t->final_path = c.dir / h.name;
    t->temp = c.dir / ("." + h.name + ".partial." + hex8(key.id));
    t->started = p.first_heard;
    t->last_heard = now;
    // O_RDWR: the background hasher reads back what was written.
    t->file.reset(::open(t->temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!t->file) {
      const int err = errno;
      refuse(key, p.peer, h.name, code_for_errno(err),
             "create " + t->temp.string() + ": " + std::strerror(err));
      return nullptr;
    }
    // Reserve the space now so a full disk is reported before more data moves.
    if (h.file_size > 0) {
      const int err = ::posix_fallocate(t->file.get(), 0, static_cast<off_t>(h.file_size));
      if (err != 0 && err != EOPNOTSUPP && err != EINVAL) {
        remove_temp(*t);
        refuse(key, p.peer, h.name, code_for_errno(err),
               "reserve " + std::to_string(h.file_size) + " bytes in " + c.dir.string() + ": " +
                   std::strerror(err));
        return nullptr;
      }
    }
    try {
      t->buffer.reset(new uint8_t[size_t{t->window} * t->chunk]);
      t->hasher = std::make_unique<BackgroundHasher>(t->file.get(), t->size, 0);
    } catch (const std::exception& e) {  // no memory or no thread: this transfer only
      remove_temp(*t);
      refuse(key, p.peer, h.name, ErrorCode::Io, std::string("cannot start: ") + e.what());
      return nullptr;
    }
    trace("start id=%08x: %s created, %llu bytes reserved", key.id, t->temp.string().c_str(),
          static_cast<unsigned long long>(t->size));
    Transfer* raw = t.get();
    active.emplace(key, std::move(t));
    summary.peak_active = std::max(summary.peak_active, static_cast<uint32_t>(active.size()));
    return raw;
  }

  // Appends to the temporary file and lets the hasher read up to there.
  bool write_out(Transfer& t, const uint8_t* p, size_t bytes) {
    while (bytes > 0) {
      const ssize_t n = ::write(t.file.get(), p, bytes);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        fail(t, code_for_errno(err), "write " + t.temp.string() + ": " + std::strerror(err));
        return false;
      }
      p += n;
      bytes -= static_cast<size_t>(n);
      t.written += static_cast<uint64_t>(n);
    }
    t.hasher->advance(t.written);
    return true;
  }

  // Writes the buffered chunks that are now in order.
  bool deliver(Transfer& t) {
    while (auto first = t.win.pop_in_order()) {
      const size_t first_slot = t.win.slot(*first);
      size_t bytes = t.chunk_len(*first);
      // Coalesce chunks that are also contiguous in the ring into one write().
      size_t k = 1;
      while (first_slot + k < t.window && k < 256) {
        const auto next = t.win.pop_in_order();
        if (!next) break;
        bytes += t.chunk_len(*next);
        ++k;
      }
      if (!write_out(t, t.buffer.get() + first_slot * t.chunk, bytes)) return false;
    }
    return true;
  }

  void on_data(Transfer& t, const Data& d) {
    ++t.datagrams;
    if (d.seq >= t.total || d.payload.size() != t.chunk_len(d.seq)) {
      ++summary.ignored;
      trace("recv DATA seq=%u len=%zu: wrong length or index, ignored", d.seq, d.payload.size());
      return;
    }
    const DataOutcome o = t.win.on_data(d.seq);
    trace("recv DATA seq=%u len=%zu%s", d.seq, d.payload.size(),
          o == DataOutcome::New         ? ""
          : o == DataOutcome::Duplicate ? " (duplicate)"
                                        : " (beyond window, dropped)");
    if (o == DataOutcome::New) {
      if (d.seq == t.win.cumulative()) {
        // In order (the common case): straight from the datagram to the file, no copy.
        t.win.pop_in_order();
        if (!write_out(t, d.payload.data(), d.payload.size())) return;
      } else {
        std::memcpy(t.buffer.get() + t.win.slot(d.seq) * t.chunk, d.payload.data(),
                    d.payload.size());
      }
      if (!deliver(t)) return;
    } else if (o == DataOutcome::Duplicate) {
      ++t.duplicates;
    } else {
      ++summary.ignored;
    }
    if (!t.need_ack) {
      t.need_ack = true;
      pending_acks.push_back(t.key);
    }
  }

  void on_fin(Transfer& t, const Fin& f, Nanos now) {
    trace("recv FIN id=%08x sha256=%s", t.key.id, to_hex(f.sha256).c_str());
    if (!t.win.complete()) {
      return fail(t, ErrorCode::BadRequest, "FIN before all data arrived");
    }
    Sha256Digest got;
    try {
      got = t.hasher->finish();
    } catch (const std::system_error& e) {
      return fail(t, code_for_errno(e.code().value()), t.temp.string() + ": " + e.what());
    }
    t.hasher.reset();
    if (got != f.sha256) {
      return fail(t, ErrorCode::HashMismatch,
                  "received " + to_hex(got) + ", sender has " + to_hex(f.sha256));
    }
    if (::close(t.file.release()) != 0) {
      const int err = errno;
      return fail(t, code_for_errno(err), "close " + t.temp.string() + ": " + std::strerror(err));
    }
    if (!rename_into_place(t)) return;
    const double secs = static_cast<double>((now - t.started).count()) / 1e9;
    ReceiverEvent ev;
    ev.kind = ReceiverEvent::Kind::Completed;
    ev.transfer_id = t.key.id;
    ev.peer = t.peer;
    ev.name = t.name;
    ev.path = t.final_path;
    ev.bytes = t.size;
    ev.seconds = secs;
    ev.sha256 = got;
    report(ev);
    reply(FinAck{t.key.id}, t.peer);
    remember(t.key, Finished{FinAck{t.key.id}, true, now});
    ++summary.completed;
    active.erase(t.key);
  }

  bool rename_into_place(Transfer& t) {
    int r = 0;
    if (c.overwrite) {
      r = ::rename(t.temp.c_str(), t.final_path.c_str());
    } else {
      r = ::renameat2(AT_FDCWD, t.temp.c_str(), AT_FDCWD, t.final_path.c_str(), RENAME_NOREPLACE);
      if (r != 0 && errno == EINVAL) {  // filesystem without RENAME_NOREPLACE
        r = ::link(t.temp.c_str(), t.final_path.c_str());
        if (r == 0) ::unlink(t.temp.c_str());
      }
    }
    if (r == 0) return true;
    const int err = errno;
    fail(t, err == EEXIST ? ErrorCode::Exists : code_for_errno(err),
         "rename to " + t.final_path.string() + ": " + std::strerror(err));
    return false;
  }

  void on_datagram(std::span<const uint8_t> d, const sockaddr_storage& from, socklen_t from_len,
                   Nanos now) {
    Message msg;
    const DecodeStatus st = decode(d, msg);
    if (st != DecodeStatus::Ok) {
      ++summary.ignored;
      if (is_legacy_hello(d)) return refuse_legacy(d, from, from_len);
      trace("recv ignored datagram (%zu bytes): %s", d.size(), std::string(to_string(st)).c_str());
      return;
    }
    const uint32_t id = std::visit([](const auto& m) { return m.transfer_id; }, msg);
    const SocketAddress peer(reinterpret_cast<const sockaddr*>(&from), from_len);
    if (const auto* h = std::get_if<Hello>(&msg))
      return on_hello(*h, cookie_key(from, id), peer, now);
    // Everything after the HELLO carries our cookie: an id we did not issue to this address
    // and port (a spoofed source that never saw our HELLO_ACK) finds no entry below and
    // reserves nothing.
    const PeerKey key = make_key(from, id);

    auto it = active.find(key);
    if (it == active.end()) {
      if (const auto p = pending.find(key); p != pending.end()) {
        if (std::holds_alternative<Data>(msg) || std::holds_alternative<Fin>(msg)) {
          if (!start_transfer(key, now)) return;
          it = active.find(key);
        } else {
          if (std::holds_alternative<ErrorMsg>(msg)) {
            trace("recv ERROR from sender before any data: forgotten");
            pending.erase(p);
          } else {
            ++summary.ignored;
          }
          return;
        }
      }
    }
    if (it == active.end()) {
      const auto fin = finished.find(key);
      const bool is_data_or_fin =
          std::holds_alternative<Data>(msg) || std::holds_alternative<Fin>(msg);
      if (fin != finished.end()) {
        // Late duplicates: repeat the final answer (FIN_ACK only to a FIN).
        if (!fin->second.ok || std::holds_alternative<Fin>(msg)) reply(fin->second.reply, peer);
      } else if (is_data_or_fin) {
        ++summary.ignored;
        reply(ErrorMsg{id, ErrorCode::UnknownTransfer, "no such transfer"}, peer);
      } else {
        ++summary.ignored;
      }
      return;
    }
    Transfer& t = *it->second;
    t.last_heard = now;
    if (const auto* data = std::get_if<Data>(&msg)) return on_data(t, *data);
    if (const auto* fin = std::get_if<Fin>(&msg)) return on_fin(t, *fin, now);
    if (const auto* e = std::get_if<ErrorMsg>(&msg)) {
      trace("recv ERROR from sender: %s", printable(e->text).c_str());
      remove_temp(t);
      ReceiverEvent ev;
      ev.kind = ReceiverEvent::Kind::AbortedBySender;
      ev.transfer_id = id;
      ev.peer = peer;
      ev.name = t.name;
      ev.text = e->text;
      report(ev);
      remember(key, Finished{ErrorMsg{id, ErrorCode::Aborted, "aborted"}, false, now});
      ++summary.failed;
      active.erase(it);
      return;
    }
    ++summary.ignored;  // ACK/HELLO_ACK/FIN_ACK never travel to a receiver
  }

  // A sender from before the cookie: tell it why in a datagram it can decode (version 1),
  // not remembered and not reported as a transfer. Only a HELLO is answered, and the answer
  // (67 bytes) is at most about twice the smallest version-1 HELLO (30 bytes).
  void refuse_legacy(std::span<const uint8_t> d, const sockaddr_storage& from, socklen_t len) {
    const uint32_t sid = uint32_t{d[4]} << 24 | uint32_t{d[5]} << 16 | uint32_t{d[6]} << 8 | d[7];
    std::array<uint8_t, kMaxControlSize> out;
    const size_t n = encode_legacy_error(sid, ErrorCode::BadRequest, kLegacyRefusal, out);
    ::sendto(sock.get(), out.data(), n, 0, reinterpret_cast<const sockaddr*>(&from), len);
    trace("recv HELLO version 1 id=%08x: refused (%s)", sid, kLegacyRefusal);
  }

  void send_acks() {
    for (const PeerKey& key : pending_acks) {
      const auto it = active.find(key);
      if (it == active.end()) continue;
      Transfer& t = *it->second;
      t.need_ack = false;
      const Ack a = t.win.make_ack(key.id);
      reply(a, t.peer);
      trace("send ACK cum=%u sack=%s", a.cumulative, format_sack(a.sack()).c_str());
    }
    pending_acks.clear();
  }

  void report_progress(Nanos now) {
    if (!c.on_progress || now < next_progress) return;
    if (active.empty() && !progress_shown) return;
    next_progress = now + c.progress_interval;
    ReceiverProgress p;
    p.active = static_cast<uint32_t>(active.size());
    for (const auto& [key, t] : active) {
      p.bytes_written += t->written;
      p.bytes_expected += t->size;
      p.duplicates += t->duplicates;
    }
    progress_shown = !active.empty();
    c.on_progress(p);
  }

  void sweep(Nanos now) {
    if (now - last_sweep < std::chrono::milliseconds(100)) return;
    last_sweep = now;
    for (auto it = active.begin(); it != active.end();) {
      Transfer& t = *it->second;
      ++it;  // fail() erases t
      if (now - t.last_heard >= c.idle_timeout) {
        fail(t, ErrorCode::Aborted,
             "no datagram for " + format_duration(now - t.last_heard) + ", temporary file removed");
      }
    }
    std::erase_if(finished, [now](const auto& kv) { return now - kv.second.at > kFinishedMemory; });
    // A HELLO never followed by data: nothing was reserved, so it is simply forgotten.
    std::erase_if(pending,
                  [&](const auto& kv) { return now - kv.second.last_heard >= c.idle_timeout; });
  }

  ReceiverSummary run() {
    std::vector<uint8_t> bufs(kBatch * kRecvBuffer);
    std::array<iovec, kBatch> iov;
    std::array<sockaddr_storage, kBatch> from;
    std::array<mmsghdr, kBatch> msgs{};
    Nanos linger_start{0};
    Nanos last_datagram = monotonic_now();
    for (;;) {
      if (c.stop && c.stop->load()) break;
      Nanos now = monotonic_now();
      if (c.count > 0 && ended() >= c.count) {
        // Stay a moment to repeat FIN_ACKs the sender may have lost, then leave.
        if (linger_start == Nanos{0}) linger_start = now;
        if (now - last_datagram >= kLinger || now - linger_start >= 4 * kLinger) break;
      }
      pollfd p{sock.get(), POLLIN, 0};
      const timespec ts{0, 100'000'000};
      if (::ppoll(&p, 1, &ts, nullptr) < 0 && errno != EINTR) throw_errno("poll");
      for (size_t i = 0; i < kBatch; ++i) {
        iov[i] = {bufs.data() + i * kRecvBuffer, kRecvBuffer};
        msgs[i].msg_hdr = {};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      }
      const int n = ::recvmmsg(sock.get(), msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
      now = monotonic_now();
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
          errno != ECONNREFUSED) {
        throw_errno("recvmmsg");
      }
      for (int i = 0; i < n; ++i) {
        last_datagram = now;
        // One datagram (one transfer) going wrong must not end the others.
        try {
          on_datagram({bufs.data() + size_t(i) * kRecvBuffer, msgs[i].msg_len}, from[i],
                      msgs[i].msg_hdr.msg_namelen, now);
        } catch (const std::exception& e) {
          ++summary.ignored;
          ReceiverEvent ev;
          ev.kind = ReceiverEvent::Kind::DatagramError;
          ev.peer = SocketAddress(reinterpret_cast<const sockaddr*>(&from[i]),
                                  msgs[i].msg_hdr.msg_namelen);
          ev.text = e.what();
          report(ev);
        }
      }
      send_acks();
      sweep(now);
      report_progress(now);
    }
    return summary;
  }
};

Receiver::Receiver(ReceiverConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Receiver::~Receiver() = default;
SocketAddress Receiver::local_address() const {
  return traffic::local_address(impl_->sock.get());
}
ReceiverSummary Receiver::run() {
  return impl_->run();
}

}  // namespace tcpinspect::traffic::udp
