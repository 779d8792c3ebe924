// SPDX-License-Identifier: MIT
// The table of output formats (core/render/render.hpp): the names --format accepts, and the
// parser that reads them from it.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/render/render.hpp"

namespace tcpinspect::core {
namespace {

TEST(OutputFormats, NamesAreThePublicOnesInHelpOrder) {
  std::string names;
  for (const auto& f : kOutputFormats)
    names += std::string(f.id) + " ";
  EXPECT_EQ(names, "text ladder summary jsonl explain svg html zeek csv ");
}

TEST(OutputFormats, EveryNameParsesToItsFormat) {
  std::set<std::string_view> ids;
  for (const auto& f : kOutputFormats) {
    EXPECT_TRUE(ids.insert(f.id).second) << "duplicate id " << f.id;
    EXPECT_EQ(parse_output_format(f.id), f.value) << f.id;
    EXPECT_EQ(output_format_id(f.value), f.id);
  }
  EXPECT_EQ(parse_output_format("jsonl"), OutputFormat::Jsonl);
  EXPECT_EQ(parse_output_format("csv"), OutputFormat::Csv);
}

TEST(OutputFormats, OtherNamesAreRejected) {
  EXPECT_EQ(parse_output_format(""), std::nullopt);
  EXPECT_EQ(parse_output_format("JSONL"), std::nullopt);  // exact, as the CLI's choices
  EXPECT_EQ(parse_output_format("json"), std::nullopt);
  EXPECT_EQ(parse_output_format("text "), std::nullopt);
  EXPECT_EQ(parse_output_format("explain-zh"), std::nullopt);  // that is --lang zh
}

TEST(OutputFormats, DescriptionsOnlyWhereTheNameIsNotEnough) {
  EXPECT_EQ(enum_entry<OutputFormat>(kOutputFormats, OutputFormat::Text).text, "text");
  EXPECT_EQ(enum_entry<OutputFormat>(kOutputFormats, OutputFormat::Explain).text,
            "the story in sentences");
  EXPECT_EQ(enum_entry<OutputFormat>(kOutputFormats, OutputFormat::Zeek).text, "a Zeek conn.log");
}

}  // namespace
}  // namespace tcpinspect::core
