#pragma once
// A venue-neutral limit order, as every venue's request builder takes it: an IOC that takes
// what it can at once and expires the rest, or a post-only order that rests on the book as a
// maker and is refused (or cancelled) by the venue rather than ever taking liquidity.
#include <cstdint>
#include <string>

#include "aqueduct/types/instrument.hpp"

namespace aq::connectors {

enum class TimeInForce {
  Ioc,       // Binance IOC, OKX ioc, Bybit IOC, BitMEX ImmediateOrCancel
  PostOnly,  // Binance spot LIMIT_MAKER / futures GTX, OKX post_only, Bybit PostOnly,
             // BitMEX execInst ParticipateDoNotInitiate
};

struct LimitOrder {
  std::string symbol;  // the venue's symbol
  Side side = Side::Buy;
  int64_t qty = 0;    // instrument qty units (contracts for BitMEX)
  int64_t price = 0;  // instrument price units
  std::string client_order_id;
  TimeInForce tif = TimeInForce::Ioc;
};

// Millisecond Unix time as ISO-8601 UTC with milliseconds: "2020-12-08T09:08:57.715Z".
std::string iso8601_ms(int64_t unix_ms);

}  // namespace aq::connectors
