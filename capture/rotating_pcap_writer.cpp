// SPDX-License-Identifier: MIT
#include "capture/rotating_pcap_writer.hpp"

#include <stdexcept>

#include "capture/error.hpp"

namespace tcpinspect::capture {

RotatingPcapWriter::RotatingPcapWriter(std::string pattern, RotationOptions options, int dlt,
                                       int snaplen, int64_t start_ns, bool append)
    : rotation_(std::move(pattern), options, start_ns),
      dlt_(dlt),
      snaplen_(snaplen),
      append_(append) {
  open_current();
}

void RotatingPcapWriter::open_current() {
  writer_ =
      std::make_unique<PcapWriter>(rotation_.file_name(), dlt_, snaplen_,
                                   PcapWriter::Precision::Micro, append_ && files_opened_ == 0);
  ++files_opened_;
}

bool RotatingPcapWriter::write(const core::Frame& frame, int64_t now_ns) {
  if (failed()) return true;
  FileRotation::Step step;
  try {
    step = rotation_.before_frame(now_ns, writer_->size_bytes());
  } catch (const std::invalid_argument& e) {  // a strftime name too long
    error_ = e.what();
    return true;
  }
  if (step == FileRotation::Step::Stop) return false;
  if (step == FileRotation::Step::NewFile) {
    writer_->close();
    if (writer_->failed()) return true;
    frames_in_closed_files_ += writer_->frames_written();
    writer_.reset();
    try {
      open_current();
    } catch (const CaptureError& e) {
      error_ = e.what();
      return true;
    }
  }
  writer_->write(frame);
  return true;
}

void RotatingPcapWriter::flush() {
  if (writer_) writer_->flush();
}

void RotatingPcapWriter::close() {
  if (writer_) writer_->close();
}

uint64_t RotatingPcapWriter::frames_written() const {
  return frames_in_closed_files_ + (writer_ ? writer_->frames_written() : 0);
}

}  // namespace tcpinspect::capture
