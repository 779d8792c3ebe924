// SPDX-License-Identifier: MIT
// TCP options: RFC 9293 3.2 (EOL, NOP, MSS), RFC 7323 (window scale, timestamps),
// RFC 2018 (SACK), RFC 7413 (Fast Open, and its experimental form, RFC 6994).
#include "core/wire/byte_reader.hpp"
#include "core/wire/decode.hpp"
#include "core/wire/decode_internal.hpp"
#include "core/wire/tcp_option_kind.hpp"

namespace tcpinspect::core::detail {
namespace {

constexpr uint16_t kFastOpenMagic = 0xF989;  // RFC 7413 4.1.1, experimental option id
constexpr size_t kMaxFastOpenCookie = 16;
constexpr size_t kSackBlockLen = 8;

bool fail(TcpOptions& opts, TcpOptionProblem problem) {
  opts.problem = problem;
  return false;
}

bool set_cookie(ByteReader& body, TcpOptions& opts) {
  const size_t n = body.remaining();
  opts.has_fast_open = true;
  opts.fast_open_cookie_len = static_cast<uint8_t>(n);
  return body.read_bytes(std::span(opts.fast_open_cookie).first(n));
}

// `body` is the option's data after kind and length, already known to lie inside the
// header. Returns false with opts.problem set if its length is not what the kind requires.
bool apply_option(uint8_t kind, std::span<const uint8_t> data, TcpOptions& opts) {
  ByteReader body(data);
  const size_t len = data.size();
  switch (static_cast<TcpOptionKind>(kind)) {
    case TcpOptionKind::Mss:
      if (len != 2) return fail(opts, TcpOptionProblem::MssLength);
      opts.has_mss = true;
      return body.read_u16be(opts.mss);
    case TcpOptionKind::WindowScale:
      if (len != 1) return fail(opts, TcpOptionProblem::WindowScaleLength);
      opts.has_window_scale = true;
      return body.read_u8(opts.window_scale);
    case TcpOptionKind::SackPermitted:
      if (len != 0) return fail(opts, TcpOptionProblem::SackPermittedLength);
      opts.sack_permitted = true;
      return true;
    case TcpOptionKind::Sack:
      if (len == 0 || len % kSackBlockLen != 0 || len / kSackBlockLen > opts.sack_blocks.size())
        return fail(opts, TcpOptionProblem::SackLength);
      opts.sack_block_count = static_cast<uint8_t>(len / kSackBlockLen);
      for (size_t i = 0; i < opts.sack_block_count; ++i)
        if (!body.read_u32be(opts.sack_blocks[i].left) ||
            !body.read_u32be(opts.sack_blocks[i].right))
          return false;  // unreachable: the length was checked
      return true;
    case TcpOptionKind::Timestamps:
      if (len != 8) return fail(opts, TcpOptionProblem::TimestampsLength);
      opts.has_timestamps = true;
      return body.read_u32be(opts.ts_val) && body.read_u32be(opts.ts_ecr);
    case TcpOptionKind::FastOpen:
      if (len > kMaxFastOpenCookie) return fail(opts, TcpOptionProblem::FastOpenTooLong);
      return set_cookie(body, opts);
    case TcpOptionKind::Experimental: {
      // Other experiments share kind 254; only the Fast Open magic is ours to parse.
      uint16_t magic = 0;
      if (!body.read_u16be(magic) || magic != kFastOpenMagic) return true;
      if (body.remaining() > kMaxFastOpenCookie)
        return fail(opts, TcpOptionProblem::ExperimentalFastOpenTooLong);
      return set_cookie(body, opts);
    }
    case TcpOptionKind::Eol:  // handled by the caller: they have no length byte
    case TcpOptionKind::Nop:
      break;
  }
  return true;  // unknown kinds are only listed in `kinds`
}

}  // namespace

void parse_tcp_options(std::span<const uint8_t> raw, TcpOptions& opts) {
  ByteReader r(raw);
  uint8_t kind = 0;
  while (r.read_u8(kind)) {
    // At most 40 option bytes and every option takes at least one, so `kinds` cannot fill
    // up from a valid header; the check keeps a caller's oversized span harmless.
    if (opts.kind_count < opts.kinds.size()) opts.kinds[opts.kind_count++] = kind;
    if (is_option_kind(kind, TcpOptionKind::Eol)) return;
    if (is_option_kind(kind, TcpOptionKind::Nop)) continue;
    uint8_t len = 0;  // counts the kind and length bytes too
    if (!r.read_u8(len)) {
      fail(opts, TcpOptionProblem::LengthByteMissing);
      return;
    }
    if (len < 2) {
      fail(opts, TcpOptionProblem::LengthBelow2);
      return;
    }
    std::span<const uint8_t> data;
    if (!r.subspan(len - 2u, data)) {
      fail(opts, TcpOptionProblem::RunsPastHeader);
      return;
    }
    if (!apply_option(kind, data, opts)) return;
  }
}

}  // namespace tcpinspect::core::detail

namespace tcpinspect::core {

TcpOptions parse_tcp_options(std::span<const uint8_t> raw) {
  TcpOptions opts;
  detail::parse_tcp_options(raw, opts);
  return opts;
}

}  // namespace tcpinspect::core
