// SPDX-License-Identifier: MIT
#include "core/tcp/fast_open.hpp"

namespace tcpinspect::core {

void note_fast_open(Endpoint& s, Endpoint& r, const DecodedPacket& p, SegmentEvent& ev) {
  const uint16_t flags = p.tcp.flags;
  if (!(flags & kSyn) || (flags & kRst)) return;
  const TcpOptions& o = p.tcp.options;
  if (!(flags & kAck)) {
    // An empty option asks for a cookie (RFC 7413 4.1.1); a cookie lets the SYN carry data.
    if (o.has_fast_open)
      ev.notes.add(o.fast_open_cookie_len == 0 ? Note::TfoCookieRequest : Note::TfoCookie);
    s.history.syn_data_len = p.payload_len;
    return;
  }
  if (o.has_fast_open && o.fast_open_cookie_len > 0) ev.notes.add(Note::TfoCookie);
  const uint32_t data = r.history.syn_data_len;
  if (data == 0 || !r.isn_known) return;
  if (p.tcp.ack == r.isn + 1 + data) {
    ev.notes.add(Note::TfoDataAccepted);
    r.history.syn_data_ignored = false;
  } else if (p.tcp.ack == r.isn + 1) {
    ev.notes.add(Note::TfoDataIgnored);
    r.history.syn_data_ignored = true;
  }
}

uint32_t synack_expected_ack(const Endpoint& syn_sender, uint32_t ack) {
  const uint32_t data = syn_sender.history.syn_data_len;
  const uint32_t bare = syn_sender.isn + 1;
  return data > 0 && ack == bare + data ? bare + data : bare;
}

}  // namespace tcpinspect::core
