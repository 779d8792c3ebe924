// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/tcp/connection_summary.hpp"
#include "core/tcp/notes.hpp"

/// Which connections the output shows, like tshark's -Y but on what the analysis knows:
/// the connection's number (--conn), how it ended (--only), Zeek's conn_state
/// (--conn-state), a note any of its segments carried (--note) and a state either side
/// reached (--state). Within one criterion any listed value matches (a comma list is an
/// OR); criteria combine with AND; a filter with no criterion matches every connection.
namespace tcpinspect::core {

/// Which side's state path a --state value looks at ("client:TIME_WAIT", or either side).
enum class StateSide : uint8_t { Either, Client, Server };

struct StateWanted {
  StateSide side = StateSide::Either;
  TcpState state = TcpState::Closed;
};

struct ConnFilter {
  std::vector<uint32_t> conns;                // --conn: connection numbers
  uint32_t close_kinds = 0;                   // --only: bit per CloseKind
  std::vector<std::string_view> conn_states;  // --conn-state: entries of kZeekConnStates
  NoteSet notes;                              // --note
  std::vector<StateWanted> states;            // --state

  bool empty() const {
    return conns.empty() && close_kinds == 0 && conn_states.empty() && notes.empty() &&
           states.empty();
  }
};

/// Zeek's conn.log conn_state values (scripts/base/protocols/conn/main.zeek), the only
/// strings ZeekConn::conn_state() returns.
inline constexpr std::string_view kZeekConnStates[] = {
    "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH"};

/// What a filter can say about a connection before it ends.
enum class FilterVerdict : uint8_t { Undecided, Match, NoMatch };

/// The verdict on connection number `id` whose segments, timers and ICMP errors have
/// carried `notes_seen` so far. --conn is known from the first event and a wanted note from
/// the segment that carries it; how it ended, its conn_state and its state paths only at
/// its end, so a filter with any of those stays Undecided (unless --conn already excludes).
FilterVerdict judge_so_far(const ConnFilter& filter, uint32_t id, const NoteSet& notes_seen);

/// The final verdict, when connection `c` ends. States reached are read from its state
/// paths, the ones the summary prints (a state revised away in hindsight does not count).
bool judge_at_end(const ConnFilter& filter, const ConnectionSummary& c, const NoteSet& notes_seen);

/// Adds a comma-separated list of values to one criterion. Values are checked against the
/// tables the output prints from (kCloseKinds plus "reset" for both reset kinds, Zeek's
/// conn_state values, kNotes ids, TcpState names with an optional "client:" or "server:");
/// names are case-insensitive. An unknown value throws std::invalid_argument with one line
/// that names the option and lists every valid value.
void add_conn_numbers(ConnFilter& filter, std::string_view list);
void add_close_kinds(ConnFilter& filter, std::string_view list);
void add_conn_states(ConnFilter& filter, std::string_view list);
void add_notes(ConnFilter& filter, std::string_view list);
void add_states(ConnFilter& filter, std::string_view list);

}  // namespace tcpinspect::core
