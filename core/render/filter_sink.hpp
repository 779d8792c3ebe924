// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/render/conn_filter.hpp"
#include "core/tcp/event_sink.hpp"

namespace tcpinspect::core {

/// Passes on the events of the connections a ConnFilter matches, and nothing else, to the
/// renderer behind it; so every format filters the same way.
///
/// A connection's events go through as they come once it is known to match (--conn from
/// its first event, --note from the segment with the note). Until then they are held here,
/// copied (an event carries what a renderer reads of its connection: a connection is known
/// here by its id only), and handed over in their order when the connection matches, or
/// forgotten when it cannot (a filter on how it ended decides at its end, from its
/// ConnectionSummary). Held connections therefore come out as a block, when decided,
/// instead of interleaved with the others in capture order.
///
/// Memory: at most `hold_limit` events are held at once. Beyond it, the connection holding
/// the most gives its held events up and shows no segments (its end, and so its summary,
/// still goes through if it matches); `warn` is called once per such connection.
///
/// Frames that belong to no connection (problems, ICMP errors for untracked connections)
/// are not shown while a filter is set. on_finish gets the whole capture's counters.
class FilteringSink final : public EventSink {
 public:
  using WarnFn = std::function<void(std::string_view)>;

  /// `segments_wanted`: false for renderers that only read connection ends (the summary),
  /// so that nothing is held for them.
  FilteringSink(ConnFilter filter, std::unique_ptr<EventSink> inner, bool segments_wanted,
                size_t hold_limit, WarnFn warn);

  void on_segment(const SegmentEvent& ev) override;
  void on_timer(const TimerEvent& ev) override;
  void on_icmp(const IcmpEvent& ev) override;
  void on_revision(const RevisionEvent& ev) override;
  void on_problem(const ProblemEvent&) override {}
  void on_connection_end(const ConnectionSummary& summary) override;
  void on_finish(const InspectorStats& stats) override;
  void flush() override { inner_->flush(); }

  size_t held_events() const { return held_total_; }

 private:
  // An event with copies of what its pointers pointed to (payload and raw options are not
  // kept: no renderer reads them).
  struct HeldSegment {
    SegmentEvent ev;
    DecodedPacket packet;
  };
  struct HeldIcmp {
    IcmpEvent ev;
    DecodedPacket packet;
  };
  using Held = std::variant<HeldSegment, TimerEvent, HeldIcmp, RevisionEvent>;

  struct ConnState {
    FilterVerdict verdict = FilterVerdict::Undecided;
    NoteSet notes;
    bool gave_up = false;  // its held events were dropped for the hold limit
    std::vector<Held> held;
  };

  /// The connection's state with `notes` added and its verdict brought up to date; null
  /// when it does not match (nothing of it is shown, nothing is kept).
  ConnState* update(uint32_t id, const NoteSet& notes);
  void hold(ConnState& st, Held h);
  void release(ConnState& st);
  void give_up_largest();

  ConnFilter filter_;
  std::unique_ptr<EventSink> inner_;
  bool segments_wanted_;
  size_t hold_limit_;
  WarnFn warn_;
  std::unordered_map<uint32_t, ConnState> conns_;
  size_t held_total_ = 0;
};

}  // namespace tcpinspect::core
