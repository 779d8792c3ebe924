// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace tcpinspect::capture {

/// A classic pcap file read through mmap, without copying a byte: the fast path for
/// `replay` on regular files (libpcap's reader copies every record out of stdio buffers).
/// Every record header is bounds-checked against the mapping.
class MappedPcap {
 public:
  /// Maps `path`; returns false (and maps nothing) if it is not a classic pcap file that
  /// can be mapped, so the caller falls back to libpcap.
  bool open(const std::string& path);
  /// The same for an open descriptor (not closed; the mapping outlives it).
  bool open(int fd);
  ~MappedPcap();
  MappedPcap() = default;
  MappedPcap(const MappedPcap&) = delete;
  MappedPcap& operator=(const MappedPcap&) = delete;

  struct Record {
    int64_t ts_ns;
    uint32_t caplen;
    uint32_t wire_len;
    const uint8_t* data;
  };
  enum class Status { Record, End, Error };
  /// The next record; on Error, `error` says what is wrong with the record at `offset()`.
  Status next(Record& r, std::string& error);
  /// The record's bytes stay valid until the next call (pages behind it are released),
  /// or, while holding, until release_read().
  /// Byte offset of the next (or the failing) record.
  uint64_t offset() const { return pos_; }
  /// While holding, next() releases nothing, so every record read stays valid (for a
  /// caller that decodes a batch of records ahead); release_read() then gives back the
  /// pages of every record read so far.
  void set_hold(bool hold) { hold_ = hold; }
  void release_read() { release_before(pos_); }
  /// While holding: gives back the pages before the record whose bytes start at `data`.
  /// On the thread that calls next(), which reads what this updates.
  void release_before_record(const uint8_t* data) {
    release_before(static_cast<size_t>(data - base_));
  }

 private:
  uint32_t u32(const uint8_t* p) const;
  // Gives back the whole pages before `offset` once a release step has accumulated.
  void release_before(size_t offset);

  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 24;
  bool swapped_ = false;
  bool nanoseconds_ = false;
  uint32_t snaplen_ = 0;
  static constexpr size_t kReleaseStep = 8 << 20;
  size_t released_ = 0;  // page-aligned prefix already handed back with MADV_DONTNEED
  // Record headers form a chain (each says where the next starts), so a reader that skips
  // ahead over payloads would wait on memory once per record; loading the bytes ahead of
  // the read position keeps them in cache, as a hardware prefetcher would for a copy.
  static constexpr size_t kPrefetchAhead = 16 << 10;
  size_t prefetched_ = 0;  // bytes before this are already requested
  // Page tables are filled a window ahead in one call (MADV_POPULATE_READ, Linux 5.14)
  // rather than by a fault every 64 KiB; a software prefetch into a page not yet mapped
  // would otherwise stall on the page walk and be dropped. Older kernels refuse the advice
  // and fall back to faulting, as before.
  static constexpr size_t kPopulateStep = 2 << 20;
  size_t populated_ = 0;  // page-aligned: bytes before this have page tables
  bool populate_works_ = true;
  void populate_ahead();
  bool hold_ = false;
};

}  // namespace tcpinspect::capture
