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

std::string exact_text(int128 v, int scale) {
  bool neg = v < 0;
  uint128 u = neg ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u > 0);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale))
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return (neg ? "-" : "") + digits;
}

}  // namespace aq::hedging
