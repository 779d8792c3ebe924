// SPDX-License-Identifier: MIT
#include "capture/chunked_pcap_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tcpinspect::capture {
namespace {

constexpr size_t kFileHeader = 24;
constexpr size_t kRecordHeader = 16;
// libpcap refuses records larger than this whatever the header's snaplen says.
constexpr uint32_t kMaxRecord = 262144;

}  // namespace

bool ChunkedPcapReader::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = open(fd);
  ::close(fd);
  return ok;
}

bool ChunkedPcapReader::open(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<size_t>(st.st_size) < kFileHeader)
    return false;
  uint8_t header[kFileHeader];
  if (::pread(fd, header, kFileHeader, 0) != static_cast<ssize_t>(kFileHeader)) return false;
  const uint32_t magic = static_cast<uint32_t>(header[0]) | header[1] << 8 | header[2] << 16 |
                         static_cast<uint32_t>(header[3]) << 24;
  switch (magic) {
    case 0xa1b2c3d4:
      break;
    case 0xa1b23c4d:
      nanoseconds_ = true;
      break;
    case 0xd4c3b2a1:
      swapped_ = true;
      break;
    case 0x4d3cb2a1:
      swapped_ = nanoseconds_ = true;
      break;
    default:
      return false;
  }
  fd_ = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (fd_ < 0) return false;
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  file_size_ = static_cast<uint64_t>(st.st_size);
  snaplen_ = u32(header + 16);
  file_pos_ = offset_ = kFileHeader;
  return true;
}

ChunkedPcapReader::~ChunkedPcapReader() {
  if (fd_ >= 0) ::close(fd_);
}

uint32_t ChunkedPcapReader::u32(const uint8_t* p) const {
  const uint32_t le =
      static_cast<uint32_t>(p[0]) | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
  return swapped_ ? __builtin_bswap32(le) : le;
}

ChunkedPcapReader::Status ChunkedPcapReader::next(Record& r, std::string& error) {
  // Every bound is checked against the file's size first, as libpcap would find it: a
  // record that claims more bytes than the file has is an error, never an allocation.
  if (offset_ >= file_size_) return Status::End;
  const uint64_t left = file_size_ - offset_;
  if (left < kRecordHeader) {
    error = "truncated record header (" + std::to_string(left) + " of 16 bytes)";
    return Status::Error;
  }
  if (!ensure(kRecordHeader, error)) return Status::Error;
  const uint32_t caplen = u32(current() + 8);
  if (caplen > kMaxRecord && caplen > snaplen_) {
    error = "invalid record length " + std::to_string(caplen) + ", larger than the snapshot length";
    return Status::Error;
  }
  if (caplen > left - kRecordHeader) {
    error = "truncated record (" + std::to_string(left - kRecordHeader) + " of " +
            std::to_string(caplen) + " bytes)";
    return Status::Error;
  }
  if (!ensure(kRecordHeader + caplen, error)) return Status::Error;
  const uint8_t* h = current();
  const int64_t sec = u32(h);
  const int64_t frac = u32(h + 4);
  r.ts_ns = sec * 1'000'000'000 + (nanoseconds_ ? frac : frac * 1000);
  r.caplen = caplen;
  r.wire_len = u32(h + 12);
  r.data = h + kRecordHeader;
  pos_ += kRecordHeader + caplen;
  offset_ += kRecordHeader + caplen;
  return Status::Record;
}

bool ChunkedPcapReader::ensure(size_t need, std::string& error) {
  if (available() >= need) return true;
  if (!refill(need, error)) return false;
  if (available() >= need) return true;
  error = "the file shrank while it was read";
  return false;
}

bool ChunkedPcapReader::refill(size_t need, std::string& error) {
  Chunk fresh = take_spare(std::max(chunk_bytes_, need));
  const size_t carry = available();
  if (carry > 0) std::memcpy(fresh.bytes.get(), current(), carry);
  fresh.len = carry;
  while (fresh.len < fresh.capacity) {
    const ssize_t n = ::pread(fd_, fresh.bytes.get() + fresh.len, fresh.capacity - fresh.len,
                              static_cast<off_t>(file_pos_));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::string("read failed: ") + std::strerror(errno);
      give_back(std::move(fresh));
      return false;
    }
    if (n == 0) break;
    fresh.len += static_cast<size_t>(n);
    file_pos_ += static_cast<uint64_t>(n);
  }
  // Without a hold, the records in the older chunks were valid only until this call.
  if (!hold_) {
    while (!chunks_.empty()) {
      give_back(std::move(chunks_.front()));
      chunks_.pop_front();
    }
  }
  chunks_.push_back(std::move(fresh));
  pos_ = 0;
  return true;
}

void ChunkedPcapReader::release_read() {
  while (chunks_.size() > 1) {
    give_back(std::move(chunks_.front()));
    chunks_.pop_front();
  }
}

void ChunkedPcapReader::release_before_record(const uint8_t* data) {
  auto holds = [data](const Chunk& c) {
    // Compared as addresses: `data` may lie in any chunk, or (a caller's mistake) in none.
    const auto p = reinterpret_cast<uintptr_t>(data);
    const auto begin = reinterpret_cast<uintptr_t>(c.bytes.get());
    return p >= begin && p < begin + c.len;
  };
  const auto it = std::find_if(chunks_.begin(), chunks_.end(), holds);
  if (it == chunks_.end()) return;
  const size_t older = static_cast<size_t>(it - chunks_.begin());
  for (size_t i = 0; i < older; ++i) {
    give_back(std::move(chunks_.front()));
    chunks_.pop_front();
  }
}

ChunkedPcapReader::Chunk ChunkedPcapReader::take_spare(size_t capacity) {
  if (capacity <= chunk_bytes_ && !spare_.empty()) {
    Chunk c = std::move(spare_.back());
    spare_.pop_back();
    c.len = 0;
    return c;
  }
  Chunk c;
  c.capacity = std::max(capacity, chunk_bytes_);
  c.bytes = std::make_unique_for_overwrite<uint8_t[]>(c.capacity);
  return c;
}

void ChunkedPcapReader::give_back(Chunk&& c) {
  // Only standard chunks are kept (one for an outsized record is freed), and only so many:
  // what a holding caller keeps is bounded by the caller, the spares by this.
  if (c.capacity == chunk_bytes_ && spare_.size() < kMaxSpare) spare_.push_back(std::move(c));
}

}  // namespace tcpinspect::capture
