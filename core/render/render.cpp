// SPDX-License-Identifier: MIT
#include "core/render/render.hpp"

#include "core/render/filter_sink.hpp"
#include "core/render/render_csv.hpp"
#include "core/render/render_explain.hpp"
#include "core/render/render_html.hpp"
#include "core/render/render_jsonl.hpp"
#include "core/render/render_ladder.hpp"
#include "core/render/render_summary.hpp"
#include "core/render/render_svg.hpp"
#include "core/render/render_text.hpp"
#include "core/render/render_zeek.hpp"

namespace tcpinspect::core {

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  return enum_from_id<OutputFormat>(kOutputFormats, name);
}

std::unique_ptr<EventSink> make_renderer(const RenderOptions& options, WriteFn write) {
  if (!options.filter.empty()) {
    RenderOptions unfiltered = options;
    unfiltered.filter = {};
    std::unique_ptr<EventSink> inner = make_renderer(unfiltered, std::move(write));
    // The summary reads connection ends only: nothing need be held for it.
    const bool segments_wanted = inner->wants_segments();
    return std::make_unique<FilteringSink>(options.filter, std::move(inner), segments_wanted,
                                           options.filter_hold, options.warn);
  }
  switch (options.format) {
    case OutputFormat::Text:
      return std::make_unique<TextRenderer>(options, std::move(write));
    case OutputFormat::Ladder:
      return std::make_unique<LadderRenderer>(options, std::move(write));
    case OutputFormat::Summary:
      return std::make_unique<SummaryRenderer>(options, std::move(write));
    case OutputFormat::Jsonl:
      return std::make_unique<JsonlRenderer>(options, std::move(write));
    case OutputFormat::Explain:
      return std::make_unique<ExplainRenderer>(options, std::move(write));
    case OutputFormat::Svg:
      return std::make_unique<SvgRenderer>(options, std::move(write));
    case OutputFormat::Html:
      return std::make_unique<HtmlRenderer>(options, std::move(write));
    case OutputFormat::Zeek:
      return std::make_unique<ZeekRenderer>(options, std::move(write));
    case OutputFormat::Csv:
      return std::make_unique<CsvRenderer>(options, std::move(write));
  }
  return nullptr;
}

}  // namespace tcpinspect::core
