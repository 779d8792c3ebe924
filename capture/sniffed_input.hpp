// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

namespace tcpinspect::capture {

/// A capture input opened once, its first bytes read to tell the format, and handed on as
/// one stream that still starts at byte 0. A FIFO, a pipe, `<(...)` or /dev/stdin can be
/// read only once: opening the path a second time (as libpcap's pcap_open_offline would,
/// after a look at the magic number) finds the bytes already gone or waits for a writer
/// that never comes. Regular files are rewound; other inputs get a stream that replays the
/// sniffed bytes before reading on.
struct SniffedInput {
  FILE* stream = nullptr;  // owned by the caller (fclose, or hand to pcap_fopen_offline)
  bool regular = false;    // a regular file read from its start: its descriptor can be mapped
  std::array<uint8_t, 4> magic{};
  size_t magic_len = 0;  // fewer than 4 only for an input shorter than that
  uint64_t size = 0;     // bytes from where reading starts to the end; 0 if not a regular file

  /// A classic pcap magic number (micro- or nanosecond, either byte order).
  bool classic_pcap() const;
};

/// Opens `path` ("-" = standard input) and sniffs its magic number. Throws CaptureError with
/// one line naming the path once: missing, unreadable, a directory, empty.
SniffedInput open_sniffed(const std::string& path);

}  // namespace tcpinspect::capture
