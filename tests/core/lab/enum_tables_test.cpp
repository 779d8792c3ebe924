// SPDX-License-Identifier: MIT
// The lab vocabulary's name tables (probe types, responses, verdicts, peer states, reply
// kinds): printed names pinned, and the probe-type parser reading the same table.
#include <gtest/gtest.h>

#include "core/lab/probe_verdict.hpp"
#include "core/lab/tcp_expectation.hpp"

namespace tcpinspect::core {
namespace {

TEST(LabEnumTables, ProbeTypesParseBackFromTheirNames) {
  for (const auto& e : kProbeTypes) {
    EXPECT_EQ(parse_probe_type(e.id), e.value) << e.id;
    EXPECT_EQ(probe_type_name(e.value), e.id);
  }
  EXPECT_EQ(probe_type_name(ProbeType::Xmas), "xmas");
  EXPECT_EQ(parse_probe_type("SYN"), std::nullopt);
  EXPECT_EQ(parse_probe_type("maimon"), std::nullopt);
}

TEST(LabEnumTables, PrintedNames) {
  EXPECT_EQ(probe_response_name(ProbeResponse::None), "no answer");
  EXPECT_EQ(probe_response_name(ProbeResponse::Other), "other TCP segment");
  EXPECT_EQ(port_verdict_name(PortVerdict::OpenFiltered), "open|filtered");
  EXPECT_EQ(port_verdict_name(PortVerdict::Unexpected), "unexpected");
  EXPECT_EQ(peer_state_name(PeerState::Listen), "listening");
  EXPECT_EQ(reply_kind_name(ReplyKind::RstAck), "RST/ACK");
  EXPECT_EQ(reply_kind_name(ReplyKind::Ack), "ACK");
  EXPECT_EQ(kPortVerdicts.size(), 6u);
  EXPECT_EQ(kReplyKinds.size(), 5u);
}

}  // namespace
}  // namespace tcpinspect::core
