// SPDX-License-Identifier: MIT
#include "capture/pcap_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "capture/error.hpp"
#include "capture/pcap_append_writer.hpp"

namespace tcpinspect::capture {
namespace {

constexpr size_t kFileHeader = 24;
constexpr size_t kRecordHeader = 16;

void put32(std::vector<uint8_t>& out, uint32_t v) {  // host order, as libpcap writes
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  out.insert(out.end(), b, b + 4);
}

}  // namespace

PcapWriter::PcapWriter(const std::string& path, int dlt, int snaplen, Precision precision,
                       bool append)
    : path_(path), precision_(precision) {
  const ExistingPcap existing = append ? inspect_existing_pcap(path) : ExistingPcap{};
  if (existing.swapped)
    throw CaptureError(path + ": was written in the other byte order; cannot append to it");
  if (existing.present) precision_ = precision = existing.nano ? Precision::Nano : Precision::Micro;
  // A "dead" handle only carries the link type, snaplen and timestamp precision that
  // pcap_dump_open writes into the file header.
  dead_.reset(pcap_open_dead_with_tstamp_precision(
      dlt, snaplen,
      precision == Precision::Nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO));
  if (!dead_) throw CaptureError(path + ": cannot create a pcap writer");
  // pcap_dump_open_append checks the link type and precision and writes at the end.
  dumper_.reset(existing.present ? pcap_dump_open_append(dead_.get(), path.c_str())
                                 : pcap_dump_open(dead_.get(), path.c_str()));
  if (!dumper_) {
    std::string why = pcap_geterr(dead_.get());
    dead_.reset();
    throw CaptureError(why.empty() ? path + ": cannot open for writing" : why);
  }
  // The header goes out now, through stdio; records bypass stdio from here on.
  FILE* file = pcap_dump_file(dumper_.get());
  if (pcap_dump_flush(dumper_.get()) != 0) {
    const int err = errno;
    close();
    throw CaptureError(path + ": cannot write the file header: " + std::strerror(err));
  }
  fd_ = ::fileno(file);
  file_bytes_ = kFileHeader;
  if (existing.present) {
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) {
      const int err = errno;
      close();
      throw CaptureError(path + ": cannot append: " + std::strerror(err));
    }
    file_bytes_ = static_cast<uint64_t>(end);
  }
  pending_.reserve(kBufferBytes + kRecordHeader + 262144);
}

PcapWriter::~PcapWriter() {
  close();
}

void PcapWriter::write(const core::Frame& frame) {
  if (!dumper_ || failed()) return;
  const int64_t divisor = precision_ == Precision::Nano ? 1 : 1000;
  int64_t sec = frame.ts_ns / 1'000'000'000;
  int64_t frac = frame.ts_ns % 1'000'000'000;
  if (frac < 0) {  // before 1970: keep the fraction positive, as the format wants
    frac += 1'000'000'000;
    --sec;
  }
  const auto caplen = static_cast<uint32_t>(frame.data.size());
  put32(pending_, static_cast<uint32_t>(sec));
  put32(pending_, static_cast<uint32_t>(frac / divisor));
  put32(pending_, caplen);
  put32(pending_, std::max(frame.wire_len, caplen));
  pending_.insert(pending_.end(), frame.data.begin(), frame.data.end());
  pending_ends_.push_back(static_cast<uint32_t>(pending_.size()));
  if (pending_.size() >= kBufferBytes) flush();
}

void PcapWriter::flush() {
  if (!dumper_ || failed() || pending_.empty()) return;
  size_t done = 0;
  while (done < pending_.size()) {
    const ssize_t n = ::write(fd_, pending_.data() + done, pending_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Keep the records that made it whole; cut the one the failure split.
      const int err = n < 0 ? errno : ENOSPC;
      const auto whole = std::upper_bound(pending_ends_.begin(), pending_ends_.end(), done);
      const size_t kept = whole == pending_ends_.begin() ? 0 : *(whole - 1);
      frames_ += static_cast<uint64_t>(whole - pending_ends_.begin());
      file_bytes_ += kept;
      fail(err);
      return;
    }
    done += static_cast<size_t>(n);
  }
  frames_ += pending_ends_.size();
  file_bytes_ += pending_.size();
  pending_.clear();
  pending_ends_.clear();
}

void PcapWriter::fail(int err) {
  pending_.clear();
  pending_ends_.clear();
  std::string how = "the file ends after frame " + std::to_string(frames_) + ", a whole record";
  if (::ftruncate(fd_, static_cast<off_t>(file_bytes_)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(file_bytes_), SEEK_SET) < 0)
    how = "and it could not be cut back to its last whole record: " +
          std::string(std::strerror(errno));
  error_ = path_ + ": write failed after " + std::to_string(frames_) +
           " frames: " + std::strerror(err) + "; " + how;
}

void PcapWriter::close() {
  flush();
  if (dumper_) {
    // Nothing is left in stdio's buffer (the header was flushed), so closing writes nothing.
    dumper_.reset();
    fd_ = -1;
  }
  dead_.reset();
}

}  // namespace tcpinspect::capture
