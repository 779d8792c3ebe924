// SPDX-License-Identifier: MIT
#include "capture/merged_capture.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "capture/error.hpp"

namespace tcpinspect::capture {
namespace {

// Whether a file starts like something replay reads: pcap (either byte order, micro- or
// nanosecond), pcapng, or gzip, xz or zstd around one. A file too short to tell is let
// through, to fail with its own message.
bool looks_like_capture(const std::string& path) {
  static constexpr std::array<std::array<uint8_t, 4>, 7> kSignatures{{
      {0xd4, 0xc3, 0xb2, 0xa1},  // pcap, little-endian, microseconds
      {0xa1, 0xb2, 0xc3, 0xd4},  // pcap, big-endian
      {0x4d, 0x3c, 0xb2, 0xa1},  // pcap, little-endian, nanoseconds
      {0xa1, 0xb2, 0x3c, 0x4d},  // pcap, big-endian, nanoseconds
      {0x0a, 0x0d, 0x0d, 0x0a},  // pcapng section header block
      {0xfd, 0x37, 0x7a, 0x58},  // xz
      {0x28, 0xb5, 0x2f, 0xfd},  // zstd
  }};
  std::ifstream in(path, std::ios::binary);
  std::array<uint8_t, 4> head{};
  if (!in.read(reinterpret_cast<char*>(head.data()), head.size())) return true;
  if (head[0] == 0x1f && head[1] == 0x8b) return true;  // gzip's signature is two bytes
  return std::find(kSignatures.begin(), kSignatures.end(), head) != kSignatures.end();
}

// The capture files a directory stands for: its visible regular files that start like a
// capture, sorted by name with runs of digits compared by value, so tcpdump -C's `dump,
// dump1, dump2, ..., dump10` keeps its order. Subdirectories are not entered; other files
// go to `skipped`.
std::vector<std::string> files_in(const std::string& dir, std::string& problem,
                                  std::vector<std::string>& skipped) {
  const size_t skipped_before = skipped.size();
  std::vector<std::string> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code kind_ec;
    if (!it->is_regular_file(kind_ec)) continue;
    if (looks_like_capture(it->path().string()))
      files.push_back(it->path().string());
    else
      skipped.push_back(it->path().string());
  }
  if (ec) {
    problem = dir + ": " + ec.message();
    return {};
  }
  if (files.empty())
    problem = dir + (skipped.size() == skipped_before ? ": empty directory, no capture files in it"
                                                      : ": no capture files in it");
  std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    return ::strverscmp(a.c_str(), b.c_str()) < 0;
  });
  return files;
}

// Every input holds a descriptor while the merge runs: a directory of a thousand rotated
// files must not fail on the usual soft limit of 1024 when the hard limit allows more.
void allow_descriptors(size_t files) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t want = static_cast<rlim_t>(files) + 64;
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= want) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? want : std::min(want, limit.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

std::string joined(const std::vector<std::string>& reasons) {
  std::string s;
  for (const auto& r : reasons) {
    if (!s.empty()) s += "; ";
    s += r;
  }
  return s;
}

}  // namespace

MergedCapture::MergedCapture(const std::vector<std::string>& inputs) {
  std::vector<std::string> paths;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input != "-" && std::filesystem::is_directory(input, ec)) {
      std::string problem;
      for (auto& f : files_in(input, problem, skipped_))
        paths.push_back(std::move(f));
      if (!problem.empty()) failures_.push_back(problem);
    } else {
      paths.push_back(input);
    }
  }
  allow_descriptors(paths.size());
  for (const std::string& path : paths)
    open(path);
  if (sources_.empty()) {
    if (failures_.empty()) throw CaptureError("no capture file to read");
    throw CaptureError(joined(failures_));
  }
  single_ = sources_.size() == 1;
  heads_.resize(sources_.size());
}

