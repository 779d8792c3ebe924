// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// A socket of this kernel that accepted a RST: one tcp:tcp_receive_reset event, from the
/// socket's point of view (local = the reset end).
struct KernelResetEvent {
  core::IpAddress local;
  core::IpAddress remote;
  uint16_t local_port = 0;
  uint16_t remote_port = 0;
};

/// The kernel as the witness of a reset: tcp:tcp_receive_reset read from a private tracefs
/// instance ("tcpinspect-PID", so other tracing users are undisturbed), removed again by the
/// destructor; instances left by a run that died are removed when the next one starts.
/// The tracepoint fires in every network namespace of the kernel: match the four-tuple.
class KernelResetWatch {
 public:
  /// Throws CaptureError with a one-line reason (tracefs missing or not mountable, no
  /// privilege, no such tracepoint in this kernel).
  KernelResetWatch();
  ~KernelResetWatch();
  KernelResetWatch(const KernelResetWatch&) = delete;
  KernelResetWatch& operator=(const KernelResetWatch&) = delete;

  /// The events recorded since the previous call (never blocks).
  std::vector<KernelResetEvent> take();

 private:
  struct Tracefs;
  std::unique_ptr<Tracefs> tracefs_;
};

}  // namespace tcpinspect::capture
