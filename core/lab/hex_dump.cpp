// SPDX-License-Identifier: MIT
#include "core/lab/hex_dump.hpp"

#include <cstdio>

#include "core/wire/byte_reader.hpp"
#include "core/wire/checksum.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/ip_format.hpp"
#include "core/wire/packet.hpp"
#include "core/wire/tcp_option_kind.hpp"
#include "core/wire/tcp_text.hpp"

namespace tcpinspect::core {
namespace {

constexpr size_t kHexColumn = 26;  // width of the bytes column

std::string hex_bytes(std::span<const uint8_t> b) {
  std::string out;
  char buf[4];
  for (size_t i = 0; i < b.size(); ++i) {
    std::snprintf(buf, sizeof buf, i ? " %02x" : "%02x", b[i]);
    out += buf;
  }
  return out;
}

class Dumper {
 public:
  explicit Dumper(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  void section(const std::string& title) { out_ += title + "\n"; }

  // One field: up to 8 bytes on the line; longer fields continue on following lines.
  void field(size_t off, size_t len, const std::string& text) {
    for (size_t done = 0; done < len || done == 0; done += 8) {
      const size_t n = std::min<size_t>(8, len - done);
      char head[16];
      std::snprintf(head, sizeof head, "%04zx  ", off + done);
      std::string hex = hex_bytes(bytes_.subspan(off + done, n));
      if (hex.size() < kHexColumn) hex.append(kHexColumn - hex.size(), ' ');
      out_ += head + hex + (done == 0 ? text : std::string()) + "\n";
      if (len == 0) break;
    }
  }

  std::string take() { return std::move(out_); }

 private:
  std::span<const uint8_t> bytes_;
  std::string out_;
};

uint16_t be16(std::span<const uint8_t> b, size_t off) {
  return static_cast<uint16_t>((b[off] << 8) | b[off + 1]);
}
uint32_t be32(std::span<const uint8_t> b, size_t off) {
  return (uint32_t{b[off]} << 24) | (uint32_t{b[off + 1]} << 16) | (uint32_t{b[off + 2]} << 8) |
         b[off + 3];
}

std::string hex16(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

// The TCP checksum the segment should carry (pseudo-header per RFC 9293 3.1 / RFC 8200 8.1).
uint16_t correct_tcp_checksum(const DecodedPacket& p, std::span<const uint8_t> segment) {
  uint64_t sum = 0;
  const size_t addr_len = p.ip_version == 4 ? 4 : 16;
  sum = checksum::add(sum, std::span<const uint8_t>(p.src.bytes.data(), addr_len));
  sum = checksum::add(sum, std::span<const uint8_t>(p.dst.bytes.data(), addr_len));
  const uint32_t len = static_cast<uint32_t>(segment.size());
  sum = checksum::add_word(sum, static_cast<uint16_t>(len >> 16));
  sum = checksum::add_word(sum, static_cast<uint16_t>(len & 0xFFFF));
  sum = checksum::add_word(sum, 6);
  sum = checksum::add(sum, segment.subspan(0, 16));  // up to the checksum field
  sum = checksum::add(sum, segment.subspan(18));
  return checksum::finish(sum);
}

// One whole option (kind, length, data), explained with the option list's own words
// ("mss 1460", "TS 1/2", core/wire/tcp_text.hpp) and what the kind is.
std::string option_text(std::span<const uint8_t> option) {
  const TcpOptions one = parse_tcp_options(option);
  if (one.problem != TcpOptionProblem::None)
    return "malformed: " + std::string(tcp_option_problem_text(one.problem));
  const std::string text = tcp_options_text(one);
  const auto info = tcp_option_kind_info(option[0]);
  if (!info) return text + " (unknown kind, " + std::to_string(option.size()) + " bytes)";
  if (info->kind == TcpOptionKind::Experimental && !one.has_fast_open)
    return text + " (" + std::string(info->meaning) + ", " + std::to_string(option.size()) +
           " bytes)";
  return text + " (" + std::string(info->meaning) + ")";
}

// Walks the options with the checked reader; a length that does not fit is explained by the
// option parser's own problem text.
void dump_options(Dumper& d, std::span<const uint8_t> bytes, size_t off, size_t len) {
  ByteReader r(bytes.subspan(off, len));
  uint8_t kind = 0;
  while (r.peek_u8(0, kind)) {
    const size_t at = off + r.position();
    const std::string_view meaning =
        tcp_option_kind_info(kind) ? tcp_option_kind_info(kind)->meaning : "";
    if (is_option_kind(kind, TcpOptionKind::Eol)) {
      d.field(at, r.remaining(),
              "eol (" + std::string(meaning) + (r.remaining() == 1 ? ")" : "), then padding"));
      return;
    }
    std::span<const uint8_t> option;
    if (is_option_kind(kind, TcpOptionKind::Nop)) {
      r.skip(1);
      d.field(at, 1, "nop (" + std::string(meaning) + ")");
      continue;
    }
    uint8_t option_len = 0;
    if (!r.peek_u8(1, option_len) || option_len < 2 || !r.subspan(option_len, option)) {
      d.field(at, r.remaining(), option_text(r.rest()));
      return;
    }
    d.field(at, option.size(), option_text(option));
  }
}

void dump_ipv4(Dumper& d, std::span<const uint8_t> b, const DecodedPacket& p, size_t ihl) {
  d.section("IPv4 header (" + std::to_string(ihl) + " bytes)");
  d.field(0, 1, "version 4, header length " + std::to_string(ihl) + " bytes");
  d.field(1, 1,
          "TOS " + std::to_string(b[1]) + " (DSCP " + std::to_string(b[1] >> 2) + ", ECN " +
              std::to_string(b[1] & 3) + ")");
  d.field(2, 2, "total length " + std::to_string(be16(b, 2)));
  d.field(4, 2, "identification " + hex16(be16(b, 4)) + " (" + std::to_string(be16(b, 4)) + ")");
  const uint16_t ff = be16(b, 6);
  std::string frag = "flags";
  if (ff & 0x4000) frag += " DF";
  if (ff & 0x2000) frag += " MF";
  if ((ff & 0x6000) == 0) frag += " none";
  d.field(6, 2, frag + ", fragment offset " + std::to_string((ff & 0x1FFF) * 8));
  d.field(8, 1, "TTL " + std::to_string(b[8]));
  d.field(9, 1, "protocol " + std::to_string(b[9]) + " (TCP)");
  std::string cs = "header checksum " + hex16(be16(b, 10));
  if (p.ip_checksum == ChecksumStatus::Good) cs += " (correct)";
  if (p.ip_checksum == ChecksumStatus::Bad) cs += " (WRONG)";
  d.field(10, 2, cs);
  d.field(12, 4, "source " + ip_to_string(p.src));
  d.field(16, 4, "destination " + ip_to_string(p.dst));
  if (ihl > 20) d.field(20, ihl - 20, "IP options");
}

void dump_ipv6(Dumper& d, std::span<const uint8_t> b, const DecodedPacket& p, size_t hdr) {
  d.section("IPv6 header (" + std::to_string(hdr) + " bytes)");
  const uint32_t w = be32(b, 0);
  d.field(0, 4,
          "version 6, traffic class " + std::to_string((w >> 20) & 0xFF) + ", flow label " +
              std::to_string(w & 0xFFFFF));
  d.field(4, 2, "payload length " + std::to_string(be16(b, 4)));
  d.field(6, 1, "next header " + std::to_string(b[6]) + (b[6] == 6 ? " (TCP)" : ""));
  d.field(7, 1, "hop limit " + std::to_string(b[7]));
  d.field(8, 16, "source " + ip_to_string(p.src));
  d.field(24, 16, "destination " + ip_to_string(p.dst));
  if (hdr > 40) d.field(40, hdr - 40, "extension headers");
}

void dump_tcp(Dumper& d, std::span<const uint8_t> b, const DecodedPacket& p, size_t t) {
  const TcpHeader& h = p.tcp;
  d.section("TCP header (" + std::to_string(h.header_len) + " bytes)");
  d.field(t, 2, "source port " + std::to_string(h.src_port));
  d.field(t + 2, 2, "destination port " + std::to_string(h.dst_port));
  d.field(t + 4, 4, "sequence number " + std::to_string(h.seq));
  d.field(t + 8, 4, "acknowledgment number " + std::to_string(h.ack));
  d.field(t + 12, 2,
          "data offset " + std::to_string(h.header_len / 4) + " (" + std::to_string(h.header_len) +
              " bytes), flags [" + tcp_flags_text(h.flags) + "]");
  d.field(t + 14, 2, "window " + std::to_string(h.window));
  const auto segment = b.subspan(t);
  const uint16_t right = correct_tcp_checksum(p, segment);
  d.field(t + 16, 2,
          "checksum " + hex16(h.checksum) +
              (h.checksum == right ? std::string(" (correct)")
               : p.tcp_checksum == ChecksumStatus::Offloaded
                   ? " (pseudo-header sum only: checksum offload; complete is " + hex16(right) + ")"
                   : " (WRONG: correct is " + hex16(right) + ")"));
  d.field(t + 18, 2, "urgent pointer " + std::to_string(h.urgent));
  if (h.header_len > 20) {
    d.section("TCP options (" + std::to_string(h.header_len - 20) + " bytes)");
    dump_options(d, b, t + 20, h.header_len - 20u);
  }
}

}  // namespace

std::string plain_hex_dump(std::span<const uint8_t> bytes, size_t base_offset) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 16) {
    const size_t n = std::min<size_t>(16, bytes.size() - i);
    char head[16];
    std::snprintf(head, sizeof head, "%04zx  ", base_offset + i);
    std::string hex = hex_bytes(bytes.subspan(i, n));
    hex.append(49 - hex.size(), ' ');
    std::string ascii;
    for (size_t k = 0; k < n; ++k) {
      const uint8_t c = bytes[i + k];
      ascii += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '.';
    }
    out += head + hex + "|" + ascii + "|\n";
  }
  return out;
}

std::string annotated_hex_dump(std::span<const uint8_t> b) {
  DecodedPacket p;
  decode_packet(LinkType::Raw, b, static_cast<uint32_t>(b.size()), p, true);
  // The TCP header starts 20 bytes before its options (options_raw points into `b`).
  const uint8_t* opts = p.tcp.options_raw.data();
  const bool located = p.result == DecodeResult::Tcp && opts != nullptr && opts >= b.data() + 20 &&
                       opts <= b.data() + b.size();
  const size_t t = located ? static_cast<size_t>(opts - b.data()) - 20 : 0;
  // An IP length decoding had to replace (a packet shorter than it claims) is not annotated
  // as if it were whole.
  if (!located || t < 20 || p.captured_payload_len != p.payload_len ||
      p.problem_id != DecodeProblem::None || t + p.tcp.header_len + p.payload_len > b.size()) {
    std::string why = p.problem ? p.problem : "not a complete TCP segment over IP";
    return "(cannot annotate: " + why + ")\n" + plain_hex_dump(b);
  }
  Dumper d(b);
  if (p.ip_version == 4)
    dump_ipv4(d, b, p, t);
  else
    dump_ipv6(d, b, p, t);
  dump_tcp(d, b, p, t);
  std::string out = d.take();
  const size_t payload_off = t + p.tcp.header_len;
  if (p.payload_len > 0) {
    out += "payload (" + std::to_string(p.payload_len) + " bytes)\n";
    out += plain_hex_dump(b.subspan(payload_off, p.payload_len), payload_off);
  }
  if (payload_off + p.payload_len < b.size()) {
    out += "trailing bytes after the IP datagram\n";
    out += plain_hex_dump(b.subspan(payload_off + p.payload_len), payload_off + p.payload_len);
  }
  return out;
}

}  // namespace tcpinspect::core
