// SPDX-License-Identifier: MIT
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>

/// Zeek's default `likely_server_ports` for TCP: the TCP ports that the protocol scripts
/// loaded by scripts/base/init-default.zeek register with Analyzer::register_for_ports()
/// (which adds its server ports to likely_server_ports, scripts/base/frameworks/analyzer/
/// main.zeek) or `redef likely_server_ports += { ports }` directly. The set is empty in
/// init-bare.zeek. Sources, all under scripts/base/protocols/ in github.com/zeek/zeek:
///   dce-rpc/main.zeek 135 · dnp3/main.zeek 20000 · dns/main.zeek 53 · finger/main.zeek 79
///   ftp/main.zeek 21 2811 · http/main.zeek 80 81 631 1080 3128 8000 8080 8888
///   imap/main.zeek 143 · irc/main.zeek 6666-6669 · krb/main.zeek 88 · ldap/main.zeek 389 3268
///   modbus/main.zeek 502 · mqtt/main.zeek 1883 · mysql/main.zeek 1434 3306 · pop3 110
///   rdp/main.zeek 3389 · smb/main.zeek 139 445 · smtp/main.zeek 25 587 · socks/main.zeek 1080
///   ssh/main.zeek 22 · ssl/main.zeek 443 563 585 614 636 989 990 992 993 995 5223
///   syslog/main.zeek 514 (tcp_ports) · xmpp/main.zeek 5222 5269
/// (rfb, sip, ntp, snmp, dhcp, radius, quic, websocket, ntlm and the tunnel packet analyzers
/// register no TCP server port.) See docs/zeek.md for the version caveat.
namespace tcpinspect::core {

inline constexpr std::array<uint16_t, 47> kZeekLikelyServerTcpPorts = {
    21,   22,   25,   53,   79,   80,   81,   88,   110,  135,  139,  143,  389,  443,  445,   502,
    514,  563,  585,  587,  614,  631,  636,  989,  990,  992,  993,  995,  1080, 1434, 1883,  2811,
    3128, 3268, 3306, 3389, 5222, 5223, 5269, 6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000,
};

static_assert(std::is_sorted(kZeekLikelyServerTcpPorts.begin(), kZeekLikelyServerTcpPorts.end()),
              "binary search needs the list sorted");

/// IPBasedAnalyzer::IsLikelyServerPort() for TCP with Zeek's default scripts loaded.
constexpr bool zeek_likely_server_port(uint16_t port) {
  return std::binary_search(kZeekLikelyServerTcpPorts.begin(), kZeekLikelyServerTcpPorts.end(),
                            port);
}

}  // namespace tcpinspect::core
