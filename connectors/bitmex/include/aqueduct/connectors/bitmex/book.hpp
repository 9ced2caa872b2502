#pragma once
// BitMEX `orderBookL2` as pure functions and a pure state machine (venues.md §6.3): every
// message before the symbol's `partial` is discarded; then insert/update/delete rows apply in
// order. Rows are keyed by price (ids are arbitrary since 2023), with an id -> price map for
// rows that come without a price. Prices arrive as JSON numbers and are read exactly.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aqueduct/connectors/parse_error.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::bitmex {

using connectors::ParseError;

enum class Action { Partial, Insert, Update, Delete };

struct Row {
  std::string symbol;
  uint64_t id = 0;
  Side side = Side::Buy;
  int64_t price = 0;  // price units; 0 when the row has no price
  int64_t size = 0;   // contracts (qty units)
  bool has_price = false;
  bool has_size = false;
  int64_t timestamp_ns = 0;  // the row's engine time; 0 when absent
};

struct L2Message {
  std::string table;
  Action action = Action::Update;
  std::vector<Row> rows;
};

// Parses an orderBookL2 (or orderBookL2_25) table message; throws ParseError naming what was wrong.
L2Message parse_l2_message(std::string_view json, const Instrument& inst);

// An `instrument` table message (venues.md §6.4): per row, the symbol and whichever of
// markPrice, indicativeSettlePrice (the index it settles to), fundingRate and fundingTimestamp
// it carries. Numbers are read exactly. Throws ParseError.
std::vector<std::pair<std::string, connectors::PerpStats>> parse_instrument_message(std::string_view json);

enum class SyncEvent { PartialApplied, Applied, Ignored, Inconsistent, Crossed };
const char* to_string(SyncEvent e);

struct SyncOutcome {
  SyncEvent event;
  std::string detail;
  bool needs_resubscribe() const { return event == SyncEvent::Inconsistent || event == SyncEvent::Crossed; }
};

// One symbol's book.
class BookSync {
 public:
  explicit BookSync(std::string symbol) : symbol_(std::move(symbol)) {}
  SyncOutcome on_message(const L2Message& m);
  void reset();
  bool live() const { return live_; }
  const L2Book& book() const { return book_; }
  // The levels the last applied message changed (absolute sizes; 0 removed the level).
  const std::vector<Level>& changed_bids() const { return changed_bids_; }
  const std::vector<Level>& changed_asks() const { return changed_asks_; }

 private:
  std::string symbol_;
  bool live_ = false;
  L2Book book_;
  std::unordered_map<uint64_t, int64_t> price_of_id_;
  std::vector<Level> changed_bids_;
  std::vector<Level> changed_asks_;
};

}  // namespace aq::bitmex
