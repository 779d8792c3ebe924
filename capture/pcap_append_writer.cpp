// SPDX-License-Identifier: MIT
#include "capture/pcap_append_writer.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

constexpr uint32_t kMagicMicro = 0xA1B2C3D4;
constexpr uint32_t kMagicNano = 0xA1B23C4D;
constexpr uint32_t kPcapngMagic = 0x0A0D0D0A;
constexpr int kSnaplen = 262144;  // the largest record a reader accepts

uint32_t swap32(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
}

// Walks the record headers after the file header: appending after a record that is cut
// short (a crash or a full disk while it was written) would turn the new frames into the
// tail of the broken one, and every reader would stop there.
void check_records(std::ifstream& in, const std::string& path, bool swapped) {
  in.clear();
  in.seekg(0, std::ios::end);
  const auto size = static_cast<uint64_t>(in.tellg());
  uint64_t offset = 24;
  uint64_t frame = 1;
  for (; offset < size; ++frame) {
    std::array<uint8_t, 16> r{};
    const bool whole_header = size - offset >= r.size();
    uint64_t end = size + 1;
    if (whole_header) {
      in.seekg(static_cast<std::streamoff>(offset));
      in.read(reinterpret_cast<char*>(r.data()), r.size());
      if (!in) throw CaptureError(path + ": cannot read it back to check its records");
      uint32_t caplen;
      std::memcpy(&caplen, r.data() + 8, 4);
      if (swapped) caplen = swap32(caplen);
      if (caplen > static_cast<uint32_t>(kSnaplen))
        throw CaptureError(path + ": frame " + std::to_string(frame) + " at byte offset " +
                           std::to_string(offset) + " is not a valid record; refusing to append");
      end = offset + r.size() + caplen;
    }
    if (end > size)
      throw CaptureError(path + ": its last record (frame " + std::to_string(frame) +
                         " at byte offset " + std::to_string(offset) +
                         ") is cut short; refusing to append after it (to keep the frames "
                         "before it: truncate -s " +
                         std::to_string(offset) + " " + path + ")");
    offset = end;
  }
}

}  // namespace

ExistingPcap inspect_existing_pcap(const std::string& path) {
  ExistingPcap h;
  std::ifstream in(path, std::ios::binary);
  if (!in) return h;  // missing: created below
  std::array<uint8_t, 24> b{};
  in.read(reinterpret_cast<char*>(b.data()), b.size());
  const auto got = in.gcount();
  if (got == 0) return h;  // empty file: written afresh
  auto u32 = [&](size_t off) {
    uint32_t v;
    std::memcpy(&v, b.data() + off, 4);
    return v;
  };
  const uint32_t magic = u32(0);
  if (got >= 4 && magic == kPcapngMagic)
    throw CaptureError(path +
                       ": is a pcapng file; appending is possible only to classic pcap files");
  if (got < 24) throw CaptureError(path + ": exists but is not a pcap file (too short)");
  bool swapped = false;
  if (magic == kMagicMicro || magic == kMagicNano) {
  } else if (swap32(magic) == kMagicMicro || swap32(magic) == kMagicNano) {
    swapped = true;
  } else {
    throw CaptureError(path + ": exists but is not a pcap file; refusing to append");
  }
  const uint32_t m = swapped ? swap32(magic) : magic;
  const uint32_t snap = swapped ? swap32(u32(16)) : u32(16);
  h.link_type = (swapped ? swap32(u32(20)) : u32(20)) & 0x0FFFFFFF;
  h.present = true;
  h.swapped = swapped;
  h.nano = m == kMagicNano;
  h.snaplen = static_cast<int>(snap);
  check_records(in, path, swapped);
  return h;
}

PcapAppendWriter::PcapAppendWriter(const std::string& path, core::LinkType link, bool append)
    : path_(path) {
  // Without --append the file is replaced, as tcpdump -w does.
  const ExistingPcap h = append ? inspect_existing_pcap(path) : ExistingPcap{};
  if (h.present && h.link_type != static_cast<uint32_t>(link))
    throw CaptureError(path + ": has link type " + std::to_string(h.link_type) + ", not " +
                       std::to_string(static_cast<uint32_t>(link)) +
                       "; cannot append, write to another file");
  // libpcap takes DLT_* values; they equal LINKTYPE_* except for raw IP.
  const int dlt = link == core::LinkType::Raw ? DLT_RAW : static_cast<int>(link);
  appended_ = h.present;
  nano_ = h.nano;
  dead_.reset(pcap_open_dead_with_tstamp_precision(
      dlt, h.snaplen, nano_ ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO));
  if (!dead_) throw CaptureError(path + ": cannot set up a pcap writer");
  // pcap_dump_open_append() creates a missing file and checks magic, link type and snaplen.
  dumper_.reset(h.present ? pcap_dump_open_append(dead_.get(), path.c_str())
                          : pcap_dump_open(dead_.get(), path.c_str()));
  if (!dumper_) {
    std::string why = pcap_geterr(dead_.get());
    dead_.reset();
    throw CaptureError(why.empty() ? path + ": cannot open for writing" : why);
  }
}

PcapAppendWriter::~PcapAppendWriter() = default;

void PcapAppendWriter::write(std::span<const uint8_t> frame, int64_t ts_ns) {
  pcap_pkthdr hdr{};
  hdr.ts.tv_sec = static_cast<time_t>(ts_ns / 1'000'000'000);
  const int64_t frac = ts_ns % 1'000'000'000;
  hdr.ts.tv_usec = static_cast<suseconds_t>(nano_ ? frac : frac / 1000);
  hdr.caplen = static_cast<bpf_u_int32>(frame.size());
  hdr.len = static_cast<bpf_u_int32>(frame.size());
  pcap_dump(reinterpret_cast<u_char*>(dumper_.get()), &hdr, frame.data());
  if (pcap_dump_flush(dumper_.get()) != 0)
    throw CaptureError(path_ + ": write failed: " + std::strerror(errno));
  ++frames_;
}

}  // namespace tcpinspect::capture
