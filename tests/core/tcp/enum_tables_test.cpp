// SPDX-License-Identifier: MIT
// The id/text tables beside the tcp stage's enums: the static_asserts beside each table
// prove one entry per enumerator in order; this pins the public ids and the lookups.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/tcp/connection.hpp"
#include "core/tcp/notes.hpp"
#include "core/tcp/segment_event.hpp"
#include "core/tcp/tcp_state.hpp"

namespace tcpinspect::core {
namespace {

template <typename Table>
std::set<std::string_view> unique_ids(const Table& table) {
  std::set<std::string_view> ids;
  for (const auto& e : table) {
    EXPECT_FALSE(e.id.empty());
    EXPECT_FALSE(e.text.empty()) << e.id;
    EXPECT_TRUE(ids.insert(e.id).second) << "duplicate id " << e.id;
  }
  return ids;
}

TEST(EnumTables, StatesReadBothWays) {
  EXPECT_EQ(unique_ids(kTcpStates).size(), 11u);
  EXPECT_EQ(state_name(TcpState::FinWait1), "FIN_WAIT_1");
  EXPECT_EQ(state_name(TcpState::TimeWait), "TIME_WAIT");
  for (const auto& e : kTcpStates)
    EXPECT_EQ(state_from_name(e.id), e.value) << e.id;
  EXPECT_EQ(state_from_name("fin_wait_1"), std::nullopt);
}

TEST(EnumTables, NotesHaveIdAndText) {
  EXPECT_EQ(unique_ids(kNotes).size(), kNoteCount);
  EXPECT_EQ(note_id(Note::ReadReturnsZero), "read_returns_0");
  EXPECT_EQ(note_text(Note::ReadReturnsZero), "read() returns 0: peer closed its sending side");
  EXPECT_EQ(note_id(Note::SynAckBadAck), "synack_bad_ack");
  EXPECT_EQ(note_id(Note::Count_), "?");  // not a note: reads as unknown, never as another
}

TEST(EnumTables, CloseKindsAndChecks) {
  EXPECT_EQ(unique_ids(kCloseKinds).size(), 10u);
  EXPECT_EQ(close_kind_id(CloseKind::HandshakeReset), "handshake_reset");
  EXPECT_EQ(close_kind_id(CloseKind::NoAnswer), "no_answer");
  EXPECT_EQ(close_kind_id(CloseKind::ResetByServer), "reset_by_server");
  EXPECT_EQ(close_kind_text(CloseKind::Graceful), "both sides sent FIN and had it acknowledged");
  EXPECT_EQ(unique_ids(kCheckKinds).size(), 7u);
  EXPECT_EQ(check_id(CheckKind::SynAckAcksSyn), "synack_acks_syn");
  EXPECT_EQ(check_id(CheckKind::RstAcksSyn), "rst_acks_syn");
}

}  // namespace
}  // namespace tcpinspect::core
