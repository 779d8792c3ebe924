// SPDX-License-Identifier: MIT
#include "capture/pcap_file_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

std::string describe(const std::string& path) {
  return path == "-" ? "standard input" : path;
}

// Checked before libpcap sees the path, because libpcap's own messages for these cases
// ("truncated dump file; tried to read 4 file header bytes") do not say what is wrong.
void check_path(const std::string& path) {
  if (path == "-") return;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw CaptureError(path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw CaptureError(path + ": is a directory, not a capture file");
  if (S_ISREG(st.st_mode) && st.st_size == 0)
    throw CaptureError(path + ": empty file, not a capture file");
}

// Classic pcap magic numbers (microsecond and nanosecond, either byte order).
bool is_classic_pcap_file(const std::string& path) {
  if (path == "-") return false;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  unsigned char m[4] = {};
  const bool got = std::fread(m, 1, 4, f) == 4;
  std::fclose(f);
  const uint32_t le = m[0] | m[1] << 8 | m[2] << 16 | static_cast<uint32_t>(m[3]) << 24;
  const uint32_t be = m[3] | m[2] << 8 | m[1] << 16 | static_cast<uint32_t>(m[0]) << 24;
  return got && (le == 0xa1b2c3d4 || le == 0xa1b23c4d || be == 0xa1b2c3d4 || be == 0xa1b23c4d);
}

}  // namespace

PcapFileSource::PcapFileSource(const std::string& path) : path_(path) {
  check_path(path);
  classic_pcap_ = is_classic_pcap_file(path);
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  handle_ =
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!handle_) {
    std::string why = errbuf;
    if (why.find("unknown file format") != std::string::npos)
      why = "not a pcap or pcapng capture file";
    else if (why.find("truncated dump file") != std::string::npos)
      why = "truncated capture file header";
    throw CaptureError(describe(path) + ": " + why);
  }
  if (classic_pcap_) use_mapped_ = mapped_.open(path);
}

PcapFileSource::PcapFileSource(FILE* stream, const std::string& name) : path_(name) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  handle_ = pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!handle_) {
    std::fclose(stream);
    throw CaptureError(name + ": " + errbuf);
  }
}

PcapFileSource::~PcapFileSource() {
  if (has_filter_) pcap_freecode(&filter_);
  if (handle_) pcap_close(handle_);
}

int PcapFileSource::datalink() const {
  return pcap_datalink(handle_);
}

std::string PcapFileSource::datalink_name() const {
  const char* name = pcap_datalink_val_to_name(datalink());
  return name ? std::string("DLT_") + name : "number " + std::to_string(datalink());
}

void PcapFileSource::set_filter(const std::string& expression) {
  if (expression.empty()) return;
  if (has_filter_) pcap_freecode(&filter_);
  has_filter_ = false;
  if (pcap_compile(handle_, &filter_, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    throw CaptureError("bad filter expression '" + expression + "': " + pcap_geterr(handle_));
  has_filter_ = true;
}

PcapFileSource::ReadStatus PcapFileSource::next(core::Frame& frame) {
  if (use_mapped_) return next_mapped(frame);
  for (;;) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(handle_, &header, &data);
    if (rc == PCAP_ERROR_BREAK) return ReadStatus::End;
    if (rc != 1) {
      error_ = describe(path_) + ": frame " + std::to_string(frames_read_ + 1);
      if (classic_pcap_) {
        error_ += " at byte offset " + std::to_string(next_record_offset_);
      } else if (FILE* file = pcap_file(handle_)) {
        // pcapng: only where reading stopped is known.
        const long stopped = std::ftell(file);
        if (stopped >= 0)
          error_ += " (reading stopped at byte offset " + std::to_string(stopped) + ")";
      }
      error_ += ": ";
      std::string why = pcap_geterr(handle_);
      error_ += why.empty() ? "unreadable record" : why;
      return ReadStatus::Error;
    }
    ++frames_read_;
    next_record_offset_ += 16 + header->caplen;
    if (has_filter_ && pcap_offline_filter(&filter_, header, data) == 0) continue;
    frame.index = frames_read_;
    frame.ts_ns = static_cast<int64_t>(header->ts.tv_sec) * 1000000000 + header->ts.tv_usec;
    frame.data = {data, header->caplen};
    frame.wire_len = header->len;
    return ReadStatus::Frame;
  }
}

bool PcapFileSource::hold_frames() {
  if (!use_mapped_) return false;
  mapped_.set_hold(true);
  return true;
}

void PcapFileSource::release_held() {
  if (use_mapped_) mapped_.release_read();
}

void PcapFileSource::release_before(std::span<const uint8_t> frame) {
  if (use_mapped_) mapped_.release_before_record(frame.data());
}

PcapFileSource::ReadStatus PcapFileSource::next_mapped(core::Frame& frame) {
  for (;;) {
    MappedPcap::Record r;
    std::string why;
    const uint64_t offset = mapped_.offset();
    switch (mapped_.next(r, why)) {
      case MappedPcap::Status::End:
        return ReadStatus::End;
      case MappedPcap::Status::Error:
        error_ = describe(path_) + ": frame " + std::to_string(frames_read_ + 1) +
                 " at byte offset " + std::to_string(offset) + ": " + why;
        return ReadStatus::Error;
      case MappedPcap::Status::Record:
        break;
    }
    ++frames_read_;
    if (has_filter_) {
      pcap_pkthdr header{};
      header.caplen = r.caplen;
      header.len = r.wire_len;
      if (pcap_offline_filter(&filter_, &header, r.data) == 0) continue;
    }
    frame.index = frames_read_;
    frame.ts_ns = r.ts_ns;
    frame.data = {r.data, r.caplen};
    frame.wire_len = r.wire_len;
    return ReadStatus::Frame;
  }
}

}  // namespace tcpinspect::capture
