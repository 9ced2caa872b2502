#include "aqueduct/connectors/instrument_spec.hpp"

#include <algorithm>

namespace aq::connectors {

namespace {
// The number of decimals needed to write `d` exactly.
int decimals(const Decimal& d) {
  int scale = d.scale;
  int64_t u = d.units;
  while (scale > 0 && u % 10 == 0) {
    u /= 10;
    --scale;
  }
  return scale;
}
}  // namespace

Instrument to_instrument(const InstrumentSpec& s, int64_t taker_fee_ppm) {
  Instrument i;
  i.venue = s.venue;
  i.symbol = s.symbol;
  i.kind = s.kind;
  i.base = s.base;
  i.quote = s.quote;
  i.settle = s.settle.empty() ? s.quote : s.settle;
  i.price_scale = decimals(s.tick);
  i.qty_scale = std::max(decimals(s.lot), decimals(s.min_qty));
  i.tick = s.tick.rescaled(i.price_scale, Rounding::Exact).units;
  i.lot = s.lot.rescaled(i.qty_scale, Rounding::Exact).units;
  i.min_qty = std::max(i.lot, s.min_qty.rescaled(i.qty_scale, Rounding::Exact).units);
  i.multiplier = s.multiplier;
  i.taker_fee_ppm = taker_fee_ppm;
  return i;
}

std::vector<std::string> check_instrument(const Instrument& c, const InstrumentSpec& v) {
  std::vector<std::string> out;
  auto differ = [&](const char* field, const Decimal& configured, const Decimal& venue) {
    if (!(configured == venue))
      out.push_back(std::string(field) + ": configured " + configured.to_trimmed_string() + ", venue says " +
                    venue.to_trimmed_string());
  };
  if (c.kind != v.kind)
    out.push_back(std::string("kind: configured ") + to_string(c.kind) + ", venue says " + to_string(v.kind));
  differ("tick", c.price(c.tick), v.tick);
  differ("lot", c.qty(c.lot), v.lot);
  // A configured minimum above the venue's is a stricter choice of ours; below it, orders fail.
  if (compare(c.qty(c.min_qty), v.min_qty) < 0)
    out.push_back("min_qty: configured " + c.qty(c.min_qty).to_trimmed_string() + " is below the venue's " +
                  v.min_qty.to_trimmed_string());
  if (c.kind != InstrumentKind::Spot) differ("multiplier", c.multiplier, v.multiplier);
  if (!v.trading) out.push_back("status: the venue does not accept orders for " + v.symbol + " now");
  return out;
}

}  // namespace aq::connectors
