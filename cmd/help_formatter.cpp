// SPDX-License-Identifier: MIT
#include "cmd/help_formatter.hpp"

namespace tcpinspect::cmd {

std::string value_placeholder(const std::string& type_name) {
  // CLI11 writes a set's choices into the type name: "TEXT:{text,ladder,summary}".
  const auto open = type_name.find(":{");
  if (open != std::string::npos) {
    const auto close = type_name.find('}', open);
    std::string choices = type_name.substr(open + 2, close - open - 2);
    for (char& ch : choices)
      if (ch == ',') ch = '|';
    return choices;
  }
  // Validators append their description: "INT:INT in [0 - 255]", "FLOAT:POSITIVE".
  std::string base = type_name.substr(0, type_name.find(':'));
  if (base == "INT" || base == "UINT") return "N";
  if (base == "FLOAT") return "NUMBER";
  return base;
}

std::string HelpFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  std::string name = CLI::Formatter::make_option_name(opt, is_positional);
  // A negated flag ("!--no-annotate") is listed with the value it stores: "{false}".
  for (auto open = name.find('{'); open != std::string::npos; open = name.find('{')) {
    const auto close = name.find('}', open);
    if (close == std::string::npos) break;
    name.erase(open, close - open + 1);
  }
  return name;
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
  if (opt->get_type_size() == 0) return "";  // a flag
  std::string out;
  if (!opt->get_type_name().empty()) out += " " + value_placeholder(opt->get_type_name());
  if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
  if (opt->get_required()) {
    out += " (required)";
  } else if (!opt->get_default_str().empty()) {
    out += " (default " + opt->get_default_str() + ")";
  }
  return out;
}

}  // namespace tcpinspect::cmd
