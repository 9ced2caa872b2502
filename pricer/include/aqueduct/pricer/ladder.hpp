#pragma once
// Indicative levels: a ladder of sizes priced by ListingPricer::price, the very function firm
// quotes use, so a firm quote for a ladder size equals the ladder's price for it. The marginal
// form (level i adds qty_i at price_i) is what level-walking takers consume; walking it to a
// ladder size reproduces that size's price.
#include <cstdint>
#include <vector>

#include "aqueduct/pricer/listing_pricer.hpp"

namespace aq::pricer {

struct LadderPoint {
  int64_t qty = 0;    // listing qty units, cumulative
  int64_t price = 0;  // listing price units: the all-in price for qty
};

struct LadderSide {
  std::vector<LadderPoint> points;  // increasing qty; stops at the first size refused
  Refusal refusal;                  // why it stops (reason UNSPECIFIED when it does not)
};

struct Ladder {
  LadderSide bids;  // we buy (taker sells)
  LadderSide asks;  // we sell (taker buys)
  int64_t fair = 0;
};

// `sizes` in listing qty units, increasing.
Ladder build_ladder(ListingPricer& pricer, const std::vector<int64_t>& sizes, const Tier& tier,
                    int64_t now_ns, bool killed = false);

struct IncrementalLevel {
  int64_t qty = 0;    // listing qty units added by this level
  int64_t price = 0;  // pricing units (listing price scale + kExtraDigits), marginal
};
// Marginal levels of one side; rounded against us (asks up, bids down).
std::vector<IncrementalLevel> incremental(const LadderSide& side, Side taker_side);

}  // namespace aq::pricer
