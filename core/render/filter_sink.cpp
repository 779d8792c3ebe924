// SPDX-License-Identifier: MIT
#include "core/render/filter_sink.hpp"

#include <string>

namespace tcpinspect::core {
namespace {

// The packet without the pointers into the frame buffer, which is reused after the event.
DecodedPacket detached(const DecodedPacket& p) {
  DecodedPacket copy = p;
  copy.payload = nullptr;
  copy.tcp.options_raw = {};
  return copy;
}

}  // namespace

FilteringSink::FilteringSink(ConnFilter filter, std::unique_ptr<EventSink> inner,
                             bool segments_wanted, size_t hold_limit, WarnFn warn)
    : filter_(std::move(filter)),
      inner_(std::move(inner)),
      segments_wanted_(segments_wanted),
      hold_limit_(hold_limit),
      warn_(std::move(warn)) {}

FilteringSink::ConnState* FilteringSink::update(uint32_t id, const NoteSet& notes) {
  ConnState& st = conns_[id];
  notes.for_each([&](Note n) { st.notes.add(n); });
  if (st.verdict == FilterVerdict::Undecided) {
    st.verdict = judge_so_far(filter_, id, st.notes);
    if (st.verdict == FilterVerdict::Match) release(st);
    if (st.verdict == FilterVerdict::NoMatch) {
      held_total_ -= st.held.size();
      st.held.clear();
    }
  }
  return st.verdict == FilterVerdict::NoMatch ? nullptr : &st;
}

void FilteringSink::hold(ConnState& st, Held h) {
  if (st.gave_up || !segments_wanted_) return;
  st.held.push_back(std::move(h));
  if (++held_total_ > hold_limit_) give_up_largest();
}

void FilteringSink::give_up_largest() {
  ConnState* largest = nullptr;
  for (auto& [id, st] : conns_)
    if (largest == nullptr || st.held.size() > largest->held.size()) largest = &st;
  if (largest == nullptr) return;
  held_total_ -= largest->held.size();
  largest->held.clear();
  largest->held.shrink_to_fit();
  largest->gave_up = true;
}

void FilteringSink::release(ConnState& st) {
  for (Held& h : st.held) {
    if (auto* s = std::get_if<HeldSegment>(&h)) {
      s->ev.packet = &s->packet;
      inner_->on_segment(s->ev);
    } else if (auto* t = std::get_if<TimerEvent>(&h)) {
      inner_->on_timer(*t);
    } else if (auto* i = std::get_if<HeldIcmp>(&h)) {
      i->ev.packet = &i->packet;
      inner_->on_icmp(i->ev);
    } else if (auto* r = std::get_if<RevisionEvent>(&h)) {
      inner_->on_revision(*r);
    }
  }
  held_total_ -= st.held.size();
  st.held.clear();
  st.held.shrink_to_fit();
}

void FilteringSink::on_segment(const SegmentEvent& ev) {
  ConnState* st = update(ev.conn_id, ev.notes);
  if (st == nullptr) return;
  if (st->verdict == FilterVerdict::Match) {
    if (!st->gave_up) inner_->on_segment(ev);
    return;
  }
  if (st->gave_up || !segments_wanted_) return;
  hold(*st, HeldSegment{ev, detached(*ev.packet)});
}

void FilteringSink::on_timer(const TimerEvent& ev) {
  NoteSet notes;
  notes.add(ev.note);
  ConnState* st = update(ev.conn_id, notes);
  if (st == nullptr) return;
  if (st->verdict == FilterVerdict::Match) {
    if (!st->gave_up) inner_->on_timer(ev);
    return;
  }
  if (st->gave_up || !segments_wanted_) return;
  hold(*st, ev);
}

void FilteringSink::on_icmp(const IcmpEvent& ev) {
  if (ev.conn_id == 0) return;  // no connection: nothing a filter can match
  NoteSet notes;
  notes.add(Note::IcmpUnreachable);  // how every view names an ICMP error
  ConnState* st = update(ev.conn_id, notes);
  if (st == nullptr) return;
  if (st->verdict == FilterVerdict::Match) {
    if (!st->gave_up) inner_->on_icmp(ev);
    return;
  }
  if (st->gave_up || !segments_wanted_) return;
  hold(*st, HeldIcmp{ev, detached(*ev.packet)});
}

void FilteringSink::on_revision(const RevisionEvent& ev) {
  // It follows a segment of its connection, which has a verdict, or is held, already.
  auto it = conns_.find(ev.conn_id);
  if (it == conns_.end() || it->second.verdict == FilterVerdict::NoMatch) return;
  ConnState& st = it->second;
  if (st.verdict == FilterVerdict::Match) {
    if (!st.gave_up) inner_->on_revision(ev);
    return;
  }
  if (st.gave_up || !segments_wanted_) return;
  hold(st, ev);
}

void FilteringSink::on_connection_end(const ConnectionSummary& summary) {
  auto it = conns_.find(summary.id);
  ConnState st = it == conns_.end() ? ConnState{} : std::move(it->second);
  if (it != conns_.end()) conns_.erase(it);
  held_total_ -= st.held.size();
  if (st.verdict == FilterVerdict::NoMatch || !judge_at_end(filter_, summary, st.notes)) return;
  held_total_ += st.held.size();  // release() counts them off again
  release(st);
  if (st.gave_up && warn_)
    warn_("connection #" + std::to_string(summary.id) + " matched the filter, but its segments " +
          "are not shown: more than " + std::to_string(hold_limit_) +
          " events waited for connections to end (--filter-hold)");
  inner_->on_connection_end(summary);
}

void FilteringSink::on_finish(const InspectorStats& stats) {
  conns_.clear();
  held_total_ = 0;
  inner_->on_finish(stats);
}

}  // namespace tcpinspect::core
