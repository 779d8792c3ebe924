// SPDX-License-Identifier: MIT
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "cmd/command.hpp"

namespace tcpinspect::cmd {

/// What one command line came to: the exit code and, for an error, its one-line message.
struct CommandOutcome {
  int code = 0;
  std::string error;  // empty on success (and for --help / --version)
};

/// Parses argv into `app` (whose subcommands store their run in `action`) and runs it.
/// The only place where exceptions become exit codes, used by main() and the CLI tests:
///   2  bad usage: CLI11's parse errors, UsageError, and std::invalid_argument, which the
///      parsers of typed values throw (core::ParseError, CraftError, HOST:PORT parsing);
///   1  anything else that failed at run time;
///   128 + N  a run that signal N stopped after printing its results so far (Interrupted).
/// --help and --version are printed by CLI11 and give 0.
CommandOutcome run_command_line(CLI::App& app, const Action& action, int argc,
                                const char* const* argv);

}  // namespace tcpinspect::cmd
