// SPDX-License-Identifier: MIT
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <pcap/pcap.h>

#include "capture/pcap_handle.hpp"

#include "capture/chunked_pcap_reader.hpp"
#include "capture/decompressing_stream.hpp"
#include "capture/frame_source.hpp"
#include "core/wire/frame.hpp"

namespace tcpinspect::capture {

/// Reads pcap and pcapng files (or standard input for "-") through libpcap, with an
/// optional BPF filter applied per frame so that frame numbers still count every frame.
/// gzip-, xz- and zstd-compressed captures are decompressed as they are read (told by
/// their magic bytes); regular uncompressed classic-pcap files are read in
/// chunks, in place (ChunkedPcapReader).
class PcapFileSource final : public FrameSource {
 public:
  /// Opens the file; throws CaptureError with a one-line reason (missing, directory,
  /// empty, not a capture file, damaged compression, ...).
  explicit PcapFileSource(const std::string& path);
  /// Reads from an open stream (e.g. fmemopen), which it takes over and closes. `name`
  /// is what error messages call it.
  PcapFileSource(FILE* stream, const std::string& name);
  ~PcapFileSource() override;

  /// libpcap's DLT_* value for the file's link type.
  int datalink() const;
  /// The link type's libpcap name (e.g. "DLT_EN10MB"), or its number.
  std::string datalink_name() const;
  /// Whether tcpinspect decodes the file's link type (core::link_type_from_dlt).
  bool link_supported() const { return link_.has_value(); }
  /// The decoder's link type; Ethernet when !link_supported() (check it first).
  core::LinkType link() const override { return link_.value_or(core::LinkType::Ethernet); }
  /// Compiles a BPF expression (tcpdump syntax); throws CaptureError if it does not compile.
  void set_filter(const std::string& expression);

  /// Reads the next frame that passes the filter; its bytes stay valid until the next read
  /// (or, while holding, until released). On Error, error_message() says why, naming
  /// the frame number and byte offset where the file went bad.
  ReadStatus next(core::Frame& frame) override;
  /// As next(), but every frame, also those the filter drops (`wanted` false) and those
  /// dated beyond 2262 (`wanted` false, ts_ns INT64_MAX, counted as skipped): for a
  /// merge, which numbers every frame of every input in time order.
  ReadStatus next_any(core::Frame& frame, bool& wanted);
  bool hold_frames() override;
  void release_held() override;
  void release_before(std::span<const uint8_t> frame) override;
  const std::string& error_message() const override { return error_; }
  /// Frames skipped because their timestamp lies after 2262-04-11T23:47:16Z, the last
  /// instant 64-bit nanoseconds since 1970 can hold (only pcapng can say so). They are
  /// counted in frame numbers, as every frame is, but not handed on.
  uint64_t out_of_range_timestamps() const { return out_of_range_ts_; }
  /// The frame number of the first of them (0 if none).
  uint64_t first_out_of_range_timestamp() const { return first_out_of_range_ts_; }
  uint64_t frames_read() const { return frames_read_; }

  /// For progress: the input's size in bytes (compressed, if it is), 0 when unknown (a
  /// pipe), and how far reading has come in the same units. Both may be read from any
  /// thread while another reads frames.
  uint64_t input_size() const { return input_size_; }
  uint64_t input_position() const;
  /// The input's compression (None for a plain capture).
  Compression compression() const { return compression_; }

 private:
  ReadStatus next_chunked(core::Frame& frame, bool& wanted);
  std::string read_error_reason();
  // After a read error inside a compressed input: whether the compressed data is damaged
  // further on, within 256 MiB (decompression_->error then says how).
  bool damaged_compression();

  std::string path_;
  PcapHandle handle_;
  bpf_program filter_{};
  bool has_filter_ = false;
  std::optional<core::LinkType> link_;
  uint64_t frames_read_ = 0;
  uint64_t out_of_range_ts_ = 0;
  uint64_t first_out_of_range_ts_ = 0;
  // Where the next record starts, tracked arithmetically for classic pcap (24-byte file
  // header, 16-byte record headers) so that no per-frame ftell() (a syscall) is needed.
  bool classic_pcap_ = false;
  uint64_t next_record_offset_ = 24;
  // Regular classic-pcap files are read through mmap (libpcap still validates the header,
  // gives the link type and compiles filters).
  ChunkedPcapReader chunked_;
  bool use_chunked_ = false;
  // Compressed inputs: the decoder's state (how far into the compressed bytes, and why
  // it stopped if the data is damaged).
  Compression compression_ = Compression::None;
  std::shared_ptr<DecompressionState> decompression_;
  uint64_t input_size_ = 0;
  std::atomic<uint64_t> position_{0};  // uncompressed inputs: bytes read so far
  std::string error_;
};

}  // namespace tcpinspect::capture
