// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>

#include "traffic/socket_address.hpp"
#include "traffic/udp_transfer_rtt.hpp"
#include "traffic/udp_transfer_sha256.hpp"

/// The sending end of a reliable UDP file transfer (docs/udp-transfer.md).
namespace tcpinspect::traffic::udp {

/// A transfer that did not complete; what() is one line for the CLI.
struct TransferError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A snapshot for a progress display, taken during the data phase.
struct SenderProgress {
  uint64_t bytes_acked = 0;  ///< cumulatively acknowledged
  uint64_t bytes_total = 0;
  uint64_t retransmissions = 0;
  Nanos elapsed{0};  ///< since the handshake started
};

struct SenderConfig {
  std::string path;         ///< file to send
  SocketAddress receiver;   ///< where udp-recv listens
  std::string name;         ///< name announced in HELLO (default: the file's basename)
  uint32_t chunk_size = 0;  ///< payload bytes per DATA; 0 = from the path MTU
  /// Max chunks in flight (1 = stop-and-wait); 0 = auto: kAutoWindowBytes worth of chunks.
  uint32_t window = 0;
  /// HELLO sends before giving up (the wait doubles from handshake_timeout up to 500 ms);
  /// FIN gets twice as many. 20 because at 30% loss each way an attempt is answered only
  /// half the time. idle_timeout bounds the waits too.
  int handshake_attempts = 20;
  Nanos handshake_timeout = std::chrono::milliseconds(250);
  /// No answer (HELLO_ACK, an ACK of new data, FIN_ACK) for this long: give up. Equal to
  /// the receiver's default idle timeout.
  Nanos idle_timeout = std::chrono::seconds(10);
  RttConfig rtt;
  bool verbose = false;
  std::FILE* out = stdout;                  ///< trace lines
  const std::atomic<bool>* stop = nullptr;  ///< set asynchronously to abort
  /// Called from the data loop at most every progress_interval, and once at its end.
  std::function<void(const SenderProgress&)> on_progress;
  Nanos progress_interval = std::chrono::milliseconds(200);
};

struct SenderReport {
  uint64_t bytes = 0;
  double seconds = 0;
  uint32_t chunk_size = 0;
  uint32_t window = 0;  ///< as granted by the receiver
  uint64_t datagrams = 0;
  uint64_t retransmissions = 0;
  uint64_t timeouts = 0;
  uint64_t probes = 0;   ///< tail loss probes
  uint64_t ignored = 0;  ///< malformed or foreign datagrams received
  Nanos final_rto{0};
  Nanos srtt{0};
  Sha256Digest sha256{};
};

/// Sends the file; returns when the receiver confirmed the SHA-256 and renamed the file.
/// Throws TransferError (unreadable file, unreachable or refusing receiver, timeout...).
SenderReport send_file(const SenderConfig& config);

/// Auto window: 1 MiB in flight (16 chunks of 64 KB on loopback, 720 of 1456 bytes on
/// Ethernet). More only queues in socket buffers: on a loaded host a deep queue keeps both
/// ends runnable, so the scheduler treats them as CPU hogs and RTT grows to tens of ms
/// (docs/udp-transfer.md, "Performance").
inline constexpr uint64_t kAutoWindowBytes = 1 << 20;
uint32_t auto_window(uint32_t chunk_size);

/// Payload size for a path MTU: MTU minus IP, UDP and DATA headers, capped at kMaxChunkSize.
uint32_t chunk_size_for_mtu(int mtu, bool ipv6);

}  // namespace tcpinspect::traffic::udp
