// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/tcp/connection.hpp"
#include "core/tcp/huge_page_store.hpp"
#include "core/wire/flow_key.hpp"

namespace tcpinspect::core {

/// Tracked connections keyed by four-tuple, with a least-recently-active order (for the
/// --max-connections cap) and a queue of capture-time deadlines (TIME_WAIT expiry, close
/// linger, idle expiry). Memory is bounded by the cap: slots are reused, never freed.
///
///   nodes_:  [ Node | Node | free | Node ... ]   index_: open addressing, FlowKey -> slot
///   LRU:     head_ (most recent) <-> ... <-> tail_ (least recent)
class ConnectionTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  explicit ConnectionTable(size_t max_connections);

  size_t size() const { return live_; }
  size_t capacity() const { return max_; }

  /// The slot of the connection with this key, or kNone.
  uint32_t find(const FlowKey& key) const { return find(key, FlowKeyHash{}(key)); }
  /// The same, with the key's FlowKeyHash already computed.
  uint32_t find(const FlowKey& key, uint64_t hash) const;
  /// Calls visit(i) for each i in [0, n), in order, with the lookups of the items after it
  /// already on their way into cache: with ~100,000 connections tracked most lookups miss,
  /// and this lets the misses overlap instead of stalling one after another.
  /// hash_of(i) -> const uint64_t*: the FlowKeyHash of the key item i will look up (with
  /// find(key, hash)), or nullptr for an item that looks nothing up. visit may change the
  /// table; a prefetch made stale by it only costs a useless load.
  template <typename HashOf, typename Visit>
  void visit_prefetched(size_t n, HashOf&& hash_of, Visit&& visit) {
    // Each item's index entry is requested kIndexAhead items before its visit and its node
    // kNodeAhead items before (by then the index entry has landed).
    auto index_ahead = [&](size_t i) {
      if (i >= n) return;
      if (const uint64_t* h = hash_of(i)) prefetch_index(*h);
    };
    auto node_ahead = [&](size_t i) {
      if (i >= n) return;
      if (const uint64_t* h = hash_of(i)) prefetch_node(*h);
    };
    for (size_t i = 0; i < kIndexAhead; ++i)
      index_ahead(i);
    for (size_t i = 0; i < kNodeAhead; ++i)
      node_ahead(i);
    for (size_t i = 0; i < n; ++i) {
      index_ahead(i + kIndexAhead);
      node_ahead(i + kNodeAhead);
      visit(i);
    }
  }
  /// Calls visit(i) for each i in [0, n), in order, where item i uses the live slot
  /// slot_of(i): each node is requested a few visits ahead (for walks in an order unrelated
  /// to where the nodes live).
  template <typename SlotOf, typename Visit>
  void visit_slots_prefetched(size_t n, SlotOf&& slot_of, Visit&& visit) {
    for (size_t i = 0; i < n && i < kSlotAhead; ++i)
      prefetch_slot(slot_of(i));
    for (size_t i = 0; i < n; ++i) {
      if (i + kSlotAhead < n) prefetch_slot(slot_of(i + kSlotAhead));
      visit(i);
    }
  }
  /// Adds a connection (the caller must have made room); returns its slot.
  uint32_t insert(const FlowKey& key);
  void erase(uint32_t slot);
  Connection& at(uint32_t slot) { return node(slot).conn; }

  /// Marks the connection as just active (moves it to the LRU head).
  void touch(uint32_t slot);
  /// The least recently active connection, or kNone when empty.
  uint32_t least_recent() const { return tail_; }

  /// Asks to be woken at capture time `when` for this slot (duplicates are harmless).
  void schedule(uint32_t slot, int64_t when);
  /// Pops the earliest deadline that is due at `now` and still refers to a live slot.
  /// Returns kNone when nothing is due.
  uint32_t pop_due(int64_t now);
  /// Deadlines queued, stale ones included (stays within 4x size() + 4096).
  size_t pending_deadlines() const { return deadlines_.size(); }
  /// Every live slot, in no particular order.
  template <typename F>
  void for_each(F&& f) {
    for (uint32_t i = 0; i < nodes_.size(); ++i)
      if (links_[i].used) f(i);
  }

 private:
  // How far ahead visit_prefetched requests index entries and nodes, and
  // visit_slots_prefetched nodes (measured with bench/run.sh).
  static constexpr size_t kIndexAhead = 16, kNodeAhead = 8, kSlotAhead = 8;
  // Loads the index entry's cache line for a find(…, hash) to come.
  void prefetch_index(uint64_t hash) const { __builtin_prefetch(&index_[home_of(tag_of(hash))]); }
  // Loads the node's cache lines of the connection with this key hash (best after
  // prefetch_index had time to land). Changes nothing.
  void prefetch_node(uint64_t hash) const;
  void prefetch_slot(uint32_t slot) const {
    const char* p = reinterpret_cast<const char*>(&node(slot));
    for (size_t off = 0; off < sizeof(Node); off += 64)
      __builtin_prefetch(p + off);
  }

  // The connection record and its key. Everything the LRU list and the deadline queue
  // touch lives in the dense `links_` array instead: relinking a node touches its two
  // neighbours, and those should cost 16 bytes of cache each, not an ~800-byte node.
  struct Node {
    Connection conn;
    FlowKey key;
  };
  struct Link {
    uint32_t prev = kNone;
    uint32_t next = kNone;
    uint32_t generation = 0;
    bool used = false;
  };
  struct Deadline {
    int64_t when;
    uint32_t slot;
    uint32_t generation;
    bool operator>(const Deadline& o) const { return when > o.when; }
  };

  // Nodes never move (growing copies none of them and leaves no vector's doubling slack),
  // and their blocks can be huge pages: a new connection's first touch rarely faults.
  Node& node(uint32_t slot) { return nodes_[slot]; }
  const Node& node(uint32_t slot) const { return nodes_[slot]; }
  // A slot holding a fresh connection under key: a free one, or a new one.
  uint32_t new_slot(const FlowKey& key);

  void unlink(uint32_t slot);
  void link_front(uint32_t slot);
  // Open-addressing index (linear probing, backward-shift deletion): a flat array of slot
  // numbers, so a lookup is one hash and usually one cache line, with no allocation.
  // Each entry holds the slot in its low 32 bits and the high 32 bits of the key's hash
  // (the tag) in its high 32. The home position is taken from the tag too, so a probe
  // rejects most non-matching entries, and deletion and growth move entries, without
  // touching their (large) nodes.
  static constexpr uint64_t kEmpty = UINT64_MAX;
  static uint32_t entry_slot(uint64_t e) { return static_cast<uint32_t>(e); }
  static uint32_t entry_tag(uint64_t e) { return static_cast<uint32_t>(e >> 32); }
  static uint32_t tag_of(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  size_t home_of(uint32_t tag) const { return tag & mask_; }
  void index_insert(uint32_t slot, uint32_t tag);
  void index_erase(uint32_t slot);
  void index_grow();

  size_t max_;
  HugePageStore<Node> nodes_;
  std::vector<Link> links_;  // per slot, as nodes
  std::vector<uint32_t> free_;
  std::vector<uint64_t> index_;  // kEmpty, or tag << 32 | slot
  size_t mask_ = 0;
  size_t live_ = 0;
  uint32_t head_ = kNone;
  uint32_t tail_ = kNone;
  // A binary min-heap on `when` (std::push_heap/pop_heap with greater), kept as a plain
  // vector so stale entries can be filtered out in one linear pass.
  std::vector<Deadline> deadlines_;
  void compact_deadlines();
};

}  // namespace tcpinspect::core