void MergedCapture::open(const std::string& path) {
  std::unique_ptr<PcapFileSource> source;
  try {
    source = std::make_unique<PcapFileSource>(path);
  } catch (const CaptureError& e) {
    failures_.push_back(e.what());
    return;
  }
  if (!source->link_supported()) {
    failures_.push_back((path == "-" ? std::string("standard input") : path) +
                        ": unsupported link type " + source->datalink_name() +
                        " (tcpinspect reads Ethernet, Linux cooked v1/v2, raw IP and BSD "
                        "loopback)");
    return;
  }
  sources_.push_back(std::move(source));
  names_.push_back(path);
}

void MergedCapture::set_filter(const std::string& expression) {
  for (auto& source : sources_)
    source->set_filter(expression);
}

void MergedCapture::advance(size_t i) {
  Head& h = heads_[i];
  const uint64_t skipped = sources_[i]->out_of_range_timestamps();
  switch (sources_[i]->next_any(h.frame, h.wanted)) {
    case ReadStatus::Frame:
      h.out_of_range = sources_[i]->out_of_range_timestamps() != skipped;
      order_.emplace(h.frame.ts_ns, i);
      return;
    case ReadStatus::End:
      return;
    case ReadStatus::Error:
      // The other inputs go on: what they hold is still analysed.
      failures_.push_back(sources_[i]->error_message());
      return;
  }
}

MergedCapture::ReadStatus MergedCapture::finish_with_failures(ReadStatus status) {
  if (status == ReadStatus::Error) {
    // A single input that failed midway: its reason first, then any set aside at the start.
    std::vector<std::string> all{sources_[0]->error_message()};
    all.insert(all.end(), failures_.begin(), failures_.end());
    error_ = joined(all);
    return status;
  }
  if (failures_.empty()) return status;
  error_ = joined(failures_);
  return ReadStatus::Error;
}

MergedCapture::ReadStatus MergedCapture::next(core::Frame& frame) {
  if (limit_ != 0 && handed_ >= limit_) return finish_with_failures(ReadStatus::End);
  if (single_) {
    const ReadStatus status = sources_[0]->next(frame);
    if (status == ReadStatus::Frame) {
      ++handed_;
      return status;
    }
    return finish_with_failures(status);
  }
  if (!primed_) {
    // The first frame of each input is read only now, once the filter is set.
    primed_ = true;
    for (size_t i = 0; i < sources_.size(); ++i)
      advance(i);
  }
  for (;;) {
    // The input handed over last is read on only now: its frame was valid until this call.
    if (taken_ != kNone) advance(std::exchange(taken_, kNone));
    if (order_.empty()) return finish_with_failures(ReadStatus::End);
    const size_t i = order_.top().second;
    order_.pop();
    taken_ = i;
    ++merged_frames_;
    const Head& h = heads_[i];
    if (h.out_of_range) {
      if (out_of_range_ == 0) {
        first_out_of_range_ = merged_frames_;
        first_out_of_range_input_ = names_[i];
      }
      ++out_of_range_;
    }
    if (!h.wanted) continue;
    frame = h.frame;
    frame.index = merged_frames_;
    link_ = sources_[i]->link();
    ++handed_;
    return ReadStatus::Frame;
  }
}

FrameSource& MergedCapture::frames() {
  if (single_ && limit_ == 0 && failures_.empty()) return *sources_[0];
  return *this;
}

MergedCapture::Progress MergedCapture::progress() const {
  Progress p;
  bool sizes_known = true;
  for (const auto& source : sources_) {
    p.position += source->input_position();
    p.size += source->input_size();
    sizes_known = sizes_known && source->input_size() != 0;
  }
  if (!sizes_known) p.size = 0;
  return p;
}

uint64_t MergedCapture::out_of_range_timestamps() const {
  return single_ ? sources_[0]->out_of_range_timestamps() : out_of_range_;
}

uint64_t MergedCapture::first_out_of_range_timestamp() const {
  return single_ ? sources_[0]->first_out_of_range_timestamp() : first_out_of_range_;
}

const std::string& MergedCapture::first_out_of_range_input() const {
  return single_ ? names_[0] : first_out_of_range_input_;
}

}  // namespace tcpinspect::capture
