// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_wire.hpp"

#include <algorithm>
#include <stdexcept>

#include "traffic/udp_transfer_crc32c.hpp"

namespace tcpinspect::traffic::udp {
namespace {

/// Bounds-checked big-endian writer; overflow throws (a caller bug, never network input).
class Writer {
 public:
  explicit Writer(std::span<uint8_t> out) : out_(out) {}
  void u8(uint8_t v) { need(1)[0] = v; }
  void u16(uint16_t v) { be(v, 2); }
  void u32(uint32_t v) { be(v, 4); }
  void u64(uint64_t v) { be(v, 8); }
  void bytes(std::span<const uint8_t> b) {
    uint8_t* p = need(b.size());
    for (size_t i = 0; i < b.size(); ++i)
      p[i] = b[i];
  }
  size_t size() const { return pos_; }

 private:
  void be(uint64_t v, size_t n) {
    uint8_t* p = need(n);
    for (size_t i = 0; i < n; ++i)
      p[i] = static_cast<uint8_t>(v >> (8 * (n - 1 - i)));
  }
  uint8_t* need(size_t n) {
    if (out_.size() - pos_ < n) throw std::length_error("udp transfer: encode buffer too small");
    uint8_t* p = out_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::span<uint8_t> out_;
  size_t pos_ = 0;
};

/// Bounds-checked big-endian reader: every read reports failure instead of overrunning.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  bool u8(uint8_t& v) { return be(v, 1); }
  bool u16(uint16_t& v) { return be(v, 2); }
  bool u32(uint32_t& v) { return be(v, 4); }
  bool u64(uint64_t& v) { return be(v, 8); }
  bool bytes(size_t n, std::span<const uint8_t>& v) {
    if (remaining() < n) return false;
    v = in_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  template <typename T>
  bool be(T& v, size_t n) {
    if (remaining() < n) return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; ++i)
      x = x << 8 | in_[pos_ + i];
    v = static_cast<T>(x);
    pos_ += n;
    return true;
  }
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

void write_header(Writer& w, MessageType type, uint32_t id, uint8_t version = kVersion) {
  w.u8(kMagic0);
  w.u8(kMagic1);
  w.u8(version);
  w.u8(static_cast<uint8_t>(type));
  w.u32(id);
  w.u32(0);  // CRC, filled in last
}

void put_crc(std::span<uint8_t> datagram, uint32_t crc) {
  for (size_t i = 0; i < 4; ++i)
    datagram[8 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// CRC of the datagram with its CRC field read as zero, without copying it.
uint32_t datagram_crc(std::span<const uint8_t> d) {
  static constexpr uint8_t kZero[4] = {};
  uint32_t crc = crc32c(d.first(8));
  crc = crc32c(kZero, crc);
  return crc32c(d.subspan(12), crc);
}

bool valid_code(uint8_t c) {
  return c >= 1 && c <= 10;
}

}  // namespace

std::string_view to_string(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::Ok:
      return "ok";
    case DecodeStatus::Truncated:
      return "truncated";
    case DecodeStatus::Foreign:
      return "foreign";
    case DecodeStatus::BadVersion:
      return "bad_version";
    case DecodeStatus::BadChecksum:
      return "bad_checksum";
    case DecodeStatus::UnknownType:
      return "unknown_type";
    case DecodeStatus::Malformed:
      return "malformed";
  }
  return "?";
}

std::string_view to_string(MessageType t) {
  switch (t) {
    case MessageType::Hello:
      return "HELLO";
    case MessageType::HelloAck:
      return "HELLO_ACK";
    case MessageType::Data:
      return "DATA";
    case MessageType::Ack:
      return "ACK";
    case MessageType::Fin:
      return "FIN";
    case MessageType::FinAck:
      return "FIN_ACK";
    case MessageType::Error:
      return "ERROR";
  }
  return "?";
}

std::string_view to_string(ErrorCode c) {
  switch (c) {
    case ErrorCode::BadName:
      return "bad file name";
    case ErrorCode::Exists:
      return "file exists";
    case ErrorCode::NoSpace:
      return "no space left on device";
    case ErrorCode::Io:
      return "I/O error";
    case ErrorCode::HashMismatch:
      return "SHA-256 mismatch";
    case ErrorCode::UnknownTransfer:
      return "unknown transfer";
    case ErrorCode::BadRequest:
      return "bad request";
    case ErrorCode::Aborted:
      return "aborted";
    case ErrorCode::Busy:
      return "receiver busy";
    case ErrorCode::TooLarge:
      return "file too large";
  }
  return "?";
}

size_t encode(const Message& msg, std::span<uint8_t> out) {
  Writer w(out);
  std::visit(
      [&w](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Hello>) {
          if (m.name.size() > 1024) throw std::length_error("udp transfer: name too long");
          write_header(w, MessageType::Hello, m.transfer_id);
          w.u64(m.file_size);
          w.u32(m.chunk_size);
          w.u32(m.window);
          w.u16(static_cast<uint16_t>(m.name.size()));
          w.bytes(as_bytes(m.name));
        } else if constexpr (std::is_same_v<T, HelloAck>) {
          write_header(w, MessageType::HelloAck, m.transfer_id);
          w.u32(m.chunk_size);
          w.u32(m.window);
          w.u32(m.cookie);
        } else if constexpr (std::is_same_v<T, Data>) {
          write_header(w, MessageType::Data, m.transfer_id);
          w.u32(m.seq);
          w.bytes(m.payload);
        } else if constexpr (std::is_same_v<T, Ack>) {
          if (m.range_count > kMaxSackRanges) throw std::length_error("udp transfer: SACK ranges");
          write_header(w, MessageType::Ack, m.transfer_id);
          w.u32(m.cumulative);
          w.u8(m.range_count);
          for (const SackRange& r : m.sack()) {
            w.u32(r.start);
            w.u32(r.end);
          }
        } else if constexpr (std::is_same_v<T, Fin>) {
          write_header(w, MessageType::Fin, m.transfer_id);
          w.bytes(m.sha256);
        } else if constexpr (std::is_same_v<T, FinAck>) {
          write_header(w, MessageType::FinAck, m.transfer_id);
        } else {
          write_header(w, MessageType::Error, m.transfer_id);
          w.u8(static_cast<uint8_t>(m.code));
          const size_t n = std::min(m.text.size(), kMaxErrorText);
          w.u16(static_cast<uint16_t>(n));
          w.bytes(as_bytes(std::string_view(m.text).substr(0, n)));
        }
      },
      msg);
  const size_t n = w.size();
  put_crc(out.first(n), datagram_crc(out.first(n)));
  return n;
}

void encode_data_header(uint32_t transfer_id, uint32_t seq, std::span<const uint8_t> payload,
                        std::span<uint8_t, kDataHeaderSize> out) {
  Writer w(out);
  write_header(w, MessageType::Data, transfer_id);
  w.u32(seq);
  uint32_t crc = datagram_crc(out);  // header with zero CRC ...
  crc = crc32c(payload, crc);        // ... continued over the payload
  put_crc(out, crc);
}

bool is_legacy_hello(std::span<const uint8_t> d) {
  return d.size() >= kHeaderSize && d[0] == kMagic0 && d[1] == kMagic1 && d[2] == kLegacyVersion &&
         d[3] == static_cast<uint8_t>(MessageType::Hello) &&
         (uint32_t{d[8]} << 24 | uint32_t{d[9]} << 16 | uint32_t{d[10]} << 8 | d[11]) ==
             datagram_crc(d);
}

size_t encode_legacy_error(uint32_t transfer_id, ErrorCode code, std::string_view text,
                           std::span<uint8_t> out) {
  // Version 1's ERROR had the same layout; only the version byte differs.
  Writer w(out);
  write_header(w, MessageType::Error, transfer_id, kLegacyVersion);
  w.u8(static_cast<uint8_t>(code));
  const size_t n = std::min(text.size(), kMaxErrorText);
  w.u16(static_cast<uint16_t>(n));
  w.bytes(as_bytes(text.substr(0, n)));
  put_crc(out.first(w.size()), datagram_crc(out.first(w.size())));
  return w.size();
}

DecodeStatus decode(std::span<const uint8_t> datagram, Message& out) {
  // Whatever magic bytes are present decide "foreign" before length does.
  if ((datagram.size() >= 1 && datagram[0] != kMagic0) ||
      (datagram.size() >= 2 && datagram[1] != kMagic1)) {
    return DecodeStatus::Foreign;
  }
  if (datagram.size() < kHeaderSize) return DecodeStatus::Truncated;
  if (datagram[2] != kVersion) return DecodeStatus::BadVersion;
  Reader r(datagram);
  uint8_t skip8 = 0, type = 0;
  uint32_t id = 0, crc = 0;
  r.u8(skip8);
  r.u8(skip8);
  r.u8(skip8);
  r.u8(type);
  r.u32(id);
  r.u32(crc);
  if (crc != datagram_crc(datagram)) return DecodeStatus::BadChecksum;

  switch (static_cast<MessageType>(type)) {
    case MessageType::Hello: {
      Hello m;
      m.transfer_id = id;
      uint16_t len = 0;
      std::span<const uint8_t> name;
      if (!r.u64(m.file_size) || !r.u32(m.chunk_size) || !r.u32(m.window) || !r.u16(len) ||
          !r.bytes(len, name)) {
        return DecodeStatus::Truncated;
      }
      m.name.assign(name.begin(), name.end());
      if (r.remaining() != 0) return DecodeStatus::Malformed;
      out = std::move(m);
      return DecodeStatus::Ok;
    }
    case MessageType::HelloAck: {
      HelloAck m;
      m.transfer_id = id;
      if (!r.u32(m.chunk_size) || !r.u32(m.window) || !r.u32(m.cookie)) {
        return DecodeStatus::Truncated;
      }
      if (r.remaining() != 0) return DecodeStatus::Malformed;
      out = m;
      return DecodeStatus::Ok;
    }
    case MessageType::Data: {
      Data m;
      m.transfer_id = id;
      if (!r.u32(m.seq)) return DecodeStatus::Truncated;
      r.bytes(r.remaining(), m.payload);
      out = m;
      return DecodeStatus::Ok;
    }
    case MessageType::Ack: {
      Ack m;
      m.transfer_id = id;
      if (!r.u32(m.cumulative) || !r.u8(m.range_count)) return DecodeStatus::Truncated;
      if (m.range_count > kMaxSackRanges) return DecodeStatus::Malformed;
      for (size_t i = 0; i < m.range_count; ++i) {
        if (!r.u32(m.ranges[i].start) || !r.u32(m.ranges[i].end)) return DecodeStatus::Truncated;
      }
      if (r.remaining() != 0) return DecodeStatus::Malformed;
      out = m;
      return DecodeStatus::Ok;
    }
    case MessageType::Fin: {
      Fin m;
      m.transfer_id = id;
      std::span<const uint8_t> digest;
      if (!r.bytes(m.sha256.size(), digest)) return DecodeStatus::Truncated;
      std::copy(digest.begin(), digest.end(), m.sha256.begin());
      if (r.remaining() != 0) return DecodeStatus::Malformed;
      out = m;
      return DecodeStatus::Ok;
    }
    case MessageType::FinAck: {
      if (r.remaining() != 0) return DecodeStatus::Malformed;
      out = FinAck{id};
      return DecodeStatus::Ok;
    }
    case MessageType::Error: {
      ErrorMsg m;
      m.transfer_id = id;
      uint8_t code = 0;
      uint16_t len = 0;
      std::span<const uint8_t> text;
      if (!r.u8(code) || !r.u16(len) || !r.bytes(len, text)) return DecodeStatus::Truncated;
      if (!valid_code(code) || len > kMaxErrorText || r.remaining() != 0) {
        return DecodeStatus::Malformed;
      }
      m.code = static_cast<ErrorCode>(code);
      m.text.assign(text.begin(), text.end());
      out = std::move(m);
      return DecodeStatus::Ok;
    }
  }
  return DecodeStatus::UnknownType;
}

}  // namespace tcpinspect::traffic::udp
