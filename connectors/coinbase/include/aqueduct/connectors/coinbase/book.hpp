#pragma once
// Coinbase Advanced Trade market-data messages (venues.md §5.1–5.2) as pure functions, and the
// `level2` book of one product as a pure state machine. Every message on a connection carries
// `sequence_num`, a per-connection counter: any step other than +1 means messages were lost
// (for any product), which the dispatcher handles. A `snapshot` event rebuilds the product's
// book; `update` events carry absolute quantities, side `bid` or `offer`.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/parse_error.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::coinbase {

using connectors::ParseError;

enum class EventType { Snapshot, Update };

struct L2Event {
  EventType type = EventType::Update;
  std::string product_id;
  size_t index = 0;  // the instrument it resolved to
  std::vector<Level> bids;
  std::vector<Level> asks;
};

struct Message {
  std::string channel;  // "l2_data", "heartbeats", "subscriptions", ...
  uint64_t sequence_num = 0;
  int64_t timestamp_ns = 0;
  std::vector<L2Event> events;  // l2_data only
};

// Resolves a product id to an instrument index, or returns nullptr for one we do not follow
// (its events are skipped, unparsed).
using ProductLookup = std::function<const Instrument*(std::string_view product_id, size_t& index)>;

// Parses any Advanced Trade market-data message; only `l2_data` events are decoded.
// Throws ParseError naming what was wrong.
Message parse_message(std::string_view json, const ProductLookup& lookup);

enum class SyncEvent { SnapshotApplied, Applied, Ignored, Crossed };
const char* to_string(SyncEvent e);

class BookSync {
 public:
  SyncEvent on_event(const L2Event& e);
  void reset();
  bool live() const { return live_; }
  const L2Book& book() const { return book_; }

 private:
  bool live_ = false;
  L2Book book_;
};

}  // namespace aq::coinbase
