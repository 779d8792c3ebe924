// SPDX-License-Identifier: MIT
#include "capture/tcp_crafter.hpp"

#include <span>
#include <string>

#include <tins/ip.h>
#include <tins/ip_address.h>
#include <tins/ipv6.h>
#include <tins/ipv6_address.h>
#include <tins/rawpdu.h>
#include <tins/tcp.h>

#include "core/wire/checksum.hpp"
#include "core/wire/ip_format.hpp"

namespace tcpinspect::capture {
namespace {

constexpr size_t kMaxOptionBytes = 40;  // data offset 15 * 4 - 20
constexpr uint8_t kEol = 0;
constexpr uint8_t kNop = 1;
constexpr uint16_t kTcpProtocol = 6;
constexpr uint8_t kFastOpen = 34;  // RFC 7413

void put_u16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  put_u16(out, static_cast<uint16_t>(v >> 16));
  put_u16(out, static_cast<uint16_t>(v));
}

void put_at(std::vector<uint8_t>& out, size_t at, uint16_t v) {
  out[at] = static_cast<uint8_t>(v >> 8);
  out[at + 1] = static_cast<uint8_t>(v);
}

void put_timestamps(std::vector<uint8_t>& out, const std::pair<uint32_t, uint32_t>& ts) {
  out.push_back(8);
  out.push_back(10);
  put_u32(out, ts.first);
  put_u32(out, ts.second);
}

// libtins builds the IP and the 20-byte TCP header; the option bytes, already laid out by
// encode_tcp_options(), go in here. (Handing them to libtins one by one failed: it sizes an
// option without a body as one byte but writes two, so `--tfo-request` or a bare `--opt KIND`
// ended in "Serialization error".) Fixes the lengths, the data offset and both checksums.
void insert_options(std::vector<uint8_t>& bytes, size_t ip_header,
                    const std::vector<uint8_t>& options) {
  if (options.empty()) return;
  const size_t tcp_at = ip_header;
  bytes.insert(bytes.begin() + static_cast<long>(tcp_at + 20), options.begin(), options.end());
  const size_t tcp_len = bytes.size() - tcp_at;
  // Data offset in the high nibble; the low bit of that byte is the AE flag, kept.
  bytes[tcp_at + 12] =
      static_cast<uint8_t>(((20 + options.size()) / 4) << 4 | (bytes[tcp_at + 12] & 0x0F));
  const std::span<const uint8_t> all(bytes);
  uint64_t sum = 0;
  if (ip_header == 20) {
    put_at(bytes, 2, static_cast<uint16_t>(bytes.size()));  // total length
    put_at(bytes, 10, 0);
    put_at(bytes, 10, core::checksum::finish(core::checksum::add(0, all.subspan(0, 20))));
    sum = core::checksum::add(sum, all.subspan(12, 8));  // source and destination
  } else {
    put_at(bytes, 4, static_cast<uint16_t>(tcp_len));  // payload length (no extension headers)
    sum = core::checksum::add(sum, all.subspan(8, 32));
  }
  sum = core::checksum::add_word(sum, kTcpProtocol);
  sum = core::checksum::add_word(sum, static_cast<uint16_t>(tcp_len));
  put_at(bytes, tcp_at + 16, 0);
  sum = core::checksum::add(sum, all.subspan(tcp_at));
  put_at(bytes, tcp_at + 16, core::checksum::finish(sum));
}

}  // namespace

uint16_t corrupt_checksum(uint16_t right) {
  // ~right would be equivalent when right is 0x0000 or 0xFFFF (both mean zero).
  const uint16_t wrong = static_cast<uint16_t>(~right);
  return (right == 0x0000 || right == 0xFFFF) ? 0x1234 : wrong;
}

