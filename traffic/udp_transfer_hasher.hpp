// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "traffic/fd.hpp"
#include "traffic/udp_transfer_sha256.hpp"

/// SHA-256 of a file computed on a background thread while the transfer runs, so hashing
/// (the most expensive step per byte) overlaps the network I/O instead of adding to it.
/// The thread reads the file itself: on the sender the source file, on the receiver the
/// temporary file as it is written, so the digest covers what actually reached the disk.
namespace tcpinspect::traffic::udp {

class BackgroundHasher {
 public:
  /// Hashes the first `size` bytes of `fd` (duplicated: the caller keeps its own).
  /// `available` bytes may be read right away; advance() makes more available.
  BackgroundHasher(int fd, uint64_t size, uint64_t available);
  ~BackgroundHasher();  ///< stops and joins
  BackgroundHasher(const BackgroundHasher&) = delete;
  BackgroundHasher& operator=(const BackgroundHasher&) = delete;

  /// Bytes [0, available) now hold their final content.
  void advance(uint64_t available);
  /// Blocks until all `size` bytes are hashed; throws std::system_error on a read error.
  Sha256Digest finish();

 private:
  void run();

  Fd fd_;
  uint64_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t available_;
  bool stop_ = false;
  bool done_ = false;
  int error_ = 0;
  Sha256Digest digest_{};
  std::thread thread_;
};

}  // namespace tcpinspect::traffic::udp
