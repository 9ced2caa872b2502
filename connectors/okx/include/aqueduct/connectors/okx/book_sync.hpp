#pragma once
// The OKX `books` local book as a pure state machine (venues.md §3.4): a snapshot
// (prevSeqId -1) resets it; each update must have prevSeqId == the last seqId. Idle
// heartbeats (empty, seqId == prevSeqId) and maintenance resets (seqId < prevSeqId, still
// chained) are valid. The book is capped at the 400-level window. When a message carries a
// non-zero checksum, the CRC32 of the top 25 levels' exact strings must match it.
#include <cstdint>
#include <map>
#include <string>

#include "aqueduct/connectors/okx/parse.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::okx {

// CRC32 (IEEE) of the interleaved "bidPx:bidSz:askPx:askSz:..." string of up to 25 levels a
// side, as a signed 32-bit integer. Levels are best first.
int32_t checksum(const std::vector<std::pair<std::string, std::string>>& bids,
                 const std::vector<std::pair<std::string, std::string>>& asks);
uint32_t crc32(std::string_view data);

enum class SyncEvent { SnapshotApplied, Applied, Heartbeat, Ignored, Gap, ChecksumMismatch, Crossed };
const char* to_string(SyncEvent e);

struct SyncOutcome {
  SyncEvent event;
  std::string detail;
  bool needs_resubscribe() const {
    return event == SyncEvent::Gap || event == SyncEvent::ChecksumMismatch || event == SyncEvent::Crossed;
  }
};

class BookSync {
 public:
  static constexpr size_t kWindow = 400;

  SyncOutcome on_message(const BookMessage& m);
  void reset();
  bool live() const { return live_; }
  int64_t seq_id() const { return seq_id_; }
  // The book in fixed point (built on demand from the raw levels).
  L2Book book() const;
  int32_t current_checksum() const;

 private:
  struct Raw {
    int64_t qty;
    std::string price_text;
    std::string qty_text;
  };
  void apply(Side side, const BookLevel& l);
  void trim();

  bool live_ = false;
  int64_t seq_id_ = 0;
  std::map<int64_t, Raw, std::greater<>> bids_;  // best (highest) first
  std::map<int64_t, Raw> asks_;                  // best (lowest) first
};

}  // namespace aq::okx
