// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "capture/pcap_append_writer.hpp"
#include "capture/raw_sender.hpp"
#include "core/wire/packet.hpp"

/// What craft, probe and reset share: where a crafted packet goes (print, -w, --send,
/// --dry-run), the privilege check, random numbers, hex parsing and the rate cap.
namespace tcpinspect::cmd {

/// Probes per second unless --rate says otherwise, and the most --rate allows without
/// --allow-high-rate (a lab tool, not a flooder).
inline constexpr double kDefaultRate = 100.0;
inline constexpr double kRateLimit = 1000.0;

/// Sends, records and prints crafted packets. Every packet is printed ("sent" or
/// "dry-run, not sent"), written to the -w file when one is given (which it replaces, or
/// with --append adds to), and sent unless dry-run.
class PacketOut {
 public:
  /// `send` false: nothing goes on the wire (craft without --send, or --dry-run).
  /// `write_path` empty: no file. Throws RunError for missing privilege.
  PacketOut(bool send, bool dry_run, const std::string& write_path, bool append, int ip_version,
            std::string_view command);

  /// Prints `label` + the decoded one-line form, writes and sends. Returns the wall-clock
  /// time just before the send (for RTTs).
  int64_t emit(std::span<const uint8_t> ip_packet, const core::IpAddress& dst, bool print = true);

  bool sending() const { return sender_ != nullptr; }
  bool dry_run() const { return dry_run_; }
  const std::string& write_path() const { return write_path_; }
  uint64_t written() const { return writer_ ? writer_->frames_written() : 0; }

 private:
  bool dry_run_;
  std::string write_path_;
  std::unique_ptr<capture::RawSender> sender_;
  std::unique_ptr<capture::PcapAppendWriter> writer_;
};

/// Throws RunError "<command> needs CAP_NET_RAW: ..." when raw sockets and capture are not
/// allowed (not root, no capability).
void require_raw_privilege(std::string_view command);

/// Random numbers for ISNs, IP ids and source ports (not reproducible on purpose).
uint32_t random_u32();
/// A source port in 32768-60999 (Linux's ephemeral range).
uint16_t random_source_port();

/// "0a1b..." (optionally with ':' or spaces between bytes) to bytes. Throws UsageError.
std::vector<uint8_t> parse_hex(std::string_view text, std::string_view what);

/// "1000" or "0x3e8" to a 32-bit number; throws UsageError naming `what`.
uint32_t parse_u32(std::string_view text, std::string_view what);

/// Milliseconds as "0.123 ms".
std::string format_ms(int64_t ns);

}  // namespace tcpinspect::cmd
