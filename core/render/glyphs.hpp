// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>

/// The non-ASCII marks of the text, ladder, summary and explain formats, and their ASCII
/// stand-ins for terminals whose locale is not UTF-8 (LC_ALL=C) or for --ascii. svg, html
/// and jsonl are UTF-8 documents and always use the first set.
namespace tcpinspect::core {

struct Glyphs {
  std::string_view arrow;      // a state change: CLOSED→SYN_SENT
  std::string_view both_ways;  // the ladder's header: client ⇄ server
  std::string_view rule;       // text's connection summary and footer lines
  std::string_view ok;         // a check that holds
  std::string_view bad;        // a check that fails
  std::string_view ellipsis;   // something left out
};

inline constexpr Glyphs kUnicodeGlyphs{"→", "⇄", "──", "✓", "✗", "…"};
inline constexpr Glyphs kAsciiGlyphs{"->", "<->", "--", "OK", "BAD", "..."};

constexpr const Glyphs& glyphs(bool ascii) {
  return ascii ? kAsciiGlyphs : kUnicodeGlyphs;
}

}  // namespace tcpinspect::core
