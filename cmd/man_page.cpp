// SPDX-License-Identifier: MIT
// tcpinspect(1): the prose is docs/man/tcpinspect.1.in; the subcommands and their options
// are written here from the parser's own definitions.
#include <string>

#include "cmd/cli_reference.hpp"

namespace tcpinspect::cmd {
namespace {

// troff: a backslash starts an escape, and a line starting with '.' or '\'' is a request.
std::string escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\\')
      out += "\\e";
    else if (ch == '-')
      out += "\\-";
    else
      out += ch;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string option_synopsis(const CliOption& o) {
  std::string s;
  for (const auto& n : o.short_names)
    s += (s.empty() ? "" : ", ") + ("\\fB\\-" + escape(n) + "\\fR");
  for (const auto& n : o.long_names)
    s += (s.empty() ? "" : ", ") + ("\\fB\\-\\-" + escape(n) + "\\fR");
  if (!o.positional.empty())
    s = "\\fI" + escape(o.positional) + "\\fR" + (o.repeats ? " ..." : "");
  else if (!o.value.empty()) {
    std::string value = o.choices.empty() ? o.value : "";
    for (const auto& c : o.choices)
      value += (value.empty() ? "" : "|") + c;
    s += " \\fI" + escape(value) + "\\fR";
  }
  return s;
}

std::string subsection(const CliCommand& c) {
  std::string out = ".SS \"tcpinspect " + c.name + "\"\n" + escape(c.description) + ".\n";
  std::string usage = "\\fBtcpinspect " + escape(c.name) + "\\fR [\\fIoptions\\fR]";
  for (const auto& o : c.options)
    if (!o.positional.empty())
      usage += o.required
                   ? " \\fI" + escape(o.positional) + "\\fR"
                   : " [\\fI" + escape(o.positional) + "\\fR" + (o.repeats ? " ..." : "") + "]";
  out += ".PP\n" + usage + "\n";
  for (const auto& o : c.options) {
    out += ".TP\n" + option_synopsis(o) + "\n" + escape(o.description);
    if (o.required && o.positional.empty()) out += " (required)";
    if (!o.default_value.empty() && o.value != "")
      out += " Default: " + escape(o.default_value) + ".";
    out += "\n";
  }
  if (!c.footer.empty()) out += ".PP\n" + escape(c.footer) + "\n";
  return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

std::string render_man_page(const std::vector<CliCommand>& commands,
                            const std::string& page_template, const std::string& version) {
  std::string sections;
  for (const auto& c : commands)
    sections += subsection(c);
  std::string page = page_template;
  replace_all(page, "@SUBCOMMANDS@\n", sections);
  replace_all(page, "@VERSION@", version);
  return page;
}

}  // namespace tcpinspect::cmd
