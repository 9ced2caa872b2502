#pragma once
// Bybit v5 `orderbook.{depth}.{symbol}` as pure functions and a pure state machine
// (venues.md §4.3): every snapshot resets the book; a message with u == 1 is a service restart
// and is treated as a snapshot; a delta must carry u == last u + 1, else the topic is
// resubscribed; the book is capped at the topic's depth.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/parse_error.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::bybit {

using connectors::ParseError;

enum class BookType { Snapshot, Delta };

struct BookMessage {
  std::string topic;
  size_t depth = 0;  // from the topic: 1, 50, 200, 1000
  std::string symbol;
  BookType type = BookType::Delta;
  int64_t ts_ms = 0;
  int64_t cts_ms = 0;
  uint64_t update_id = 0;  // u
  uint64_t cross_seq = 0;  // seq
  std::vector<Level> bids;
  std::vector<Level> asks;
};

BookMessage parse_book_message(std::string_view json, const Instrument& inst);

// A `tickers.{symbol}` push for a linear contract (venues.md §4.4): snapshot then deltas in
// which an absent field is unchanged. Returns the mark, index and funding fields present.
connectors::PerpStats parse_ticker(std::string_view json);

enum class SyncEvent { SnapshotApplied, Applied, Ignored, Gap, Crossed };
const char* to_string(SyncEvent e);

struct SyncOutcome {
  SyncEvent event;
  std::string detail;
  bool needs_resubscribe() const { return event == SyncEvent::Gap || event == SyncEvent::Crossed; }
};

class BookSync {
 public:
  SyncOutcome on_message(const BookMessage& m);
  void reset();
  bool live() const { return live_; }
  uint64_t update_id() const { return update_id_; }
  const L2Book& book() const { return book_; }

 private:
  void cap(size_t depth);

  bool live_ = false;
  uint64_t update_id_ = 0;
  L2Book book_;
};

}  // namespace aq::bybit
