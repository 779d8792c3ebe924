// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

#include <CLI/CLI.hpp>

#include "cmd/filter_options.hpp"
#include "core/render/render.hpp"
#include "core/tcp/inspector.hpp"

/// The analysis and output options shared by every command that annotates TCP (replay,
/// trace): registered once here so they read the same everywhere.
namespace tcpinspect::cmd {

/// Defaults of the analysis settings come from core::InspectorConfig, their one source.
struct AnalysisOptions {
  std::string format = "text";  // --format: an id of core::kOutputFormats
  FilterOptions filter;         // --conn, --only, --note, ...: the connections shown
  std::string lang = "en";      // --lang en|zh: explain/html
  std::string output;           // -o FILE: instead of standard output
  bool absolute = false;        // --absolute: raw seq/ack numbers
  bool ascii = false;  // --ascii: ASCII arrows and marks (also when the locale is not UTF-8)
  std::string color = "auto";  // --color auto|always|never (auto honours NO_COLOR and isatty)
  std::chrono::nanoseconds msl{core::InspectorConfig{}.msl_ns};      // --msl: TIME_WAIT lasts 2*MSL
  size_t max_connections = core::InspectorConfig{}.max_connections;  // --max-connections
  std::chrono::nanoseconds idle_timeout{core::InspectorConfig{}.idle_timeout_ns};  // --idle-timeout
  uint16_t community_id_seed = 0;  // --community-id-seed N (jsonl, zeek, csv)
};

/// Adds --format, --lang, -o, --absolute, --color, --msl, --max-connections,
/// --idle-timeout, --community-id-seed and the filter's options (cmd/filter_options.hpp)
/// to `sub`.
void add_analysis_options(CLI::App& sub, AnalysisOptions& options);

/// With -o, points standard output at the file (before anything is written, and before
/// trace drops privileges); a clear RunError when it cannot be opened.
void redirect_output(const AnalysisOptions& options);

/// The analyzer configuration the options ask for.
core::InspectorConfig inspector_config(const AnalysisOptions& options);

/// The renderer options. Colour: "always"/"never" win; "auto" means colour only when
/// `output_is_terminal` and NO_COLOR is unset or empty (https://no-color.org).
core::RenderOptions render_options(const AnalysisOptions& options, bool output_is_terminal);

}  // namespace tcpinspect::cmd
