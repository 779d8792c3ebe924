// SPDX-License-Identifier: MIT
#include "core/tcp/connection_table.hpp"

#include <algorithm>
#include <functional>

namespace tcpinspect::core {

ConnectionTable::ConnectionTable(size_t max_connections)
    : max_(max_connections == 0 ? 1 : max_connections) {
  index_.assign(1024, kEmpty);
  mask_ = index_.size() - 1;
}

void ConnectionTable::prefetch_node(uint64_t hash) const {
  const uint32_t tag = tag_of(hash);
  for (size_t i = home_of(tag);; i = (i + 1) & mask_) {
    const uint64_t e = index_[i];
    if (e == kEmpty) return;
    if (entry_tag(e) == tag) {
      // The first tag match is the connection but for a 1-in-2^14 false match; a wrong
      // guess only costs a useless load.
      prefetch_slot(entry_slot(e));
      return;
    }
  }
}

uint32_t ConnectionTable::find(const FlowKey& key, uint64_t hash) const {
  const uint32_t tag = tag_of(hash);
  for (size_t i = home_of(tag);; i = (i + 1) & mask_) {
    const uint64_t e = index_[i];
    if (e == kEmpty) return kNone;
    if (entry_tag(e) == tag && node(entry_slot(e)).key == key) return entry_slot(e);
  }
}

void ConnectionTable::index_insert(uint32_t slot, uint32_t tag) {
  size_t i = home_of(tag);
  while (index_[i] != kEmpty)
    i = (i + 1) & mask_;
  index_[i] = uint64_t{tag} << 32 | slot;
}

void ConnectionTable::index_erase(uint32_t slot) {
  size_t i = home_of(tag_of(FlowKeyHash{}(node(slot).key)));
  while (entry_slot(index_[i]) != slot || index_[i] == kEmpty)
    i = (i + 1) & mask_;
  // Backward-shift deletion: move later entries of the probe run into the hole, so no
  // tombstones are needed and lookups stay short.
  for (size_t j = (i + 1) & mask_; index_[j] != kEmpty; j = (j + 1) & mask_) {
    const size_t home = home_of(entry_tag(index_[j]));
    // Entry j may move to i only if its home is not cyclically within (i, j].
    const bool stays = (i < j) ? (home > i && home <= j) : (home > i || home <= j);
    if (stays) continue;
    index_[i] = index_[j];
    i = j;
  }
  index_[i] = kEmpty;
}

void ConnectionTable::index_grow() {
  std::vector<uint64_t> old(index_.size() * 2, kEmpty);
  index_.swap(old);
  mask_ = index_.size() - 1;
  for (uint64_t e : old)
    if (e != kEmpty) index_insert(entry_slot(e), entry_tag(e));
}

uint32_t ConnectionTable::insert(const FlowKey& key) {
  const uint32_t slot = new_slot(key);
  links_[slot].used = true;
  ++links_[slot].generation;
  if ((live_ + 1) * 2 > index_.size()) index_grow();  // keep the load factor <= 1/2
  index_insert(slot, tag_of(FlowKeyHash{}(key)));
  ++live_;
  link_front(slot);
  return slot;
}

uint32_t ConnectionTable::new_slot(const FlowKey& key) {
  if (!free_.empty()) {
    const uint32_t slot = free_.back();
    free_.pop_back();
    Node& n = node(slot);
    n.conn = Connection{};
    n.key = key;
    return slot;
  }
  links_.emplace_back();
  const uint32_t slot = nodes_.emplace_back();
  node(slot).key = key;
  return slot;
}

void ConnectionTable::erase(uint32_t slot) {
  Link& n = links_[slot];
  if (!n.used) return;
  index_erase(slot);
  --live_;
  unlink(slot);
  n.used = false;
  ++n.generation;  // invalidates queued deadlines
  free_.push_back(slot);
}

void ConnectionTable::touch(uint32_t slot) {
  if (head_ == slot) return;
  unlink(slot);
  link_front(slot);
}

void ConnectionTable::unlink(uint32_t slot) {
  Link& n = links_[slot];
  if (n.prev != kNone)
    links_[n.prev].next = n.next;
  else if (head_ == slot)
    head_ = n.next;
  if (n.next != kNone)
    links_[n.next].prev = n.prev;
  else if (tail_ == slot)
    tail_ = n.prev;
  n.prev = n.next = kNone;
}

void ConnectionTable::link_front(uint32_t slot) {
  Link& n = links_[slot];
  n.prev = kNone;
  n.next = head_;
  if (head_ != kNone) links_[head_].prev = slot;
  head_ = slot;
  if (tail_ == kNone) tail_ = slot;
}

void ConnectionTable::schedule(uint32_t slot, int64_t when) {
  deadlines_.push_back(Deadline{when, slot, links_[slot].generation});
  std::push_heap(deadlines_.begin(), deadlines_.end(), std::greater<>{});
  // Deadlines of connections that ended early (evicted by the cap, reset, ...) stay queued
  // until they fall due, an idle timeout later: under a flood of new connections that is
  // 16 bytes per connection ever seen. Once the queue outgrows the table, drop them.
  if (deadlines_.size() > 4 * live_ + 4096) compact_deadlines();
}

void ConnectionTable::compact_deadlines() {
  // One linear pass keeps the entries of live connections, then the heap is rebuilt in
  // linear time: amortised O(1) per push, since at least 3x live + 4096 entries go.
  auto stale = [this](const Deadline& d) {
    const Link& n = links_[d.slot];
    return !n.used || n.generation != d.generation;
  };
  deadlines_.erase(std::remove_if(deadlines_.begin(), deadlines_.end(), stale), deadlines_.end());
  if (deadlines_.size() > 2 * live_ + 4096) {
    // A live connection can hold several entries (rescheduled as its state changed). Keep
    // only its earliest: waking early is harmless, the inspector reschedules from state.
    std::sort(deadlines_.begin(), deadlines_.end(), [](const Deadline& a, const Deadline& b) {
      return a.slot != b.slot ? a.slot < b.slot : a.when < b.when;
    });
    deadlines_.erase(
        std::unique(deadlines_.begin(), deadlines_.end(),
                    [](const Deadline& a, const Deadline& b) { return a.slot == b.slot; }),
        deadlines_.end());
  }
  std::make_heap(deadlines_.begin(), deadlines_.end(), std::greater<>{});
}

uint32_t ConnectionTable::pop_due(int64_t now) {
  while (!deadlines_.empty() && deadlines_.front().when <= now) {
    std::pop_heap(deadlines_.begin(), deadlines_.end(), std::greater<>{});
    const Deadline d = deadlines_.back();
    deadlines_.pop_back();
    const Link& n = links_[d.slot];
    if (n.used && n.generation == d.generation) return d.slot;
  }
  return kNone;
}

}  // namespace tcpinspect::core
