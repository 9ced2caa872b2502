#pragma once
// OKX v5 `books` channel messages as pure functions (venues.md §3.3). Levels keep the exact
// strings they arrived as, because the (legacy) checksum is computed over those strings.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/parse_error.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/connectors/top_listener.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::okx {

using connectors::ParseError;

struct BookLevel {
  int64_t price = 0;  // price units
  int64_t qty = 0;    // qty units (contracts for SWAP, base for SPOT)
  std::string price_text;
  std::string qty_text;
};

enum class BookAction { Snapshot, Update };

struct BookMessage {
  std::string channel;
  std::string inst_id;
  BookAction action = BookAction::Update;
  std::vector<BookLevel> bids;
  std::vector<BookLevel> asks;
  int64_t ts_ms = 0;
  int64_t checksum = 0;      // 0: not provided (deprecated since 2026-06-23)
  int64_t prev_seq_id = -1;  // -1 on snapshots
  int64_t seq_id = 0;
};

// Parses a push of the `books` channel; throws ParseError naming what was wrong.
BookMessage parse_book_message(std::string_view json, const Instrument& inst);
std::string format_book_message(const BookMessage& m);

// A push of the `mark-price`, `funding-rate` or `index-tickers` channel (venues.md §3.5):
// markPx, fundingRate with fundingTime (the settlement it applies to), or idxPx. Throws
// ParseError.
connectors::PerpStats parse_perp_push(std::string_view json);

// The index a SWAP follows, as `index-tickers` names it: "BTC-USDT" for "BTC-USDT-SWAP".
std::string index_of(const Instrument& swap);

// A push of the `bbo-tbt` channel (venues.md §3.5): the best bid and ask (either side may be
// empty), ts and seqId. Throws ParseError.
connectors::TopOfBook parse_bbo(std::string_view json, const Instrument& inst);

}  // namespace aq::okx
