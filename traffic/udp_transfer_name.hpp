// SPDX-License-Identifier: MIT
#pragma once
#include <string>
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
  /// UTF-8 encoded C1 controls U+0080-U+009F (U+009B is a terminal's CSI, like ESC [)
  C1Control,
  /// Bidirectional embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069: they
  /// make "exe.txt" look like "txt.exe" in a listing ("Trojan Source").
  BidiControl,
};

/// Accepts only a single plain path component.
NameCheck check_name(std::string_view name);
std::string_view to_string(NameCheck c);

/// A name (or any text from the network) safe to print on a terminal between double
/// quotes: valid UTF-8 is kept except for controls (C0, DEL, C1), bidirectional controls,
/// '"' and '\\', which become \xNN per byte, as does every byte of invalid UTF-8
/// (a lone 0x9B would be CSI to a terminal in an 8-bit mode).
std::string printable(std::string_view s);

}  // namespace tcpinspect::traffic::udp