std::vector<uint8_t> encode_tcp_options(const TcpOptionSpec& spec) {
  std::vector<uint8_t> out;
  if (spec.mss) {
    out.push_back(2);
    out.push_back(4);
    put_u16(out, *spec.mss);
  }
  if (spec.sack_permitted && spec.timestamps) {
    out.insert(out.end(), {4, 2});
    put_timestamps(out, *spec.timestamps);
  } else if (spec.timestamps) {
    out.insert(out.end(), {kNop, kNop});
    put_timestamps(out, *spec.timestamps);
  } else if (spec.sack_permitted) {
    out.insert(out.end(), {kNop, kNop, 4, 2});
  }
  if (spec.window_scale) {
    out.insert(out.end(), {kNop, 3, 3, *spec.window_scale});
  }
  if (!spec.sack.empty()) {
    if (spec.sack.size() > 4)
      throw CraftError(CraftField::Sack, "at most 4 SACK blocks fit in a TCP header");
    out.insert(out.end(), {kNop, kNop, 5, static_cast<uint8_t>(2 + 8 * spec.sack.size())});
    for (const core::SackBlock& b : spec.sack) {
      put_u32(out, b.left);
      put_u32(out, b.right);
    }
  }
  if (spec.fast_open_request && !spec.fast_open_cookie.empty())
    throw CraftError(CraftField::FastOpen,
                     "a Fast Open cookie request and a cookie exclude each other");
  if (spec.fast_open_request) out.insert(out.end(), {kFastOpen, 2});
  if (!spec.fast_open_cookie.empty()) {
    const size_t n = spec.fast_open_cookie.size();
    if (n < 4 || n > 16 || n % 2 != 0)
      throw CraftError(CraftField::FastOpenCookie,
                       "a Fast Open cookie is 4 to 16 bytes, an even number (RFC 7413 4.1.1)");
    out.push_back(kFastOpen);
    out.push_back(static_cast<uint8_t>(2 + n));
    out.insert(out.end(), spec.fast_open_cookie.begin(), spec.fast_open_cookie.end());
  }
  for (const RawTcpOption& o : spec.raw) {
    if (o.kind == kEol || o.kind == kNop) {
      if (!o.body.empty())
        throw CraftError(CraftField::RawOption,
                         "kind " + std::to_string(o.kind) + ": EOL and NOP take no data");
      out.push_back(o.kind);
      continue;
    }
    if (o.body.size() > kMaxOptionBytes - 2)
      throw CraftError(CraftField::RawOption,
                       "kind " + std::to_string(o.kind) + ": data longer than 38 bytes");
    out.push_back(o.kind);
    out.push_back(static_cast<uint8_t>(2 + o.body.size()));
    out.insert(out.end(), o.body.begin(), o.body.end());
  }
  while (out.size() % 4 != 0)
    out.push_back(kEol);
  if (out.size() > kMaxOptionBytes)
    throw CraftError("TCP options take " + std::to_string(out.size()) +
                     " bytes; at most 40 fit in the header");
  return out;
}

std::vector<uint8_t> craft_segment(const SegmentSpec& spec) {
  if (spec.src.version == 0 || spec.dst.version == 0)
    throw CraftError("source and destination addresses are required");
  if (spec.src.version != spec.dst.version)
    throw CraftError("source and destination must both be IPv4 or both IPv6");
  if ((spec.flags & ~0x1FFu) != 0) throw CraftError("flags beyond the 9 TCP flag bits");
  const std::vector<uint8_t> options = encode_tcp_options(spec.options);

  Tins::TCP tcp(spec.dst_port, spec.src_port);
  tcp.seq(spec.seq);
  tcp.ack_seq(spec.ack);
  tcp.window(spec.window);
  tcp.urg_ptr(spec.urgent_pointer);
  tcp.flags(spec.flags);
  const size_t ip_header = spec.src.version == 4 ? 20 : 40;
  const size_t total = ip_header + 20 + options.size() + spec.payload.size();
  if (spec.src.version == 4 && total > 65535)
    throw CraftError("the packet would be " + std::to_string(total) + " bytes; IPv4 allows 65535");
  if (spec.src.version == 6 && total - ip_header > 65535)
    throw CraftError("the payload is too long for IPv6 without a jumbogram");

  std::vector<uint8_t> bytes;
  if (spec.src.version == 4) {
    Tins::IP ip(Tins::IPv4Address(core::ip_to_string(spec.dst)),
                Tins::IPv4Address(core::ip_to_string(spec.src)));
    ip.ttl(spec.ttl);
    ip.id(spec.ip_id);
    ip.tos(spec.tos);
    ip.flags(spec.dont_fragment ? Tins::IP::DONT_FRAGMENT : static_cast<Tins::IP::Flags>(0));
    ip /= tcp;  // /= appends to the innermost layer
    if (!spec.payload.empty())
      ip /= Tins::RawPDU(spec.payload.data(), static_cast<uint32_t>(spec.payload.size()));
    bytes = ip.serialize();
  } else {
    Tins::IPv6 ip(Tins::IPv6Address(core::ip_to_string(spec.dst)),
                  Tins::IPv6Address(core::ip_to_string(spec.src)));
    ip.hop_limit(spec.ttl);
    ip.traffic_class(spec.tos);
    ip.flow_label(spec.flow_label & 0xFFFFF);
    ip /= tcp;  // /= appends to the innermost layer
    if (!spec.payload.empty())
      ip /= Tins::RawPDU(spec.payload.data(), static_cast<uint32_t>(spec.payload.size()));
    bytes = ip.serialize();
  }
  insert_options(bytes, ip_header, options);
  if (spec.bad_checksum) {
    const size_t at = ip_header + 16;
    const uint16_t right = static_cast<uint16_t>((bytes[at] << 8) | bytes[at + 1]);
    const uint16_t wrong = corrupt_checksum(right);
    bytes[at] = static_cast<uint8_t>(wrong >> 8);
    bytes[at + 1] = static_cast<uint8_t>(wrong);
  }
  return bytes;
}

}  // namespace tcpinspect::capture
