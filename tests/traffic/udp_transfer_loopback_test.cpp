// SPDX-License-Identifier: MIT
// In-process transfers over 127.0.0.1: a Receiver in a thread, send_file() in the test.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>

#include "traffic/udp_transfer_wire.hpp"

#include "traffic/socket_ops.hpp"
#include "traffic/udp_transfer_receiver.hpp"
#include "traffic/udp_transfer_sender.hpp"
#include "traffic/udp_transfer_sha256.hpp"

namespace tcpinspect::traffic::udp {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "ti-udpxfer-XXXXXX").string();
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

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary) << data;
}

std::string pattern(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (auto& c : s) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.insert(e.path().filename().string());
  return names;
}

struct Harness {
  TempDir src, dst;
  std::FILE* null = std::fopen("/dev/null", "w");
  std::unique_ptr<Receiver> receiver;
  std::future<ReceiverSummary> done;
  std::vector<ReceiverEvent> events;  // read only after done.get(): written by its thread

  explicit Harness(uint32_t count, bool overwrite = false) {
    ReceiverConfig c;
    c.bind = parse_ip("127.0.0.1", 0);
    c.dir = dst.path();
    c.count = count;
    c.overwrite = overwrite;
    c.out = null;
    c.on_event = [this](const ReceiverEvent& e) { events.push_back(e); };
    receiver = std::make_unique<Receiver>(c);
    done = std::async(std::launch::async, [this] { return receiver->run(); });
  }
  ~Harness() { std::fclose(null); }

  SenderConfig sender(const std::string& file) const {
    SenderConfig c;
    c.path = (src.path() / file).string();
    c.receiver = receiver->local_address();
    c.out = null;
    c.handshake_timeout = std::chrono::milliseconds(100);
    return c;
  }
};

TEST(UdpTransferLoopback, SmallFilesArriveIdentical) {
  Harness h(5);
  const std::pair<std::string, size_t> files[] = {
      {"empty", 0}, {"one", 1}, {"exact", 3000}, {"odd", 3001}, {"big", 300000}};
  for (const auto& [name, size] : files) {
    write_file(h.src.path() / name, pattern(size));
    SenderConfig c = h.sender(name);
    c.chunk_size = 1000;  // "exact" is exactly three chunks
    const SenderReport r = send_file(c);
    EXPECT_EQ(r.bytes, size);
    EXPECT_EQ(r.chunk_size, 1000u);
    EXPECT_EQ(r.sha256,
              Sha256::hash({reinterpret_cast<const uint8_t*>(pattern(size).data()), size}));
  }
  const ReceiverSummary s = h.done.get();
  EXPECT_EQ(s.completed, 5u);
  EXPECT_EQ(s.failed, 0u);
  for (const auto& [name, size] : files) {
    EXPECT_EQ(read_all(h.dst.path() / name), pattern(size)) << name;
  }
  // Only the final names: no temporary file left behind.
  EXPECT_EQ(listing(h.dst.path()), (std::set<std::string>{"big", "empty", "exact", "odd", "one"}));
  ASSERT_EQ(h.events.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(h.events[i].kind, ReceiverEvent::Kind::Completed);
    EXPECT_EQ(h.events[i].path, h.dst.path() / files[i].first);
    EXPECT_EQ(h.events[i].bytes, files[i].second);
  }
}

TEST(UdpTransferLoopback, StopAndWaitWindowOne) {
  Harness h(1);
  write_file(h.src.path() / "f", pattern(20000));
  SenderConfig c = h.sender("f");
  c.window = 1;
  c.chunk_size = 1400;
  const SenderReport r = send_file(c);
  EXPECT_EQ(r.window, 1u);
  // HELLO + 15 DATA (ceil(20000/1400)) + FIN. Nothing is lost on loopback, but a loaded
  // machine can delay the receiver past a tail-loss probe, an RTO or the HELLO/FIN timeout,
  // and each of those sends one more (seen once in a full parallel run): at least 17.
  EXPECT_GE(r.datagrams, 17u);
  EXPECT_EQ(h.done.get().completed, 1u);
  EXPECT_EQ(read_all(h.dst.path() / "f"), pattern(20000));
}

