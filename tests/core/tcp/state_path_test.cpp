// SPDX-License-Identifier: MIT
// StatePath keeps the distinct states an endpoint went through, packed four bits a state:
// repeats are one entry, pop undoes the last, and past kCapacity it keeps the first state
// and the newest ones, marking itself truncated.
#include "core/tcp/state_path.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tcpinspect::core {
namespace {

std::vector<TcpState> states_of(const StatePath& p) {
  std::vector<TcpState> out;
  for (size_t i = 0; i < p.size(); ++i)
    out.push_back(p[i]);
  return out;
}

using S = TcpState;

TEST(StatePath, KeepsDistinctStatesInOrder) {
  StatePath p;
  EXPECT_EQ(p.size(), 0u);
  for (S s : {S::Closed, S::SynSent, S::SynSent, S::Established, S::FinWait1, S::FinWait2,
              S::TimeWait, S::TimeWait, S::Closed})
    p.push(s);
  EXPECT_EQ(states_of(p), (std::vector<S>{S::Closed, S::SynSent, S::Established, S::FinWait1,
                                          S::FinWait2, S::TimeWait, S::Closed}));
  EXPECT_EQ(p.back(), S::Closed);
  EXPECT_FALSE(p.truncated());
  p.pop();
  p.pop();
  EXPECT_EQ(p.back(), S::FinWait2);
  p.push(S::Closing);  // what was popped is overwritten, not merged
  EXPECT_EQ(states_of(p), (std::vector<S>{S::Closed, S::SynSent, S::Established, S::FinWait1,
                                          S::FinWait2, S::Closing}));
  p.clear();
  EXPECT_EQ(p.size(), 0u);
  p.pop();  // harmless when empty
  EXPECT_EQ(p.size(), 0u);
}

TEST(StatePath, PastCapacityKeepsTheFirstAndTheNewest) {
  StatePath p;
  // Alternating states never repeat, so each push is an entry: 20 pushes, capacity 14.
  std::vector<S> pushed;
  for (int i = 0; i < 20; ++i) {
    const S s = static_cast<S>(i % 11);
    p.push(s);
    pushed.push_back(s);
  }
  ASSERT_EQ(p.size(), StatePath::kCapacity);
  EXPECT_TRUE(p.truncated());
  std::vector<S> expected{pushed.front()};
  expected.insert(expected.end(), pushed.end() - (StatePath::kCapacity - 1), pushed.end());
  EXPECT_EQ(states_of(p), expected);
  EXPECT_EQ(p.back(), S::Closing);  // 19 % 11 == 8
}

}  // namespace
}  // namespace tcpinspect::core
