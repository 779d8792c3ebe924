// SPDX-License-Identifier: MIT
// ChunkedPcapReader on hostile files, against a plain reading of the same bytes: every
// record it hands over must be exactly the one at that offset of the file, it must stop
// (End or Error) exactly where the plain reading stops, and a held record must stay
// readable until it is released. Tiny chunks make records straddle them all the time.
//
// Input: one byte for the chunk size (17 + the byte) and the hold pattern, then the file.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "capture/chunked_pcap_reader.hpp"

namespace {

using tcpinspect::capture::ChunkedPcapReader;

uint32_t u32(const uint8_t* p, bool swapped) {
  const uint32_t le =
      static_cast<uint32_t>(p[0]) | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
  return swapped ? __builtin_bswap32(le) : le;
}

struct Expected {
  size_t offset;  // of the record's bytes in the file
  uint32_t caplen, wire_len;
};

// The records a plain reading finds, and whether it ends cleanly.
bool plain_read(const uint8_t* f, size_t n, std::vector<Expected>& out) {
  const uint32_t magic = u32(f, false);
  const bool swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
  const uint32_t snaplen = u32(f + 16, swapped);
  size_t pos = 24;
  while (pos < n) {
    if (n - pos < 16) return false;
    const uint32_t caplen = u32(f + pos + 8, swapped);
    if (caplen > 262144 && caplen > snaplen) return false;
    if (caplen > n - pos - 16) return false;
    out.push_back({pos + 16, caplen, u32(f + pos + 12, swapped)});
    pos += 16 + caplen;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 + 24) return 0;
  const uint8_t mode = data[0];
  const uint8_t* file = data + 1;
  const size_t file_size = size - 1;
  char path[] = "/tmp/fuzz_chunked_pcap_XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return 0;
  if (::write(fd, file, file_size) != static_cast<ssize_t>(file_size)) {
    ::close(fd);
    ::unlink(path);
    return 0;
  }
  ChunkedPcapReader reader(17 + (mode & 0x7F));
  const bool opened = reader.open(fd);
  ::close(fd);
  ::unlink(path);
  if (!opened) return 0;
  const bool hold = mode & 0x80;
  reader.set_hold(hold);

  std::vector<Expected> expected;
  const bool clean = plain_read(file, file_size, expected);
  std::vector<ChunkedPcapReader::Record> held;
  std::string error;
  ChunkedPcapReader::Record r{};
  size_t i = 0;
  for (;; ++i) {
    const auto status = reader.next(r, error);
    if (status != ChunkedPcapReader::Status::Record) {
      if (i != expected.size()) std::abort();  // stopped early or late
      if ((status == ChunkedPcapReader::Status::End) != clean) std::abort();
      break;
    }
    if (i >= expected.size()) std::abort();
    const Expected& e = expected[i];
    if (r.caplen != e.caplen || r.wire_len != e.wire_len) std::abort();
    if (r.caplen && std::memcmp(r.data, file + e.offset, r.caplen) != 0) std::abort();
    if (!hold) continue;
    held.push_back(r);
    // Every held record since the last release must still be intact.
    for (size_t k = 0; k < held.size(); ++k) {
      const Expected& h = expected[i + 1 - held.size() + k];
      if (held[k].caplen && std::memcmp(held[k].data, file + h.offset, held[k].caplen) != 0)
        std::abort();
    }
    if (held.size() == 5) {
      reader.release_before_record(held[3].data);
      held.erase(held.begin(), held.begin() + 3);
    }
  }
  return 0;
}
