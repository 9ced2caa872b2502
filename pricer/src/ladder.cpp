#include "aqueduct/pricer/ladder.hpp"

namespace aq::pricer {

Ladder build_ladder(ListingPricer& pricer, const std::vector<int64_t>& sizes, const Tier& tier,
                    int64_t now_ns, bool killed) {
  Ladder out;
  for (Side s : {Side::Sell, Side::Buy}) {
    LadderSide& side = s == Side::Buy ? out.asks : out.bids;
    side.points.reserve(sizes.size());
    for (int64_t q : sizes) {
      auto r = pricer.price(s, q, tier, now_ns, killed);
      if (!r.ok()) {
        side.refusal = std::move(r.refusal);
        break;
      }
      side.points.push_back({q, r.price->price});
    }
  }
  out.fair = pricer.fair();
  return out;
}

std::vector<IncrementalLevel> incremental(const LadderSide& side, Side taker_side) {
  std::vector<IncrementalLevel> out;
  out.reserve(side.points.size());
  const int64_t unit = ConsolidatedBook::pricing_scale_factor();
  int128 prev_notional = 0;
  int64_t prev_qty = 0;
  for (const auto& p : side.points) {
    int128 notional = static_cast<int128>(p.qty) * p.price * unit;
    int64_t dq = p.qty - prev_qty;
    if (dq <= 0) continue;
    int64_t price = div_round(notional - prev_notional, dq,
                              taker_side == Side::Buy ? Rounding::Up : Rounding::Down);
    out.push_back({dq, price});
    prev_notional = notional;
    prev_qty = p.qty;
  }
  return out;
}

}  // namespace aq::pricer
