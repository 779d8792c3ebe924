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
  /// The record's bytes stay valid until the next call (pages behind it are released).
  /// Byte offset of the next (or the failing) record.
  uint64_t offset() const { return pos_; }

 private:
  uint32_t u32(const uint8_t* p) const;

  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 24;
  bool swapped_ = false;
  bool nanoseconds_ = false;
  uint32_t snaplen_ = 0;
  static constexpr size_t kReleaseStep = 16 << 20;
  size_t released_ = 0;  // page-aligned prefix already handed back with MADV_DONTNEED
};

}  // namespace tcpinspect::capture
