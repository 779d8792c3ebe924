// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "capture/file_rotation.hpp"
#include "capture/pcap_writer.hpp"

namespace tcpinspect::capture {

/// `trace -w FILE` with tcpdump's -C/-G/-W (FileRotation decides, PcapWriter writes). The
/// frame that starts a new file is its first record, so no frame is lost at a rotation, and
/// every file is a whole pcap with its own header: readable alone, or merged (mergecap,
/// `tcpinspect replay A B ...`) back into the capture. Without rotation options it is one
/// PcapWriter on FILE.
class RotatingPcapWriter {
 public:
  /// Opens the first file (truncating it, as tcpdump does; with `append`, adding to it:
  /// PcapWriter's --append). Throws CaptureError.
  RotatingPcapWriter(std::string pattern, RotationOptions options, int dlt, int snaplen,
                     int64_t start_ns, bool append = false);

  /// Writes `frame`, first opening the next file when the rules say so (`now_ns`: the
  /// frame's wall-clock time). Returns false, writing nothing, once -G with -W has made its
  /// last file: the capture should stop. A file that cannot be opened or written ends the
  /// writing (failed()); the caller's analysis goes on.
  bool write(const core::Frame& frame, int64_t now_ns);
  void flush();
  void close();

  bool failed() const { return !error_.empty() || (writer_ && writer_->failed()); }
  std::string error() const { return !error_.empty() ? error_ : writer_ ? writer_->error() : ""; }
  /// Frames written, over every file.
  uint64_t frames_written() const;
  /// Files opened so far (a ring's reused names count each time).
  uint64_t files_opened() const { return files_opened_; }
  const std::string& current_file() const { return rotation_.file_name(); }

 private:
  void open_current();

  FileRotation rotation_;
  int dlt_;
  int snaplen_;
  bool append_;  // the first file only
  std::unique_ptr<PcapWriter> writer_;
  uint64_t frames_in_closed_files_ = 0;
  uint64_t files_opened_ = 0;
  std::string error_;
};

}  // namespace tcpinspect::capture
