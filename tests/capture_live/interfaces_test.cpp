// SPDX-License-Identifier: MIT
#include "capture/interfaces.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

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
