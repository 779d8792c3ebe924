// SPDX-License-Identifier: MIT
// Issue 12: a receiver a hostile peer cannot take down. HELLOs alone reserve nothing (no
// file, no disk, no thread, no fd), concurrent transfers and declared sizes are capped with
// a reason told to the sender, and well-behaved transfers still complete alongside.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "traffic/socket_ops.hpp"
#include "traffic/udp_transfer_receiver.hpp"
#include "traffic/udp_transfer_sender.hpp"
#include "traffic/udp_transfer_sha256.hpp"
#include "traffic/udp_transfer_wire.hpp"

namespace tcpinspect::traffic::udp {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "ti-udplimits-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

size_t entries(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
    ++n;
  return n;
}

// Threads and open fds of this process, from /proc.
size_t threads() {
  return entries("/proc/self/task");
}
size_t open_fds() {
  return entries("/proc/self/fd");
}

/// A hand-driven peer: sends whatever datagrams a test needs and reads the answers.
class RawPeer {
 public:
  explicit RawPeer(SocketAddress to) : to_(to), sock_(bind_udp(parse_ip("127.0.0.1", 0))) {}

  void send(const Message& m) {
    std::array<uint8_t, kMaxControlSize> buf;
    const size_t n = encode(m, buf);
    ::sendto(sock_.get(), buf.data(), n, 0, to_.data(), to_.size());
  }
  void send_data(uint32_t id, uint32_t seq, const std::vector<uint8_t>& payload) {
    std::array<uint8_t, kDataHeaderSize> header;
    encode_data_header(id, seq, payload, header);
    std::array<iovec, 2> iov{iovec{header.data(), header.size()},
                             iovec{const_cast<uint8_t*>(payload.data()), payload.size()}};
    msghdr msg{};
    msg.msg_name = const_cast<sockaddr*>(to_.data());
    msg.msg_namelen = to_.size();
    msg.msg_iov = iov.data();
    msg.msg_iovlen = iov.size();
    ::sendmsg(sock_.get(), &msg, 0);
  }
  /// The next datagram's raw bytes within `timeout` (empty if none).
  std::vector<uint8_t> receive_raw(std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    std::array<uint8_t, 2048> buf;
    while (std::chrono::steady_clock::now() < end) {
      const ssize_t n = ::recv(sock_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
      if (n >= 0) return {buf.begin(), buf.begin() + n};
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return {};
  }
  void send_raw(const std::vector<uint8_t>& d) {
    ::sendto(sock_.get(), d.data(), d.size(), 0, to_.data(), to_.size());
  }
  /// The next decodable answer within `timeout`, or nullopt.
  std::optional<Message> receive(std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    std::array<uint8_t, 2048> buf;
    while (std::chrono::steady_clock::now() < end) {
      const ssize_t n = ::recv(sock_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
      if (n < 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      Message m;
      if (decode({buf.data(), static_cast<size_t>(n)}, m) == DecodeStatus::Ok) return m;
    }
    return std::nullopt;
  }

 private:
  SocketAddress to_;
  Fd sock_;
};

struct Harness {
  TempDir src, dst;
  std::FILE* null = std::fopen("/dev/null", "w");
  std::unique_ptr<Receiver> receiver;
  std::future<ReceiverSummary> done;

  explicit Harness(ReceiverConfig c) {
    c.dir = dst.path();
    c.out = null;
    receiver = std::make_unique<Receiver>(c);
    done = std::async(std::launch::async, [this] { return receiver->run(); });
  }
  ~Harness() { std::fclose(null); }

  SenderConfig sender(const std::string& name, size_t size) const {
    std::ofstream(src.path() / name, std::ios::binary) << std::string(size, 'z');
    SenderConfig c;
    c.path = (src.path() / name).string();
    c.receiver = receiver->local_address();
    c.out = null;
    c.handshake_timeout = std::chrono::milliseconds(100);
    c.chunk_size = 1000;
    return c;
  }
};

ReceiverConfig loopback(uint32_t count) {
  ReceiverConfig c;
  c.bind = parse_ip("127.0.0.1", 0);
  c.count = count;
  return c;
}

// 2,000 HELLOs declaring 8 GiB each used to create 2,000 files, reserve 8 GiB for each and
// start 2,000 threads. Now they cost a bounded table entry each and nothing else.
TEST(UdpTransferLimits, HelloFloodReservesNothingAndRealTransfersStillComplete) {
  ReceiverConfig rc = loopback(1);
  rc.max_pending = 100;
  Harness h(rc);
  RawPeer flood(h.receiver->local_address());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the receiver thread runs
  const size_t threads_before = threads();
  const size_t fds_before = open_fds();
  for (uint32_t id = 1; id <= 2000; ++id) {
    flood.send(Hello{id, uint64_t{8} << 30, 1000, 64, "flood" + std::to_string(id)});
    if (id % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const auto first = flood.receive();
  ASSERT_TRUE(first);
  EXPECT_TRUE(std::holds_alternative<HelloAck>(*first));  // answered, statelessly cheap
  // A well-behaved sender alongside: completes (its HELLO evicts the oldest flood entry).
  const SenderReport r = send_file(h.sender("real.bin", 300000));
  EXPECT_EQ(r.bytes, 300000u);
  EXPECT_EQ(threads(), threads_before);  // the real transfer's hasher has ended again
  EXPECT_EQ(open_fds(), fds_before);
  const ReceiverSummary s = h.done.get();
  EXPECT_EQ(s.completed, 1u);
  EXPECT_EQ(s.failed, 0u);
  EXPECT_EQ(s.peak_pending, 100u);  // bounded by max_pending
  EXPECT_EQ(s.peak_active, 1u);     // only the real transfer ever had a file
  EXPECT_EQ(entries(h.dst.path()), 1u);
  EXPECT_EQ(fs::file_size(h.dst.path() / "real.bin"), 300000u);
}

TEST(UdpTransferLimits, BusyAndTooLargeAreRefusedWithAReason) {
  ReceiverConfig rc = loopback(4);
  rc.max_transfers = 1;
  rc.max_file_size = 1 << 20;
  Harness h(rc);
  const std::string target = h.receiver->local_address().to_string();
  // A transfer under way (first chunk delivered): the one slot is taken.
  RawPeer peer(h.receiver->local_address());
  peer.send(Hello{77, 5000, 1000, 8, "slow.bin"});
  auto m = peer.receive();
  ASSERT_TRUE(m && std::holds_alternative<HelloAck>(*m));
  EXPECT_EQ(entries(h.dst.path()), 0u);  // HELLO_ACK sent, nothing created yet
  const uint32_t cookie = std::get<HelloAck>(*m).cookie;
  peer.send_data(cookie, 0, std::vector<uint8_t>(1000, 'a'));
  m = peer.receive();
  ASSERT_TRUE(m && std::holds_alternative<Ack>(*m));
  EXPECT_EQ(std::get<Ack>(*m).transfer_id, cookie);
  EXPECT_EQ(std::get<Ack>(*m).cumulative, 1u);
  char temp[64];
  std::snprintf(temp, sizeof temp, ".slow.bin.partial.%08x", cookie);
  EXPECT_EQ(entries(h.dst.path()), 1u);  // 5000 bytes reserved
  EXPECT_EQ(fs::file_size(h.dst.path() / temp), 5000u);

  try {
    send_file(h.sender("second.bin", 10));
    ADD_FAILURE() << "expected a refusal";
  } catch (const TransferError& e) {
    EXPECT_EQ(std::string(e.what()), "receiver " + target +
                                         " refused: receiver busy (already receiving 1 files, "
                                         "the maximum)");
  }
  try {
    send_file(h.sender("huge.bin", (1 << 20) + 1));
    ADD_FAILURE() << "expected a refusal";
  } catch (const TransferError& e) {
    EXPECT_EQ(std::string(e.what()), "receiver " + target +
                                         " refused: file too large (1048577 bytes declared, at "
                                         "most 1048576 accepted)");
  }
  // The first sender gives up: its slot and its temporary file are released.
  peer.send(ErrorMsg{cookie, ErrorCode::Aborted, "bye"});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(send_file(h.sender("third.bin", 3000)).bytes, 3000u);
  const ReceiverSummary s = h.done.get();
  EXPECT_EQ(s.completed, 1u);
  EXPECT_EQ(s.failed, 3u);  // busy, too large, aborted
  EXPECT_EQ(entries(h.dst.path()), 1u);
  EXPECT_TRUE(fs::exists(h.dst.path() / "third.bin"));
}

// Wire version 2: reservation only after the sender proved it receives our HELLO_ACK, by
// echoing its cookie. A spoofed source can send HELLO + DATA with the id it chose itself,
// but never sees the cookie: its DATA and FIN reserve nothing and are refused.
TEST(UdpTransferLimits, DataWithoutTheCookieReservesNothingAndIsRefused) {
  ReceiverConfig rc = loopback(1);
  Harness h(rc);
  RawPeer peer(h.receiver->local_address());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the receiver thread runs
  const size_t threads_before = threads();
  const size_t fds_before = open_fds();
  peer.send(Hello{77, 5000, 1000, 8, "spoofed.bin"});
  auto m = peer.receive();
  ASSERT_TRUE(m && std::holds_alternative<HelloAck>(*m));
  const HelloAck ack = std::get<HelloAck>(*m);
  EXPECT_EQ(ack.transfer_id, 77u);  // matched by the sender's id ...
  EXPECT_NE(ack.cookie, 77u);       // ... the transfer is ours from now on
  // A duplicate HELLO gets the same cookie (stateless: keyed hash of source and id).
  peer.send(Hello{77, 5000, 1000, 8, "spoofed.bin"});
  m = peer.receive();
  ASSERT_TRUE(m && std::holds_alternative<HelloAck>(*m));
  EXPECT_EQ(std::get<HelloAck>(*m).cookie, ack.cookie);

  // What a spoofer can send: DATA and FIN under its own id, or a guessed cookie.
  for (uint32_t id : {77u, ack.cookie ^ 1u}) {
    peer.send_data(id, 0, std::vector<uint8_t>(1000, 'a'));
    m = peer.receive();
    ASSERT_TRUE(m && std::holds_alternative<ErrorMsg>(*m)) << id;
    EXPECT_EQ(std::get<ErrorMsg>(*m).transfer_id, id);
    EXPECT_EQ(std::get<ErrorMsg>(*m).code, ErrorCode::UnknownTransfer);
    peer.send(Fin{id, {}});
    m = peer.receive();
    ASSERT_TRUE(m && std::holds_alternative<ErrorMsg>(*m)) << id;
    EXPECT_EQ(std::get<ErrorMsg>(*m).code, ErrorCode::UnknownTransfer);
  }
  EXPECT_EQ(entries(h.dst.path()), 0u);  // no partial file, no space reserved
  EXPECT_EQ(threads(), threads_before);  // no hashing thread
  EXPECT_EQ(open_fds(), fds_before);     // no file
  // The same cookie from another port of the same host is not ours to use either.
  RawPeer other(h.receiver->local_address());
  other.send_data(ack.cookie, 0, std::vector<uint8_t>(1000, 'a'));
  m = other.receive();
  ASSERT_TRUE(m && std::holds_alternative<ErrorMsg>(*m));
  EXPECT_EQ(std::get<ErrorMsg>(*m).code, ErrorCode::UnknownTransfer);
  EXPECT_EQ(entries(h.dst.path()), 0u);

  // The real sender, echoing the cookie, still gets its transfer.
  for (uint32_t seq = 0; seq < 5; ++seq)
    peer.send_data(ack.cookie, seq, std::vector<uint8_t>(1000, 'a'));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Sha256 sha;
  sha.update(std::vector<uint8_t>(5000, 'a'));
  peer.send(Fin{ack.cookie, sha.finish()});
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  bool fin_acked = false;
  while (!fin_acked && std::chrono::steady_clock::now() < end) {
    m = peer.receive(std::chrono::milliseconds(200));
    fin_acked =
        m && std::holds_alternative<FinAck>(*m) && std::get<FinAck>(*m).transfer_id == ack.cookie;
  }
  EXPECT_TRUE(fin_acked);
  const ReceiverSummary s = h.done.get();
  EXPECT_EQ(s.completed, 1u);
  EXPECT_EQ(s.failed, 0u);
  EXPECT_EQ(s.peak_active, 1u);
  EXPECT_EQ(fs::file_size(h.dst.path() / "spoofed.bin"), 5000u);
}

// A sender from before the cookie (version 1) is told why in a datagram it can decode.
TEST(UdpTransferLimits, Version1HelloGetsAVersion1Refusal) {
  ReceiverConfig rc = loopback(0);
  std::atomic<bool> stop{false};
  rc.stop = &stop;
  Harness h(rc);
  RawPeer peer(h.receiver->local_address());
  // HELLO id 0x01020304, 2^32 + 2 bytes, chunk 1400, window 64, "a.txt" (version 1).
  peer.send_raw({0x54, 0x49, 0x01, 0x01, 0x01, 0x02, 0x03, 0x04, 0x0c, 0xb8, 0xee, 0x61,
                 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x05, 0x78,
                 0x00, 0x00, 0x00, 0x40, 0x00, 0x05, 'a',  '.',  't',  'x',  't'});
  const std::vector<uint8_t> answer = peer.receive_raw();
  const std::string text = "protocol version 1 not supported, upgrade the sender";
  std::vector<uint8_t> expected = {0x54, 0x49, 0x01, 0x07, 0x01, 0x02, 0x03, 0x04,
                                   0x9d, 0xda, 0xd4, 0x51, 0x07, 0x00, 0x34};
  expected.insert(expected.end(), text.begin(), text.end());
  EXPECT_EQ(answer, expected);
  stop = true;
  const ReceiverSummary s = h.done.get();
  EXPECT_EQ(s.ignored, 1u);  // counted, no transfer started or failed
  EXPECT_EQ(s.failed, 0u);
  EXPECT_EQ(entries(h.dst.path()), 0u);
}

// udp-recv binds "::" by default: one socket for IPv4 and IPv6 senders.
TEST(UdpTransferLimits, DefaultBindServesIpv4AndIpv6) {
  ReceiverConfig rc;
  rc.bind = parse_ip(kDefaultReceiverBind, 0);
  rc.count = 2;
  Harness h(rc);
  const uint16_t port = h.receiver->local_address().port();
  SenderConfig v4 = h.sender("v4.bin", 2000);
  v4.receiver = parse_ip("127.0.0.1", port);
  EXPECT_EQ(send_file(v4).bytes, 2000u);
  SenderConfig v6 = h.sender("v6.bin", 2000);
  v6.receiver = parse_ip("::1", port);
  EXPECT_EQ(send_file(v6).bytes, 2000u);
  EXPECT_EQ(h.done.get().completed, 2u);
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
