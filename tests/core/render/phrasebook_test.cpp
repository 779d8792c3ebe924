// SPDX-License-Identifier: MIT
// Every state, note, check rule and close kind has its words in both languages: the
// explain format and the html report must never print an empty sentence. Adding an enum
// value without its sentences fails here.
#include "core/render/phrasebook.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tcpinspect::core::render {
namespace {

// Chinese text is CJK (three-byte UTF-8 sequences starting 0xE4..0xE9), not a copy of the
// English one.
bool has_cjk(std::string_view s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xE4 && b <= 0xE9) return true;
  }
  return false;
}

void expect_both(std::string_view en, std::string_view zh, const std::string& what) {
  EXPECT_FALSE(en.empty()) << what << " has no English sentence";
  EXPECT_FALSE(zh.empty()) << what << " has no Chinese sentence";
  EXPECT_FALSE(has_cjk(en)) << what << ": English sentence is not English: " << en;
  EXPECT_TRUE(has_cjk(zh)) << what << ": Chinese sentence is not Chinese: " << zh;
}

TEST(Phrasebook, EveryStateInBothLanguages) {
  for (unsigned i = 0; i <= static_cast<unsigned>(TcpState::TimeWait); ++i) {
    const auto s = static_cast<TcpState>(i);
    expect_both(state_meaning(Lang::En, s), state_meaning(Lang::Zh, s),
                "state " + std::string(state_name(s)));
  }
}

TEST(Phrasebook, EveryNoteInBothLanguagesWithAnRfcSection) {
  for (size_t i = 0; i < kNoteCount; ++i) {
    const auto n = static_cast<Note>(i);
    const std::string what = "note " + std::string(note_id(n));
    expect_both(note_sentence(Lang::En, n), note_sentence(Lang::Zh, n), what);
    EXPECT_EQ(note_rfc(n).substr(0, 4), "RFC ") << what;
  }
}

TEST(Phrasebook, EveryCheckRuleInBothLanguages) {
  for (unsigned i = 0; i <= static_cast<unsigned>(CheckKind::RstAcksSyn); ++i) {
    const auto k = static_cast<CheckKind>(i);
    expect_both(check_rule(Lang::En, k), check_rule(Lang::Zh, k),
                "check " + std::string(check_id(k)));
  }
}

TEST(Phrasebook, EveryCloseKindInBothLanguages) {
  for (unsigned i = 0; i <= static_cast<unsigned>(CloseKind::HandshakeReset); ++i) {
    const auto k = static_cast<CloseKind>(i);
    expect_both(close_sentence(Lang::En, k), close_sentence(Lang::Zh, k),
                "close " + std::string(close_kind_id(k)));
  }
}

TEST(Phrasebook, TextbookTermsInChinese) {
  EXPECT_NE(close_sentence(Lang::Zh, CloseKind::Graceful).find("四次挥手"), std::string::npos);
  EXPECT_NE(note_sentence(Lang::Zh, Note::Retransmission).find("重传"), std::string::npos);
  EXPECT_NE(note_sentence(Lang::Zh, Note::SimultaneousOpen).find("同时打开"), std::string::npos);
  EXPECT_NE(state_meaning(Lang::Zh, TcpState::FinWait2).find("半关闭"), std::string::npos);
  EXPECT_EQ(side_name(Lang::Zh, Direction::ClientToServer), "客户端");
  EXPECT_EQ(side_name(Lang::En, Direction::ServerToClient), "server");
}

}  // namespace
}  // namespace tcpinspect::core::render
