// SPDX-License-Identifier: MIT
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

#include "core/tcp/state_path.hpp"
#include "core/tcp/tcp_fsm.hpp"
#include "core/tcp/tcp_state.hpp"
#include "core/wire/seq.hpp"
#include "core/wire/tcp_flag.hpp"

/// One endpoint's undo log: the state changes an observer applied on trust, each with why it
/// may yet be undone. An observer on the wire sees a segment leave, not arrive, so a
/// receiver's new state is a guess until the receiver's own segments show it; and a sender's
/// RST may be someone else's. core/tcp/undo.cpp holds every rule that undoes a step (the only
/// code that moves an endpoint back); the records already shown are corrected from the
/// Revision it reports (core/tcp/segment_event.hpp).
///
///   step:   before ──(segment `frame`)──▶ after,   path had `path_size` states before it
///   doubts: kMayBeLost    the receipt: undone when the receiver shows it never got it,
///                         confirmed (the doubt dropped) by its ack covering `end`
///           crossing      a SYN or FIN received: undone when the receiver's own SYN/FIN
///                         shows it sent that first (the two crossed)
///           kMayBeForged  the sender's own RST: undone when it goes on sending data
namespace tcpinspect::core {

struct UndoStep {
  static constexpr uint8_t kMayBeLost = 1;
  static constexpr uint8_t kMayBeForged = 2;

  uint64_t frame = 0;  // the segment the step was taken for
  uint32_t end = 0;    // that segment's seq + SEG.LEN: an ack of at least this confirms it
  TcpState before = TcpState::Closed;
  TcpState after = TcpState::Closed;
  // Packed: a connection keeps a dozen of these, and most connections of a busy capture
  // wait out TIME_WAIT.
  uint8_t path_size : 4 = 0;  // the endpoint's path length before the step (<= 14)
  uint8_t crossing : 2 = 0;   // kSyn or kFin: the peer's SYN/FIN, which may have crossed its own
  uint8_t doubts : 2 = 0;     // kMayBeLost, kMayBeForged
  // What the receipt was, to take it again from another state once an earlier one is
  // undone: the segment's FIN, SYN and RST bits, its ACK bit, and the ReceiveFacts.
  uint8_t fin_syn_rst : 3 = 0;
  uint8_t ack_flag : 1 = 0;
  uint8_t acks_our_syn : 1 = 0;
  uint8_t acks_our_fin : 1 = 0;
  uint8_t passive_open : 1 = 0;
  uint8_t acked_own : 1 = 0;  // it acknowledged the receiver's own SYN or FIN

  void set_facts(const ReceiveFacts& f) {
    fin_syn_rst = static_cast<uint8_t>(f.flags & (kFinSynRst));
    ack_flag = (f.flags & kAckBit) != 0;
    acks_our_syn = f.acks_our_syn;
    acks_our_fin = f.acks_our_fin;
    passive_open = f.passive_open;
  }
  ReceiveFacts facts() const {
    ReceiveFacts f;
    f.flags = static_cast<uint16_t>(fin_syn_rst | (ack_flag ? kAckBit : 0));
    f.acks_our_syn = acks_our_syn;
    f.acks_our_fin = acks_our_fin;
    f.passive_open = passive_open;
    return f;
  }
  /// What the receipt took in: kSyn and kFin as the segment carried them, kAck when it
  /// acknowledged the receiver's own SYN or FIN.
  uint8_t cause() const {
    return static_cast<uint8_t>((fin_syn_rst & kFinSyn) | (acked_own ? kAckBit : 0));
  }

