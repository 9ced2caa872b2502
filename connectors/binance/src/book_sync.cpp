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
  awaiting_first_ = false;
  live_ = false;
  update_id_ = 0;
  book_.clear();
  buffer_.clear();
}

void BookSync::reset_keep_buffer() {
  awaiting_first_ = false;
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

SyncOutcome BookSync::gap(std::string detail) {
  reset();
  return {SyncEvent::Gap, std::move(detail)};
}

SyncOutcome BookSync::apply(const DepthUpdate& u) {
  if (chain_ == Chain::Spot) {
    if (u.final_id <= update_id_) return {SyncEvent::Ignored, {}};
    if (u.first_id > update_id_ + 1)
      return gap("update ids " + std::to_string(update_id_ + 1) + ".." + std::to_string(u.first_id - 1) +
                 " missing (book at " + std::to_string(update_id_) + ", diff U=" + std::to_string(u.first_id) + ")");
    return apply_levels(u);
  }
  // USD-M futures.
  if (awaiting_first_) {
    if (u.final_id < update_id_) return {SyncEvent::Ignored, {}};
    if (u.first_id > update_id_)
      return gap("first diff after snapshot " + std::to_string(update_id_) + " starts at U=" +
                 std::to_string(u.first_id) + ": updates in between are missing");
    awaiting_first_ = false;
    return apply_levels(u);
  }
  if (u.final_id <= update_id_) return {SyncEvent::Ignored, {}};  // a duplicate
  if (!u.has_prev) return gap("futures diff " + std::to_string(u.final_id) + " has no pu");
  if (u.prev_final_id != update_id_)
    return gap("pu " + std::to_string(u.prev_final_id) + " does not match the previous u " +
               std::to_string(update_id_));
  return apply_levels(u);
}

SyncOutcome BookSync::apply_levels(const DepthUpdate& u) {
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
  if (chain_ == Chain::UsdmFutures) {
    // The first diff that reaches the snapshot must straddle it; if it starts after, the
    // snapshot is older than the stream we hold.
    for (const auto& b : buffer_) {
      if (b.final_id < s.last_update_id) continue;
      if (b.first_id > s.last_update_id)
        return {SyncEvent::SnapshotTooOld, "snapshot lastUpdateId " + std::to_string(s.last_update_id) +
                                               " is older than buffered diff U=" + std::to_string(b.first_id)};
      break;
    }
  } else if (!buffer_.empty() && s.last_update_id + 1 < buffer_.front().first_id) {
    // Spot. The docs phrase this as `lastUpdateId < U`, which would also refuse the perfectly
    // contiguous case U == lastUpdateId + 1 that their own step 4 accepts. The exact condition
    // for "updates are missing between the snapshot and the stream" is lastUpdateId + 1 < U.
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
  awaiting_first_ = chain_ == Chain::UsdmFutures;
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