TEST(UdpTransferLoopback, TraversalNameIsRefusedAndNothingIsCreated) {
  Harness h(2);
  write_file(h.src.path() / "f", "secret");
  for (const char* bad : {"../escape", ".hidden"}) {
    SenderConfig c = h.sender("f");
    c.name = bad;
    try {
      send_file(c);
      FAIL() << "expected a refusal for " << bad;
    } catch (const TransferError& e) {
      EXPECT_NE(std::string(e.what()).find("refused: bad file name"), std::string::npos)
          << e.what();
    }
  }
  const ReceiverSummary s = h.done.get();
  EXPECT_EQ(s.failed, 2u);
  EXPECT_TRUE(listing(h.dst.path()).empty());
  EXPECT_FALSE(fs::exists(h.dst.path().parent_path() / "escape"));
  // Reported to the caller as events (issue 8: traffic/ does not print them itself).
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(h.events[0].kind, ReceiverEvent::Kind::Failed);
  EXPECT_EQ(h.events[0].name, "../escape");
  EXPECT_EQ(h.events[0].code, ErrorCode::BadName);
  EXPECT_EQ(h.events[0].text, "name contains a path separator");
  EXPECT_EQ(h.events[1].name, ".hidden");
  EXPECT_EQ(h.events[1].text, "name starts with '.'");
}

TEST(UdpTransferLoopback, ExistingFileIsNotOverwritten) {
  Harness h(1);
  write_file(h.dst.path() / "f", "old");
  write_file(h.src.path() / "f", "new content");
  try {
    send_file(h.sender("f"));
    FAIL() << "expected a refusal";
  } catch (const TransferError& e) {
    EXPECT_NE(std::string(e.what()).find("file exists"), std::string::npos) << e.what();
  }
  EXPECT_EQ(h.done.get().failed, 1u);
  EXPECT_EQ(read_all(h.dst.path() / "f"), "old");
  EXPECT_EQ(listing(h.dst.path()), std::set<std::string>{"f"});
}

TEST(UdpTransferLoopback, OverwriteReplacesExistingFile) {
  Harness h(1, /*overwrite=*/true);
  write_file(h.dst.path() / "f", "old");
  write_file(h.src.path() / "f", "new content");
  send_file(h.sender("f"));
  EXPECT_EQ(h.done.get().completed, 1u);
  EXPECT_EQ(read_all(h.dst.path() / "f"), "new content");
}

TEST(UdpTransferLoopback, SilentReceiverGivesBoundedError) {
  TempDir src;
  write_file(src.path() / "f", "x");
  // A socket we own that never answers: no ICMP, just silence.
  Fd silent = bind_udp(parse_ip("127.0.0.1", 0));
  SenderConfig c;
  c.path = (src.path() / "f").string();
  c.receiver = local_address(silent.get());
  c.handshake_attempts = 3;
  c.handshake_timeout = std::chrono::milliseconds(20);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    send_file(c);
    FAIL() << "expected an error";
  } catch (const TransferError& e) {
    EXPECT_NE(std::string(e.what()).find("no answer from 127.0.0.1:"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("after 3 attempts over 140ms"), std::string::npos)
        << e.what();
  }
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(140));  // 20 + 40 + 80
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

// Issue 12: ICMP port unreachable ends udp-send at once instead of after every HELLO retry.
TEST(UdpTransferLoopback, PortUnreachableFailsAtOnce) {
  TempDir src;
  write_file(src.path() / "f", "x");
  SocketAddress closed;
  {
    Fd gone = bind_udp(parse_ip("127.0.0.1", 0));
    closed = local_address(gone.get());
  }  // closed again: the kernel answers datagrams to this port with ICMP port unreachable
  SenderConfig c;
  c.path = (src.path() / "f").string();
  c.receiver = closed;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    send_file(c);
    FAIL() << "expected an error";
  } catch (const TransferError& e) {
    EXPECT_EQ(std::string(e.what()),
              "nothing listening at " + closed.to_string() + " (ICMP port unreachable)");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200));
}

