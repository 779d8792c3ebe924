// SPDX-License-Identifier: MIT
// read_paths mapped|chunked|libpcap FILE.pcap: why replay reads classic pcap files with
// ChunkedPcapReader. Walks every record of the file one of three ways and sums each
// record's bytes with the Internet checksum (what decoding must touch anyway), timed:
//
//   mapped   mmap the file (MADV_POPULATE_READ, as the old mapped reader did), one pass;
//   chunked  capture/chunked_pcap_reader, read() 256 KiB at a time into reused buffers;
//   libpcap  pcap_next_ex, libpcap's own reader.
//
// One way per process (as replay does: a mapping's page tables are new in each); run each a
// few times, alternated. Build (bench/README.md has the figures):
//   g++ -std=c++20 -O2 -I. -o build-bench/bench/read_paths bench/read_paths.cpp
//       capture/chunked_pcap_reader.cpp core/wire/checksum.cpp
//       $(pkg-config --cflags --libs libpcap)
#include <fcntl.h>
#include <pcap/pcap.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "capture/chunked_pcap_reader.hpp"
#include "core/wire/checksum.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace checksum = tcpinspect::core::checksum;

struct Tally {
  uint64_t records = 0;
  uint64_t sum = 0;
};

void add(Tally& t, const uint8_t* data, uint32_t caplen) {
  ++t.records;
  t.sum += checksum::add(0, {data, caplen});
}

bool mapped(const char* path, Tally& t) {
  const int fd = ::open(path, O_RDONLY);
  if (fd < 0) return false;
  struct stat st {};
  ::fstat(fd, &st);
  const size_t size = static_cast<size_t>(st.st_size);
  auto* base = static_cast<const uint8_t*>(::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
  ::close(fd);
  if (base == MAP_FAILED || size < 24) return false;
  ::madvise(const_cast<uint8_t*>(base), size, MADV_SEQUENTIAL);
#ifdef MADV_POPULATE_READ
  ::madvise(const_cast<uint8_t*>(base), size, MADV_POPULATE_READ);
#endif
  size_t pos = 24;  // native-endian microsecond files only: what gen_bench_capture writes
  while (pos + 16 <= size) {
    uint32_t caplen = 0;
    std::memcpy(&caplen, base + pos + 8, 4);
    if (caplen > size - pos - 16) break;
    add(t, base + pos + 16, caplen);
    pos += 16 + caplen;
  }
  ::munmap(const_cast<uint8_t*>(base), size);
  return true;
}

bool chunked(const char* path, Tally& t) {
  tcpinspect::capture::ChunkedPcapReader reader;
  if (!reader.open(std::string(path))) return false;
  tcpinspect::capture::ChunkedPcapReader::Record r{};
  std::string error;
  while (reader.next(r, error) == tcpinspect::capture::ChunkedPcapReader::Status::Record)
    add(t, r.data, r.caplen);
  return true;
}

bool libpcap(const char* path, Tally& t) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(path, errbuf);
  if (!p) return false;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &h, &data) == 1)
    add(t, data, h->caplen);
  pcap_close(p);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: read_paths mapped|chunked|libpcap FILE.pcap\n");
    return 2;
  }
  const std::string way = argv[1];
  Tally t;
  const auto start = Clock::now();
  const bool ok = way == "mapped"    ? mapped(argv[2], t)
                  : way == "chunked" ? chunked(argv[2], t)
                  : way == "libpcap" ? libpcap(argv[2], t)
                                     : false;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!ok) {
    std::fprintf(stderr, "read_paths: cannot read %s as %s\n", argv[2], way.c_str());
    return 1;
  }
  std::printf("%-8s %.3f s  %llu records (sum %llu)\n", way.c_str(), seconds,
              static_cast<unsigned long long>(t.records), static_cast<unsigned long long>(t.sum));
  return 0;
}
