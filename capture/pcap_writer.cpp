// SPDX-License-Identifier: MIT
#include "capture/pcap_writer.hpp"

#include <cerrno>
#include <cstring>

#include "capture/error.hpp"

namespace tcpinspect::capture {

PcapWriter::PcapWriter(const std::string& path, int dlt, int snaplen, Precision precision)
    : path_(path), precision_(precision) {
  // A "dead" handle only carries the link type, snaplen and timestamp precision that
  // pcap_dump_open writes into the file header.
  dead_ = pcap_open_dead_with_tstamp_precision(
      dlt, snaplen,
      precision == Precision::Nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
  if (!dead_) throw CaptureError(path + ": cannot create a pcap writer");
  dumper_ = pcap_dump_open(dead_, path.c_str());
  if (!dumper_) {
    std::string why = pcap_geterr(dead_);
    pcap_close(dead_);
    dead_ = nullptr;
    throw CaptureError(why.empty() ? path + ": cannot open for writing" : why);
  }
}

PcapWriter::~PcapWriter() {
  close();
}

void PcapWriter::write(const core::Frame& frame) {
  if (!dumper_) return;
  pcap_pkthdr header{};
  const int64_t divisor = precision_ == Precision::Nano ? 1 : 1000;
  int64_t sec = frame.ts_ns / 1'000'000'000;
  int64_t frac = frame.ts_ns % 1'000'000'000;
  if (frac < 0) {  // before 1970: keep the fraction positive, as the format wants
    frac += 1'000'000'000;
    --sec;
  }
  header.ts.tv_sec = static_cast<time_t>(sec);
  header.ts.tv_usec = static_cast<suseconds_t>(frac / divisor);
  header.caplen = static_cast<bpf_u_int32>(frame.data.size());
  header.len = frame.wire_len < header.caplen ? header.caplen : frame.wire_len;
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, frame.data.data());
  ++frames_;
}

void PcapWriter::flush() {
  if (!dumper_) return;
  if (pcap_dump_flush(dumper_) != 0)
    throw CaptureError(path_ + ": write failed: " + std::strerror(errno));
}

void PcapWriter::close() {
  if (dumper_) {
    pcap_dump_flush(dumper_);
    pcap_dump_close(dumper_);
    dumper_ = nullptr;
  }
  if (dead_) {
    pcap_close(dead_);
    dead_ = nullptr;
  }
}

}  // namespace tcpinspect::capture
