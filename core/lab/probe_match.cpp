// SPDX-License-Identifier: MIT
#include "core/lab/probe_match.hpp"

#include "core/wire/seq.hpp"

namespace tcpinspect::core {

ProbeMatch match_probe_answer(const ProbeIdentity& probe, const DecodedPacket& p) {
  if (p.result == DecodeResult::IcmpUnreachable) {
    if (p.icmp.quoted_src_port != probe.src_port || !(p.icmp.quoted_dst == probe.dst)) return {};
    return {ProbeMatchKind::Answer, p.icmp.quoted_dst_port, ProbeResponse::IcmpUnreachable};
  }
  if (p.result != DecodeResult::Tcp) return {};
  if (p.src == probe.src && p.tcp.src_port == probe.src_port) {
    // From us: a probe going out, or the kernel's RST for a SYN-ACK it did not expect.
    if ((p.tcp.flags & kRst) && p.dst == probe.dst)
      return {ProbeMatchKind::KernelRst, p.tcp.dst_port, ProbeResponse::None};
    return {};
  }
  if (p.tcp.dst_port != probe.src_port || !(p.src == probe.dst) || !(p.dst == probe.src)) return {};
  const uint32_t expect_ack = seq::seg_end(probe.seq, probe.flags, 0);
  const bool acks_us = (p.tcp.flags & kAck) && p.tcp.ack == expect_ack;
  const bool rst_at_our_ack = (p.tcp.flags & kRst) && !(p.tcp.flags & kAck) &&
                              (probe.flags & kAck) && p.tcp.seq == probe.ack;
  if (!acks_us && !rst_at_our_ack) return {ProbeMatchKind::Stray, p.tcp.src_port};
  const uint16_t f = p.tcp.flags;
  const ProbeResponse r = (f & kRst)                               ? ProbeResponse::Rst
                          : ((f & (kSyn | kAck)) == (kSyn | kAck)) ? ProbeResponse::SynAck
                                                                   : ProbeResponse::Other;
  return {ProbeMatchKind::Answer, p.tcp.src_port, r};
}

}  // namespace tcpinspect::core
