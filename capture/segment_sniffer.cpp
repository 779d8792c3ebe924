// SPDX-License-Identifier: MIT
#include "capture/segment_sniffer.hpp"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "capture/error.hpp"
#include "core/wire/decode.hpp"

namespace tcpinspect::capture {
namespace {

LiveOptions sniff_options(const std::string& interface, const std::string& filter) {
  LiveOptions o;
  o.interface = interface;
  o.filter = filter;
  o.snaplen = 65535;
  o.buffer_kib = 2048;  // a few probes' replies, not a firehose
  o.promiscuous = false;
  o.immediate = true;
  return o;
}

}  // namespace

int64_t wall_clock_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

SegmentSniffer::SegmentSniffer(const std::string& interface, const std::string& filter)
    : source_(sniff_options(interface, filter)) {
  auto link = core::link_type_from_dlt(source_.datalink());
  if (!link)
    throw CaptureError(interface + ": link type " + std::to_string(source_.datalink()) +
                       " is not supported");
  link_ = *link;
}

bool SegmentSniffer::pump(int timeout_ms,
                          const std::function<bool(const SniffedSegment&)>& on_segment) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool stop = false;
  uint64_t frames = 0;
  for (;;) {
    // One frame per dispatch, so that frames after the one that stops us stay queued
    // for the next pump() instead of being dropped with the rest of a batch.
    while (!stop && source_.dispatch(1, [&](const core::Frame& frame, const pcap_pkthdr&) {
      // Live checksums are often left to the NIC (and never filled in on lo): not verified.
      core::decode_packet(link_, frame.data, frame.wire_len, packet_, false);
      if (packet_.result != core::DecodeResult::Tcp &&
          packet_.result != core::DecodeResult::IcmpUnreachable)
        return;
      SniffedSegment s;
      s.ts_ns = frame.ts_ns;
      s.bytes = frame.data;
      s.packet = &packet_;
      if (!on_segment(s)) stop = true;
    }) > 0) {
      // Under a flood frames keep coming: the deadline still holds.
      if (++frames % 64 == 0 && Clock::now() >= deadline) return true;
    }
    if (stop) return false;
    const auto now = Clock::now();
    if (now >= deadline) return true;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    pollfd pfd{source_.selectable_fd(), POLLIN, 0};
    ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(left, 50))));
  }
}

void pump_each(std::span<SegmentSniffer* const> sniffers, int timeout_ms,
               const std::function<void(size_t, const SniffedSegment&)>& on_segment) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::vector<pollfd> fds;
  for (SegmentSniffer* s : sniffers)
    fds.push_back(pollfd{s->selectable_fd(), POLLIN, 0});
  for (;;) {
    for (size_t i = 0; i < sniffers.size(); ++i)
      sniffers[i]->pump(0, [&](const SniffedSegment& seg) {
        on_segment(i, seg);
        return true;
      });
    const auto now = Clock::now();
    if (now >= deadline) return;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    for (pollfd& f : fds)
      f.revents = 0;
    // At most 50 ms per wait: with immediate delivery poll() wakes at once, but a ring
    // whose block timed out may not signal readability on every kernel.
    ::poll(fds.data(), fds.size(),
           static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(left, 50))));
  }
}

}  // namespace tcpinspect::capture
