// SPDX-License-Identifier: MIT
#include "cmd/duration_option.hpp"

#include "core/lab/duration_text.hpp"

namespace tcpinspect::cmd {

namespace {

// The name errors use: the long one ("--interval" of "-i,--interval"), as the user most
// likely recognises it in --help.
std::string shown_name(const std::string& names) {
  const size_t comma = names.rfind(',');
  return comma == std::string::npos ? names : names.substr(comma + 1);
}

}  // namespace

CLI::Option* add_duration_option(CLI::App& app, const std::string& names,
                                 std::chrono::nanoseconds& out, const std::string& help,
                                 std::chrono::nanoseconds min, std::chrono::nanoseconds max) {
  const std::string what = shown_name(names);
  auto parse = [what, min, max](const std::string& text) {
    try {
      const std::chrono::nanoseconds d = core::parse_duration(text, what, max);
      if (d < min)
        throw core::ParseError(what + " '" + text + "': " +
                               (min.count() == 1 ? std::string("must be above 0")
                                                 : "shorter than " + core::format_duration(min)));
      return d;
    } catch (const core::ParseError& e) {
      // A CLI11 parse error: exit 2 with the one line, like every other bad option value.
      throw DurationOptionError(std::string(e.what()));
    }
  };
  CLI::Option* option = app.add_option_function<std::string>(
      names, [&out, parse](const std::string& text) { out = parse(text); }, help);
  option->type_name("DURATION");
  option->default_str(core::format_duration(out));
  return option;
}

}  // namespace tcpinspect::cmd
