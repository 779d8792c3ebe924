// SPDX-License-Identifier: MIT
#include "capture/interfaces.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <pcap/pcap.h>

namespace tcpinspect::capture {
namespace {

TEST(Interfaces, ListsLoopbackWithItsAddresses) {
  const auto all = list_interfaces();
  const auto lo =
      std::find_if(all.begin(), all.end(), [](const auto& i) { return i.name == "lo"; });
  ASSERT_NE(lo, all.end()) << interface_names(all);
  EXPECT_TRUE(lo->loopback);
  EXPECT_TRUE(lo->up);
  EXPECT_NE(std::find(lo->addresses.begin(), lo->addresses.end(), "127.0.0.1/8"),
            lo->addresses.end());
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const auto& i) { return i.name == "any"; }));
}

TEST(Interfaces, Exists) {
  EXPECT_TRUE(interface_exists("lo"));
  EXPECT_TRUE(interface_exists("any"));
  EXPECT_FALSE(interface_exists("ti-nosuch0"));
  EXPECT_FALSE(interface_exists(""));
  EXPECT_FALSE(interface_exists(std::string(40, 'x')));
}

TEST(Interfaces, NamesJoinedForMessages) {
  std::vector<InterfaceInfo> v(3);
  v[0].name = "lo";
  v[1].name = "eth0";
  v[2].name = "any";
  EXPECT_EQ(interface_names(v), "lo, eth0, any");
  EXPECT_EQ(interface_names({}), "");
}

}  // namespace
}  // namespace tcpinspect::capture

namespace tcpinspect::capture {
namespace {

// trace -D prints what tcpdump -D prints (tcpdump 4.99.3 on this machine's interfaces; the
// integration test compares the two outputs whole).
TEST(Interfaces, TcpdumpListLines) {
  InterfaceInfo eth;
  eth.name = "eth0";
  eth.pcap_flags = PCAP_IF_UP | PCAP_IF_RUNNING | PCAP_IF_CONNECTION_STATUS_CONNECTED;
  EXPECT_EQ(tcpdump_list_line(1, eth), "1.eth0 [Up, Running, Connected]");
  InterfaceInfo any;
  any.name = "any";
  any.description = "Pseudo-device that captures on all interfaces";
  any.pcap_flags = PCAP_IF_UP | PCAP_IF_RUNNING | PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
  EXPECT_EQ(tcpdump_list_line(2, any),
            "2.any (Pseudo-device that captures on all interfaces) [Up, Running]");
  InterfaceInfo lo;
  lo.name = "lo";
  lo.pcap_flags =
      PCAP_IF_UP | PCAP_IF_RUNNING | PCAP_IF_LOOPBACK | PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
  EXPECT_EQ(tcpdump_list_line(3, lo), "3.lo [Up, Running, Loopback]");
  InterfaceInfo ifb;
  ifb.name = "ifb0";
  ifb.pcap_flags = PCAP_IF_CONNECTION_STATUS_DISCONNECTED;
  EXPECT_EQ(tcpdump_list_line(4, ifb), "4.ifb0 [none, Disconnected]");
  ifb.pcap_flags = PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
  EXPECT_EQ(tcpdump_list_line(4, ifb), "4.ifb0 [none]");
  InterfaceInfo bt;
  bt.name = "bluetooth-monitor";
  bt.description = "Bluetooth Linux Monitor";
  bt.pcap_flags = PCAP_IF_WIRELESS | PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
  EXPECT_EQ(tcpdump_list_line(6, bt), "6.bluetooth-monitor (Bluetooth Linux Monitor) [Wireless]");
  bt.pcap_flags = PCAP_IF_WIRELESS | PCAP_IF_UP;  // status unknown (0)
  EXPECT_EQ(tcpdump_list_line(6, bt),
            "6.bluetooth-monitor (Bluetooth Linux Monitor) [Up, Wireless, Association status "
            "unknown]");
  InterfaceInfo bare;
  bare.name = "x";
  EXPECT_EQ(tcpdump_list_line(10, bare), "10.x");  // no flags at all: no brackets
}

}  // namespace
}  // namespace tcpinspect::capture
