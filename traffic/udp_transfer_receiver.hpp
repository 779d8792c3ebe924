// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "traffic/fd.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/udp_transfer_rtt.hpp"
#include "traffic/udp_transfer_sha256.hpp"
#include "traffic/udp_transfer_wire.hpp"

/// The receiving end of a reliable UDP file transfer (docs/udp-transfer.md). One socket
/// serves any number of concurrent senders, each keyed by (sender address, transfer id).
namespace tcpinspect::traffic::udp {

/// udp-recv's default --bind: the IPv6 wildcard, made dual-stack by bind_udp, so IPv4 and
/// IPv6 senders both reach it (as echo-server).
inline constexpr const char* kDefaultReceiverBind = "::";

/// One thing worth telling the user. The receiver prints nothing itself except the -v
/// trace: cmd/udp_recv.cpp turns these into lines.
struct ReceiverEvent {
  enum class Kind {
    Completed,        ///< file verified and renamed into place
    Failed,           ///< refused or ended by this receiver; the sender was told `code`
    AbortedBySender,  ///< the sender sent ERROR; its text is in `text`
    DatagramError,    ///< handling one datagram threw; the loop went on (`text`)
  };
  Kind kind = Kind::Failed;
  uint32_t transfer_id = 0;
  SocketAddress peer;
  std::string name;                ///< raw bytes from the network: print through printable()
  std::filesystem::path path;      ///< Completed: the final path
  uint64_t bytes = 0;              ///< Completed
  double seconds = 0;              ///< Completed: from HELLO to verified
  Sha256Digest sha256{};           ///< Completed
  ErrorCode code = ErrorCode::Io;  ///< Failed
  std::string text;                ///< Failed, AbortedBySender, DatagramError: the detail
};

/// A snapshot of the transfers with data under way, for a progress display.
struct ReceiverProgress {
  uint32_t active = 0;
  uint64_t bytes_written = 0;   ///< in order, to the temporary files
  uint64_t bytes_expected = 0;  ///< declared sizes of those transfers
  uint64_t duplicates = 0;      ///< chunks received again (the senders' retransmissions)
};

struct ReceiverConfig {
  SocketAddress bind;          ///< address and port to listen on (port 0 = any)
  std::filesystem::path dir;   ///< where files are created
  bool overwrite = false;      ///< replace existing files
  uint32_t count = 0;          ///< stop after this many transfers ended (0 = never)
  uint32_t max_window = 4096;  ///< chunks buffered per transfer, further capped by memory
  /// Transfers with data under way at once (each holds a file, a reassembly buffer of up
  /// to 64 MiB and a hashing thread); a HELLO beyond it is refused with "receiver busy".
  uint32_t max_transfers = 64;
  /// Largest declared file size accepted (refused with "file too large").
  uint64_t max_file_size = uint64_t{16} << 30;
  /// Answered HELLOs waiting for their first DATA or FIN (a few hundred bytes each, no
  /// file); when full, the oldest is forgotten. Nothing is reserved before that first
  /// datagram: a HELLO alone, from a spoofed source or not, costs no disk, fd or thread.
  uint32_t max_pending = 1024;
  Nanos idle_timeout = std::chrono::seconds(10);  ///< drop a silent transfer after this
  bool verbose = false;
  std::FILE* out = stdout;  ///< the -v trace
  /// Completed, failed and aborted transfers (called on the receiving thread).
  std::function<void(const ReceiverEvent&)> on_event;
  /// Called at most every progress_interval while transfers are under way, and once with
  /// active == 0 when the last one ended.
  std::function<void(const ReceiverProgress&)> on_progress;
  Nanos progress_interval = std::chrono::milliseconds(200);
  const std::atomic<bool>* stop = nullptr;  ///< set asynchronously to stop (cleans up)
};

struct ReceiverSummary {
  uint32_t completed = 0;
  uint32_t failed = 0;        ///< refused, aborted, timed out or hash mismatch
  uint64_t ignored = 0;       ///< malformed, foreign or unexpected datagrams
  uint32_t peak_active = 0;   ///< most transfers with data under way at once
  uint32_t peak_pending = 0;  ///< most HELLOs waiting for their first datagram at once
};

class Receiver {
 public:
  /// Binds the socket (throws std::system_error on failure). Creates nothing on disk yet.
  explicit Receiver(ReceiverConfig config);
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  /// The bound address (the real port when asked for port 0).
  SocketAddress local_address() const;
  /// Serves transfers until `count` have ended or `stop` is set. Temporary files of
  /// unfinished transfers are removed before returning.
  ReceiverSummary run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcpinspect::traffic::udp
