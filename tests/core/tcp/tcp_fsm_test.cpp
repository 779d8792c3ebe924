// SPDX-License-Identifier: MIT
// Table-driven checks of the RFC 9293 transitions the observer applies.
#include <gtest/gtest.h>

#include "core/tcp/tcp_fsm.hpp"
#include "core/wire/packet.hpp"

namespace {

using namespace tcpinspect::core;
using enum TcpState;

struct SendCase {
  TcpState from;
  uint16_t flags;
  TcpState to;
};

TEST(TcpFsm, Send) {
  const SendCase cases[] = {
      {Closed, kSyn, SynSent},           {Listen, kSyn, SynSent},
      {SynSent, kSyn, SynSent},          {Listen, kSyn | kAck, SynRcvd},
      {SynSent, kSyn | kAck, SynRcvd},   {Established, kFin | kAck, FinWait1},
      {SynRcvd, kFin | kAck, FinWait1},  {CloseWait, kFin | kAck, LastAck},
      {FinWait1, kFin | kAck, FinWait1}, {Established, kAck, Established},
      {Established, kRst, Closed},       {TimeWait, kRst | kAck, Closed},
      {SynSent, kRst, Closed},
  };
  for (const auto& c : cases)
    EXPECT_EQ(state_name(state_after_send(c.from, c.flags)), state_name(c.to))
        << state_name(c.from) << " flags " << c.flags;
}

struct ReceiveCase {
  TcpState from;
  uint16_t flags;
  bool acks_syn, acks_fin;
  TcpState to;
};

TEST(TcpFsm, Receive) {
  const ReceiveCase cases[] = {
      {Listen, kSyn, false, false, SynRcvd},
      {Closed, kSyn, false, false, SynRcvd},
      {SynSent, kSyn, false, false, SynRcvd},  // simultaneous open
      {Established, kSyn, false, false, Established},
      {SynSent, kSyn | kAck, true, false, Established},
      {SynSent, kSyn | kAck, false, false, SynSent},  // wrong ack: not accepted
      {SynRcvd, kSyn | kAck, true, false, Established},
      {SynRcvd, kAck, true, false, Established},
      {SynRcvd, kAck, false, false, SynRcvd},
      {Established, kFin | kAck, false, false, CloseWait},
      {FinWait1, kAck, false, true, FinWait2},
      {FinWait1, kAck, false, false, FinWait1},
      {FinWait1, kFin | kAck, false, false, Closing},
      {FinWait1, kFin | kAck, false, true, TimeWait},
      {FinWait2, kFin | kAck, false, false, TimeWait},
      {Closing, kAck, false, true, TimeWait},
      {LastAck, kAck, false, true, Closed},
      {LastAck, kAck, false, false, LastAck},
      {Established, kRst, false, false, Closed},
      {TimeWait, kRst, false, false, Closed},
      {Listen, kRst, false, false, Listen},
  };
  for (const auto& c : cases)
    EXPECT_EQ(
        state_name(state_after_receive(c.from, ReceiveFacts{c.flags, c.acks_syn, c.acks_fin})),
        state_name(c.to))
        << state_name(c.from) << " flags " << c.flags;
}

}  // namespace
