// SPDX-License-Identifier: MIT
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

/// TCP option kinds this tool parses: RFC 9293 3.2 (EOL, NOP, MSS), RFC 7323 (window
/// scale, timestamps), RFC 2018 (SACK), RFC 7413 (Fast Open), RFC 6994 (experimental).
/// Other kinds are kept as raw numbers in TcpOptions::kinds and shown as "opt-N".
namespace tcpinspect::core {

enum class TcpOptionKind : uint8_t {
  Eol = 0,
  Nop = 1,
  Mss = 2,
  WindowScale = 3,
  SackPermitted = 4,
  Sack = 5,
  Timestamps = 8,
  FastOpen = 34,
  Experimental = 254,  // shared by experiments; Fast Open's is told by its magic 0xF989
};

struct TcpOptionKindInfo {
  TcpOptionKind kind;
  /// The name in option lists (replay's "<mss 1460,sackOK,TS 1/0,nop,wscale 7>").
  std::string_view name;
  /// What it is, for the annotated hex dump.
  std::string_view meaning;
};

/// Every TcpOptionKind, in enumerator order. The experimental kind has no name of its own:
/// lists show it as "tfo" when it carries Fast Open, else as "opt-254".
inline constexpr std::array<TcpOptionKindInfo, 9> kTcpOptionKinds{{
    {TcpOptionKind::Eol, "eol", "end of option list"},
    {TcpOptionKind::Nop, "nop", "no-operation, padding"},
    {TcpOptionKind::Mss, "mss", "maximum segment size"},
    {TcpOptionKind::WindowScale, "wscale", "window scale shift count"},
    {TcpOptionKind::SackPermitted, "sackOK", "SACK permitted"},
    {TcpOptionKind::Sack, "sack", "selective acknowledgment blocks left:right"},
    {TcpOptionKind::Timestamps, "TS", "timestamps TSval/TSecr"},
    {TcpOptionKind::FastOpen, "tfo", "TCP Fast Open"},
    {TcpOptionKind::Experimental, "", "experimental option"},
}};

// Nine enumerators, each listed once (ascending, so none twice).
static_assert([] {
  for (size_t i = 1; i < kTcpOptionKinds.size(); ++i)
    if (kTcpOptionKinds[i - 1].kind >= kTcpOptionKinds[i].kind) return false;
  return kTcpOptionKinds.size() == 9;
}());

/// The entry for a raw kind byte, or nullopt for a kind this tool does not know.
constexpr std::optional<TcpOptionKindInfo> tcp_option_kind_info(uint8_t kind) {
  for (const TcpOptionKindInfo& k : kTcpOptionKinds)
    if (static_cast<uint8_t>(k.kind) == kind) return k;
  return std::nullopt;
}

constexpr bool is_option_kind(uint8_t raw, TcpOptionKind kind) {
  return raw == static_cast<uint8_t>(kind);
}

}  // namespace tcpinspect::core
