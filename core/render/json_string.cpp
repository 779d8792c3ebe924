// SPDX-License-Identifier: MIT
#include "core/render/json_string.hpp"

#include <cstddef>

namespace tcpinspect::core {

void put_json_string(OutBuffer& out, std::string_view s, JsonStringStyle style) {
  out.put('"');
  // Runs of plain bytes are copied at once; only the bytes that need care are looked at.
  size_t from = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    const bool control = static_cast<unsigned char>(ch) < 0x20;
    if (!control && ch != '"' && ch != '\\' && !(ch == '<' && style.inside_script)) continue;
    out.put(s.substr(from, i - from));
    if (ch == '"' || ch == '\\')
      out.put('\\').put(ch);
    else if (ch == '<')
      out.put("\\u003c");
    else if (ch == '\n' && style.keep_newlines)
      out.put("\\n");
    else
      out.put(' ');
    from = i + 1;
  }
  out.put(s.substr(from));
  out.put('"');
}

}  // namespace tcpinspect::core
