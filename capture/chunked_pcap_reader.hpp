// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tcpinspect::capture {

/// A classic pcap file read in large chunks into buffers that are used again and again:
/// the fast path for `replay` on regular files. Records are handed over in place, pointing
/// into a chunk, and every record header is bounds-checked against what was read.
///
/// Why not libpcap: its reader makes two stdio reads per record through an 8 KiB buffer.
/// Why not mmap (this class mapped the file until 2026-12): each new page of a mapping costs
/// a fault on first touch, and on a virtual machine with shadowed page tables those faults
/// dominate. bench/read_paths, every record of a 1 GB capture checksummed: mapped 0.63 s,
/// these chunks 0.21 s, libpcap 0.70 s. Reused buffers stay mapped and warm in the caches.
class ChunkedPcapReader {
 public:
  /// Opens `path`; returns false (and reads nothing) if it is not a regular classic pcap
  /// file, so the caller falls back to libpcap.
  bool open(const std::string& path);
  /// The same for an open descriptor, read from the file's start whatever its offset (a
  /// duplicate is kept: the descriptor may be closed after this).
  bool open(int fd);
  /// chunk_bytes: how much one read asks for (kChunkBytes; tests use tiny chunks so that
  /// records straddle them).
  explicit ChunkedPcapReader(size_t chunk_bytes = kChunkBytes) : chunk_bytes_(chunk_bytes) {}
  ~ChunkedPcapReader();
  ChunkedPcapReader(const ChunkedPcapReader&) = delete;
  ChunkedPcapReader& operator=(const ChunkedPcapReader&) = delete;

  struct Record {
    int64_t ts_ns;
    uint32_t caplen;
    uint32_t wire_len;
    const uint8_t* data;
  };
  enum class Status { Record, End, Error };
  /// The next record; on Error, `error` says what is wrong with the record at `offset()`.
  /// The record's bytes stay valid until the next call, or, while holding, until released.
  Status next(Record& r, std::string& error);
  /// Byte offset in the file of the next (or the failing) record.
  uint64_t offset() const { return offset_; }
  /// While holding, next() reuses no chunk that holds a record read, so every record read
  /// stays valid (for a caller that decodes a batch of records ahead) until released.
  void set_hold(bool hold) { hold_ = hold; }
  /// Gives back every chunk but the one being read.
  void release_read();
  /// While holding: gives back the chunks before the one holding the record whose bytes
  /// start at `data` (a record returned by next()).
  void release_before_record(const uint8_t* data);

  /// How much a chunk reads at once. Large enough that a read is a small share of the
  /// time, small enough to stay in the L2 cache until the records in it are decoded.
  static constexpr size_t kChunkBytes = 256 << 10;

 private:
  struct Chunk {
    std::unique_ptr<uint8_t[]> bytes;
    size_t capacity = 0;
    size_t len = 0;  // bytes read into it
  };
  uint32_t u32(const uint8_t* p) const;
  const uint8_t* current() const { return chunks_.back().bytes.get() + pos_; }
  size_t available() const { return chunks_.empty() ? 0 : chunks_.back().len - pos_; }
  // Makes sure `need` bytes from the read position are in the chunk being read.
  bool ensure(size_t need, std::string& error);
  // Starts a new chunk holding the unread bytes of the current one, then as much of the
  // file as fits (at least `need` bytes in all if the file has them). False on a read error.
  bool refill(size_t need, std::string& error);
  Chunk take_spare(size_t capacity);
  void give_back(Chunk&& c);

  size_t chunk_bytes_;
  int fd_ = -1;
  uint64_t file_size_ = 0;  // as it was when opened
  uint64_t file_pos_ = 0;   // where the next read starts
  uint64_t offset_ = 24;    // file offset of the next record
  bool swapped_ = false;
  bool nanoseconds_ = false;
  uint32_t snaplen_ = 0;
  bool hold_ = false;
  std::deque<Chunk> chunks_;  // oldest first; the back one is being read
  size_t pos_ = 0;            // read position in the back chunk
  std::vector<Chunk> spare_;  // given back, to be read into again
  static constexpr size_t kMaxSpare = 64;
};

}  // namespace tcpinspect::capture
