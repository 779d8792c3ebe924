// SPDX-License-Identifier: MIT
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/tcp/event_sink.hpp"

/// What the picture renderers (svg, html, explain) keep of a connection until it ends: one
/// record per segment or timer, with states as they really were: the hold stage corrects
/// what it still holds, and tells of corrections to records it had handed on
/// (EventSink::on_revision), which are applied here as they come. A connection's story is
/// told when it ends.
namespace tcpinspect::core::render {

/// States a side passed through within one record, in order: a segment's (SegmentEvent::via),
/// or the middle of a whole path for the end-of-capture record of a connection whose
/// segments are not shown (the first four).
struct RecordVia {
  std::array<TcpState, 4> states{};
  uint8_t count = 0;
  void add(TcpState s) {
    if (count < states.size()) states[count++] = s;
  }
};

/// What few records carry: the SYN's options and SACK blocks. Kept beside the records
/// (ConnRecord::extras), as their checks are (ConnRecord::checks), so that a record is half
/// the size: the html report keeps every record of every connection still tracked, and on a
/// busy capture most of them wait out TIME_WAIT.
struct SegExtras {
  bool sack_perm = false;
  uint8_t sack_count = 0;
  int32_t mss = -1, wscale = -1;
  std::array<SackBlock, 4> sack{};  // relative, like the ack
};

struct SegRecord {
  static constexpr uint16_t kNoExtras = UINT16_MAX;

  // (Ordered by size, so that no padding sits between the fields.)
  uint64_t frame = 0;
  int64_t rel_ts_ns = 0;
  int64_t seq_off = 0, ack_off = 0;  // symbolic: seq - sender ISN, ack - receiver ISN
  NoteSet notes;
  uint32_t seq = 0, ack = 0;          // raw
  uint32_t rel_seq = 0, rel_ack = 0;  // Wireshark's relative numbers
  uint32_t len = 0;
  uint32_t ts_val = 0, ts_ecr = 0;  // the timestamps option, when has_ts
  uint16_t flags = 0;
  uint16_t win = 0;             // raw, unscaled
  uint16_t extras = kNoExtras;  // index in ConnRecord::extras, or kNoExtras
  uint16_t first_check = 0;     // its checks: ConnRecord::checks[first_check, + check_count)
  uint8_t check_count = 0;
  TcpState client = TcpState::Closed;  // after this segment
  TcpState server = TcpState::Closed;
  // Bit 0: the client's state is not confirmed by anything it sent; bit 1: the server's.
  // From the segment event (jsonl "unconfirmed"); drawn as "STATE?".
  uint8_t unconfirmed = 0;
  // States a side passed through on the way to its state after this record (in order,
  // before it), e.g. the server's FIN_WAIT_1 on the way to CLOSING in a simultaneous
  // close: [0] client, [1] server (SegmentEvent::via).
  std::array<RecordVia, 2> via{};
  // Not an arrow: a state change caused by time (TIME_WAIT expiry), an ICMP error, or the
  // end of the capture (timer_note = Note::Count_).
  bool timer = false;
  Note timer_note = Note::TimeWaitExpired;
  Direction dir = Direction::ClientToServer;  // for a timer: the side whose state changed
  bool bad_checksum = false;
  bool has_ts = false;
};

struct ConnRecord {
  std::vector<SegRecord> rows;
  std::vector<SegExtras> extras;  // what rows[i].extras points to
  std::vector<Check> checks;      // every row's checks, in row order
  size_t dropped = 0;             // segments beyond the cap, not kept
  uint64_t note_bits = 0;         // every note of every segment, kept or not (bit = Note value)

  std::span<const Check> checks_of(const SegRecord& row) const {
    return std::span<const Check>(checks).subspan(row.first_check, row.check_count);
  }
  /// The row's options and SACK blocks (none for most rows).
  const SegExtras& extras_of(const SegRecord& row) const {
    static const SegExtras kNone;
    return row.extras == SegRecord::kNoExtras ? kNone : extras[row.extras];
  }
};

/// Collects SegRecords per connection, at most `cap` each (memory stays bounded).
class ConnRecorder {
 public:
  /// cap: at most this many records a connection (and so few that the indexes of their
  /// checks and extras fit SegRecord's 16 bits).
  explicit ConnRecorder(size_t cap) : cap_(std::min<size_t>(cap, kMaxCap)) {}
  void on_segment(const SegmentEvent& ev);
  void on_timer(const TimerEvent& ev);
  void on_icmp(const IcmpEvent& ev);
  /// Redraws the kept records the correction names.
  void on_revision(const RevisionEvent& ev);
  /// The records of connection `c`, forgotten here (one end-of-capture record when it has
  /// none, e.g. its segments were filtered out, but its sides moved).
  ConnRecord take(const ConnectionSummary& c);

 private:
  static constexpr size_t kMaxCap =
      SegRecord::kNoExtras / std::tuple_size_v<decltype(SegmentEvent::checks)>;
  size_t cap_;
  std::unordered_map<uint32_t, ConnRecord> records_;
};

/// Applies a correction decided by the hold stage to kept rows (anything with `frame`,
/// `client`, `server` and `unconfirmed`): the named side's state and its unconfirmed mark,
/// as the event says, on the rows it names.
template <typename Row>
void apply_revision(std::vector<Row>& rows, const RevisionEvent& ev) {
  const uint8_t bit = ev.client_side ? 1 : 2;
  for (Row& row : rows) {
    TcpState& state = ev.client_side ? row.client : row.server;
    const bool named =
        row.frame >= ev.first_frame && row.frame <= ev.last_frame && state == ev.shown;
    if (!named && !(ev.from_start && row.frame < ev.first_frame)) continue;
    state = ev.real;
    row.unconfirmed =
        static_cast<uint8_t>(ev.unconfirmed ? row.unconfirmed | bit : row.unconfirmed & ~bit);
  }
}

/// Whether the note is a socket-API moment (connect() returns, read() returns 0, ...),
/// drawn beside the side that receives the segment.
bool is_socket_moment(Note n);

}  // namespace tcpinspect::core::render
