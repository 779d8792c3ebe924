// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_name.hpp"

#include <cstdint>
#include <cstdio>

#include "traffic/udp_transfer_wire.hpp"

namespace tcpinspect::traffic::udp {
namespace {

/// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 when the bytes there are not
/// one (stray continuation, overlong form, surrogate, above U+10FFFF, truncated). Decodes
/// the code point into `cp`. Bounds-checked against s.size().
size_t utf8_sequence(std::string_view s, size_t i, uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len = 0;
  uint32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool is_c1(uint32_t cp) {
  return cp >= 0x80 && cp <= 0x9F;
}

bool is_bidi_control(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void append_escaped(std::string& out, std::string_view bytes) {
  for (char c : bytes) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
    out += buf;
  }
}

}  // namespace

NameCheck check_name(std::string_view name) {
  if (name.empty()) return NameCheck::Empty;
  if (name.size() > kMaxNameLength) return NameCheck::TooLong;
  for (char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return NameCheck::Control;
    if (c == '/' || c == '\\') return NameCheck::Separator;
  }
  // Invalid UTF-8 stays allowed (file names are bytes on Linux; printing escapes it), but
  // encoded controls are refused like their single-byte counterparts.
  for (size_t i = 0; i < name.size();) {
    uint32_t cp = 0;
    const size_t len = utf8_sequence(name, i, cp);
    if (len == 0) {
      ++i;
      continue;
    }
    if (is_c1(cp)) return NameCheck::C1Control;
    if (is_bidi_control(cp)) return NameCheck::BidiControl;
    i += len;
  }
  if (name.front() == '.') return NameCheck::LeadingDot;
  return NameCheck::Ok;
}

std::string_view to_string(NameCheck c) {
  switch (c) {
    case NameCheck::Ok:
      return "ok";
    case NameCheck::Empty:
      return "empty name";
    case NameCheck::TooLong:
      return "name longer than 200 bytes";
    case NameCheck::LeadingDot:
      return "name starts with '.'";
    case NameCheck::Separator:
      return "name contains a path separator";
    case NameCheck::Control:
      return "name contains a control character";
    case NameCheck::C1Control:
      return "name contains a C1 control character";
    case NameCheck::BidiControl:
      return "name contains a bidirectional control character";
  }
  return "?";
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t len = utf8_sequence(s, i, cp);
    if (len == 0) {  // not UTF-8: escape this byte and resynchronise on the next
      append_escaped(out, s.substr(i, 1));
      ++i;
      continue;
    }
    const std::string_view seq = s.substr(i, len);
    if (cp < 0x20 || cp == 0x7F || cp == '"' || cp == '\\' || is_c1(cp) || is_bidi_control(cp)) {
      append_escaped(out, seq);
    } else {
      out += seq;
    }
    i += len;
  }
  return out;
}

}  // namespace tcpinspect::traffic::udp