// Issue 12: --timeout bounds the whole handshake, whatever the number of attempts allowed.
TEST(UdpTransferLoopback, TimeoutBoundsTheWholeHandshake) {
  TempDir src;
  write_file(src.path() / "f", "x");
  Fd silent = bind_udp(parse_ip("127.0.0.1", 0));
  SenderConfig c;
  c.path = (src.path() / "f").string();
  c.receiver = local_address(silent.get());
  c.handshake_attempts = 20;
  c.handshake_timeout = std::chrono::milliseconds(20);
  c.idle_timeout = std::chrono::milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    send_file(c);
    FAIL() << "expected an error";
  } catch (const TransferError& e) {
    // Waits of 20, 40, 80 ms, then what is left of the 300 ms: four HELLOs.
    EXPECT_NE(std::string(e.what()).find("after 4 attempts"), std::string::npos) << e.what();
  }
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_LT(took, std::chrono::milliseconds(600));
}

// Progress for a terminal display (issue 12): the sender's acknowledged bytes only grow and
// end at the file size; the receiver reports the transfer under way, then none.
TEST(UdpTransferLoopback, ProgressReportsOnBothSides) {
  TempDir src, dst;
  std::FILE* null = std::fopen("/dev/null", "w");
  std::vector<ReceiverProgress> seen;  // read after run() returned
  ReceiverConfig rc;
  rc.bind = parse_ip("127.0.0.1", 0);
  rc.dir = dst.path();
  rc.count = 1;
  rc.out = null;
  rc.progress_interval = std::chrono::milliseconds(0);
  rc.on_progress = [&](const ReceiverProgress& p) { seen.push_back(p); };
  Receiver receiver(rc);
  auto done = std::async(std::launch::async, [&] { return receiver.run(); });
  write_file(src.path() / "f", pattern(3'000'000));
  SenderConfig c;
  c.path = (src.path() / "f").string();
  c.receiver = receiver.local_address();
  c.out = null;
  c.chunk_size = 1000;
  c.window = 8;
  c.progress_interval = std::chrono::milliseconds(0);
  std::vector<SenderProgress> sent;
  c.on_progress = [&](const SenderProgress& p) { sent.push_back(p); };
  send_file(c);
  EXPECT_EQ(done.get().completed, 1u);
  std::fclose(null);
  ASSERT_GE(sent.size(), 2u);
  for (size_t i = 1; i < sent.size(); ++i)
    EXPECT_GE(sent[i].bytes_acked, sent[i - 1].bytes_acked);
  EXPECT_EQ(sent.back().bytes_acked, 3'000'000u);
  EXPECT_EQ(sent.back().bytes_total, 3'000'000u);
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.front().active, 1u);
  EXPECT_EQ(seen.front().bytes_expected, 3'000'000u);
  EXPECT_EQ(seen.back().active, 0u);  // the line is cleared once nothing is under way
}

TEST(UdpTransferLoopback, MissingSourceFile) {
  SenderConfig c;
  c.path = "/nonexistent/ti-udpxfer/file";
  c.receiver = parse_ip("127.0.0.1", 9);
  try {
    send_file(c);
    FAIL();
  } catch (const TransferError& e) {
    EXPECT_STREQ(e.what(), "cannot open /nonexistent/ti-udpxfer/file: No such file or directory");
  }
}

}  // namespace
}  // namespace tcpinspect::traffic::udp

