#pragma once
// What every simulated perpetual reports as mark, index and funding, whatever the venue's
// format: one pure rule, so all simulated venues agree.
#include <cstdint>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::sim {

struct PerpPush {
  const Instrument* instrument = nullptr;
  int64_t mark = 0;   // price units
  int64_t index = 0;  // price units
  Decimal funding_rate;
  int64_t next_funding_ms = 0;
  int64_t ts_ms = 0;
};

// Mark: the mid on the tick grid. Index: a touch below (a small premium). Funding: 1 bp per
// interval plus an eighth of the premium, at 8 decimals as venues quote it; settlements every
// `interval_ms` (8 hours, as the venues; shorter in tests that need a settlement to happen).
inline constexpr int64_t kFundingInterval8hMs = 8 * 3600 * 1000;
PerpPush perp_marks(const Instrument& inst, int64_t mid, int64_t now_ms,
                    int64_t interval_ms = kFundingInterval8hMs);

}  // namespace aq::sim
