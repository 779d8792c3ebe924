// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include <pcap/pcap.h>

#include "capture/pcap_handle.hpp"

#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// What an existing file holds, before frames are appended to it.
struct ExistingPcap {
  bool present = false;  // the file has a complete classic pcap header
  bool swapped = false;  // written on a machine of the other byte order
  bool nano = false;
  int snaplen = 262144;
  uint32_t link_type = 0;  // LINKTYPE_*
};

/// Reads the header of `path` and checks that every record is whole. A missing or empty
/// file is not present. Throws CaptureError (one line) for a pcapng file, something that is
/// no capture, or a capture whose last record is cut short (frames appended after it would
/// be lost to every reader).
ExistingPcap inspect_existing_pcap(const std::string& path);

/// Writes frames to a classic pcap file (`-w` of craft/probe/reset): replaces the file, or
/// with `append` (--append) adds to it when it exists with the same link type (creating it
/// when missing or empty). Appending refuses (with one line) a pcapng file, a file of
/// another link type, something that is no capture, or a capture whose last record is cut
/// short. Every frame is flushed at once: these commands write a handful of packets.
class PcapAppendWriter {
 public:
  /// `link` is the frames' LINKTYPE_* (core::LinkType::Raw for bare IP packets).
  PcapAppendWriter(const std::string& path, core::LinkType link, bool append);
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
