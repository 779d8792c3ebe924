// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "traffic/udp_transfer_sha256.hpp"

/// Wire format of the reliable UDP transfer (docs/udp-transfer.md, "Wire format").
/// Pure: bytes in, messages out. Every field is written and read byte by byte in network
/// byte order; nothing is ever cast to a struct.
///
///   0      2      3      4              8              12
///   +------+------+------+--------------+--------------+------------------
///   | "TI" | ver  | type | transfer id  |   CRC32C     | body (per type)
///   +------+------+------+--------------+--------------+------------------
///
/// The CRC32C covers the whole datagram with the CRC field taken as zero.
namespace tcpinspect::traffic::udp {

inline constexpr uint8_t kMagic0 = 'T';
inline constexpr uint8_t kMagic1 = 'I';
/// Version 2 added the receiver's transfer cookie (HELLO_ACK body, id of DATA/FIN).
inline constexpr uint8_t kVersion = 2;
/// The version before the cookie: its HELLO is answered with a version-1 ERROR.
inline constexpr uint8_t kLegacyVersion = 1;
inline constexpr size_t kHeaderSize = 12;
/// DATA header: common header + 4-byte sequence number; the payload follows.
inline constexpr size_t kDataHeaderSize = kHeaderSize + 4;
inline constexpr size_t kMaxNameLength = 200;  // leaves room for ".NAME.partial.XXXXXXXX"
inline constexpr size_t kMaxSackRanges = 16;
inline constexpr size_t kMaxErrorText = 512;
/// Largest chunk a DATA datagram may carry (65507 = max IPv4 UDP payload).
inline constexpr uint32_t kMaxChunkSize = 65507 - kDataHeaderSize;

enum class MessageType : uint8_t {
  Hello = 1,     ///< sender -> receiver: open a transfer (name, size, chunk size, window)
  HelloAck = 2,  ///< receiver -> sender: accepted, with the granted chunk size and window
  Data = 3,      ///< sender -> receiver: one chunk
  Ack = 4,       ///< receiver -> sender: cumulative ack + SACK ranges
  Fin = 5,       ///< sender -> receiver: all data acked; carries the SHA-256 of the file
  FinAck = 6,    ///< receiver -> sender: hash matched, file renamed into place
  Error = 7,     ///< either way: the transfer is over, with a reason
};

enum class ErrorCode : uint8_t {
  BadName = 1,          ///< file name refused by the sanitiser
  Exists = 2,           ///< target exists and the receiver has no --overwrite
  NoSpace = 3,          ///< ENOSPC / EDQUOT on the receiver
  Io = 4,               ///< other receiver I/O error
  HashMismatch = 5,     ///< SHA-256 of the received bytes differs from FIN's
  UnknownTransfer = 6,  ///< DATA/FIN for a transfer the receiver does not know
  BadRequest = 7,       ///< HELLO with impossible parameters
  Aborted = 8,          ///< the peer gave up
  // Added with the receiver's limits (issue 12). A sender from before them reads these
  // as malformed and gives up when its --timeout expires instead of at once.
  Busy = 9,       ///< the receiver already serves --max-transfers transfers
  TooLarge = 10,  ///< declared size above the receiver's --max-size
};

struct Hello {
  uint32_t transfer_id = 0;
  uint64_t file_size = 0;
  uint32_t chunk_size = 0;
  uint32_t window = 0;  ///< chunks the sender would like in flight
  std::string name;     ///< raw bytes from the network; sanitise before use
};
struct HelloAck {
  uint32_t transfer_id = 0;  ///< the sender's id from its HELLO (so it can match the answer)
  uint32_t chunk_size = 0;
  uint32_t window = 0;  ///< chunks the receiver will buffer beyond its cumulative ack
  /// Receiver-chosen; the sender puts it in the transfer id field of every later datagram
  /// (DATA, FIN, ERROR) and the receiver answers under it (ACK, FIN_ACK, ERROR).
  uint32_t cookie = 0;
};
struct Data {
  uint32_t transfer_id = 0;
  uint32_t seq = 0;                  ///< chunk index: byte offset = seq * chunk_size
  std::span<const uint8_t> payload;  ///< points into the decoded datagram
};
/// Half-open range [start, end) of chunk indices received above the cumulative ack.
struct SackRange {
  uint32_t start = 0;
  uint32_t end = 0;
  bool operator==(const SackRange&) const = default;
};
struct Ack {
  uint32_t transfer_id = 0;
  uint32_t cumulative = 0;  ///< every chunk below this index has been received
  uint8_t range_count = 0;
  std::array<SackRange, kMaxSackRanges> ranges{};
  std::span<const SackRange> sack() const { return {ranges.data(), range_count}; }
};
struct Fin {
  uint32_t transfer_id = 0;
  Sha256Digest sha256{};
};
struct FinAck {
  uint32_t transfer_id = 0;
};
struct ErrorMsg {
  uint32_t transfer_id = 0;
  ErrorCode code = ErrorCode::Io;
  std::string text;  ///< human-readable, at most kMaxErrorText bytes
};

using Message = std::variant<Hello, HelloAck, Data, Ack, Fin, FinAck, ErrorMsg>;

/// Why a datagram was rejected (each is counted by the receiver and sender).
enum class DecodeStatus {
  Ok,
  Truncated,    ///< shorter than its header or than its declared fields
  Foreign,      ///< wrong magic: not ours
  BadVersion,   ///< our magic, another version
  BadChecksum,  ///< CRC32C mismatch
  UnknownType,  ///< type byte not in MessageType
  Malformed,    ///< fields inconsistent (trailing bytes, too many SACK ranges, bad code...)
};
std::string_view to_string(DecodeStatus s);
std::string_view to_string(MessageType t);
std::string_view to_string(ErrorCode c);

/// Decodes one datagram. On Ok, `out` holds the message (a Data payload aliases `datagram`).
DecodeStatus decode(std::span<const uint8_t> datagram, Message& out);

/// Encodes a non-Data message into `out`; returns the length. Throws std::length_error if
/// `out` is too small or a field exceeds its limit (name, text, range count).
size_t encode(const Message& msg, std::span<uint8_t> out);

/// Writes the kDataHeaderSize bytes of a DATA datagram whose payload is sent separately
/// (scatter-gather, no copy). The CRC covers header and payload.
void encode_data_header(uint32_t transfer_id, uint32_t seq, std::span<const uint8_t> payload,
                        std::span<uint8_t, kDataHeaderSize> out);

/// True for a version-1 HELLO with a valid CRC (a sender from before the cookie).
bool is_legacy_hello(std::span<const uint8_t> datagram);

/// Encodes a version-1 ERROR (a version-1 sender can decode it and show the reason).
size_t encode_legacy_error(uint32_t transfer_id, ErrorCode code, std::string_view text,
                           std::span<uint8_t> out);

/// Largest encoded size of any non-Data message.
inline constexpr size_t kMaxControlSize = kHeaderSize + 8 + 4 + 4 + 2 + 1024 + kMaxErrorText;

}  // namespace tcpinspect::traffic::udp
