// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

/// The command line as plain data, read from the CLI11 definitions themselves, so that the
/// man page and the shell completions are generated from what the parser accepts and cannot
/// drift from it.
namespace tcpinspect::cmd {

struct CliOption {
  std::vector<std::string> short_names;  // "i" for -i
  std::vector<std::string> long_names;   // "interface" for --interface
  std::string positional;                // the name of a positional argument, else ""
  std::string value;                     // "TEXT", "INT", ... ; "" for a flag
  std::vector<std::string> choices;      // {"text", "ladder"} for --format
  std::string default_value;             // "" when none is shown
  std::string description;
  bool required = false;
  bool repeats = false;  // takes several values (a filter's words)
  /// What the value names, for completion: "interface", "file", "subcommand" or "" (anything).
  std::string completes;
};

struct CliCommand {
  std::string name;
  std::string description;
  std::string footer;
  std::vector<CliOption> options;  // without -h,--help
};

/// The visible subcommands of `app`, in the order --help lists them.
std::vector<CliCommand> describe_cli(const CLI::App& app);

/// The man page tcpinspect(1): `page_template` is troff with the line "@SUBCOMMANDS@"
/// where one subsection per subcommand goes; `version` fills "@VERSION@".
std::string render_man_page(const std::vector<CliCommand>& commands,
                            const std::string& page_template, const std::string& version);

/// A bash completion script (`complete -F _tcpinspect tcpinspect`).
std::string render_bash_completion(const std::vector<CliCommand>& commands);

/// A zsh completion function file (`#compdef tcpinspect`).
std::string render_zsh_completion(const std::vector<CliCommand>& commands);

}  // namespace tcpinspect::cmd