namespace tcpinspect::traffic::udp {
namespace {

// A receiver that accepts the HELLO and then drops every DATA on the floor: the sender must
// keep retransmitting (RTO timer, probes) and give up after its idle timeout.
TEST(UdpTransferLoopback, ReceiverThatStopsAckingMakesSenderRetransmitThenFail) {
  TempDir src;
  write_file(src.path() / "f", "x");
  Fd sock = bind_udp(parse_ip("127.0.0.1", 0));
  // The fake receiver must notice its 2 s are over even when nothing arrives any more
  // (once the sender gives up): a receive timeout instead of a recvfrom() blocked forever.
  const timeval tick{0, 50'000};
  ASSERT_EQ(::setsockopt(sock.get(), SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick), 0);
  std::atomic<int> data_seen{0};
  std::thread fake([&] {
    std::array<uint8_t, 2048> buf;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < end) {
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(sock.get(), buf.data(), buf.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      Message m;
      if (decode({buf.data(), static_cast<size_t>(n)}, m) != DecodeStatus::Ok) continue;
      if (const auto* h = std::get_if<Hello>(&m)) {
        std::array<uint8_t, kMaxControlSize> out;
        const size_t k = encode(HelloAck{h->transfer_id, h->chunk_size, 1}, out);
        ::sendto(sock.get(), out.data(), k, 0, reinterpret_cast<sockaddr*>(&from), len);
      } else if (std::holds_alternative<Data>(m)) {
        ++data_seen;
      }
    }
  });
  SenderConfig c;
  c.path = (src.path() / "f").string();
  c.receiver = local_address(sock.get());
  c.idle_timeout = std::chrono::milliseconds(300);
  try {
    send_file(c);
    ADD_FAILURE() << "expected an error";
  } catch (const TransferError& e) {
    EXPECT_NE(std::string(e.what()).find("stopped responding"), std::string::npos) << e.what();
  }
  fake.join();
  // First send + RTO retransmissions at 20, 40, 80, 160 ms (+ probes): at least 4.
  EXPECT_GE(data_seen.load(), 4);
}

}  // namespace
}  // namespace tcpinspect::traffic::udp

namespace tcpinspect::traffic::udp {
namespace {

// FIN retransmissions back off with the RTO but stay at most 500 ms apart: a receiver drops
// a transfer silent for its idle timeout, which a backed-off RTO could otherwise exceed.
TEST(UdpTransferLoopback, FinRetransmissionsStayWithinHalfASecondOfEachOther) {
  TempDir src;
  write_file(src.path() / "empty", "");
  Fd sock = bind_udp(parse_ip("127.0.0.1", 0));
  const timeval tick{0, 50'000};
  ASSERT_EQ(::setsockopt(sock.get(), SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick), 0);
  std::vector<std::chrono::steady_clock::time_point> fins;
  std::thread fake([&] {
    std::array<uint8_t, 2048> buf;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(8);
    while (std::chrono::steady_clock::now() < end) {
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(sock.get(), buf.data(), buf.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) continue;
      Message m;
      if (decode({buf.data(), static_cast<size_t>(n)}, m) != DecodeStatus::Ok) continue;
      std::array<uint8_t, kMaxControlSize> out;
      size_t k = 0;
      if (const auto* h = std::get_if<Hello>(&m)) {
        k = encode(HelloAck{h->transfer_id, h->chunk_size, 1, 0xC00C1E}, out);
      } else if (const auto* f = std::get_if<Fin>(&m)) {
        if (f->transfer_id != 0xC00C1E) continue;  // the FIN must echo our cookie
        fins.push_back(std::chrono::steady_clock::now());
        if (fins.size() < 6) continue;  // the first five are "lost"
        k = encode(FinAck{f->transfer_id}, out);
      }
      if (k > 0) ::sendto(sock.get(), out.data(), k, 0, reinterpret_cast<sockaddr*>(&from), len);
      if (fins.size() == 6) return;
    }
  });
  SenderConfig c;
  c.path = (src.path() / "empty").string();
  c.receiver = local_address(sock.get());
  c.rtt.min_rto = std::chrono::milliseconds(100);  // RTO 100 ms after the HELLO's sample
  send_file(c);
  fake.join();
  ASSERT_EQ(fins.size(), 6u);
  auto gap_ms = [&](size_t i) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(fins[i] - fins[i - 1]).count();
  };
  // Waits of 100, 200, 400 ms, then 500 instead of 800 and 1600.
  EXPECT_GE(gap_ms(3), 350);
  EXPECT_GE(gap_ms(4), 450);
  EXPECT_LT(gap_ms(4), 750);
  EXPECT_GE(gap_ms(5), 450);
  EXPECT_LT(gap_ms(5), 750);
}

}  // namespace
}  // namespace tcpinspect::traffic::udp
