// SPDX-License-Identifier: MIT
#include "core/tcp/forged_rst.hpp"

namespace tcpinspect::core {
namespace {

// An IPv4 ID within this many steps ahead of the sender's last one is "in sequence": a
// host numbering per connection or per host moves forward by the packets it sent (to the
// peer or, with a global counter, to others meanwhile).
constexpr uint16_t kIpIdStride = 2048;
constexpr uint8_t kIpIdStreak = 2;

bool small_step_forward(uint16_t from, uint16_t to) {
  const uint16_t step = static_cast<uint16_t>(to - from);
  return step >= 1 && step <= kIpIdStride;
}

void learn_identity(SenderHistory& h, const DecodedPacket& p) {
  if (!h.ttl_set) {
    h.ttl = p.ttl;
    h.ttl_set = true;
  } else if (h.ttl != p.ttl) {
    h.ttl_consistent = false;  // a route change or a middlebox: TTL is no evidence here
  }
  if (p.ip_version != 4) return;
  // A jump (Linux: a SYN-ACK with ID 0, then the socket's random start) restarts the streak.
  if (h.ip_id_set)
    h.ip_id_streak = small_step_forward(h.ip_id, p.ip_id)
                         ? static_cast<uint8_t>(h.ip_id_streak < 255 ? h.ip_id_streak + 1 : 255)
                         : 0;
  h.ip_id = p.ip_id;
  h.ip_id_set = true;
}

}  // namespace

void check_forged_rst(Endpoint& s, const DecodedPacket& p, SegmentEvent& ev) {
  SenderHistory& h = s.history;
  ForgedRstEvidence& e = ev.forged_rst;
  if (!(p.tcp.flags & kRst)) {
    if (h.rst_frame != 0 && p.payload_len > 0) {
      // Data from a side that "reset" the connection: it never sent that RST.
      e.reasons |= kDataAfterRst;
      e.rst_frame = h.rst_frame;
      ev.notes.add(Note::RstSuspectedForged);
      h.rst_frame = 0;  // said once
    }
    learn_identity(h, p);
    return;
  }
  h.rst_frame = ev.frame;
  if (h.ttl_set && h.ttl_consistent && p.ttl != h.ttl) {
    e.reasons |= kTtlDiffers;
    e.ttl = p.ttl;
    e.usual_ttl = h.ttl;
  }
  // ID 0 with DF set is no evidence: atomic datagrams need no ID (RFC 6864), and Linux
  // sends its socketless RSTs so. An expectation needs three IDs in sequence.
  const bool meaningful_id = p.ip_id != 0 || !p.dont_fragment;
  if (p.ip_version == 4 && meaningful_id && h.ip_id_streak >= kIpIdStreak &&
      !small_step_forward(h.ip_id, p.ip_id)) {
    e.reasons |= kIpIdOutOfSequence;
    e.ip_id = p.ip_id;
    e.previous_ip_id = h.ip_id;
  }
  if (e.reasons != 0) ev.notes.add(Note::RstSuspectedForged);
}

}  // namespace tcpinspect::core
