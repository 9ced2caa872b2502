#pragma once
// The documented Binance spot local-book algorithm (venues.md §1.4) as a pure state machine:
// buffer diffs until a REST snapshot covers them, then apply diffs while `U` chains onto the
// book's update id; any break discards the book so the shell can fetch a new snapshot.
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

class BookSync {
 public:
  explicit BookSync(size_t max_buffered = 10'000) : max_buffered_(max_buffered) {}

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

  size_t max_buffered_;
  bool live_ = false;
  uint64_t update_id_ = 0;
  L2Book book_;
  std::deque<DepthUpdate> buffer_;
};

}  // namespace aq::binance
