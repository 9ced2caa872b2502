#pragma once
// The documented Binance local-book algorithms as a pure state machine: buffer diffs until a
// REST snapshot covers them, then apply diffs while they chain; any break discards the book so
// the shell can fetch a new snapshot. Two chains:
//  - Spot (venues.md §1.4): each diff's U must be the book's update id + 1.
//  - UsdmFutures (§2.3): the first diff after the snapshot must straddle it
//    (U <= lastUpdateId <= u); after that only `pu == previous u` counts — U may skip.
#include <cstdint>
#include <deque>
#include <string>

#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::binance {

enum class SyncEvent {
  Buffered,         // waiting for a snapshot; the diff was kept
  Applied,          // the diff chained and was applied
  Ignored,          // the diff is older than the book
  Gap,              // U > update_id + 1: the book was discarded, fetch a new snapshot
  Crossed,          // applying left best bid >= best ask: book discarded, resync
  SnapshotTooOld,   // snapshot older than the first buffered diff: fetch another
  SnapshotApplied,  // book is live
};
const char* to_string(SyncEvent e);

struct SyncOutcome {
  SyncEvent event;
  std::string detail;  // for Gap/Crossed/SnapshotTooOld: what exactly did not chain
  bool needs_snapshot() const {
    return event == SyncEvent::Gap || event == SyncEvent::Crossed ||
           event == SyncEvent::SnapshotTooOld;
  }
};

enum class Chain { Spot, UsdmFutures };

class BookSync {
 public:
  explicit BookSync(size_t max_buffered = 10'000, Chain chain = Chain::Spot)
      : max_buffered_(max_buffered), chain_(chain) {}

  SyncOutcome on_update(const DepthUpdate& u);
  SyncOutcome on_snapshot(const DepthSnapshot& s);
  // Discards the book and starts buffering again (connection lost, stale, operator request).
  void reset();
  // Discards the book but keeps buffered diffs (a new snapshot is about to be applied).
  void reset_keep_buffer();

  bool live() const { return live_; }
  uint64_t update_id() const { return update_id_; }
  const L2Book& book() const { return book_; }
  size_t buffered() const { return buffer_.size(); }

 private:
  SyncOutcome apply(const DepthUpdate& u);
  SyncOutcome apply_levels(const DepthUpdate& u);
  SyncOutcome gap(std::string detail);

  size_t max_buffered_;
  Chain chain_;
  bool awaiting_first_ = false;  // futures: the next diff must straddle the snapshot
  bool live_ = false;
  uint64_t update_id_ = 0;
  L2Book book_;
  std::deque<DepthUpdate> buffer_;
};

}  // namespace aq::binance