 private:
  static constexpr uint16_t kFinSyn = kFin | kSyn;
  static constexpr uint16_t kFinSynRst = kFin | kSyn | kRst;  // three bits: fin_syn_rst
  static constexpr uint16_t kAckBit = kAck;
  static_assert(kFinSynRst == 0x7);
};
static_assert(sizeof(UndoStep) == 16);
static_assert(StatePath::kCapacity < 16, "UndoStep::path_size has four bits");

/// The steps in the order they were taken. Bounded: at most kMaxUnconfirmedReceipts steps are
/// kMayBeLost (the oldest is forgotten past that: it can no longer be undone, only stay
/// unconfirmed), at most one is a possible crossing and one a possibly forged RST.
///
/// Two steps are kept inline and more on the heap: a log rarely holds more than two, and
/// it is part of every connection of a busy capture (48 bytes instead of 104).
class UndoLog {
 public:
  static constexpr size_t kMaxUnconfirmedReceipts = 4;
  static constexpr size_t kCapacity = kMaxUnconfirmedReceipts + 2;
  static constexpr size_t kInline = 2;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  UndoStep& operator[](size_t i) { return steps()[i]; }
  const UndoStep& operator[](size_t i) const { return steps()[i]; }

  /// Logs a step; a new possible crossing or forged RST replaces the one before it.
  void add(const UndoStep& step) {
    if (step.crossing) clear_crossing();
    if (step.doubts & UndoStep::kMayBeForged) drop_doubt(UndoStep::kMayBeForged);
    if ((step.doubts & UndoStep::kMayBeLost) && receipts() == kMaxUnconfirmedReceipts)
      for (size_t i = 0; i < size_; ++i)
        if (steps()[i].doubts & UndoStep::kMayBeLost) {
          steps()[i].doubts &= static_cast<uint8_t>(~UndoStep::kMayBeLost);
          break;
        }
    compact();
    if (step.doubts == 0 && step.crossing == 0) return;
    if (size_ == kInline && !spilled_) {
      spilled_ = std::make_unique<std::array<UndoStep, kCapacity>>();
      std::copy(inline_.begin(), inline_.end(), spilled_->begin());
    }
    steps()[size_++] = step;
  }
  /// The step that may have crossed the endpoint's own SYN/FIN, or null.
  const UndoStep* crossing() const {
    for (size_t i = 0; i < size_; ++i)
      if (steps()[i].crossing) return &steps()[i];
    return nullptr;
  }
  /// The endpoint's own RST that may not have been its own, or null.
  const UndoStep* forged_rst() const {
    for (size_t i = 0; i < size_; ++i)
      if (steps()[i].doubts & UndoStep::kMayBeForged) return &steps()[i];
    return nullptr;
  }
  void clear_crossing() {
    for (size_t i = 0; i < size_; ++i)
      steps()[i].crossing = 0;
    compact();
  }
  /// Drops `doubt` from every step (and the steps left with no doubt).
  void drop_doubt(uint8_t doubt) {
    for (size_t i = 0; i < size_; ++i)
      steps()[i].doubts &= static_cast<uint8_t>(~doubt);
    compact();
  }
  /// Drops kMayBeLost from the receipts an ack covers: the receiver got those segments.
  void confirm_receipts(uint32_t ack) {
    for (size_t i = 0; i < size_; ++i)
      if ((steps()[i].doubts & UndoStep::kMayBeLost) && seq::le(steps()[i].end, ack))
        steps()[i].doubts &= static_cast<uint8_t>(~UndoStep::kMayBeLost);
    compact();
  }

 private:
  size_t receipts() const {
    size_t n = 0;
    for (size_t i = 0; i < size_; ++i)
      n += (steps()[i].doubts & UndoStep::kMayBeLost) != 0;
    return n;
  }
  UndoStep* steps() { return spilled_ ? spilled_->data() : inline_.data(); }
  const UndoStep* steps() const { return spilled_ ? spilled_->data() : inline_.data(); }
  // Removes the steps nothing doubts any more, keeping the others in order; back inline
  // (the heap part freed) once they fit.
  void compact() {
    UndoStep* st = steps();
    size_t kept = 0;
    for (size_t i = 0; i < size_; ++i)
      if (st[i].doubts || st[i].crossing) st[kept++] = st[i];
    size_ = static_cast<uint8_t>(kept);
    if (spilled_ && size_ <= kInline) {
      std::copy(st, st + size_, inline_.begin());
      spilled_.reset();
    }
  }

  std::array<UndoStep, kInline> inline_{};
  std::unique_ptr<std::array<UndoStep, kCapacity>> spilled_;  // when more than kInline
  uint8_t size_ = 0;
};

}  // namespace tcpinspect::core
