// SPDX-License-Identifier: MIT
#include "capture/privileges.hpp"

#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "capture/error.hpp"
#include "capture/live_source.hpp"
#include "fork_as.hpp"

namespace tcpinspect::capture {
namespace {

using tcpinspect::testing::in_child;

std::string self_exe() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

TEST(Privileges, MessageNamesCapabilityAndBothRemedies) {
  EXPECT_EQ(capture_privilege_message("eth0", "/usr/bin/tcpinspect"),
            "capturing on eth0 needs CAP_NET_RAW: run with sudo, or grant it with: "
            "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpinspect");
  EXPECT_EQ(capture_privilege_message("lo"),
            "capturing on lo needs CAP_NET_RAW: run with sudo, or grant it with: "
            "sudo setcap cap_net_raw,cap_net_admin=eip " +
                self_exe());
}

TEST(Privileges, UnknownUser) {
  try {
    lookup_user("ti-no-such-user");
    ADD_FAILURE() << "accepted an unknown user";
  } catch (const CaptureError& e) {
    EXPECT_STREQ(e.what(), "no user named 'ti-no-such-user'");
  }
}

TEST(Privileges, LooksUpNobody) {
  const TargetUser u = lookup_user("nobody");
  EXPECT_EQ(u.name, "nobody");
  EXPECT_EQ(u.uid, 65534u);
}

// Becomes nobody in a child and reports every id and whether root can come back.
TEST(Privileges, DropToNobodyIsComplete) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const TargetUser nobody = lookup_user("nobody");
  const std::string report = in_child([&] {
    drop_privileges(nobody);
    gid_t groups[8];
    const int n = ::getgroups(8, groups);
    std::string out = "uid=" + std::to_string(::getuid()) + " euid=" + std::to_string(::geteuid()) +
                      " gid=" + std::to_string(::getgid()) + " egid=" + std::to_string(::getegid());
    out += " groups=" + std::to_string(n);
    for (int i = 0; i < n; ++i)
      out += (i ? "," : ":") + std::to_string(groups[i]);
    out += " caps=" + std::to_string(effective_capabilities());
    out += ::setuid(0) == 0 ? " root-back" : " root-gone";
    out += " no_new_privs=" + std::to_string(::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    return out;
  });
  const std::string g = std::to_string(nobody.gid);
  // initgroups(nobody) leaves only nobody's own group (root's group 0 is gone).
  EXPECT_EQ(report, "uid=65534 euid=65534 gid=" + g + " egid=" + g + " groups=1:" + g +
                        " caps=0 root-gone no_new_privs=1");
}

// Without CAP_NET_RAW (as nobody) opening a capture fails with the one-line remedy.
TEST(Privileges, CaptureAsNobodySaysWhatIsMissing) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become nobody";
  const std::string message = in_child([] {
    drop_privileges(lookup_user("nobody"));
    try {
      LiveOptions o;
      o.interface = "lo";
      LiveSource source(o);
      return std::string("opened");
    } catch (const CaptureError& e) {
      return std::string(e.what());
    }
  });
  EXPECT_EQ(message, capture_privilege_message("lo", self_exe()));
}

TEST(Privileges, NobodyCannotCaptureRootCan) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  EXPECT_TRUE(can_capture());
  EXPECT_EQ(in_child([] {
              drop_privileges(lookup_user("nobody"));
              return std::string(can_capture() ? "yes" : "no");
            }),
            "no");
}

}  // namespace
}  // namespace tcpinspect::capture
