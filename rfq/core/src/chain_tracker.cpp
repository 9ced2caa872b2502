#include "aqueduct/chain/chain_tracker.hpp"

namespace aq::chain {

using Kind = ChainTracker::Step::Kind;

std::optional<uint64_t> ChainTracker::tip() const {
  if (blocks_.empty()) return std::nullopt;
  return blocks_.back().number;
}

std::optional<eth::Hash32> ChainTracker::hash_at(uint64_t number) const {
  if (blocks_.empty() || number < blocks_.front().number || number > blocks_.back().number)
    return std::nullopt;
  return blocks_[static_cast<size_t>(number - blocks_.front().number)].hash;
}

void ChainTracker::push(const BlockHeader& h) {
  blocks_.push_back({h.number, h.hash});
  while (blocks_.size() > keep_) blocks_.pop_front();
}

void ChainTracker::drop_from(uint64_t number) {
  while (!blocks_.empty() && blocks_.back().number >= number) blocks_.pop_back();
}

ChainTracker::Step ChainTracker::on_head(const BlockHeader& h) {
  if (blocks_.empty()) {
    push(h);
    return {Kind::Extended, h.number, h.number};
  }
  uint64_t tip_n = blocks_.back().number;
  if (h.number > tip_n + 1) return {Kind::Gap, tip_n + 1, h.number - 1};
  if (h.number <= tip_n) {
    if (auto held = hash_at(h.number); held && *held == h.hash)
      return {Kind::Duplicate, h.number, h.number};
    if (h.number < blocks_.front().number)  // older than anything held: no way to compare
      return {Kind::Duplicate, h.number, h.number};
  } else if (h.parent_hash == blocks_.back().hash) {
    push(h);
    return {Kind::Extended, h.number, h.number};
  }
  // Another block at a height held, or a parent that is not our tip: the chain forked below
  // this head. Find where by asking for the node's block one height down.
  if (h.number == 0 || h.number - 1 < blocks_.front().number) {
    uint64_t from = blocks_.front().number;
    blocks_.clear();
    push(h);
    return {Kind::Reorg, from, h.number, true};
  }
  return {Kind::FindFork, h.number - 1, h.number - 1};
}

ChainTracker::Step ChainTracker::on_fork_header(const BlockHeader& h) {
  auto held = hash_at(h.number);
  if (held && *held == h.hash) {
    // The fork is just above this block: everything held above it changed.
    drop_from(h.number + 1);
    return {Kind::Reorg, h.number + 1, h.number + 1};
  }
  if (held && h.number > blocks_.front().number)
    return {Kind::FindFork, h.number - 1, h.number - 1};
  // Below everything held (or the shell fed a height not asked for): start again from here.
  uint64_t from = blocks_.empty() ? h.number : blocks_.front().number;
  blocks_.clear();
  push(h);
  return {Kind::Reorg, from, h.number, true};
}

}  // namespace aq::chain
