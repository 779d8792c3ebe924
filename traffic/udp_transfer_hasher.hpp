// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>

#include "traffic/udp_transfer_sha256.hpp"

/// SHA-256 of a file computed in the background while the transfer runs, so hashing (the
/// most expensive step per byte) overlaps the network I/O instead of adding to it. The
/// hashing reads the file itself: on the sender the source file, on the receiver the
/// temporary file as it is written, so the digest covers what actually reached the disk.
///
/// One thread of the process hashes for every transfer, taking turns of at most 1 MiB, so
/// the number of threads does not grow with the number of transfers (a receiver serving
/// many senders stays at its event loop plus this one thread).
namespace tcpinspect::traffic::udp {

struct HashJob;

class BackgroundHasher {
 public:
  /// Hashes the first `size` bytes of `fd` (duplicated: the caller keeps its own).
  /// `available` bytes may be read right away; advance() makes more available.
  BackgroundHasher(int fd, uint64_t size, uint64_t available);
  ~BackgroundHasher();  ///< withdraws the job; waits only while its current turn runs
  BackgroundHasher(const BackgroundHasher&) = delete;
  BackgroundHasher& operator=(const BackgroundHasher&) = delete;

  /// Bytes [0, available) now hold their final content.
  void advance(uint64_t available);
  /// Blocks until all `size` bytes are hashed; throws std::system_error on a read error.
  Sha256Digest finish();

 private:
  std::unique_ptr<HashJob> job_;
};

/// Starts the process's hashing thread now rather than at the first transfer, so that a
/// server's thread count is flat from its start (the receiver calls it when it starts).
void start_hashing_thread();

}  // namespace tcpinspect::traffic::udp
