// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/render/conn_filter.hpp"

/// The result filter of replay, trace and demo (--conn, --only, --conn-state, --note,
/// --state, --filter-hold): which connections every output format shows.
namespace tcpinspect::cmd {

struct FilterOptions {
  std::vector<std::string> conn;        // --conn 3 or 3,5 (repeatable)
  std::vector<std::string> only;        // --only reset,refused
  std::vector<std::string> conn_state;  // --conn-state S0,REJ
  std::vector<std::string> note;        // --note retransmission
  std::vector<std::string> state;       // --state TIME_WAIT or server:CLOSE_WAIT
  size_t hold = 100'000;                // --filter-hold: events waiting for a verdict
};

/// Adds the filter's options to `sub`, in their own group of the help.
void add_filter_options(CLI::App& sub, FilterOptions& options);

/// The filter the options ask for. Throws std::invalid_argument (a usage error) naming the
/// option and listing the valid values when a value is unknown.
core::ConnFilter conn_filter(const FilterOptions& options);

/// How the filter reads, for `replay --help` and the man page.
extern const char* const kFilterHelp;

}  // namespace tcpinspect::cmd
