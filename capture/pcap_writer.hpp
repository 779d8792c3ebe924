// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <pcap/pcap.h>

#include "capture/pcap_handle.hpp"

#include "core/wire/frame.hpp"

namespace tcpinspect::capture {

/// Writes frames to a classic pcap file (what tcpdump -w writes; tshark and Wireshark read
/// it). libpcap writes the file header; records are buffered here and written with
/// write(2), so that how many bytes reached the file is known exactly. The file always
/// ends on a whole record: after flush() it is a valid capture of everything written so
/// far, and when a write fails (disk full, file-size limit) the record it cut is cut off
/// again and writing stops, so a full disk costs the frames that did not fit, never the
/// readability of those that did.
class PcapWriter {
 public:
  enum class Precision { Micro, Nano };

  /// Creates (truncates) `path`. `dlt` is libpcap's DLT_* of the frames, `snaplen` goes into
  /// the file header. With `append` (--append), an existing capture is added to instead: it
  /// must be a classic pcap of this link type, in this machine's byte order, with whole
  /// records; its timestamp precision is kept. Throws CaptureError with a one-line reason
  /// (also when not even the file header can be written).
  PcapWriter(const std::string& path, int dlt, int snaplen, Precision precision = Precision::Micro,
             bool append = false);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Appends one frame (its ts_ns, captured bytes and wire_len). Ignored once failed().
  void write(const core::Frame& frame);
  /// Pushes buffered records to the file. On failure the file is cut back to its last
  /// whole record, failed() turns true and error() says why; nothing is thrown, so the
  /// caller's analysis can go on.
  void flush();
  /// Flushes and closes; further writes are ignored. Also done by the destructor.
  void close();

  /// A write failed: the file holds frames_written() whole records and nothing after.
  bool failed() const { return !error_.empty(); }
  /// "out.pcap: write failed after 1234 frames: No space left on device; ..." or empty.
  const std::string& error() const { return error_; }
  /// Frames whose records are wholly in the file.
  uint64_t frames_written() const { return frames_; }
  /// The file's size once buffered records are written: what tcpdump's -C compares
  /// (pcap_dump_ftell). Includes the file header.
  uint64_t size_bytes() const { return file_bytes_ + pending_.size(); }
  const std::string& path() const { return path_; }

 private:
  // Buffered records are written once this many bytes are pending.
  static constexpr size_t kBufferBytes = 1 << 16;
  void fail(int err);

  std::string path_;
  Precision precision_;
  PcapHandle dead_;
  PcapDumperHandle dumper_;             // owns the file; only its header is written through it
  int fd_ = -1;                         // the dumper's descriptor, for the records
  uint64_t file_bytes_ = 0;             // bytes of whole records (and header) in the file
  std::vector<uint8_t> pending_;        // records not yet written
  std::vector<uint32_t> pending_ends_;  // where each pending record ends in pending_
  uint64_t frames_ = 0;
  std::string error_;
};

}  // namespace tcpinspect::capture
