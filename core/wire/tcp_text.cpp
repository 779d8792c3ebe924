// SPDX-License-Identifier: MIT
#include "core/wire/tcp_text.hpp"

#include "core/wire/tcp_option_kind.hpp"

namespace tcpinspect::core {
namespace {

// Appends to a fixed buffer and silently drops what would not fit, so a wrong bound can
// shorten the text but never write past it.
class BoundedText {
 public:
  BoundedText(char* dst, size_t capacity) : dst_(dst), capacity_(capacity) {}

  BoundedText& put(char c) {
    if (n_ < capacity_) dst_[n_++] = c;
    return *this;
  }
  BoundedText& put(std::string_view s) {
    for (char c : s)
      put(c);
    return *this;
  }
  BoundedText& put_uint(uint64_t v) {
    char digits[20];
    size_t k = 0;
    do {
      digits[k++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (k > 0)
      put(digits[--k]);
    return *this;
  }
  size_t size() const { return n_; }

 private:
  char* dst_;
  size_t capacity_;
  size_t n_ = 0;
};

void put_cookie(BoundedText& out, const TcpOptions& o) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (uint8_t b = 0; b < o.fast_open_cookie_len && b < o.fast_open_cookie.size(); ++b)
    out.put(kHex[o.fast_open_cookie[b] >> 4]).put(kHex[o.fast_open_cookie[b] & 15]);
}

// One option by its raw kind. `sack_done`: SACK blocks are printed at the first SACK only
// (TcpOptions keeps one set of blocks).
void put_option(BoundedText& out, uint8_t kind, const TcpOptions& o, uint32_t sack_base,
                bool& sack_done) {
  const auto info = tcp_option_kind_info(kind);
  if (!info || (info->kind == TcpOptionKind::Experimental && !o.has_fast_open)) {
    out.put("opt-").put_uint(kind);
    return;
  }
  // Fast Open in its experimental form reads as Fast Open.
  constexpr auto kFastOpen = static_cast<uint8_t>(TcpOptionKind::FastOpen);
  out.put(info->kind == TcpOptionKind::Experimental ? tcp_option_kind_info(kFastOpen)->name
                                                    : info->name);
  switch (info->kind) {
    case TcpOptionKind::Mss:
      out.put(' ').put_uint(o.mss);
      break;
    case TcpOptionKind::WindowScale:
      out.put(' ').put_uint(o.window_scale);
      break;
    case TcpOptionKind::Sack:
      if (!sack_done)
        for (uint8_t b = 0; b < o.sack_block_count && b < o.sack_blocks.size(); ++b)
          out.put(' ')
              .put_uint(o.sack_blocks[b].left - sack_base)
              .put(':')
              .put_uint(o.sack_blocks[b].right - sack_base);
      sack_done = true;
      break;
    case TcpOptionKind::Timestamps:
      out.put(' ').put_uint(o.ts_val).put('/').put_uint(o.ts_ecr);
      break;
    case TcpOptionKind::FastOpen:
    case TcpOptionKind::Experimental:
      if (o.fast_open_cookie_len == 0) {
        out.put(" request");
      } else {
        out.put(" cookie ");
        put_cookie(out, o);
      }
      break;
    case TcpOptionKind::Eol:
    case TcpOptionKind::Nop:
    case TcpOptionKind::SackPermitted:
      break;  // the name says it all
  }
}

}  // namespace

size_t format_tcp_flags(uint16_t flags, std::string_view sep, char* dst) {
  BoundedText out(dst, kMaxTcpFlagsText);
  sep = sep.substr(0, kMaxFlagSeparator);
  bool first = true;
  for (const TcpFlagInfo& f : kTcpFlags) {
    if (!(flags & f.bit)) continue;
    if (!first) out.put(sep);
    out.put(f.name);
    first = false;
  }
  if (first) out.put("none");
  return out.size();
}

std::string tcp_flags_text(uint16_t flags) {
  char buf[kMaxTcpFlagsText];
  return std::string(buf, format_tcp_flags(flags, ",", buf));
}

size_t format_tcp_options(const TcpOptions& o, uint32_t sack_base, char* dst) {
  BoundedText out(dst, kMaxTcpOptionsText);
  bool first = true;
  auto sep = [&] {
    if (!first) out.put(',');
    first = false;
  };
  bool sack_done = false;
  for (uint8_t i = 0; i < o.kind_count && i < o.kinds.size(); ++i) {
    sep();
    put_option(out, o.kinds[i], o, sack_base, sack_done);
  }
  if (o.problem != TcpOptionProblem::None) {
    sep();
    out.put("bad options: ").put(tcp_option_problem_text(o.problem));
  }
  return out.size();
}

std::string tcp_options_text(const TcpOptions& o, uint32_t sack_base) {
  char buf[kMaxTcpOptionsText];
  return std::string(buf, format_tcp_options(o, sack_base, buf));
}

}  // namespace tcpinspect::core
