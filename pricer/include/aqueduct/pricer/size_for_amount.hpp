#pragma once
// Firm prices for a quote-asset amount ("I pay 1,000 USDT" / "I want 1,000 USDT"): the
// aggregators' exact-input and exact-output requests. The size priced is the smallest listing
// size whose cost reaches the amount, so the base actually exchanged (amount / price) never
// exceeds what was priced: the depth and impact behind the price cover the trade.
#include "aqueduct/pricer/listing_pricer.hpp"

namespace aq::pricer {

struct SizedPrice {
  PriceResult result;
  int64_t qty = 0;  // listing qty units priced
};

// `amount` is in the listing's quote asset as units at `amount_scale`. Binary search over
// sizes, with ListingPricer::price at the same `now` (same state, same answers), so it is
// deterministic. Refuses with SIZE_TOO_SMALL / SIZE_TOO_LARGE when no listing size reaches it.
SizedPrice price_for_amount(ListingPricer& pricer, Side taker_side, int64_t amount,
                            int amount_scale, const Tier& tier, int64_t now_ns,
                            bool killed = false);

}  // namespace aq::pricer
