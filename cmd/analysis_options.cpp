// SPDX-License-Identifier: MIT
#include "cmd/analysis_options.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "cmd/command.hpp"
#include "cmd/duration_option.hpp"
#include "cmd/terminal_charset.hpp"

namespace tcpinspect::cmd {
namespace {

// The --format choices and help, from core's one table of formats.
std::vector<std::string> format_choices() {
  std::vector<std::string> choices;
  for (const auto& f : core::kOutputFormats)
    choices.emplace_back(f.id);
  return choices;
}

// "Output: text, ..., explain (the story in sentences), ... or csv (the summary table)".
std::string format_help() {
  std::string help = "Output: ";
  const size_t n = std::size(core::kOutputFormats);
  for (size_t i = 0; i < n; ++i) {
    const auto& f = core::kOutputFormats[i];
    if (i > 0) help += i + 1 == n ? " or " : ", ";
    help += f.id;
    if (f.text != f.id) help.append(" (").append(f.text).append(")");
  }
  return help;
}

}  // namespace

void add_analysis_options(CLI::App& sub, AnalysisOptions& options) {
  sub.add_option("--format", options.format, format_help())
      ->check(CLI::IsMember(format_choices()))
      ->capture_default_str();
  sub.add_option("--lang", options.lang, "explain, html: en (English) or zh (Chinese)")
      ->check(CLI::IsMember({"en", "zh"}))
      ->capture_default_str();
  sub.add_option("-o,--output", options.output,
                 "Write the output to this file instead of standard output");
  sub.add_flag("--absolute", options.absolute, "Show raw sequence numbers, not relative ones");
  sub.add_flag("--ascii", options.ascii,
               "ASCII arrows and marks (->, OK, BAD) in text, ladder, summary and explain; the "
               "default when the locale is not UTF-8 (LC_ALL=C)");
  sub.add_option("--color", options.color, "Colour: auto (terminal, no NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  add_duration_option(sub, "--msl", options.msl, "Maximum segment lifetime (TIME_WAIT = 2*MSL)",
                      std::chrono::nanoseconds(0), std::chrono::hours(24));
  sub.add_option("--max-connections", options.max_connections,
                 "Connections tracked at once; the oldest are evicted beyond this")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(100'000'000)))
      ->capture_default_str();
  add_duration_option(sub, "--idle-timeout", options.idle_timeout,
                      "Forget connections silent this long", std::chrono::milliseconds(1),
                      std::chrono::hours(24 * 365));
  sub.add_option("--community-id-seed", options.community_id_seed,
                 "Seed of the Community ID flow hash (jsonl, zeek, csv); use the seed your "
                 "Zeek, Suricata or Arkime use")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  add_filter_options(sub, options.filter);
}

void redirect_output(const AnalysisOptions& options) {
  if (options.output.empty()) return;
  if (std::freopen(options.output.c_str(), "w", stdout) == nullptr)
    throw RunError("cannot write " + options.output + ": " + std::strerror(errno));
}

core::InspectorConfig inspector_config(const AnalysisOptions& options) {
  core::InspectorConfig config;
  config.msl_ns = options.msl.count();
  config.idle_timeout_ns = options.idle_timeout.count();
  config.max_connections = options.max_connections;
  return config;
}

core::RenderOptions render_options(const AnalysisOptions& options, bool output_is_terminal) {
  core::RenderOptions render;
  const auto format = core::parse_output_format(options.format);
  if (!format) throw UsageError("unknown --format '" + options.format + "'");
  render.format = *format;
  render.absolute = options.absolute;
  render.ascii = options.ascii || !locale_is_utf8();
  render.msl_ns = options.msl.count();
  render.filter = conn_filter(options.filter);
  render.filter_hold = options.filter.hold;
  // explain says when the one connection asked for is not there; svg draws it.
  if (render.filter.conns.size() == 1) render.only_conn = render.filter.conns.front();
  render.warn = [](std::string_view w) {
    std::fprintf(stderr, "tcpinspect: warning: %.*s\n", static_cast<int>(w.size()), w.data());
  };
  render.lang = options.lang == "zh" ? core::Lang::Zh : core::Lang::En;
  render.community_id_seed = options.community_id_seed;
  if (options.color == "always") {
    render.color = true;
  } else if (options.color == "never") {
    render.color = false;
  } else {
    const char* no_color = std::getenv("NO_COLOR");
    render.color = output_is_terminal && !(no_color && *no_color);
  }
  return render;
}

}  // namespace tcpinspect::cmd
