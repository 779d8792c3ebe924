// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>

#include "core/render/out_buffer.hpp"

namespace tcpinspect::core {

/// Where a JSON string goes decides two characters' fate; everything else is escaped alike.
struct JsonStringStyle {
  /// '\n' written as the escape \n (a multi-line text); otherwise a space, like every other
  /// control character.
  bool keep_newlines = false;
  /// '<' written as \u003c, so that nothing in the string can close a surrounding <script>
  /// element (the html report embeds its JSON in one).
  bool inside_script = false;
};

/// Writes `s` as a JSON string (RFC 8259 section 7), quotes included: '"' and '\\' are
/// escaped with a backslash, control characters below 0x20 become a space (but see `style`),
/// and other bytes, UTF-8 included, are copied as they are. Only the program's own texts
/// (ids, names, addresses, sentences) are written this way: a space is as good as an escape
/// for them, and keeps the lines readable.
void put_json_string(OutBuffer& out, std::string_view s, JsonStringStyle style = {});

}  // namespace tcpinspect::core
