// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_name.hpp"

#include "traffic/udp_transfer_wire.hpp"

namespace tcpinspect::traffic::udp {

NameCheck check_name(std::string_view name) {
  if (name.empty()) return NameCheck::Empty;
  if (name.size() > kMaxNameLength) return NameCheck::TooLong;
  for (char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return NameCheck::Control;
    if (c == '/' || c == '\\') return NameCheck::Separator;
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
  }
  return "?";
}

}  // namespace tcpinspect::traffic::udp
