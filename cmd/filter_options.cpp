// SPDX-License-Identifier: MIT
#include "cmd/filter_options.hpp"

namespace tcpinspect::cmd {

const char* const kFilterHelp =
    "Filter: --conn, --only, --conn-state, --note and --state choose the connections shown,\n"
    "in every format (tcpinspect replay x.pcap --only reset,refused --note retransmission).\n"
    "A comma list, or the option repeated, matches any of its values; different options must\n"
    "all match. --conn and --note decide as early as they can, and the connection's lines\n"
    "then stream; how a connection ended (--only, --conn-state) and the states it reached\n"
    "(--state) are known at its end, so its lines wait until then and come out together (at\n"
    "most --filter-hold events wait at once). Frames of no connection are not shown; the\n"
    "final counts are the whole capture's.\n";

void add_filter_options(CLI::App& sub, FilterOptions& o) {
  const std::string group = "Filter (the connections shown)";
  auto list = [&](const char* name, std::vector<std::string>& into, const char* what,
                  const char* help) {
    sub.add_option(name, into, help)
        ->type_name(what)
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->group(group);
  };
  list("--conn", o.conn, "N[,N...]", "Only these connections (#N as the output numbers them)");
  list("--only", o.only, "KIND[,KIND...]",
       "Only connections that ended so: open, graceful, half_closed, reset (reset_by_client, "
       "reset_by_server), refused, timed_out, unreachable");
  list("--conn-state", o.conn_state, "STATE[,STATE...]",
       "Only connections with this Zeek conn_state: S0, S1, SF, REJ, S2, S3, RSTO, RSTR, "
       "RSTOS0, RSTRH, SH, SHR, OTH");
  list("--note", o.note, "NOTE[,NOTE...]",
       "Only connections with a segment carrying this note (the ids of docs/json.md: "
       "retransmission, econnreset, zero_window, ...)");
  list("--state", o.state, "STATE[,STATE...]",
       "Only connections where a side reached this TCP state (TIME_WAIT; client:STATE or "
       "server:STATE for one side)");
  sub.add_option("--filter-hold", o.hold,
                 "Events held at most while connections wait for the filter's verdict")
      ->type_name("N")
      ->check(CLI::Range(static_cast<size_t>(1), static_cast<size_t>(100'000'000)))
      ->capture_default_str()
      ->group(group);
}

core::ConnFilter conn_filter(const FilterOptions& o) {
  core::ConnFilter f;
  for (const auto& v : o.conn)
    core::add_conn_numbers(f, v);
  for (const auto& v : o.only)
    core::add_close_kinds(f, v);
  for (const auto& v : o.conn_state)
    core::add_conn_states(f, v);
  for (const auto& v : o.note)
    core::add_notes(f, v);
  for (const auto& v : o.state)
    core::add_states(f, v);
  return f;
}

}  // namespace tcpinspect::cmd
