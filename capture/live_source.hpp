// SPDX-License-Identifier: MIT
#pragma once
#include <csignal>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <pcap/pcap.h>

#include "capture/pcap_handle.hpp"

#include "core/wire/frame.hpp"

namespace tcpinspect::capture {

/// How to open a live capture (tcpdump's -i, -s, -B, -p and filter words).
struct LiveOptions {
  std::string interface;       // "any" captures on every interface (Linux cooked v2 headers)
  std::string filter;          // BPF, tcpdump syntax; empty captures everything
  int snaplen = 262144;        // bytes kept per frame (tcpdump's default)
  int buffer_kib = 32 * 1024;  // kernel ring size: large, so bursts are not dropped
  bool promiscuous = true;
  // How packets reach us. Buffered (the default): libpcap's TPACKET_V3 ring packs packets
  // densely into blocks, and the kernel hands over a block when it is full or `timeout_ms`
  // after its first packet, so latency stays under timeout_ms (1 ms, the kernel's finest:
  // a line appears as promptly as a person can see, and a flood still fills whole blocks
  // long before the timer). Immediate: every packet at
  // once, but libpcap then uses TPACKET_V2 with one slot per packet sized for the snaplen
  // (256 KiB on offloading interfaces such as lo), so a 32 MiB ring holds only ~128
  // packets and bursts are dropped.
  bool immediate = false;
  int timeout_ms = 1;
};

/// Kernel counters (pcap_stats), as tcpdump prints them on exit.
struct LiveStats {
  uint64_t received = 0;    // ps_recv: packets that passed the filter
  uint64_t dropped = 0;     // ps_drop: dropped for lack of ring space
  uint64_t if_dropped = 0;  // ps_ifdrop: dropped by the interface or driver
};

/// A live capture on one interface: an activated, non-blocking pcap handle. Use
/// selectable_fd() with poll() to wait, then dispatch() to read what is ready in one batch.
class LiveSource {
 public:
  /// Opens and activates the capture and installs the filter. Throws CaptureError with one
  /// line: unknown interface (listing the ones that exist), missing privilege (how to grant
  /// it), interface down, bad filter expression, or libpcap's own reason.
  explicit LiveSource(const LiveOptions& options);
  ~LiveSource();
  LiveSource(const LiveSource&) = delete;
  LiveSource& operator=(const LiveSource&) = delete;

  /// libpcap's DLT_* value of the frames (DLT_LINUX_SLL2 on "any" when libpcap has it).
  int datalink() const;
  int snaplen() const;
  /// True when timestamps come in nanoseconds (else microseconds).
  bool nanosecond_timestamps() const { return nano_; }
  /// A file descriptor that polls readable when frames are ready.
  int selectable_fd() const;
  /// Non-fatal remarks from activation (e.g. promiscuous mode not supported).
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::string& interface() const { return interface_; }
  /// tcpdump's banner: "eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes".
  std::string describe() const;

  static constexpr int kBroken = -1;

  /// Hands every frame that is ready now (at most `max`, or all with -1) to
  /// `on_frame(const core::Frame&, const pcap_pkthdr&)`, without waiting. Returns the number
  /// handled, or kBroken after break_loop(). Throws CaptureError if the capture failed
  /// (interface went away).
  template <typename OnFrame>
  int dispatch(int max, OnFrame&& on_frame) {
    if (broken_) {
      broken_ = 0;
      return kBroken;
    }
    using Fn = std::remove_reference_t<OnFrame>;
    Dispatch<Fn> ctx{this, &on_frame};
    const int rc =
        pcap_dispatch(handle_.get(), max, &Dispatch<Fn>::callback, reinterpret_cast<u_char*>(&ctx));
    return check_dispatch(rc);
  }

  /// Makes the current or next dispatch() return kBroken. Safe to call from a signal
  /// handler (sets flags; libpcap also writes to an eventfd on Linux).
  void break_loop();

  /// The kernel's counters since the capture opened.
  LiveStats stats() const;

 private:
  template <typename OnFrame>
  struct Dispatch {
    LiveSource* self;
    OnFrame* on_frame;
    static void callback(u_char* user, const pcap_pkthdr* header, const u_char* data) {
      auto* ctx = reinterpret_cast<Dispatch*>(user);
      const core::Frame frame = ctx->self->make_frame(*header, data);
      (*ctx->on_frame)(frame, *header);
    }
  };

  core::Frame make_frame(const pcap_pkthdr& header, const u_char* data) {
    core::Frame f;
    f.index = ++frames_;
    f.ts_ns = static_cast<int64_t>(header.ts.tv_sec) * 1'000'000'000 +
              static_cast<int64_t>(header.ts.tv_usec) * (nano_ ? 1 : 1000);
    f.data = {data, header.caplen};
    f.wire_len = header.len;
    return f;
  }
  int check_dispatch(int rc);

  std::string interface_;
  PcapHandle handle_;
  bpf_program filter_{};
  bool has_filter_ = false;
  bool nano_ = false;
  uint64_t frames_ = 0;
  // libpcap checks its own flag only between frames, so an idle dispatch would miss it.
  volatile std::sig_atomic_t broken_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace tcpinspect::capture
