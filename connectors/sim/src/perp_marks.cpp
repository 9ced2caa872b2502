#include "aqueduct/sim/perp_marks.hpp"

namespace aq::sim {

PerpPush perp_marks(const Instrument& inst, int64_t mid, int64_t now_ms, int64_t interval_ms) {
  PerpPush p;
  p.instrument = &inst;
  p.mark = mid / inst.tick * inst.tick;
  p.index = (mid - mid / 10'000) / inst.tick * inst.tick;
  int64_t premium_e8 = p.index > 0 ? (p.mark - p.index) * 100'000'000 / p.index : 0;
  p.funding_rate = Decimal{10'000 + premium_e8 / 8, 8};
  if (interval_ms <= 0) interval_ms = kFundingInterval8hMs;
  p.next_funding_ms = (now_ms / interval_ms + 1) * interval_ms;
  p.ts_ms = now_ms;
  return p;
}

}  // namespace aq::sim
