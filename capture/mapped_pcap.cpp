// SPDX-License-Identifier: MIT
#include "capture/mapped_pcap.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace tcpinspect::capture {
namespace {

constexpr size_t kFileHeader = 24;
constexpr size_t kRecordHeader = 16;
// libpcap refuses records larger than this whatever the header's snaplen says.
constexpr uint32_t kMaxRecord = 262144;

}  // namespace

bool MappedPcap::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = open(fd);
  ::close(fd);
  return ok;
}

bool MappedPcap::open(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<size_t>(st.st_size) < kFileHeader)
    return false;
  void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return false;
  base_ = static_cast<const uint8_t*>(map);
  size_ = static_cast<size_t>(st.st_size);
  ::madvise(map, size_, MADV_SEQUENTIAL);
  const uint32_t magic = static_cast<uint32_t>(base_[0]) | base_[1] << 8 | base_[2] << 16 |
                         static_cast<uint32_t>(base_[3]) << 24;
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
      ::munmap(map, size_);
      base_ = nullptr;
      return false;
  }
  snaplen_ = u32(base_ + 16);
  pos_ = kFileHeader;
  return true;
}

MappedPcap::~MappedPcap() {
  if (base_) ::munmap(const_cast<uint8_t*>(base_), size_);
}

uint32_t MappedPcap::u32(const uint8_t* p) const {
  const uint32_t le =
      static_cast<uint32_t>(p[0]) | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
  return swapped_ ? __builtin_bswap32(le) : le;
}

MappedPcap::Status MappedPcap::next(Record& r, std::string& error) {
  if (pos_ == size_) return Status::End;
  if (pos_ + kPrefetchAhead + kPopulateStep > populated_) populate_ahead();
  const size_t ahead = std::min(size_, pos_ + kPrefetchAhead);
  for (size_t p = std::max(prefetched_, pos_); p < ahead; p += 64)
    __builtin_prefetch(base_ + p);
  prefetched_ = std::max(prefetched_, ahead);
  const size_t left = size_ - pos_;
  if (left < kRecordHeader) {
    error = "truncated record header (" + std::to_string(left) + " of 16 bytes)";
    return Status::Error;
  }
  const uint8_t* h = base_ + pos_;
  const uint32_t caplen = u32(h + 8);
  if (caplen > kMaxRecord && caplen > snaplen_) {
    error = "invalid record length " + std::to_string(caplen) + ", larger than the snapshot length";
    return Status::Error;
  }
  if (caplen > left - kRecordHeader) {
    error = "truncated record (" + std::to_string(left - kRecordHeader) + " of " +
            std::to_string(caplen) + " bytes)";
    return Status::Error;
  }
  const int64_t sec = u32(h);
  const int64_t frac = u32(h + 4);
  r.ts_ns = sec * 1'000'000'000 + (nanoseconds_ ? frac : frac * 1000);
  r.caplen = caplen;
  r.wire_len = u32(h + 12);
  r.data = h + kRecordHeader;
  pos_ += kRecordHeader + caplen;
  // Give back pages already read (the caller is done with earlier records), so resident
  // memory stays bounded however large the file is.
  if (!hold_) release_before(pos_ - kRecordHeader - caplen);
  return Status::Record;
}

void MappedPcap::populate_ahead() {
  if (!populate_works_ || populated_ >= size_) return;
  if (populated_ < released_) populated_ = released_;
  const size_t len = std::min(kPopulateStep, size_ - populated_);
#ifdef MADV_POPULATE_READ
  if (::madvise(const_cast<uint8_t*>(base_) + populated_, len, MADV_POPULATE_READ) != 0) {
    populate_works_ = false;
    return;
  }
  populated_ += len;
#else
  populate_works_ = false;
#endif
}

void MappedPcap::release_before(size_t offset) {
  if (offset - released_ < kReleaseStep) return;
  const size_t upto = offset & ~size_t{4095};
  if (upto > released_) {
    ::madvise(const_cast<uint8_t*>(base_) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
  }
}

}  // namespace tcpinspect::capture
