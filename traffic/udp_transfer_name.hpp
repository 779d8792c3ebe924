// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>

/// File names arriving from the network are untrusted: this decides which ones the
/// receiver may create inside its directory.
namespace tcpinspect::traffic::udp {

enum class NameCheck {
  Ok,
  Empty,
  TooLong,     ///< more than kMaxNameLength bytes
  LeadingDot,  ///< ".", "..", hidden files and our own ".NAME.partial.ID" temporaries
  Separator,   ///< '/' or '\\': no paths, absolute or relative
  Control,     ///< bytes 0x00-0x1F and 0x7F (NUL, newline, escape sequences...)
};

/// Accepts only a single plain path component.
NameCheck check_name(std::string_view name);
std::string_view to_string(NameCheck c);

}  // namespace tcpinspect::traffic::udp
