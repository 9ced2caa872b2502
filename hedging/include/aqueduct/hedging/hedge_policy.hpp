#pragma once
// When and how much to hedge. Pure: takes the exposure, the hedge instrument and `now`, and
// returns the order to send, if any. The order is rounded down to the venue's lot; whatever is
// below the lot or the venue minimum stays as carried exposure until it grows past it.
#include <cstdint>
#include <optional>
#include <string>

#include "aqueduct/hedging/exposure.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::hedging {

struct HedgeDecision {
  Side side = Side::Buy;
  int64_t qty = 0;          // instrument qty units
  int64_t limit_price = 0;  // instrument price units
  int64_t signed_position_qty = 0;  // the same quantity in position units, signed
};

struct PolicyParams {
  int64_t threshold = 1;        // position units: |projected exposure| that triggers a hedge
  int64_t slippage_ppm = 2000;  // limit price bound around the reference price
  int max_unknown = 0;          // no new hedge while more outcomes than this are unknown
};

std::optional<HedgeDecision> decide_hedge(const AssetExposure& exposure, const Instrument& inst,
                                          const PolicyParams& params, int64_t now_ns);

}  // namespace aq::hedging
