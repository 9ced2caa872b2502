#include "aqueduct/connectors/okx/book_sync.hpp"

#include <array>

namespace aq::okx {

uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (char ch : data) c = table[(c ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

int32_t checksum(const std::vector<std::pair<std::string, std::string>>& bids,
                 const std::vector<std::pair<std::string, std::string>>& asks) {
  std::string s;
  for (size_t i = 0; i < 25; ++i) {
    auto add = [&](const std::pair<std::string, std::string>& l) {
      if (!s.empty()) s += ':';
      s += l.first;
      s += ':';
      s += l.second;
    };
    if (i < bids.size()) add(bids[i]);
    if (i < asks.size()) add(asks[i]);
  }
  return static_cast<int32_t>(crc32(s));
}

const char* to_string(SyncEvent e) {
  switch (e) {
    case SyncEvent::SnapshotApplied: return "snapshot_applied";
    case SyncEvent::Applied: return "applied";
    case SyncEvent::Heartbeat: return "heartbeat";
    case SyncEvent::Ignored: return "ignored";
    case SyncEvent::Gap: return "gap";
    case SyncEvent::ChecksumMismatch: return "checksum_mismatch";
    case SyncEvent::Crossed: return "crossed";
  }
  return "unknown";
}

void BookSync::reset() {
  live_ = false;
  seq_id_ = 0;
  bids_.clear();
  asks_.clear();
}

void BookSync::apply(Side side, const BookLevel& l) {
  auto set = [&](auto& levels) {
    if (l.qty == 0) levels.erase(l.price);
    else levels[l.price] = Raw{l.qty, l.price_text, l.qty_text};
  };
  if (side == Side::Buy) set(bids_);
  else set(asks_);
}

void BookSync::trim() {
  // `books` maintains a 400-level window; anything beyond it is not kept up to date.
  while (bids_.size() > kWindow) bids_.erase(std::prev(bids_.end()));
  while (asks_.size() > kWindow) asks_.erase(std::prev(asks_.end()));
}

L2Book BookSync::book() const {
  L2Book b;
  for (const auto& [p, r] : bids_) b.set(Side::Buy, p, r.qty);
  for (const auto& [p, r] : asks_) b.set(Side::Sell, p, r.qty);
  return b;
}

int32_t BookSync::current_checksum() const {
  std::vector<std::pair<std::string, std::string>> b, a;
  for (auto it = bids_.begin(); it != bids_.end() && b.size() < 25; ++it)
    b.emplace_back(it->second.price_text, it->second.qty_text);
  for (auto it = asks_.begin(); it != asks_.end() && a.size() < 25; ++it)
    a.emplace_back(it->second.price_text, it->second.qty_text);
  return checksum(b, a);
}

SyncOutcome BookSync::on_message(const BookMessage& m) {
  bool snapshot = m.action == BookAction::Snapshot;
  if (snapshot) {
    reset();
  } else {
    if (!live_) return {SyncEvent::Ignored, "update before any snapshot"};
    if (m.prev_seq_id != seq_id_) {
      std::string detail = "prevSeqId " + std::to_string(m.prev_seq_id) + " does not match the last seqId " +
                           std::to_string(seq_id_);
      reset();
      return {SyncEvent::Gap, std::move(detail)};
    }
  }
  for (const auto& l : m.bids) apply(Side::Buy, l);
  for (const auto& l : m.asks) apply(Side::Sell, l);
  trim();
  // seqId may go down in a maintenance reset: chaining through prevSeqId is what counts.
  seq_id_ = m.seq_id;
  live_ = true;
  if (!bids_.empty() && !asks_.empty() && bids_.begin()->first >= asks_.begin()->first) {
    reset();
    return {SyncEvent::Crossed, "book crossed after seqId " + std::to_string(m.seq_id)};
  }
  if (m.checksum != 0) {
    int32_t mine = current_checksum();
    if (mine != m.checksum) {
      reset();
      return {SyncEvent::ChecksumMismatch,
              "checksum " + std::to_string(m.checksum) + " expected, book gives " + std::to_string(mine)};
    }
  }
  if (snapshot) return {SyncEvent::SnapshotApplied, {}};
  bool idle = m.bids.empty() && m.asks.empty() && m.seq_id == m.prev_seq_id;
  return {idle ? SyncEvent::Heartbeat : SyncEvent::Applied, {}};
}

}  // namespace aq::okx
