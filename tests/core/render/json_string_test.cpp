// SPDX-License-Identifier: MIT
// The one JSON string writer (core/render/json_string.hpp) of jsonl and the html report.
#include "core/render/json_string.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tcpinspect::core {
namespace {

std::string json(std::string_view text, JsonStringStyle style = {}) {
  std::string out;
  {
    OutBuffer b([&](std::string_view s) { out.append(s); });
    put_json_string(b, text, style);
  }
  return out;
}

constexpr JsonStringStyle kScript{.inside_script = true};
constexpr JsonStringStyle kStory{.keep_newlines = true, .inside_script = true};

TEST(JsonString, PlainTextIsQuotedOnly) {
  EXPECT_EQ(json(""), R"("")");
  EXPECT_EQ(json("read_returns_0"), R"("read_returns_0")");
  EXPECT_EQ(json("192.0.2.10:41286"), R"("192.0.2.10:41286")");
  EXPECT_EQ(json("ShAdDaFf"), R"("ShAdDaFf")");
}

TEST(JsonString, QuoteAndBackslashAreEscaped) {
  EXPECT_EQ(json(R"(say "hi")"), R"("say \"hi\"")");
  EXPECT_EQ(json(R"(a\b)"), R"("a\\b")");
  EXPECT_EQ(json(R"("\)"), R"("\"\\")");
  EXPECT_EQ(json(R"(say "hi")", kStory), R"("say \"hi\"")");
}

TEST(JsonString, ControlCharactersBecomeSpaces) {
  EXPECT_EQ(json(std::string("a\nb\tc\rd\x01"
                             "e\x1f",
                             10)),
            R"("a b c d e ")");
  EXPECT_EQ(json(std::string("x\0y", 3)), R"("x y")");
  EXPECT_EQ(json("\x7f"), "\"\x7f\"");  // DEL is no control character to JSON
  EXPECT_EQ(json("a\tb", kScript), R"("a b")");
  EXPECT_EQ(json("a\nb", kScript), R"("a b")");
}

TEST(JsonString, NewlinesKeptOnlyWhenAsked) {
  EXPECT_EQ(json("line 1\nline 2\n", kStory), R"("line 1\nline 2\n")");
  EXPECT_EQ(json("a\tb\nc", kStory), R"("a b\nc")");
  EXPECT_EQ(json("line 1\nline 2", JsonStringStyle{.keep_newlines = true}), R"("line 1\nline 2")");
}

TEST(JsonString, LessThanEscapedOnlyInsideAScript) {
  EXPECT_EQ(json("</script>"), R"("</script>")");
  EXPECT_EQ(json("</script>", kScript), R"("\u003c/script>")");
  EXPECT_EQ(json("a<b<c", kStory), R"("a\u003cb\u003cc")");
}

TEST(JsonString, Utf8IsCopied) {
  EXPECT_EQ(json("SYN_SENT → ESTABLISHED"), "\"SYN_SENT → ESTABLISHED\"");
  EXPECT_EQ(json("对端关闭了连接", kStory), "\"对端关闭了连接\"");
}

}  // namespace
}  // namespace tcpinspect::core
