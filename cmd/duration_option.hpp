// SPDX-License-Identifier: MIT
#pragma once
#include <chrono>
#include <string>

#include <CLI/CLI.hpp>

/// Every duration-valued option of every subcommand goes through add_duration_option, so they
/// all read the same text: "500ms", "2s", "1.5m", or a bare number of SECONDS (as tcpdump -G,
/// nc -w and timeout(1)). Help shows the default with its unit.
namespace tcpinspect::cmd {

/// A bad duration: a CLI11 parse error (exit 2) whose one line is exact, so no usage hint
/// replaces it (the hints guess at stray words; this names the option and the fault).
class DurationOptionError : public CLI::ValidationError {
 public:
  using CLI::ValidationError::ValidationError;
};

/// Adds option `names` ("--timeout", "-i,--interval") that parses into `out`; `out`'s value
/// at this call is the default shown in help. Outside [min, max] or bad text is a usage error
/// (exit 2) naming the option: "--timeout '5x': unknown unit 'x' (ns, us, ms, s, m or h)".
CLI::Option* add_duration_option(CLI::App& app, const std::string& names,
                                 std::chrono::nanoseconds& out, const std::string& help,
                                 std::chrono::nanoseconds min, std::chrono::nanoseconds max);

}  // namespace tcpinspect::cmd
