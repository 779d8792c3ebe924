// SPDX-License-Identifier: MIT
// Every id that `--format jsonl` can print comes from a table beside its enum; each one must
// be listed in docs/json.md (as `id`), so the documented format is the real one.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/tcp/connection.hpp"
#include "core/tcp/notes.hpp"
#include "core/tcp/segment_event.hpp"
#include "core/tcp/tcp_state.hpp"
#include "core/wire/problems.hpp"

namespace tcpinspect::core {
namespace {

std::string json_doc() {
  std::ifstream in(std::string(TCPINSPECT_SOURCE_DIR) + "/docs/json.md");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

template <typename Table>
void expect_documented(const std::string& doc, const Table& table, const char* what) {
  for (const auto& e : table) {
    if (e.id.empty()) continue;  // "no problem" is never printed
    EXPECT_NE(doc.find("`" + std::string(e.id) + "`"), std::string::npos)
        << what << " id `" << e.id << "` is missing from docs/json.md";
  }
}

TEST(JsonIds, ProblemIdsAreDocumented) {
  const std::string doc = json_doc();
  ASSERT_FALSE(doc.empty()) << "cannot read docs/json.md";
  expect_documented(doc, kDecodeProblems, "decode problem");
  expect_documented(doc, kTcpOptionProblems, "TCP option problem");
}

TEST(JsonIds, StateNoteCheckAndCloseIdsAreDocumented) {
  const std::string doc = json_doc();
  ASSERT_FALSE(doc.empty()) << "cannot read docs/json.md";
  expect_documented(doc, kNotes, "note");
  expect_documented(doc, kCheckKinds, "check rule");
  expect_documented(doc, kCloseKinds, "close kind");
  // States are listed as one line of bare names.
  for (const auto& e : kTcpStates)
    EXPECT_NE(doc.find(" " + std::string(e.id)), std::string::npos) << e.id;
}

}  // namespace
}  // namespace tcpinspect::core
