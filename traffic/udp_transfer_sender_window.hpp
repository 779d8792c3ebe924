// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "traffic/udp_transfer_rtt.hpp"
#include "traffic/udp_transfer_wire.hpp"

/// Sender side of the selective-repeat window: which chunk to send next, what an ACK
/// acknowledges, which chunks are lost, and the AIMD congestion window. Pure: the caller
/// passes times in and does the I/O.
///
///   chunk index:  0 ....... cum ......................... next_new ........ total
///                 [ acked  ][ in flight / SACKed / lost   ][ never sent      ]
///                           |<------ at most `window` ------>|
///
/// Chunk indices never wrap (a transfer has fewer than 2^32 chunks), so plain comparisons
/// are correct here, unlike TCP sequence numbers.
namespace tcpinspect::traffic::udp {

/// One transmission the window allows now. `transmission` is 1 for the first send.
struct SendDecision {
  uint32_t seq = 0;
  uint32_t transmission = 1;
};

struct AckOutcome {
  uint32_t newly_acked = 0;  ///< chunks acknowledged for the first time (cum or SACK)
  uint32_t newly_lost = 0;   ///< chunks this ACK proved lost
  /// From the newest transmission acknowledged, only if it was a first transmission (Karn;
  /// chunks held behind a hole at the receiver never give one).
  std::optional<Nanos> rtt_sample;
  bool window_reduced = false;  ///< cwnd was cut (multiplicative decrease)
  bool invalid = false;         ///< ACK for chunks never sent: ignored
};

class SenderWindow {
 public:
  /// A chunk counts as lost once a chunk sent this many transmissions later is acked
  /// (RFC 6675's DupThresh, counted in send order so lost retransmissions are found too).
  static constexpr uint64_t kReorderThreshold = 3;
  static constexpr double kInitialCwnd = 10;  ///< RFC 6928

  /// `window` is the receiver's grant (max chunks between cum and next_new), >= 1.
  SenderWindow(uint32_t total_chunks, uint32_t window);

  /// The next transmission allowed now (lost chunks first, lowest index first, then new
  /// data), already recorded as sent at `now`; nullopt when cwnd or the window is full.
  std::optional<SendDecision> next_send(Nanos now);
  /// Applies an ACK: cumulative index plus SACK ranges (clamped to what was sent).
  /// `reorder_time` enables time-based loss detection (RACK, RFC 8985): an unacked chunk
  /// sent before some acknowledged chunk and at least `reorder_time` ago is lost even when
  /// fewer than kReorderThreshold later chunks exist (small windows under heavy loss).
  /// The caller passes about SRTT * 5/4; the default disables it.
  AckOutcome on_ack(uint32_t cumulative, std::span<const SackRange> sack, Nanos now,
                    Nanos reorder_time = Nanos::max());
  /// Tail loss probe (RFC 8985 7): no ACK for about two RTTs. Resends the highest
  /// outstanding chunk regardless of cwnd so that its ACK (or SACK) reveals which earlier
  /// chunks are missing, instead of waiting for the much longer RTO. nullopt when nothing
  /// is outstanding.
  std::optional<SendDecision> probe(Nanos now);
  /// Retransmission timer expired: everything outstanding is lost, cwnd = 1 (RFC 5681 3.1).
  void on_timeout();

  bool complete() const { return cum_ == total_; }
  uint32_t cumulative() const { return cum_; }
  uint32_t next_new() const { return next_new_; }
  uint32_t total() const { return total_; }
  uint32_t in_flight() const { return in_flight_; }
  uint32_t lost() const { return lost_count_; }
  double cwnd() const { return cwnd_; }
  double ssthresh() const { return ssthresh_; }
  uint64_t retransmissions() const { return retransmissions_; }
  bool sacked(uint32_t seq) const;

 private:
  struct Slot {
    uint64_t order = 0;  // transmission counter at the last send
    Nanos sent_at{0};
    uint32_t transmissions = 0;
    bool sacked = false;
    bool lost = false;
  };
  Slot& slot(uint32_t seq) { return slots_[seq % slots_.size()]; }
  const Slot& slot(uint32_t seq) const { return slots_[seq % slots_.size()]; }
  void acknowledge(uint32_t seq, Nanos now, AckOutcome& out, uint64_t& best_order);
  void mark_lost(uint32_t seq);

  uint32_t total_;
  uint32_t window_;
  std::vector<Slot> slots_;
  uint32_t cum_ = 0;
  uint32_t next_new_ = 0;
  uint32_t in_flight_ = 0;
  uint32_t lost_count_ = 0;
  uint32_t lost_scan_ = 0;  // no lost chunk below this index
  uint64_t order_ = 0;
  uint64_t highest_acked_order_ = 0;
  Nanos newest_acked_sent_at_{Nanos::min()};  // RACK.xmit_ts
  double cwnd_;
  double ssthresh_;
  bool in_recovery_ = false;
  uint32_t reduce_guard_ = 0;  // one cwnd cut per flight: no cut until cum passes this
  uint64_t retransmissions_ = 0;
};

}  // namespace tcpinspect::traffic::udp
