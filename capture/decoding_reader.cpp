// SPDX-License-Identifier: MIT
#include "capture/decoding_reader.hpp"

#include <pthread.h>

#include <cstring>
#include <exception>

namespace tcpinspect::capture {

DecodingReader::DecodingReader(FrameSource& source, bool verify_checksums, const sigset_t* receive)
    : source_(source),
      verify_checksums_(verify_checksums),
      in_place_(source.hold_frames()),
      blocks_(kBlocks) {
  if (receive) {
    unblock_ = true;
    receive_ = *receive;
  }
  thread_ = std::thread([this] { run(); });
}

DecodingReader::~DecodingReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  room_.notify_all();
  thread_.join();
}

bool DecodingReader::fill(Block& b) {
  // Made on first use, by the reader: 8 blocks of 512 frames are 1.8 MB to initialise, a
  // cost a short file need not pay and a long one pays off the analysis' thread.
  if (b.frames.empty()) b.frames.resize(kBlockFrames);
  b.count = 0;
  b.bytes.clear();
  b.links.clear();
  b.last = false;
  // Copied frames are placed first and decoded afterwards: the copy buffer may move while
  // it grows, and decoded packets point into the frame bytes.
  std::vector<size_t> starts;
  core::Frame frame;
  bool more = true;
  size_t bytes = 0;  // of the frames in this block, copied or read in place
  while (b.count < kBlockFrames && bytes < kBlockBytes) {
    const auto status = source_.next(frame);
    if (status != FrameSource::ReadStatus::Frame) {
      if (status == FrameSource::ReadStatus::Error) error_ = source_.error_message();
      more = false;
      break;
    }
    core::DecodedFrame& d = b.frames[b.count++];
    bytes += frame.data.size();
    if (in_place_) {
      core::decode_frame(source_.link(), frame, d, verify_checksums_);
      continue;
    }
    d.frame = frame;
    b.links.push_back(source_.link());
    starts.push_back(b.bytes.size());
    b.bytes.insert(b.bytes.end(), frame.data.begin(), frame.data.end());
  }
  if (!in_place_) {
    for (size_t i = 0; i < b.count; ++i) {
      core::DecodedFrame& d = b.frames[i];
      core::Frame copied = d.frame;
      copied.data = std::span<const uint8_t>(b.bytes.data() + starts[i], copied.data.size());
      core::decode_frame(b.links[i], copied, d, verify_checksums_);
    }
  }
  b.last = !more;
  return more;
}

void DecodingReader::run() {
  // Named so that top -H and perf tell the two threads apart.
  pthread_setname_np(pthread_self(), "tcpinspect-read");
  if (unblock_) pthread_sigmask(SIG_UNBLOCK, &receive_, nullptr);
  for (uint64_t n = 0;; ++n) {
    const uint8_t* release_upto = nullptr;
    {
      // Wait for a free block (the caller holds at most one, the rest may be full); once
      // waiting, wait until kRefill are free.
      std::unique_lock lock(mutex_);
      if (n - taken_ >= kBlocks) {
        reader_waiting_ = true;
        room_.wait(lock, [&] { return stop_ || n - taken_ <= kBlocks - kRefill; });
        reader_waiting_ = false;
      }
      if (stop_) return;
      release_upto = release_upto_;
    }
    // Chunks the caller is past go back from this thread, off the analysis' path.
    if (release_upto) source_.release_before(std::span<const uint8_t>(release_upto, 0));
    Block& b = blocks_[n % kBlocks];
    bool more = false;
    try {
      more = fill(b);
    } catch (const std::exception& e) {
      error_ = std::string("reading stopped: ") + e.what();
      if (!in_place_) b.count = 0;  // copied frames are decoded only at the end of fill()
      b.last = true;
    }
    {
      std::lock_guard lock(mutex_);
      ++filled_;
    }
    ready_.notify_one();
    if (!more) return;
  }
}

std::span<const core::DecodedFrame> DecodingReader::next_block() {
  std::unique_lock lock(mutex_);
  if (holding_) {
    // The caller is done with the block it held: its slot goes back, and (files read in
    // place) the reader may reuse the chunks before the block's last frame, which everything
    // it has read since lies beyond.
    const Block& held = blocks_[taken_ % kBlocks];
    if (in_place_ && held.count > 0) release_upto_ = held.frames[held.count - 1].frame.data.data();
    holding_ = false;
    ++taken_;
    if (reader_waiting_ && filled_ - taken_ <= kBlocks - kRefill) room_.notify_one();
  }
  if (done_) return {};
  ready_.wait(lock, [&] { return filled_ > taken_; });
  const Block& b = blocks_[taken_ % kBlocks];
  holding_ = true;
  if (b.last) done_ = true;
  return std::span<const core::DecodedFrame>(b.frames.data(), b.count);
}

}  // namespace tcpinspect::capture
