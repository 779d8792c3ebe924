// SPDX-License-Identifier: MIT
#include "core/connection_table.hpp"

namespace tcpinspect::core {

ConnectionTable::ConnectionTable(size_t max_connections)
    : max_(max_connections == 0 ? 1 : max_connections) {
  index_.assign(1024, kEmpty);
  mask_ = index_.size() - 1;
}

uint32_t ConnectionTable::find(const FlowKey& key) const {
  const uint64_t h = FlowKeyHash{}(key);
  const uint32_t tag = static_cast<uint32_t>(h >> 32);
  for (size_t i = h & mask_;; i = (i + 1) & mask_) {
    const uint64_t e = index_[i];
    if (e == kEmpty) return kNone;
    if (entry_tag(e) == tag && node(entry_slot(e)).key == key) return entry_slot(e);
  }
}

void ConnectionTable::index_insert(uint32_t slot) {
  const uint64_t h = FlowKeyHash{}(node(slot).key);
  size_t i = h & mask_;
  while (index_[i] != kEmpty)
    i = (i + 1) & mask_;
  index_[i] = (h >> 32) << 32 | slot;
}

void ConnectionTable::index_erase(uint32_t slot) {
  const uint64_t h = FlowKeyHash{}(node(slot).key);
  size_t i = h & mask_;
  while (entry_slot(index_[i]) != slot || index_[i] == kEmpty)
    i = (i + 1) & mask_;
  // Backward-shift deletion: move later entries of the probe run into the hole, so no
  // tombstones are needed and lookups stay short.
  for (size_t j = (i + 1) & mask_; index_[j] != kEmpty; j = (j + 1) & mask_) {
    const size_t home = FlowKeyHash{}(node(entry_slot(index_[j])).key) & mask_;
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
    if (e != kEmpty) index_insert(entry_slot(e));
}

uint32_t ConnectionTable::insert(const FlowKey& key) {
  const uint32_t slot = new_slot();
  Node& n = node(slot);
  n.conn = Connection{};
  n.key = key;
  n.used = true;
  ++n.generation;
  if ((live_ + 1) * 2 > index_.size()) index_grow();  // keep the load factor <= 1/2
  index_insert(slot);
  ++live_;
  link_front(slot);
  return slot;
}

uint32_t ConnectionTable::new_slot() {
  if (!free_.empty()) {
    const uint32_t slot = free_.back();
    free_.pop_back();
    return slot;
  }
  if ((node_count_ & (kChunkSize - 1)) == 0)
    chunks_.push_back(std::make_unique<Node[]>(kChunkSize));
  return node_count_++;
}

void ConnectionTable::erase(uint32_t slot) {
  Node& n = node(slot);
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
  Node& n = node(slot);
  if (n.prev != kNone)
    node(n.prev).next = n.next;
  else if (head_ == slot)
    head_ = n.next;
  if (n.next != kNone)
    node(n.next).prev = n.prev;
  else if (tail_ == slot)
    tail_ = n.prev;
  n.prev = n.next = kNone;
}

void ConnectionTable::link_front(uint32_t slot) {
  Node& n = node(slot);
  n.prev = kNone;
  n.next = head_;
  if (head_ != kNone) node(head_).prev = slot;
  head_ = slot;
  if (tail_ == kNone) tail_ = slot;
}

void ConnectionTable::schedule(uint32_t slot, int64_t when) {
  deadlines_.push(Deadline{when, slot, node(slot).generation});
  // Deadlines of connections that ended early (evicted by the cap, reset, ...) stay queued
  // until they fall due, an idle timeout later: under a flood of new connections that is
  // 16 bytes per connection ever seen. Once the queue outgrows the table, keep only the
  // earliest deadline of each live connection (waking early is harmless: the inspector
  // reschedules from the connection's state), so the queue stays within 4x the table
  // plus a constant, at amortised O(log n) per push.
  if (deadlines_.size() > 4 * live_ + 4096) {
    std::vector<Deadline> keep;
    keep.reserve(live_);
    std::vector<bool> kept(node_count_, false);
    while (!deadlines_.empty()) {
      const Deadline d = deadlines_.top();  // ascending: the first one seen is the earliest
      deadlines_.pop();
      const Node& n = node(d.slot);
      if (n.used && n.generation == d.generation && !kept[d.slot]) {
        kept[d.slot] = true;
        keep.push_back(d);
      }
    }
    deadlines_ = decltype(deadlines_)(std::greater<>{}, std::move(keep));
  }
}

uint32_t ConnectionTable::pop_due(int64_t now) {
  while (!deadlines_.empty() && deadlines_.top().when <= now) {
    Deadline d = deadlines_.top();
    deadlines_.pop();
    const Node& n = node(d.slot);
    if (n.used && n.generation == d.generation) return d.slot;
  }
  return kNone;
}

}  // namespace tcpinspect::core
