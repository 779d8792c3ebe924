// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string>

#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// The mark our own raw packets carry (RawSender::set_mark) while a guard is up: "tcpi".
inline constexpr uint32_t kOwnPacketMark = 0x74637069;

/// Keeps this host's kernel from answering one four-tuple with RST while a conversation run
/// from user space owns it: no socket owns the port, so the kernel answers the peer's SYN-ACK
/// (and everything after) with RST (RFC 9293 3.10.7.1), which kills a hand-built handshake.
///
/// An nftables rule drops exactly the RSTs of that four-tuple that do not carry
/// kOwnPacketMark. It lives in a table tcpinspect owns ("inet tcpinspect"), in a chain of
/// this process's own ("guard_PID"), so runs side by side do not touch each other's rules;
/// the destructor removes the chain (and the table once it is empty), and chains of
/// processes that no longer exist (a run killed with SIGKILL) are removed when the next
/// guard is made. Through the `nft` program (nftables).
class KernelRstGuard {
 public:
  /// Throws CaptureError with one line when the rule cannot be added (no CAP_NET_ADMIN, no
  /// nf_tables in this kernel), naming what it tried.
  KernelRstGuard(const core::IpAddress& local, uint16_t local_port, const core::IpAddress& remote,
                 uint16_t remote_port);
  ~KernelRstGuard();
  KernelRstGuard(const KernelRstGuard&) = delete;
  KernelRstGuard& operator=(const KernelRstGuard&) = delete;

  /// The rule as `nft list` shows it, for the report.
  const std::string& rule() const { return rule_; }
  /// "inet tcpinspect guard_PID".
  const std::string& chain() const { return chain_; }

 private:
  std::string chain_;
  std::string rule_;
};

}  // namespace tcpinspect::capture
