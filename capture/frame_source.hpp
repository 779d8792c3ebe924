// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "core/wire/frame.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// What the replay loops (and DecodingReader) read frames from: one capture file
/// (PcapFileSource) or several merged in time order (MergedCapture).
class FrameSource {
 public:
  enum class ReadStatus { Frame, End, Error };
  virtual ~FrameSource() = default;

  /// The next frame; its bytes stay valid until the next read (or, while holding, until
  /// released). On Error, error_message() says why.
  virtual ReadStatus next(core::Frame& frame) = 0;
  /// The link type of the frame next() last returned: inputs of different link types may
  /// be merged, so it is a property of each frame, not of the source.
  virtual core::LinkType link() const = 0;
  /// Asks that frames stay valid after the next read, until release_held(), so a caller
  /// can decode several ahead. Returns false when this source cannot (libpcap reuses its
  /// buffer): then each frame is valid only until the next read, as always.
  virtual bool hold_frames() = 0;
  /// Every frame read so far may now be forgotten (its memory returned).
  virtual void release_held() = 0;
  /// While holding: frames before this one (a frame's bytes as read) may be forgotten.
  /// Call it from the thread that reads.
  virtual void release_before(std::span<const uint8_t> frame) = 0;
  virtual const std::string& error_message() const = 0;

  FrameSource() = default;
  FrameSource(const FrameSource&) = delete;
  FrameSource& operator=(const FrameSource&) = delete;
};

}  // namespace tcpinspect::capture
