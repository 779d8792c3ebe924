// SPDX-License-Identifier: MIT
// bash and zsh completions, written from the parser's own definitions so that every
// subcommand, option and choice the parser accepts is offered, and nothing else.
#include <string>

#include "cmd/cli_reference.hpp"

namespace tcpinspect::cmd {
namespace {

std::string join(const std::vector<std::string>& words, const std::string& sep = " ") {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : sep) + w;
  return out;
}

std::vector<std::string> spellings(const CliOption& o) {
  std::vector<std::string> out;
  for (const auto& n : o.short_names)
    out.push_back("-" + n);
  for (const auto& n : o.long_names)
    out.push_back("--" + n);
  return out;
}

// Inside a bash `case` pattern or a single-quoted zsh spec.
std::string zsh_quote(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\'')
      out += "'\\''";
    else if (ch == '[' || ch == ']' || ch == ':' || ch == '\\')
      out += std::string("\\") + ch;
    else
      out += ch;
  }
  return out;
}

// --- bash -------------------------------------------------------------------------------

std::string bash_value_completion(const CliOption& o) {
  if (!o.choices.empty())
    return "COMPREPLY=($(compgen -W \"" + join(o.choices) + "\" -- \"$cur\"))";
  if (o.completes == "interface")
    return "COMPREPLY=($(compgen -W \"$(_tcpinspect_interfaces)\" -- \"$cur\"))";
  if (o.completes == "subcommand")
    return "COMPREPLY=($(compgen -W \"$_tcpinspect_commands\" -- \"$cur\"))";
  if (o.completes == "file") return "COMPREPLY=($(compgen -f -- \"$cur\"))";
  return "COMPREPLY=()";  // a number, an address, a duration: nothing to offer
}

std::string bash_command(const CliCommand& c) {
  std::string out = "    " + c.name + ")\n      case \"$prev\" in\n";
  std::vector<std::string> takes_value, all;
  std::vector<const CliOption*> positionals;
  for (const auto& o : c.options) {
    if (!o.positional.empty()) {
      positionals.push_back(&o);
      continue;
    }
    const auto names = spellings(o);
    all.insert(all.end(), names.begin(), names.end());
    if (o.value.empty()) continue;
    takes_value.insert(takes_value.end(), names.begin(), names.end());
    out += "        " + join(names, "|") + ") " + bash_value_completion(o) + "; return ;;\n";
  }
  out += "      esac\n";
  out += "      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"" + join(all) +
         "\" -- \"$cur\")); return; fi\n";
  out += "      _tcpinspect_positional \"" + join(takes_value) + "\"\n";
  out += "      case $REPLY in\n";
  for (size_t i = 0; i < positionals.size(); ++i) {
    const auto& p = *positionals[i];
    out += "        " + std::to_string(i) + ") " + bash_value_completion(p) + " ;;\n";
    if (!p.repeats) continue;
    // More words of the same argument: more files are files, but only the first word of
    // trace's "interface, then a filter" is an interface.
    out += "        *) " +
           (p.completes == "interface" ? "COMPREPLY=()" : bash_value_completion(p)) + " ;;\n";
    break;
  }
  out += "      esac\n      ;;\n";
  return out;
}

// --- zsh --------------------------------------------------------------------------------

std::string zsh_action(const CliOption& o) {
  if (!o.choices.empty()) return "(" + join(o.choices) + ")";
  if (o.completes == "interface") return "_tcpinspect_interfaces";
  if (o.completes == "subcommand") return "_tcpinspect_commands";
  if (o.completes == "file") return "_files";
  return " ";
}

std::string zsh_spec(const CliOption& o) {
  const std::string help = zsh_quote(o.description);
  const std::string value = o.value.empty() ? "" : ":" + zsh_quote(o.value) + ":" + zsh_action(o);
  if (!o.positional.empty())
    return "'" + std::string(o.repeats ? "*" : (o.required ? "" : ":")) + ":" +
           zsh_quote(o.positional) + ":" + zsh_action(o) + "'";
  const auto names = spellings(o);
  if (names.size() == 1) return "'" + names[0] + "[" + help + "]" + value + "'";
  return "'(" + join(names) + ")'{" + join(names, ",") + "}'[" + help + "]" + value + "'";
}

}  // namespace

std::string render_bash_completion(const std::vector<CliCommand>& commands) {
  std::vector<std::string> names;
  for (const auto& c : commands)
    names.push_back(c.name);
  std::string out =
      "# bash completion for tcpinspect(1), generated from its parser by the build.\n"
      "_tcpinspect_commands=\"" +
      join(names) +
      "\"\n"
      "_tcpinspect_interfaces() {\n"
      "  local d\n"
      "  for d in /sys/class/net/*; do [[ -e $d ]] && printf '%s\\n' \"${d##*/}\"; done\n"
      "}\n"
      "# Sets REPLY to the index of the positional argument under the cursor; $1 lists the\n"
      "# options that take a value (their value is not a positional argument).\n"
      "_tcpinspect_positional() {\n"
      "  local i n=0 skip=0\n"
      "  for ((i = _tcpinspect_sub + 1; i < COMP_CWORD; i++)); do\n"
      "    if ((skip)); then skip=0; continue; fi\n"
      "    case \" $1 \" in *\" ${COMP_WORDS[i]} \"*) skip=1; continue ;; esac\n"
      "    [[ ${COMP_WORDS[i]} == -* ]] || ((n++))\n"
      "  done\n"
      "  REPLY=$n\n"
      "}\n"
      "_tcpinspect() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} i\n"
      "  local sub= _tcpinspect_sub=0\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    if [[ ${COMP_WORDS[i]} != -* ]]; then sub=${COMP_WORDS[i]}; _tcpinspect_sub=$i; break; "
      "fi\n"
      "  done\n"
      "  if [[ -z $sub ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$_tcpinspect_commands --help --version\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  case $sub in\n";
  for (const auto& c : commands)
    out += bash_command(c);
  out +=
      "  esac\n"
      "}\n"
      "complete -o default -F _tcpinspect tcpinspect\n";
  return out;
}

std::string render_zsh_completion(const std::vector<CliCommand>& commands) {
  std::string out =
      "#compdef tcpinspect\n"
      "# zsh completion for tcpinspect(1), generated from its parser by the build.\n"
      "_tcpinspect_interfaces() {\n"
      "  local -a ifs\n"
      "  ifs=(/sys/class/net/*(N:t))\n"
      "  _describe -t interfaces 'interface' ifs\n"
      "}\n"
      "_tcpinspect_commands() {\n"
      "  _describe -t commands 'tcpinspect command' commands\n"
      "}\n"
      "_tcpinspect() {\n"
      "  local -a commands\n"
      "  commands=(\n";
  for (const auto& c : commands)
    out += "    '" + zsh_quote(c.name) + ":" + zsh_quote(c.description) + "'\n";
  out +=
      "  )\n"
      "  if (( CURRENT == 2 )); then\n"
      "    _describe -t commands 'tcpinspect command' commands\n"
      "    return\n"
      "  fi\n"
      "  local cmd=$words[2]\n"
      "  shift words\n"
      "  (( CURRENT-- ))\n"
      "  case $cmd in\n";
  for (const auto& c : commands) {
    out += "    " + c.name + ")\n      _arguments -s \\\n";
    for (const auto& o : c.options)
      out += "        " + zsh_spec(o) + " \\\n";
    out += "        '(- *)'{-h,--help}'[show help]'\n      ;;\n";
  }
  out +=
      "  esac\n"
      "}\n"
      "_tcpinspect \"$@\"\n";
  return out;
}

}  // namespace tcpinspect::cmd
