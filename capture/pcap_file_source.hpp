// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

#include <pcap/pcap.h>

#include "capture/pcap_handle.hpp"

#include "capture/mapped_pcap.hpp"
#include "core/wire/frame.hpp"

namespace tcpinspect::capture {

/// Reads pcap and pcapng files (or standard input for "-") through libpcap, with an
/// optional BPF filter applied per frame so that frame numbers still count every frame.
class PcapFileSource {
 public:
  /// Opens the file; throws CaptureError with a one-line reason (missing, directory,
  /// empty, not a capture file, ...).
  explicit PcapFileSource(const std::string& path);
  /// Reads from an open stream (e.g. fmemopen), which it takes over and closes. `name`
  /// is what error messages call it.
  PcapFileSource(FILE* stream, const std::string& name);
  ~PcapFileSource();
  PcapFileSource(const PcapFileSource&) = delete;
  PcapFileSource& operator=(const PcapFileSource&) = delete;

  /// libpcap's DLT_* value for the file's link type.
  int datalink() const;
  /// The link type's libpcap name (e.g. "DLT_EN10MB"), or its number.
  std::string datalink_name() const;
  /// Compiles a BPF expression (tcpdump syntax); throws CaptureError if it does not compile.
  void set_filter(const std::string& expression);

  enum class ReadStatus { Frame, End, Error };
  /// Reads the next frame that passes the filter; its bytes stay valid until the next read
  /// (or, while holding, until released). On Error, error_message() says why, naming
  /// the frame number and byte offset where the file went bad.
  ReadStatus next(core::Frame& frame);
  /// Asks that frames stay valid after the next read, until release_held(), so a caller
  /// can decode several ahead. Returns false when this source cannot (libpcap reuses its
  /// buffer): then each frame is valid only until the next read, as always.
  bool hold_frames();
  /// Every frame read so far may now be forgotten (its memory returned).
  void release_held();
  /// While holding: frames before this one (a frame's bytes as read) may be forgotten.
  /// Call it from the thread that reads (DecodingReader's reader does, once its caller
  /// reports a block done).
  void release_before(std::span<const uint8_t> frame);
  const std::string& error_message() const { return error_; }
  /// Frames skipped because their timestamp lies after 2262-04-11T23:47:16Z, the last
  /// instant 64-bit nanoseconds since 1970 can hold (only pcapng can say so). They are
  /// counted in frame numbers, as every frame is, but not handed on.
  uint64_t out_of_range_timestamps() const { return out_of_range_ts_; }
  /// The frame number of the first of them (0 if none).
  uint64_t first_out_of_range_timestamp() const { return first_out_of_range_ts_; }
  uint64_t frames_read() const { return frames_read_; }

 private:
  ReadStatus next_mapped(core::Frame& frame);

  std::string path_;
  PcapHandle handle_;
  bpf_program filter_{};
  bool has_filter_ = false;
  uint64_t frames_read_ = 0;
  uint64_t out_of_range_ts_ = 0;
  uint64_t first_out_of_range_ts_ = 0;
  // Where the next record starts, tracked arithmetically for classic pcap (24-byte file
  // header, 16-byte record headers) so that no per-frame ftell() (a syscall) is needed.
  bool classic_pcap_ = false;
  uint64_t next_record_offset_ = 24;
  // Regular classic-pcap files are read through mmap (libpcap still validates the header,
  // gives the link type and compiles filters).
  MappedPcap mapped_;
  bool use_mapped_ = false;
  std::string error_;
};

}  // namespace tcpinspect::capture
