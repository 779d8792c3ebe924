// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/render/conn_filter.hpp"
#include "core/tcp/event_sink.hpp"
#include "core/tcp/inspector.hpp"
#include "core/wire/enum_table.hpp"

namespace tcpinspect::core {

enum class OutputFormat : uint8_t { Text, Ladder, Summary, Jsonl, Explain, Svg, Html, Zeek, Csv };

/// Every output format: its `--format` name (id) and what it is (text; the id again when the
/// name says it all). The one list the parser, the CLI's choices and its help read, in the
/// order the help names them.
inline constexpr EnumEntry<OutputFormat> kOutputFormats[] = {
    {OutputFormat::Text, "text", "text"},
    {OutputFormat::Ladder, "ladder", "ladder"},
    {OutputFormat::Summary, "summary", "summary"},
    {OutputFormat::Jsonl, "jsonl", "jsonl"},
    {OutputFormat::Explain, "explain", "the story in sentences"},
    {OutputFormat::Svg, "svg", "one connection's ladder"},
    {OutputFormat::Html, "html", "a self-contained report"},
    {OutputFormat::Zeek, "zeek", "a Zeek conn.log"},
    {OutputFormat::Csv, "csv", "the summary table"},
};
static_assert(std::size(kOutputFormats) == static_cast<size_t>(OutputFormat::Csv) + 1 &&
              table_in_enum_order<OutputFormat>(kOutputFormats));

/// The `--format` name of `format`: "text", "jsonl", ...
constexpr std::string_view output_format_id(OutputFormat format) {
  return enum_entry<OutputFormat>(kOutputFormats, format).id;
}

/// The language of the explain format and of the html report's sentences.
enum class Lang : uint8_t { En, Zh };

/// The format named `name` (an id of kOutputFormats, exactly), or nullopt.
std::optional<OutputFormat> parse_output_format(std::string_view name);

struct RenderOptions {
  OutputFormat format = OutputFormat::Text;
  bool absolute = false;  // raw seq/ack instead of relative
  bool color = false;     // ANSI colours (the CLI decides: --color, NO_COLOR, isatty)
  int64_t msl_ns = InspectorConfig{}.msl_ns;  // shown in explanations of TIME_WAIT
  uint32_t only_conn = 0;          // explain/svg: this connection only (svg: 0 = the first shown)
  Lang lang = Lang::En;            // explain/html
  uint16_t community_id_seed = 0;  // jsonl/zeek/csv: the Community ID's seed
  bool ascii = false;  // text/ladder/summary/explain: ASCII marks (core/render/glyphs.hpp)
  /// Which connections are shown, in every format (FilteringSink); empty: all of them.
  ConnFilter filter;
  /// At most this many events wait for their connection's verdict (see FilteringSink).
  size_t filter_hold = 100'000;
  /// Warnings that are not output (the CLI prints them on standard error).
  std::function<void(std::string_view)> warn;
};

/// Where rendered text goes: called with large chunks (the renderer buffers), and at
/// on_finish. core does no I/O; the caller writes to stdout or a file.
using WriteFn = std::function<void(std::string_view)>;

/// A renderer for the chosen format. Everything it writes goes through `write`.
std::unique_ptr<EventSink> make_renderer(const RenderOptions& options, WriteFn write);

}  // namespace tcpinspect::core
