// SPDX-License-Identifier: MIT
#pragma once
#include <string>

#include <CLI/CLI.hpp>

/// --help without CLI11's internals: no "{false}" after a negated flag, no validator text
/// ("INT:INT in [0 - 255]", "TEXT:{a,b}") and no "=DEFAULT"/"REQUIRED" glued to the value;
/// instead `--ttl N (default 64)`, `--format text|ladder|... (default text)`.
namespace tcpinspect::cmd {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* opt) const override;
};

/// The value's placeholder as help prints it: the choices of a set ("text|ladder"), else
/// the type name without validator text, with CLI11's generic names made plain
/// ("INT"/"UINT" -> N, "FLOAT" -> NUMBER).
std::string value_placeholder(const std::string& type_name);

}  // namespace tcpinspect::cmd
