// SPDX-License-Identifier: MIT
#include "cmd/usage_hints.hpp"

#include <algorithm>
#include <charconv>

namespace tcpinspect::cmd {
namespace {

bool is_port(std::string_view s) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && v >= 1 && v <= 65535;
}

// An address or a host name, without a port: 127.0.0.1, ::1, localhost, db.lab.
bool is_host(std::string_view s) {
  if (s.empty() || s.front() == '-') return false;
  const bool ipv6 = std::count(s.begin(), s.end(), ':') >= 2;
  if (!ipv6 && s.find(':') != std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-' || c == ':' || c == '%' || c == '_';
  });
}

std::string host_port(std::string_view host, std::string_view port) {
  const bool ipv6 = host.find(':') != std::string_view::npos;
  return (ipv6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::string(port);
}

// The words of `args` after the subcommand that are not options or option values.
std::vector<std::string> positionals(const CLI::App& sub, const std::vector<std::string>& args) {
  std::vector<std::string> words;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a.front() == '-') {
      if (a.find('=') != std::string::npos) continue;  // --opt=value
      const CLI::Option* opt = sub.get_option_no_throw(a);
      if (opt != nullptr && opt->get_type_size() > 0) ++i;  // its value
      continue;
    }
    words.push_back(a);
  }
  return words;
}

std::string subcommand_hint(const CLI::App& app, const std::string& word) {
  std::string best;
  size_t best_distance = 3;  // at most two edits away
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (s->get_group().empty()) continue;  // hidden
    const std::string& name = s->get_name();
    const size_t d = name.rfind(word, 0) == 0 ? 1 : edit_distance(word, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  if (best.empty()) return "unknown subcommand '" + word + "' (tcpinspect --help lists them)";
  return "unknown subcommand '" + word + "'; did you mean '" + best + "'?";
}

// "--formt": the option of `sub` it is closest to, at most two edits away (or a prefix).
std::string option_hint(const CLI::App& sub, const std::string& arg) {
  if (arg.size() < 3 || arg.rfind("--", 0) != 0) return "";
  const std::string word = arg.substr(2, arg.find('=') - 2);
  if (word.empty() || sub.get_option_no_throw("--" + word) != nullptr) return "";
  std::string best;
  size_t best_distance = 3;
  for (const CLI::Option* opt : sub.get_options()) {
    for (const std::string& name : opt->get_lnames()) {
      const size_t d = name.rfind(word, 0) == 0 ? 1 : edit_distance(word, name);
      if (d < best_distance) {
        best_distance = d;
        best = name;
      }
    }
  }
  if (best.empty()) return "";
  return sub.get_name() + ": unknown option '--" + word + "'; did you mean '--" + best + "'?";
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string usage_hint(const CLI::App& app, const std::vector<std::string>& args) {
  if (args.empty() || args[0].empty() || args[0].front() == '-') return "";
  const CLI::App* sub = nullptr;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
    if (s->get_name() == args[0]) sub = s;
  if (sub == nullptr) return subcommand_hint(app, args[0]);

  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--") break;
    const std::string hint = option_hint(*sub, args[i]);
    if (!hint.empty()) return hint;
  }
  const std::string& name = args[0];
  const std::vector<std::string> words = positionals(*sub, args);
  // nc's HOST PORT, as two words.
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (!is_host(words[i]) || !is_port(words[i + 1])) continue;
    if (name == "craft")
      return "craft takes the destination as options: did you mean --dst " + words[i] +
             " --dport " + words[i + 1] + "?";
    if (name == "echo-client" || name == "udp-send")
      return name + " takes HOST:PORT: did you mean " + host_port(words[i], words[i + 1]) + "?";
  }
  // craft --dst HOST PORT: the port left over.
  if (name == "craft" && words.size() == 1 && is_port(words[0]))
    return "craft: did you mean --dport " + words[0] + "?";
  // probe HOST:PORT, where probe wants HOST PORTS.
  if (name == "probe" && words.size() == 1) {
    const auto colon = words[0].rfind(':');
    if (colon != std::string::npos && is_port(std::string_view(words[0]).substr(colon + 1))) {
      std::string host = words[0].substr(0, colon);
      if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
      if (is_host(host))
        return "probe takes HOST PORTS: did you mean probe " + host + " " +
               words[0].substr(colon + 1) + "?";
    }
  }
  return "";
}

}  // namespace tcpinspect::cmd
