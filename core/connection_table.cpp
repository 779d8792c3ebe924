// SPDX-License-Identifier: MIT
#include "core/connection_table.hpp"

namespace tcpinspect::core {

ConnectionTable::ConnectionTable(size_t max_connections)
    : max_(max_connections == 0 ? 1 : max_connections) {
  index_.reserve(std::min<size_t>(max_, 1 << 16));
}

uint32_t ConnectionTable::find(const FlowKey& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? kNone : it->second;
}

uint32_t ConnectionTable::insert(const FlowKey& key) {
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<uint32_t>(nodes_.size());
    nodes_.emplace_back();
  }
  Node& n = nodes_[slot];
  n.conn = Connection{};
  n.key = key;
  n.used = true;
  ++n.generation;
  index_.emplace(key, slot);
  link_front(slot);
  return slot;
}

void ConnectionTable::erase(uint32_t slot) {
  Node& n = nodes_[slot];
  if (!n.used) return;
  index_.erase(n.key);
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
  Node& n = nodes_[slot];
  if (n.prev != kNone)
    nodes_[n.prev].next = n.next;
  else if (head_ == slot)
    head_ = n.next;
  if (n.next != kNone)
    nodes_[n.next].prev = n.prev;
  else if (tail_ == slot)
    tail_ = n.prev;
  n.prev = n.next = kNone;
}

void ConnectionTable::link_front(uint32_t slot) {
  Node& n = nodes_[slot];
  n.prev = kNone;
  n.next = head_;
  if (head_ != kNone) nodes_[head_].prev = slot;
  head_ = slot;
  if (tail_ == kNone) tail_ = slot;
}

void ConnectionTable::schedule(uint32_t slot, int64_t when) {
  deadlines_.push(Deadline{when, slot, nodes_[slot].generation});
}

uint32_t ConnectionTable::pop_due(int64_t now) {
  while (!deadlines_.empty() && deadlines_.top().when <= now) {
    Deadline d = deadlines_.top();
    deadlines_.pop();
    const Node& n = nodes_[d.slot];
    if (n.used && n.generation == d.generation) return d.slot;
  }
  return kNone;
}

}  // namespace tcpinspect::core
