// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "traffic/fd.hpp"
#include "traffic/socket_address.hpp"
#include "traffic/udp_transfer_rtt.hpp"

/// The receiving end of a reliable UDP file transfer (docs/udp-transfer.md). One socket
/// serves any number of concurrent senders, each keyed by (sender address, transfer id).
namespace tcpinspect::traffic::udp {

struct ReceiverConfig {
  SocketAddress bind;          ///< address and port to listen on (port 0 = any)
  std::filesystem::path dir;   ///< where files are created
  bool overwrite = false;      ///< replace existing files
  uint32_t count = 0;          ///< stop after this many transfers ended (0 = never)
  uint32_t max_window = 4096;  ///< chunks buffered per transfer, further capped by memory
  Nanos idle_timeout = std::chrono::seconds(10);  ///< drop a silent transfer after this
  bool verbose = false;
  std::FILE* out = stdout;                  ///< "listening on", completed transfers, trace
  std::FILE* err = stderr;                  ///< refused and failed transfers
  const std::atomic<bool>* stop = nullptr;  ///< set asynchronously to stop (cleans up)
};

struct ReceiverSummary {
  uint32_t completed = 0;
  uint32_t failed = 0;   ///< refused, aborted, timed out or hash mismatch
  uint64_t ignored = 0;  ///< malformed, foreign or unexpected datagrams
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
