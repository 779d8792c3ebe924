// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

/// One-line hints for command lines that failed to parse because of a habit from another
/// tool or a typo: a misspelt subcommand, nc's `HOST PORT` where tcpinspect wants
/// HOST:PORT (or --dst/--dport), HOST:PORT where probe wants HOST PORTS.
namespace tcpinspect::cmd {

/// The hint for `args` (argv without the program name) that `app` refused, or "" when no
/// rule recognises the mistake (CLI11's own message is then shown).
std::string usage_hint(const CLI::App& app, const std::vector<std::string>& args);

/// Levenshtein distance with adjacent transpositions ("replya" -> "replay" is 1).
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace tcpinspect::cmd
