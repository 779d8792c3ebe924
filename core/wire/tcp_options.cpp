// SPDX-License-Identifier: MIT
// TCP options: RFC 9293 3.2 (EOL, NOP, MSS), RFC 7323 (window scale, timestamps),
// RFC 2018 (SACK), RFC 7413 (Fast Open, and its experimental form, RFC 6994).
#include "core/wire/decode_internal.hpp"

namespace tcpinspect::core::detail {
namespace {

constexpr uint8_t kEol = 0;
constexpr uint8_t kNop = 1;
constexpr uint8_t kMss = 2;
constexpr uint8_t kWindowScale = 3;
constexpr uint8_t kSackPermitted = 4;
constexpr uint8_t kSack = 5;
constexpr uint8_t kTimestamps = 8;
constexpr uint8_t kFastOpen = 34;
constexpr uint8_t kExperimental = 254;
constexpr uint16_t kFastOpenMagic = 0xF989;  // RFC 7413 4.1.1, experimental option id

constexpr size_t kMaxFastOpenCookie = 16;
constexpr size_t kSackBlockLen = 8;

constexpr uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
constexpr uint32_t be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

// Returns false with opts.problem set if the option's length is not what its kind requires.
// `opt` is the whole option (kind, length, data), already known to lie inside the header.
bool apply_option(std::span<const uint8_t> opt, TcpOptions& opts) {
  const size_t len = opt.size();
  const uint8_t* d = opt.data() + 2;
  auto bad = [&](const char* problem) {
    opts.problem = problem;
    return false;
  };
  auto set_cookie = [&](const uint8_t* cookie, size_t n) {
    opts.has_fast_open = true;
    opts.fast_open_cookie_len = static_cast<uint8_t>(n);
    for (size_t i = 0; i < n; ++i)
      opts.fast_open_cookie[i] = cookie[i];
  };
  switch (opt[0]) {
    case kMss:
      if (len != 4) return bad("TCP MSS option length is not 4");
      opts.has_mss = true;
      opts.mss = be16(d);
      return true;
    case kWindowScale:
      if (len != 3) return bad("TCP window scale option length is not 3");
      opts.has_window_scale = true;
      opts.window_scale = d[0];
      return true;
    case kSackPermitted:
      if (len != 2) return bad("TCP SACK-permitted option length is not 2");
      opts.sack_permitted = true;
      return true;
    case kSack: {
      const size_t body = len - 2;
      if (body == 0 || body % kSackBlockLen != 0 || body / kSackBlockLen > opts.sack_blocks.size())
        return bad("TCP SACK option length is not 2 + 8n (n = 1..4)");
      opts.sack_block_count = static_cast<uint8_t>(body / kSackBlockLen);
      for (size_t i = 0; i < opts.sack_block_count; ++i) {
        opts.sack_blocks[i].left = be32(d + i * kSackBlockLen);
        opts.sack_blocks[i].right = be32(d + i * kSackBlockLen + 4);
      }
      return true;
    }
    case kTimestamps:
      if (len != 10) return bad("TCP timestamps option length is not 10");
      opts.has_timestamps = true;
      opts.ts_val = be32(d);
      opts.ts_ecr = be32(d + 4);
      return true;
    case kFastOpen:
      if (len - 2 > kMaxFastOpenCookie) return bad("TCP Fast Open option longer than 18");
      set_cookie(d, len - 2);
      return true;
    case kExperimental:
      // Other experiments share kind 254; only the Fast Open magic is ours to parse.
      if (len >= 4 && be16(d) == kFastOpenMagic) {
        if (len - 4 > kMaxFastOpenCookie)
          return bad("TCP experimental Fast Open option longer than 20");
        set_cookie(d + 2, len - 4);
      }
      return true;
    default:
      return true;  // unknown kinds are only listed in `kinds`
  }
}

}  // namespace

void parse_tcp_options(std::span<const uint8_t> raw, TcpOptions& opts) {
  size_t i = 0;
  while (i < raw.size()) {
    const uint8_t kind = raw[i];
    // At most 40 option bytes and every option takes at least one, so `kinds` cannot fill
    // up from a valid header; the check keeps a caller's oversized span harmless.
    if (opts.kind_count < opts.kinds.size()) opts.kinds[opts.kind_count++] = kind;
    if (kind == kEol) return;
    if (kind == kNop) {
      ++i;
      continue;
    }
    if (i + 1 >= raw.size()) {
      opts.problem = "TCP option length byte past the header";
      return;
    }
    const size_t len = raw[i + 1];
    if (len < 2) {
      opts.problem = "TCP option length < 2";
      return;
    }
    if (len > raw.size() - i) {
      opts.problem = "TCP option runs past the header";
      return;
    }
    if (!apply_option(raw.subspan(i, len), opts)) return;
    i += len;
  }
}

}  // namespace tcpinspect::core::detail
