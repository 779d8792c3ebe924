// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string>

#include <pcap/pcap.h>

#include "core/wire/frame.hpp"

namespace tcpinspect::capture {

/// Writes frames to a classic pcap file (what tcpdump -w writes; tshark and Wireshark read
/// it) through libpcap's pcap_dumper. Every written record is complete: after flush() the
/// file on disk is a valid capture of everything written so far, so a capture interrupted
/// between two flushes loses at most the unflushed tail.
class PcapWriter {
 public:
  enum class Precision { Micro, Nano };

  /// Creates (truncates) `path`. `dlt` is libpcap's DLT_* of the frames, `snaplen` goes into
  /// the file header. Throws CaptureError with a one-line reason.
  PcapWriter(const std::string& path, int dlt, int snaplen, Precision precision = Precision::Micro);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Appends one frame (its ts_ns, captured bytes and wire_len).
  void write(const core::Frame& frame);
  /// Pushes buffered records to the file. Throws CaptureError if the write failed (disk full).
  void flush();
  /// Flushes and closes; further writes are ignored. Also done by the destructor.
  void close();

  uint64_t frames_written() const { return frames_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  Precision precision_;
  pcap_t* dead_ = nullptr;
  pcap_dumper_t* dumper_ = nullptr;
  uint64_t frames_ = 0;
};

}  // namespace tcpinspect::capture
