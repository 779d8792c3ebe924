// SPDX-License-Identifier: MIT
#include "traffic/socket_address.hpp"

#include <netinet/in.h>

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace tcpinspect::traffic {
namespace {

TEST(SocketAddress, ParsesIpv4HostPort) {
  const SocketAddress a = parse_host_port("127.0.0.1:7");
  EXPECT_EQ(a.family(), AF_INET);
  EXPECT_EQ(a.port(), 7);
  EXPECT_EQ(a.size(), sizeof(sockaddr_in));
  EXPECT_EQ(a.to_string(), "127.0.0.1:7");
  EXPECT_TRUE(a.is_loopback());
  EXPECT_FALSE(a.is_any());
}

TEST(SocketAddress, ParsesBracketedIpv6) {
  const SocketAddress a = parse_host_port("[::1]:65535");
  EXPECT_EQ(a.family(), AF_INET6);
  EXPECT_EQ(a.port(), 65535);
  EXPECT_EQ(a.size(), sizeof(sockaddr_in6));
  EXPECT_EQ(a.to_string(), "[::1]:65535");
  EXPECT_TRUE(a.is_loopback());
}

TEST(SocketAddress, LocalhostIsIpv4Loopback) {
  EXPECT_EQ(parse_host_port("localhost:0").to_string(), "127.0.0.1:0");
}

TEST(SocketAddress, ParsesBareIps) {
  EXPECT_EQ(parse_ip("::", 9).to_string(), "[::]:9");
  EXPECT_TRUE(parse_ip("::").is_any());
  EXPECT_TRUE(parse_ip("0.0.0.0").is_any());
  EXPECT_EQ(parse_ip("[fe80::1]", 1).to_string(), "[fe80::1]:1");
  EXPECT_EQ(parse_ip("10.0.0.1").family(), AF_INET);
}

TEST(SocketAddress, MappedIpv4ShownPlain) {
  const SocketAddress a = parse_ip("::ffff:127.0.0.5", 80);
  EXPECT_EQ(a.family(), AF_INET6);
  EXPECT_EQ(a.host_string(), "127.0.0.5");
  EXPECT_TRUE(a.is_loopback());
}

void expect_rejected(const std::string& text, const std::string& why) {
  try {
    parse_host_port(text);
    ADD_FAILURE() << "accepted " << text;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "bad address '" + text + "': " + why) << text;
  }
}

TEST(SocketAddress, RejectsBadStringsWithClearMessages) {
  expect_rejected("", "expected HOST:PORT");
  expect_rejected("127.0.0.1", "expected HOST:PORT");
  expect_rejected("127.0.0.1:", "missing port");
  expect_rejected("127.0.0.1:65536", "port must be a number 0-65535");
  expect_rejected("127.0.0.1:-1", "port must be a number 0-65535");
  expect_rejected("127.0.0.1:80x", "port must be a number 0-65535");
  expect_rejected("127.0.0.1:99999999999999999999", "port must be a number 0-65535");
  expect_rejected("::1:80", "IPv6 addresses need brackets: [ADDR]:PORT");
  expect_rejected("[::1:80", "missing ']'");
  expect_rejected("[::1]80", "expected ':PORT' after ']'");
  expect_rejected("[::1]", "expected ':PORT' after ']'");
  expect_rejected("[]:80", "empty host");
  expect_rejected(":80", "empty host");
  expect_rejected("[127.0.0.1]:80", "not a numeric IPv6 address");
  expect_rejected("example.com:80",
                  "not a numeric IPv4/IPv6 address (host names are not resolved)");
  expect_rejected("256.1.1.1:80", "not a numeric IPv4/IPv6 address (host names are not resolved)");
  expect_rejected(std::string(200, '1') + ":80", "host too long");
}

TEST(SocketAddress, CopiesKernelAddressAndRejectsOtherFamilies) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(1234);
  sin.sin_addr.s_addr = htonl(0x7f000002);
  const SocketAddress a(reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
  EXPECT_EQ(a.to_string(), "127.0.0.2:1234");
  sockaddr sa{};
  sa.sa_family = AF_UNIX;
  EXPECT_THROW(SocketAddress(&sa, sizeof sa), std::invalid_argument);
  // A truncated length must not be trusted.
  EXPECT_THROW(SocketAddress(reinterpret_cast<const sockaddr*>(&sin), 4), std::invalid_argument);
}

}  // namespace
}  // namespace tcpinspect::traffic
