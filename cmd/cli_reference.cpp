// SPDX-License-Identifier: MIT
#include "cmd/cli_reference.hpp"

#include <algorithm>

namespace tcpinspect::cmd {
namespace {

// CLI11 writes a set of choices into the type name: "TEXT:{text,ladder,summary,jsonl}".
std::vector<std::string> choices_of(const std::string& type_name) {
  const auto open = type_name.find(":{");
  const auto close = type_name.find('}', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> out;
  std::string item;
  for (size_t i = open + 2; i < close; ++i) {
    if (type_name[i] == ',') {
      out.push_back(item);
      item.clear();
    } else {
      item += type_name[i];
    }
  }
  if (!item.empty()) out.push_back(item);
  return out;
}

// The value's kind without CLI11's validator text: "FLOAT:FLOAT in [0 - 86400]" -> "FLOAT".
std::string bare_type(const std::string& type_name) {
  return type_name.substr(0, type_name.find(':'));
}

bool names_interface(const CliOption& o) {
  for (const auto& n : o.long_names)
    if (n == "interface") return true;
  // trace's first words are "Interface (unless -i is given), then a BPF filter".
  return o.positional == "interface" || o.positional == "iface" ||
         (!o.positional.empty() && o.description.rfind("Interface", 0) == 0);
}

bool names_file(const CliOption& o) {
  for (const auto& n : o.long_names)
    if (n == "write" || n == "output" || n == "read" || n == "file" || n == "dir") return true;
  return o.positional == "file" || o.positional == "files" || o.positional == "dir";
}

CliOption describe_option(const CLI::Option& opt) {
  CliOption o;
  o.short_names = opt.get_snames();
  o.long_names = opt.get_lnames();
  if (opt.get_positional()) o.positional = opt.get_single_name();
  if (opt.get_type_size_max() > 0 || opt.get_positional()) {
    o.value = bare_type(opt.get_type_name());
    o.choices = choices_of(opt.get_type_name());
  }
  o.default_value = opt.get_default_str();
  o.description = opt.get_description();
  o.required = opt.get_required();
  o.repeats = opt.get_items_expected_max() > 1;
  if (o.positional == "subcommand")
    o.completes = "subcommand";
  else if (names_interface(o))
    o.completes = "interface";
  else if (names_file(o))
    o.completes = "file";
  return o;
}

}  // namespace

std::vector<CliCommand> describe_cli(const CLI::App& app) {
  std::vector<CliCommand> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden
    CliCommand c;
    c.name = sub->get_name();
    c.description = sub->get_description();
    c.footer = sub->get_footer();
    for (const CLI::Option* opt : sub->get_options()) {
      const auto& l = opt->get_lnames();
      if (std::find(l.begin(), l.end(), "help") != l.end()) continue;
      c.options.push_back(describe_option(*opt));
    }
    commands.push_back(std::move(c));
  }
  return commands;
}

}  // namespace tcpinspect::cmd
