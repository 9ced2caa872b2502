#pragma once
// An aggregator's request in token terms ("sell exactly X of token A for B", "buy exactly Y
// of B with A") mapped onto a listing, and the signed amounts at a listing price. Shared by
// 0x, Hashflow and Bebop (pure). The amount the taker fixed is echoed exactly; the other side
// is rounded in our favour; the size priced always covers the base actually exchanged.
#include <optional>
#include <string>

#include "aqueduct/rfq/tokens.hpp"

namespace aq::rfq {

struct TokenAsk {
  PairRoute route;
  bool exact_sell = true;  // the taker fixed what it sells (else what it buys)
  UInt256 amount;          // that fixed amount, in its token's base units
};

// What to ask the pricer: a base size, or an amount of the quote asset.
struct PricingPlan {
  int64_t qty = 0;                // listing qty units (the fixed amount is the base token)
  std::optional<Decimal> amount;  // the fixed amount is the quote token
};
std::optional<PricingPlan> plan_pricing(const TokenAsk& ask, std::string& why);

struct TradeAmounts {
  UInt256 taker_amount;  // what the taker gives (its sell token)
  UInt256 maker_amount;  // what we give (its buy token)
  int64_t base_qty = 0;  // the base exchanged, listing units rounded up (for reservations)
};
// The trade at `price` (listing price units). nullopt with `why` when an amount overflows or
// rounds to nothing.
std::optional<TradeAmounts> amounts_at(const TokenAsk& ask, int64_t price, std::string& why);

// The listing price (price units) a trade's token amounts imply, rounded as asked; nullopt if a
// side is zero or the price does not fit int64. For an order whose amounts another party chose
// (0x OtcOrder), recorded as the price we actually trade at.
std::optional<int64_t> implied_price(const PairRoute& route, const TradeAmounts& t, Rounding r);

// The base of a partial fill, in listing qty units (rounded down), when the taker fills
// `taker_filled` of the trade's taker amount.
std::optional<int64_t> filled_base_qty(const TokenAsk& ask, const TradeAmounts& t,
                                       const UInt256& taker_filled);

}  // namespace aq::rfq
