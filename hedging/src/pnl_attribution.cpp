#include "aqueduct/hedging/pnl_attribution.hpp"

namespace aq::hedging {

FillPnl attribute_fill(const FillPnlInput& in) {
  FillPnl p;
  p.scale = in.qty_scale + in.price_scale;
  auto mul = [](int64_t a, int64_t b) { return static_cast<int128>(a) * b; };
  int128 s = in.inventory_change;
  int128 open = s;
  int128 cash = -mul(in.inventory_change, in.fill_price);
  p.spread = s * (in.fair_at_fill - in.fill_price);
  for (const auto& h : in.hedges) {
    p.hedge_slippage += mul(h.base, in.fair_at_fill - h.price);
    p.fees -= h.fee;
    cash -= mul(h.base, h.price) + h.fee;
    open += h.base;
  }
  p.funding = in.funding;
  cash += in.funding;
  p.revaluation = open * (in.mark - in.fair_at_fill);
  p.total = cash + open * in.mark;
  return p;
}

}  // namespace aq::hedging
