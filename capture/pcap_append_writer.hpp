// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include <pcap/pcap.h>

#include "capture/pcap_handle.hpp"

#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// Appends frames to a classic pcap file (`-w` of craft/probe/reset): creates the file when
/// it is missing or empty, appends when it exists with the same link type. Refuses (with
/// one line) a pcapng file, a file of another link type, something that is no capture, or
/// a capture whose last record is cut short (new frames would be lost behind it).
/// Every frame is flushed at once: these commands write a handful of packets.
class PcapAppendWriter {
 public:
  /// `link` is the frames' LINKTYPE_* (core::LinkType::Raw for bare IP packets).
  PcapAppendWriter(const std::string& path, core::LinkType link);
  ~PcapAppendWriter();
  PcapAppendWriter(const PcapAppendWriter&) = delete;
  PcapAppendWriter& operator=(const PcapAppendWriter&) = delete;

  void write(std::span<const uint8_t> frame, int64_t ts_ns);
  uint64_t frames_written() const { return frames_; }
  /// Whether the file existed (with frames or at least a header) before.
  bool appended() const { return appended_; }

 private:
  std::string path_;
  PcapHandle dead_;
  PcapDumperHandle dumper_;  // declared after dead_: closes first
  bool nano_ = false;
  bool appended_ = false;
  uint64_t frames_ = 0;
};

}  // namespace tcpinspect::capture
