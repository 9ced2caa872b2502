#include "aqueduct/connectors/binance/book_sync.hpp"

namespace aq::binance {

const char* to_string(SyncEvent e) {
  switch (e) {
    case SyncEvent::Buffered: return "buffered";
    case SyncEvent::Applied: return "applied";
    case SyncEvent::Ignored: return "ignored";
    case SyncEvent::Gap: return "gap";
    case SyncEvent::Crossed: return "crossed";
    case SyncEvent::SnapshotTooOld: return "snapshot_too_old";
    case SyncEvent::SnapshotApplied: return "snapshot_applied";
  }
  return "unknown";
}

void BookSync::reset() {
  live_ = false;
  update_id_ = 0;
  book_.clear();
  buffer_.clear();
}

void BookSync::reset_keep_buffer() {
  live_ = false;
  update_id_ = 0;
  book_.clear();
}

SyncOutcome BookSync::on_update(const DepthUpdate& u) {
  if (!live_) {
    buffer_.push_back(u);
    // Bounded: the oldest diffs can only be older than any snapshot we will still accept.
    if (buffer_.size() > max_buffered_) buffer_.pop_front();
    return {SyncEvent::Buffered, {}};
  }
  return apply(u);
}

SyncOutcome BookSync::apply(const DepthUpdate& u) {
  if (u.final_id <= update_id_) return {SyncEvent::Ignored, {}};
  if (u.first_id > update_id_ + 1) {
    std::string detail = "update ids " + std::to_string(update_id_ + 1) + ".." +
                         std::to_string(u.first_id - 1) + " missing (book at " +
                         std::to_string(update_id_) + ", diff U=" + std::to_string(u.first_id) +
                         ")";
    reset();
    return {SyncEvent::Gap, std::move(detail)};
  }
  for (const auto& l : u.bids) book_.set(Side::Buy, l.price, l.qty);
  for (const auto& l : u.asks) book_.set(Side::Sell, l.price, l.qty);
  update_id_ = u.final_id;
  if (book_.crossed()) {
    std::string detail = "best bid " + std::to_string(book_.best_bid()->price) +
                         " >= best ask " + std::to_string(book_.best_ask()->price) +
                         " after update " + std::to_string(u.final_id);
    reset();
    return {SyncEvent::Crossed, std::move(detail)};
  }
  return {SyncEvent::Applied, {}};
}

SyncOutcome BookSync::on_snapshot(const DepthSnapshot& s) {
  // The docs phrase this as `lastUpdateId < U`, which would also refuse the perfectly
  // contiguous case U == lastUpdateId + 1 that their own step 4 accepts. The exact condition
  // for "updates are missing between the snapshot and the stream" is lastUpdateId + 1 < U.
  if (!buffer_.empty() && s.last_update_id + 1 < buffer_.front().first_id) {
    return {SyncEvent::SnapshotTooOld,
            "snapshot lastUpdateId " + std::to_string(s.last_update_id) +
                " is older than the first buffered diff U=" +
                std::to_string(buffer_.front().first_id)};
  }
  book_.clear();
  for (const auto& l : s.bids) book_.set(Side::Buy, l.price, l.qty);
  for (const auto& l : s.asks) book_.set(Side::Sell, l.price, l.qty);
  update_id_ = s.last_update_id;
  live_ = true;
  if (book_.crossed()) {
    reset();
    return {SyncEvent::Crossed, "snapshot " + std::to_string(s.last_update_id) + " is crossed"};
  }
  auto pending = std::move(buffer_);
  buffer_.clear();
  for (const auto& u : pending) {
    auto r = apply(u);
    if (r.needs_snapshot()) return r;
  }
  return {SyncEvent::SnapshotApplied, {}};
}

}  // namespace aq::binance
