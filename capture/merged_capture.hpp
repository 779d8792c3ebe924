// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "capture/frame_source.hpp"
#include "capture/pcap_file_source.hpp"

namespace tcpinspect::capture {

/// Several capture inputs read as one capture, merged in timestamp order as mergecap
/// merges them: the earliest frame at the head of any input comes next, and frames with
/// equal timestamps come in the order of the inputs (stable), so a connection split across
/// rotated files is one connection. Each input keeps its own link type (link() is the
/// current frame's). Frame numbers count every frame of every input, also those the filter
/// drops, in the merged order: what tshark numbers in `mergecap -w - INPUTS`. A single
/// input is read as it is (its chunked fast path, held frames and numbering).
///
/// Directories stand for the files in them (not hidden, not in subdirectories), sorted by
/// name with numbers by value (as `ls -v`: tcpdump -C's file, file1, ..., file10).
///
/// An input that cannot be read (missing, not a capture, an empty directory, a link type
/// tcpinspect does not decode) or that fails midway does not stop the others: its reason
/// is kept, and once the others are read, next() returns Error with every reason in one
/// line. Only when no input can be opened does the constructor throw.
class MergedCapture : public FrameSource {
 public:
  /// Opens every input ("-" standard input; directories expanded). Throws CaptureError
  /// (one line) when none can be.
  explicit MergedCapture(const std::vector<std::string>& inputs);

  /// Compiles a BPF expression for every input; throws CaptureError if it does not compile.
  void set_filter(const std::string& expression);
  /// Ends the capture after this many frames (passing the filter) have been handed over;
  /// 0: no limit.
  void set_limit(uint64_t frames) { limit_ = frames; }

  ReadStatus next(core::Frame& frame) override;
  core::LinkType link() const override { return single_ ? sources_[0]->link() : link_; }
  bool hold_frames() override { return single_ && sources_[0]->hold_frames(); }
  void release_held() override {
    if (single_) sources_[0]->release_held();
  }
  void release_before(std::span<const uint8_t> frame) override {
    if (single_) sources_[0]->release_before(frame);
  }
  const std::string& error_message() const override { return error_; }

  /// What to read the frames from: the single input itself when nothing needs this
  /// object's bookkeeping (one input, no limit, no input set aside), so the replay's fast
  /// path pays for no wrapper; otherwise this. Call after set_filter and set_limit; read
  /// from one or the other, not both. progress() and the out-of-range counts stay valid.
  FrameSource& frames();

  /// The capture files read (directories expanded), in the order of the inputs.
  const std::vector<std::string>& files() const { return names_; }
  /// Files of a directory input left out because they are not captures (a README beside
  /// the pcaps): no pcap, pcapng, gzip, xz or zstd signature in their first bytes.
  const std::vector<std::string>& skipped() const { return skipped_; }

  /// How far reading has come, in bytes of the inputs as stored (compressed ones
  /// compressed): `size` is 0 when some input's size is unknown (a pipe). Safe to call
  /// from any thread while another reads.
  struct Progress {
    uint64_t position = 0;
    uint64_t size = 0;
  };
  Progress progress() const;

  /// Frames skipped because they are dated after 2262-04-11T23:47:16Z (see PcapFileSource),
  /// the number of the first (in the merged numbering) and the input it came from.
  uint64_t out_of_range_timestamps() const;
  uint64_t first_out_of_range_timestamp() const;
  const std::string& first_out_of_range_input() const;

 private:
  struct Head {
    core::Frame frame;
    bool wanted = false;        // passes the filter and has an analysable timestamp
    bool out_of_range = false;  // wanted by the filter, but dated beyond 2262
  };
  void open(const std::string& path);
  void advance(size_t i);
  ReadStatus finish_with_failures(ReadStatus status);

  std::vector<std::unique_ptr<PcapFileSource>> sources_;
  std::vector<std::string> names_;
  std::vector<std::string> failures_;  // one-line reasons, in the order they happened
  std::vector<std::string> skipped_;
  bool single_ = false;
  uint64_t limit_ = 0;
  uint64_t handed_ = 0;  // frames handed over (for the limit)
  std::string error_;

  // The merge (several inputs): each input's next frame, and a min-heap of (timestamp,
  // input) over those that have one. An input's frame stays valid until that input is
  // read again, which happens only once its frame has been handed over and the caller
  // asks for the next.
  std::vector<Head> heads_;
  using Key = std::pair<int64_t, size_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> order_;
  static constexpr size_t kNone = SIZE_MAX;
  size_t taken_ = kNone;  // the input whose head was handed over last
  bool primed_ = false;   // every input's first frame has been read
  uint64_t merged_frames_ = 0;
  core::LinkType link_ = core::LinkType::Ethernet;
  uint64_t out_of_range_ = 0;
  uint64_t first_out_of_range_ = 0;
  std::string first_out_of_range_input_;
};

}  // namespace tcpinspect::capture
