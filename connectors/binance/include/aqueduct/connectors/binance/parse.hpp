#pragma once
// Binance spot wire formats, as pure functions: JSON text in, fixed-point structs out (and the
// reverse for the simulator, so both sides share one definition of the shape).
// Spec: shared/research/venues.md §1.3 (depth), §1.7 (orders).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/parse_error.hpp"
#include "aqueduct/connectors/order_outcome.hpp"
#include "aqueduct/connectors/perp_listener.hpp"
#include "aqueduct/connectors/top_listener.hpp"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::binance {

using connectors::ParseError;

// `<symbol>@depth@100ms` event.
struct DepthUpdate {
  int64_t event_time_ms = 0;  // E
  std::string symbol;         // s
  uint64_t first_id = 0;      // U
  uint64_t final_id = 0;      // u
  uint64_t prev_final_id = 0; // pu (USD-M futures only): u of the previous event on the stream
  bool has_prev = false;      // whether pu was present
  std::vector<Level> bids;    // absolute quantities; 0 deletes
  std::vector<Level> asks;
};

// `GET /api/v3/depth` response.
struct DepthSnapshot {
  uint64_t last_update_id = 0;
  std::vector<Level> bids;
  std::vector<Level> asks;
};

// `POST /api/v3/order` response (newOrderRespType=FULL), reduced to what hedging needs.
using connectors::OrderFill;
struct OrderResult {
  std::string symbol;
  std::string order_id;
  std::string client_order_id;
  std::string status;       // NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED
  int64_t executed_qty = 0; // qty units
  int64_t cumulative_quote = 0;  // units at price_scale + qty_scale
  int64_t transact_time_ms = 0;
  std::vector<OrderFill> fills;
};

// `{"code":-2010,"msg":"..."}`.
struct ApiError {
  int code = 0;
  std::string msg;
};

// Each throws ParseError naming the field that was missing or malformed.
DepthUpdate parse_depth_update(std::string_view json, const Instrument& inst);
// The hot-path form: fills `out`, reusing its buffers (no allocation once they have grown).
// A hand-written strict reader, not a general JSON parser: it accepts the documented shape
// and fails closed on anything else.
void parse_depth_update(std::string_view json, const Instrument& inst, DepthUpdate& out);
DepthSnapshot parse_depth_snapshot(std::string_view json, const Instrument& inst);
OrderResult parse_order_result(std::string_view json, const Instrument& inst);
ApiError parse_api_error(std::string_view json);
// A USD-M `<symbol>@markPrice@1s` event (venues.md §2.4): mark "p", index "i", funding rate
// "r", next funding time "T", event time "E". Throws ParseError.
connectors::PerpStats parse_mark_price(std::string_view json);
// A `<symbol>@bookTicker` event (venues.md §1.5, §2.4): spot sends no "e"; futures sends
// "e":"bookTicker" with E and T. Throws ParseError.
connectors::TopOfBook parse_book_ticker(std::string_view json, const Instrument& inst);
// True when a message on the depth connection is a bookTicker event (spot has no "e": it is
// recognised by "A", as ccxt does).
bool is_book_ticker(std::string_view json);
std::string format_book_ticker(const connectors::TopOfBook& top, const Instrument& inst, bool futures);

std::string format_depth_update(const DepthUpdate& u, const Instrument& inst);
std::string format_depth_snapshot(const DepthSnapshot& s, const Instrument& inst);
std::string format_order_result(const OrderResult& r, const Instrument& inst,
                                 std::string_view side, std::string_view price,
                                 std::string_view orig_qty);
std::string format_api_error(const ApiError& e);

}  // namespace aq::binance
