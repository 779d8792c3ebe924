// SPDX-License-Identifier: MIT
#include "core/tcp/connection_table.hpp"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "core/wire/flow_key.hpp"

namespace tcpinspect::core {
namespace {

FlowKey key(uint32_t n) {
  IpAddress a;
  a.version = 4;
  a.bytes = {127, 0, 0, 1};
  IpAddress b = a;
  b.bytes = {127, static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
             static_cast<uint8_t>(n)};
  bool src_is_lo = false;
  return make_flow_key(a, static_cast<uint16_t>(1024 + n % 60000), b, 9, src_is_lo);
}

// A flood of short-lived connections (each scheduled, then evicted) must not leave its
// deadlines queued, and the live connections' deadlines must all still fire, in order.
TEST(ConnectionTable, DeadlinesOfEndedConnectionsDoNotAccumulate) {
  ConnectionTable table(100);
  std::vector<uint32_t> live;
  for (uint32_t i = 0; i < 10; ++i) {
    const uint32_t s = table.insert(key(i));
    table.schedule(s, 1000 + i);
    table.schedule(s, 5000 + i);  // a later duplicate: harmless, may be folded
    live.push_back(s);
  }
  for (uint32_t i = 10; i < 200'010; ++i) {
    const uint32_t s = table.insert(key(i));
    table.schedule(s, 3'600'000 + i);  // an idle deadline far in the future
    table.erase(s);
    // Bounded by the table at its largest (11 here), not by the connections ever seen.
    ASSERT_LE(table.pending_deadlines(), 4 * 11 + 4096 + 1) << i;
  }
  EXPECT_EQ(table.size(), 10u);
  std::vector<uint32_t> fired;
  for (uint32_t s = table.pop_due(1009); s != ConnectionTable::kNone; s = table.pop_due(1009))
    fired.push_back(s);
  EXPECT_EQ(fired, live);  // each live slot once, earliest deadline first
  // The slots of erased connections never fire, however late.
  for (uint32_t s = table.pop_due(INT64_MAX); s != ConnectionTable::kNone;
       s = table.pop_due(INT64_MAX))
    EXPECT_NE(std::find(live.begin(), live.end(), s), live.end()) << s;
}

// The prefetching walks are only hints: every item is visited once, in order, whatever the
// batch length against the look-ahead distances, with items that look nothing up, and when
// a visit changes the table (inserts and erases) under the look-ahead.
TEST(ConnectionTable, PrefetchedVisitsEveryItemInOrderAndToleratesChanges) {
  for (const size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{16}, size_t{40}}) {
    ConnectionTable table(1000);
    std::vector<FlowKey> keys;
    std::vector<uint64_t> hashes;
    for (uint32_t i = 0; i < n; ++i) {
      keys.push_back(key(i));
      hashes.push_back(FlowKeyHash{}(keys.back()));
    }
    std::vector<size_t> visited;
    table.visit_prefetched(
        n, [&](size_t i) { return i % 3 == 2 ? nullptr : &hashes[i]; },
        [&](size_t i) {
          visited.push_back(i);
          if (i % 3 == 2) return;  // an item that looks nothing up
          ASSERT_EQ(table.find(keys[i], hashes[i]), ConnectionTable::kNone) << i;
          const uint32_t slot = table.insert(keys[i]);
          EXPECT_EQ(table.find(keys[i], hashes[i]), slot) << i;
          if (i % 2 == 1) table.erase(slot);
        });
    std::vector<size_t> expected(n);
    for (size_t i = 0; i < n; ++i)
      expected[i] = i;
    EXPECT_EQ(visited, expected) << "n=" << n;
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i)
      if (i % 3 != 2 && i % 2 == 0) ++kept;
    EXPECT_EQ(table.size(), kept) << "n=" << n;

    std::vector<uint32_t> slots;
    table.for_each([&](uint32_t slot) { slots.push_back(slot); });
    std::vector<uint32_t> seen;
    table.visit_slots_prefetched(
        slots.size(), [&](size_t i) { return slots[i]; },
        [&](size_t i) { seen.push_back(slots[i]); });
    EXPECT_EQ(seen, slots) << "n=" << n;
  }
}

}  // namespace
}  // namespace tcpinspect::core
