// SPDX-License-Identifier: MIT
#include "capture/pcap_file_source.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <vector>

#include "core/wire/decode.hpp"

#include "capture/decompressing_stream.hpp"
#include "capture/error.hpp"
#include "capture/sniffed_input.hpp"

namespace tcpinspect::capture {
namespace {

std::string describe(const std::string& path) {
  return path == "-" ? "standard input" : path;
}

// A timestamp as nanoseconds since 1970 in 64 bits, or false when it does not fit. pcapng
// timestamps are unsigned 64-bit counts of the interface's units: libpcap hands times
// after 2262-04-11 (and, past 2^63 seconds, negative ones) to a computation that would
// overflow.
bool timestamp_ns(const timeval& ts, int64_t& out) {
  if (ts.tv_sec < 0 || ts.tv_usec < 0) return false;
  int64_t ns = 0;
  if (__builtin_mul_overflow(static_cast<int64_t>(ts.tv_sec), int64_t{1'000'000'000}, &ns))
    return false;
  return !__builtin_add_overflow(ns, static_cast<int64_t>(ts.tv_usec), &out);
}

}  // namespace

PcapFileSource::PcapFileSource(const std::string& path) : path_(path) {
  // Opened once: the magic number is sniffed from the same stream libpcap then reads, so
  // FIFOs, pipes and /dev/stdin work as files do.
  SniffedInput in = open_sniffed(path);
  input_size_ = in.size;
  compression_ = compression_of(std::span<const uint8_t>(in.magic.data(), in.magic_len));
  std::string inside;  // " (inside the gzip compression)": where a format error lies
  if (compression_ != Compression::None) {
    // The decompressed bytes are sniffed again: the capture's own magic number.
    decompression_ = std::make_shared<DecompressionState>();
    inside = std::string(" (inside the ") + compression_name(compression_) + " compression)";
    try {
      in.stream =
          open_decompressing(in.stream, compression_, decompression_, in.magic, in.magic_len);
    } catch (const CaptureError& e) {
      throw CaptureError(describe(path) + ": " + e.what());
    }
    in.regular = false;
    if (in.magic_len == 0) {
      std::fclose(in.stream);
      throw CaptureError(describe(path) + ": no data" + inside + ", not a capture file");
    }
  }
  classic_pcap_ = in.classic_pcap();
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  handle_.reset(
      pcap_fopen_offline_with_tstamp_precision(in.stream, PCAP_TSTAMP_PRECISION_NANO, errbuf));
  if (!handle_) {
    std::fclose(in.stream);
    std::string why = errbuf;
    if (decompression_ && !decompression_->error.empty())
      why = decompression_->error;
    else if (why.find("unknown file format") != std::string::npos)
      why = "not a pcap or pcapng capture file" + inside;
    else if (why.find("truncated dump file") != std::string::npos)
      why = "truncated capture file header" + inside;
    throw CaptureError(describe(path) + ": " + why);
  }
  link_ = core::link_type_from_dlt(datalink());
  // Regular classic-pcap files are read in chunks from the same file.
  if (classic_pcap_ && in.regular) use_chunked_ = chunked_.open(::fileno(pcap_file(handle_.get())));
}

PcapFileSource::PcapFileSource(FILE* stream, const std::string& name) : path_(name) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  handle_.reset(
      pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf));
  if (!handle_) {
    std::fclose(stream);
    throw CaptureError(name + ": " + errbuf);
  }
  link_ = core::link_type_from_dlt(datalink());
}

PcapFileSource::~PcapFileSource() {
  if (has_filter_) pcap_freecode(&filter_);
}

int PcapFileSource::datalink() const {
  return pcap_datalink(handle_.get());
}

std::string PcapFileSource::datalink_name() const {
  const char* name = pcap_datalink_val_to_name(datalink());
  return name ? std::string("DLT_") + name : "number " + std::to_string(datalink());
}

void PcapFileSource::set_filter(const std::string& expression) {
  if (expression.empty()) return;
  if (has_filter_) pcap_freecode(&filter_);
  has_filter_ = false;
  if (pcap_compile(handle_.get(), &filter_, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    throw CaptureError("bad filter expression '" + expression + "': " + pcap_geterr(handle_.get()));
  has_filter_ = true;
}

PcapFileSource::ReadStatus PcapFileSource::next(core::Frame& frame) {
  bool wanted = false;
  // The chunked reader is called directly: the replay's fast path, once per frame.
  if (use_chunked_) {
    for (;;) {
      const ReadStatus status = next_chunked(frame, wanted);
      if (status != ReadStatus::Frame || wanted) return status;
    }
  }
  for (;;) {
    const ReadStatus status = next_any(frame, wanted);
    if (status != ReadStatus::Frame || wanted) return status;
  }
}

std::string PcapFileSource::read_error_reason() {
  if (decompression_ && !decompression_->error.empty()) return decompression_->error;
  std::string why = pcap_geterr(handle_.get());
  return why.empty() ? "unreadable record" : why;
}

bool PcapFileSource::damaged_compression() {
  // Reads on in the decompressed stream, only after the capture inside has already
  // failed, and only so far: a gzip member's CRC comes at its end, which in a large file
  // is too far to wait for.
  constexpr size_t kLookAhead = 256 << 20;
  FILE* stream = pcap_file(handle_.get());
  if (!stream) return false;
  std::vector<char> sink(1 << 16);
  for (size_t read = 0; read < kLookAhead; read += sink.size())
    if (std::fread(sink.data(), 1, sink.size(), stream) != sink.size()) break;
  return !decompression_->error.empty();
}

uint64_t PcapFileSource::input_position() const {
  if (decompression_) return decompression_->compressed_read.load(std::memory_order_relaxed);
  return position_.load(std::memory_order_relaxed);
}

PcapFileSource::ReadStatus PcapFileSource::next_any(core::Frame& frame, bool& wanted) {
  if (use_chunked_) return next_chunked(frame, wanted);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(handle_.get(), &header, &data);
  if (rc == PCAP_ERROR_BREAK) return ReadStatus::End;
  if (rc != 1) {
    error_ = describe(path_) + ": frame " + std::to_string(frames_read_ + 1);
    const std::string pcap_reason = read_error_reason();
    if (decompression_ && decompression_->error.empty() && damaged_compression()) {
      // Damaged compressed data can decode to garbage the checks of the compression (a
      // CRC at the member's end) catch only later; the damage is the cause to name.
      error_ += ": " + decompression_->error + ", found after the decompressed capture broke";
      if (classic_pcap_) error_ += " at byte offset " + std::to_string(next_record_offset_);
      error_ += ": " + pcap_reason;
      return ReadStatus::Error;
    }
    const bool decompression_failed = decompression_ && !decompression_->error.empty();
    if (decompression_failed) {
      // Where in the compressed file is what matters, and the decoder said what it found.
    } else if (classic_pcap_) {
      error_ += " at byte offset " + std::to_string(next_record_offset_);
      if (decompression_) error_ += " of the decompressed data";
    } else if (FILE* file = pcap_file(handle_.get()); file && !decompression_) {
      // pcapng: only where reading stopped is known.
      const long stopped = std::ftell(file);
      if (stopped >= 0)
        error_ += " (reading stopped at byte offset " + std::to_string(stopped) + ")";
    }
    error_ += ": " + pcap_reason;
    return ReadStatus::Error;
  }
  ++frames_read_;
  next_record_offset_ += 16 + header->caplen;
  if (!decompression_) {
    // pcapng records vary in their overhead: where the stream stands is asked now and
    // then (a syscall); a pipe cannot say, and the classic-pcap arithmetic stands in.
    uint64_t at = next_record_offset_;
    if (!classic_pcap_ && (frames_read_ & 1023) == 0)
      if (const long pos = std::ftell(pcap_file(handle_.get())); pos >= 0)
        at = static_cast<uint64_t>(pos);
    if (classic_pcap_ || (frames_read_ & 1023) == 0) position_.store(at, std::memory_order_relaxed);
  }
  wanted = !has_filter_ || pcap_offline_filter(&filter_, header, data) != 0;
  int64_t ts_ns = 0;
  if (!timestamp_ns(header->ts, ts_ns)) {
    if (wanted) {
      if (out_of_range_ts_ == 0) first_out_of_range_ts_ = frames_read_;
      ++out_of_range_ts_;
    }
    wanted = false;
    ts_ns = INT64_MAX;  // later than any frame that can be analysed, as mergecap orders it
  }
  frame.index = frames_read_;
  frame.ts_ns = ts_ns;
  frame.data = {data, header->caplen};
  frame.wire_len = header->len;
  return ReadStatus::Frame;
}

bool PcapFileSource::hold_frames() {
  if (!use_chunked_) return false;
  chunked_.set_hold(true);
  return true;
}

void PcapFileSource::release_held() {
  if (use_chunked_) chunked_.release_read();
}

void PcapFileSource::release_before(std::span<const uint8_t> frame) {
  if (use_chunked_) chunked_.release_before_record(frame.data());
}

PcapFileSource::ReadStatus PcapFileSource::next_chunked(core::Frame& frame, bool& wanted) {
  ChunkedPcapReader::Record r;
  std::string why;
  const uint64_t offset = chunked_.offset();
  switch (chunked_.next(r, why)) {
    case ChunkedPcapReader::Status::End:
      return ReadStatus::End;
    case ChunkedPcapReader::Status::Error:
      error_ = describe(path_) + ": frame " + std::to_string(frames_read_ + 1) +
               " at byte offset " + std::to_string(offset) + ": " + why;
      return ReadStatus::Error;
    case ChunkedPcapReader::Status::Record:
      break;
  }
  ++frames_read_;
  position_.store(chunked_.offset(), std::memory_order_relaxed);
  wanted = true;
  if (has_filter_) {
    pcap_pkthdr header{};
    header.caplen = r.caplen;
    header.len = r.wire_len;
    wanted = pcap_offline_filter(&filter_, &header, r.data) != 0;
  }
  frame.index = frames_read_;
  frame.ts_ns = r.ts_ns;
  frame.data = {r.data, r.caplen};
  frame.wire_len = r.wire_len;
  return ReadStatus::Frame;
}

}  // namespace tcpinspect::capture
