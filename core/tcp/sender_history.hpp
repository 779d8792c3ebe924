// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <memory>

/// What an observer remembers of one side's recent sending, as evidence for the notes that
/// need hindsight: which kind of retransmission a segment is (when was the original sent,
/// how many duplicate ACKs asked for it, what was already acknowledged), zero-window probes
/// and their answers, Fast Open, and whether an RST looks like this side's own.
namespace tcpinspect::core {

/// A segment that sent sequence space for the first time: [seq, end) at capture time ts.
struct FirstTransmission {
  uint32_t seq = 0;
  uint32_t end = 0;
  int64_t ts = 0;
  uint64_t frame = 0;
};

struct SenderHistory {
  // The latest first transmissions, oldest overwritten first. Bounded: a retransmission of
  // something older than these is still recognised, only without "time since the original".
  static constexpr size_t kOriginals = 16;
  using Originals = std::array<FirstTransmission, kOriginals>;
  // Allocated with the first segment that sends sequence space, freed once the side is in
  // TIME_WAIT or CLOSED (it sends no data there): most tracked connections of a busy capture
  // sit in TIME_WAIT, and this is most of a connection's size. Owned: a connection is
  // never copied (views get a ConnectionSummary).
  std::unique_ptr<Originals> originals;
  // (The fields below are ordered by size so that no padding sits between them.)
  int64_t next_seq_ts = -1;  // when this side last sent new sequence space (Wireshark's
                             // nextseqtime, for its out-of-order threshold)

  // Acknowledgements this side sent.
  int64_t last_ack_ts = -1;         // when this side last sent a segment with ACK
  uint64_t ack_advanced_frame = 0;  // the frame whose ack reached this side's highest ack
  uint64_t rst_frame = 0;           // the frame of an RST claiming to come from this side
  uint32_t dup_acks = 0;            // consecutive duplicate ACKs, reset by any other segment

  uint32_t probe_end = 0;  // the end of the latest zero-window probe's byte, when probe_end_set

  // Fast Open (RFC 7413): payload bytes carried by this side's SYN, and whether the peer's
  // SYN-ACK left them unacknowledged (the client must send them again).
  uint32_t syn_data_len = 0;

  // IP identity of this side's non-RST segments (forged-RST evidence, Weaver et al. 2009).
  uint16_t ip_id = 0;  // the latest one, when ip_id_set
  bool ip_id_set = false;
  uint8_t ip_id_streak = 0;  // small forward steps in a row between the latest IPv4 IDs
  bool ttl_set = false;
  bool ttl_consistent = true;  // every non-RST segment so far had the same TTL/hop limit
  uint8_t ttl = 0;

  bool syn_data_ignored = false;  // (Fast Open, above)
  uint8_t originals_next = 0;
  uint8_t originals_count = 0;
  bool last_was_zero_window_probe = false;
  bool probe_end_set = false;
};

}  // namespace tcpinspect::core
