// SPDX-License-Identifier: MIT
#include "core/render/conn_filter.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>

namespace tcpinspect::core {
namespace {

bool any_note_in(const NoteSet& wanted, const NoteSet& seen) {
  bool found = false;
  wanted.for_each([&](Note n) { found = found || seen.has(n); });
  return found;
}

bool path_has(const StatePath& path, TcpState s) {
  for (size_t i = 0; i < path.size(); ++i)
    if (path[i] == s) return true;
  return false;
}

bool reached(const ConnectionSummary& c, const StateWanted& w) {
  const bool client = path_has(c.client.path, w.state);
  const bool server = path_has(c.server.path, w.state);
  switch (w.side) {
    case StateSide::Client:
      return client;
    case StateSide::Server:
      return server;
    case StateSide::Either:
      break;
  }
  return client || server;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

// Calls `add` with each item of a comma list; an empty list or item is an error.
template <typename F>
void for_each_item(std::string_view option, std::string_view list, F&& add) {
  if (trim(list).empty()) throw std::invalid_argument(std::string(option) + ": no value given");
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view item = trim(list.substr(start, comma - start));
    if (item.empty())
      throw std::invalid_argument(std::string(option) + " '" + std::string(list) +
                                  "': an empty item in the list");
    add(item);
    start = comma + 1;
  }
}

template <typename Range, typename Name>
std::string joined(const Range& range, Name&& name) {
  std::string out;
  for (const auto& e : range) {
    if (!out.empty()) out += ", ";
    out += name(e);
  }
  return out;
}

[[noreturn]] void unknown(std::string_view option, std::string_view item, std::string_view what,
                          const std::string& valid) {
  throw std::invalid_argument(std::string(option) + " '" + std::string(item) + "': not " +
                              std::string(what) + " (one of: " + valid + ")");
}

}  // namespace

FilterVerdict judge_so_far(const ConnFilter& f, uint32_t id, const NoteSet& notes_seen) {
  if (!f.conns.empty() && std::find(f.conns.begin(), f.conns.end(), id) == f.conns.end())
    return FilterVerdict::NoMatch;
  if (f.close_kinds != 0 || !f.conn_states.empty() || !f.states.empty())
    return FilterVerdict::Undecided;
  if (!f.notes.empty() && !any_note_in(f.notes, notes_seen)) return FilterVerdict::Undecided;
  return FilterVerdict::Match;
}

bool judge_at_end(const ConnFilter& f, const ConnectionSummary& c, const NoteSet& notes_seen) {
  if (!f.conns.empty() && std::find(f.conns.begin(), f.conns.end(), c.id) == f.conns.end())
    return false;
  if (f.close_kinds != 0 && (f.close_kinds & (uint32_t{1} << static_cast<unsigned>(c.close))) == 0)
    return false;
  if (!f.conn_states.empty() && std::find(f.conn_states.begin(), f.conn_states.end(),
                                          c.zeek.conn_state) == f.conn_states.end())
    return false;
  if (!f.notes.empty() && !any_note_in(f.notes, notes_seen)) return false;
  if (!f.states.empty() && std::none_of(f.states.begin(), f.states.end(),
                                        [&](const StateWanted& w) { return reached(c, w); }))
    return false;
  return true;
}

void add_conn_numbers(ConnFilter& f, std::string_view list) {
  for_each_item("--conn", list, [&](std::string_view item) {
    uint32_t n = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (ec != std::errc() || end != item.data() + item.size() || n == 0)
      throw std::invalid_argument("--conn '" + std::string(item) +
                                  "': not a connection number (1, 2, ... as the output numbers "
                                  "them: #1)");
    f.conns.push_back(n);
  });
}

void add_close_kinds(ConnFilter& f, std::string_view list) {
  for_each_item("--only", list, [&](std::string_view item) {
    const std::string id = lower(item);
    if (id == "reset") {  // either side's reset: what people mean first
      f.close_kinds |= uint32_t{1} << static_cast<unsigned>(CloseKind::ResetByClient);
      f.close_kinds |= uint32_t{1} << static_cast<unsigned>(CloseKind::ResetByServer);
      return;
    }
    const auto kind = enum_from_id<CloseKind>(kCloseKinds, id);
    if (!kind)
      unknown("--only", item, "a close kind", joined(kCloseKinds, [](const auto& e) {
                                                return std::string(e.id);
                                              }) + ", reset (either reset)");
    f.close_kinds |= uint32_t{1} << static_cast<unsigned>(*kind);
  });
}

void add_conn_states(ConnFilter& f, std::string_view list) {
  for_each_item("--conn-state", list, [&](std::string_view item) {
    const std::string id = upper(item);
    const auto* it = std::find(std::begin(kZeekConnStates), std::end(kZeekConnStates), id);
    if (it == std::end(kZeekConnStates))
      unknown("--conn-state", item, "a Zeek conn_state",
              joined(kZeekConnStates, [](std::string_view s) { return std::string(s); }));
    f.conn_states.push_back(*it);
  });
}

void add_notes(ConnFilter& f, std::string_view list) {
  for_each_item("--note", list, [&](std::string_view item) {
    const auto note = enum_from_id<Note>(kNotes, lower(item));
    if (!note)
      unknown("--note", item, "a note",
              joined(kNotes, [](const auto& e) { return std::string(e.id); }));
    f.notes.add(*note);
  });
}

void add_states(ConnFilter& f, std::string_view list) {
  for_each_item("--state", list, [&](std::string_view item) {
    StateWanted w;
    std::string name = upper(item);
    std::replace(name.begin(), name.end(), '-', '_');  // RFC 9293 spells TIME-WAIT
    if (name.starts_with("CLIENT:")) {
      w.side = StateSide::Client;
      name.erase(0, 7);
    } else if (name.starts_with("SERVER:")) {
      w.side = StateSide::Server;
      name.erase(0, 7);
    }
    const auto state = state_from_name(name);
    if (!state)
      unknown("--state", item, "a TCP state", joined(kTcpStates, [](const auto& e) {
                                                return std::string(e.id);
                                              }) + "; client:STATE or server:STATE for one side");
    w.state = *state;
    f.states.push_back(w);
  });
}

}  // namespace tcpinspect::core
