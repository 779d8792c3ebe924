// SPDX-License-Identifier: MIT
#pragma once
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "capture/frame_source.hpp"
#include "core/wire/frame.hpp"

namespace tcpinspect::capture {

/// Reads and decodes a capture file on a second thread, ahead of the analysis, and hands
/// the decoded frames over in file order, in blocks. Reading, filtering, checksums and
/// header decoding are about a third of a replay's work; on another core they overlap
/// with the analysis, which stays on the caller's thread and sees exactly the frames a
/// single-threaded loop would.
///
///   reader thread:  source.next -> core::decode_frame -> block ring (kBlocks)
///   caller:         next_block() -> Inspector::feed
///
/// Regular pcap files are decoded in place (the chunks read are reused once the caller is
/// past them); other sources reuse one buffer per read, so their frames are copied into the
/// block first.
class DecodingReader {
 public:
  /// Starts reading `source` (which must outlive this object and not be used meanwhile).
  /// Each frame is decoded for its own link type (source.link()): merged inputs may differ.
  /// `receive`: signals the reader thread unblocks, so that one arriving interrupts its
  /// blocked read of a pipe (the caller blocks them in its own thread, and the thread
  /// inherits that mask); the source then fails and the reader stops after what it read.
  DecodingReader(FrameSource& source, bool verify_checksums, const sigset_t* receive = nullptr);
  /// Stops the reader thread (also when the caller stops early) and waits for it.
  ~DecodingReader();
  DecodingReader(const DecodingReader&) = delete;
  DecodingReader& operator=(const DecodingReader&) = delete;

  /// The next decoded frames in file order, valid until the next call; empty once the
  /// file has ended or failed (then error() says why).
  std::span<const core::DecodedFrame> next_block();
  /// After the last block: the source's error message, or empty if the file ended cleanly.
  const std::string& error() const { return error_; }

  static constexpr size_t kBlocks = 8;
  static constexpr size_t kBlockFrames = 512;
  /// A block also ends once its frames hold this many bytes, copied or read in place: the ring is
  /// sized by bytes, not only by frames. Frames read in place cost memory too: their chunks stay
  /// resident until the caller is past them, and 8 x 512 frames of 256 KiB would be 1 GiB.
  static constexpr size_t kBlockBytes = 1 << 20;
  /// The largest frame a source hands over (libpcap's limit, and ChunkedPcapReader's).
  static constexpr size_t kMaxFrameBytes = 262144;
  /// What the blocks in the ring hold at most: each ends within one frame of kBlockBytes.
  static constexpr size_t kRingBytes = kBlocks * (kBlockBytes - 1 + kMaxFrameBytes);

 private:
  // The reader is usually the faster side, so it often waits for a free block. Waking it
  // for every block given back costs a futex call each; it waits for this many instead.
  static constexpr size_t kRefill = kBlocks / 2;

  struct Block {
    std::vector<core::DecodedFrame> frames;  // kBlockFrames, the first `count` in use
    size_t count = 0;
    std::vector<uint8_t> bytes;  // copies of the frames' bytes (sources that reuse one buffer)
    std::vector<core::LinkType> links;  // each copied frame's link type, until it is decoded
    bool last = false;                  // the file ended (or failed) after this block
  };

  void run();
  // Fills `b` from the source; returns false once the file has ended or failed.
  bool fill(Block& b);

  FrameSource& source_;
  bool verify_checksums_;
  bool in_place_;  // the source keeps frames valid across reads (chunked pcap file)
  bool unblock_ = false;
  sigset_t receive_{};  // unblocked in the reader thread when unblock_
  std::vector<Block> blocks_;

  std::mutex mutex_;
  std::condition_variable ready_;  // a block was filled (or the reader stopped)
  std::condition_variable room_;   // a block was given back (or the caller is leaving)
  uint64_t filled_ = 0;            // blocks filled so far (guarded by mutex_)
  uint64_t taken_ = 0;             // blocks the caller has finished with (guarded)
  bool stop_ = false;              // the caller is leaving (guarded)
  bool reader_waiting_ = false;    // the reader sleeps until kRefill blocks are free (guarded)
  const uint8_t* release_upto_ = nullptr;  // frames read before this are done with (guarded)
  bool holding_ = false;                   // the caller holds block (taken_ % kBlocks)
  bool done_ = false;                      // no block will follow the last one handed over
  std::string error_;                      // written by the reader before its last block
  std::thread thread_;
};

}  // namespace tcpinspect::capture
