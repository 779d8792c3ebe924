// SPDX-License-Identifier: MIT
// Zeek endpoint states by their script-level names, read from the table beside the enum.
#include <gtest/gtest.h>

#include "core/zeek/zeek_conn.hpp"

namespace tcpinspect::core {
namespace {

TEST(ZeekStateNames, AsZeekScriptsNameThem) {
  EXPECT_EQ(kZeekEndpointStates.size(), 7u);
  EXPECT_EQ(zeek_endpoint_state_name(ZeekEndpointState::Inactive), "TCP_INACTIVE");
  EXPECT_EQ(zeek_endpoint_state_name(ZeekEndpointState::SynAckSent), "TCP_SYN_ACK_SENT");
  EXPECT_EQ(zeek_endpoint_state_name(ZeekEndpointState::Reset), "TCP_RESET");
}

}  // namespace
}  // namespace tcpinspect::core
