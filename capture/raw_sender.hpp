// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "capture/error.hpp"
#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// Opening a raw socket was refused (EPERM/EACCES): what() is the one-line advice.
struct PrivilegeError : CaptureError {
  using CaptureError::CaptureError;
};

/// "<what> needs CAP_NET_RAW: run with sudo, or grant it with: sudo setcap
/// cap_net_raw,cap_net_admin=eip <exe>"
std::string raw_socket_privilege_message(const std::string& what);

/// A raw socket that sends complete IP packets we built ourselves (IPv4 with IP_HDRINCL,
/// IPv6 through IPPROTO_RAW, which implies the header is included). The kernel still fills
/// in the IPv4 header checksum, and an IPv4 id of 0. Owns the descriptor.
class RawSender {
 public:
  /// `ip_version` 4 or 6. Throws PrivilegeError without CAP_NET_RAW, CaptureError otherwise.
  explicit RawSender(int ip_version);
  ~RawSender();
  RawSender(const RawSender&) = delete;
  RawSender& operator=(const RawSender&) = delete;

  /// Sends one packet to `dst` (routing picks the interface). Throws CaptureError with the
  /// errno text (e.g. "Network is unreachable").
  void send(std::span<const uint8_t> ip_packet, const core::IpAddress& dst);

  /// Marks every packet sent from now on (SO_MARK; needs CAP_NET_ADMIN), so a firewall
  /// rule can tell them from the kernel's own (KernelRstGuard). Throws CaptureError.
  void set_mark(uint32_t mark);

 private:
  int fd_ = -1;
  int version_ = 4;
};

}  // namespace tcpinspect::capture
