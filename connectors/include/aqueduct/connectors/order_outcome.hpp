#pragma once
// What became of an order, in the same terms for every venue. UNKNOWN is a state, not an
// error: the order may be at the venue, and only a query by its client id may say otherwise.
#include <cstdint>
#include <string>
#include <vector>

#include "aqueduct/msg/trading.pb.h"

namespace aq::connectors {

struct OrderFill {
  int64_t price = 0;  // price units
  int64_t qty = 0;    // qty units
  std::string trade_id;
};

struct OrderOutcome {
  aqueduct::msg::OrderStatus status = aqueduct::msg::ORDER_UNKNOWN;
  std::string venue_order_id;
  int64_t filled_qty = 0;    // qty units
  int64_t filled_quote = 0;  // units at price_scale + qty_scale
  int64_t venue_ts_ms = 0;
  std::vector<OrderFill> fills;
  std::string detail;  // venue error or transport problem
  // A query by client id found no such order: it never reached the venue's book.
  bool never_placed = false;
  // Refused by our own rate limiter, never sent: the venue has room again from this time
  // (the venue is not at fault; 0: not such a refusal).
  int64_t not_sent_until_ns = 0;
};

}  // namespace aq::connectors
