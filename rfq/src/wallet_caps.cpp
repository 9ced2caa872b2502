#include "aqueduct/rfq/wallet_caps.hpp"

#include "aqueduct/types/convert.hpp"

namespace aq::rfq {

namespace {

// Walks the increments with `pays(qty, price)` (token units a level pays out, nullopt if it
// cannot be computed) and `fits(remaining, price)` (the base units that `remaining` pays for).
template <class Pays, class Fits>
void cap(LevelIncrements& inc, const UInt256& cap_units, const Token& base, Pays pays, Fits fits) {
  UInt256 left = cap_units;
  int keep = 0;
  for (; keep < inc.size(); ++keep) {
    auto& lv = *inc.Mutable(keep);
    Decimal q = from_proto(lv.qty()), p = from_proto(lv.price());
    auto base_units = to_token_units(q.units, q.scale, base.decimals);
    auto cost = base_units ? pays(*base_units, p) : std::nullopt;
    if (cost && *cost <= left) {
      left = *left.checked_sub(*cost);
      continue;
    }
    // Shorten this level to what is left, in the ladder's own qty units, rounded down.
    auto part = fits(left, p);
    auto units = part ? to_qty_units(*part, base.decimals, q.scale, Rounding::Down) : std::nullopt;
    if (units && *units > 0) {
      to_proto(Decimal{*units, q.scale}, lv.mutable_qty());
      ++keep;
    }
    break;
  }
  while (inc.size() > keep) inc.RemoveLast();
}

}  // namespace

void cap_ask_increments(LevelIncrements& asks, const UInt256& base_cap, const Token& base) {
  cap(
      asks, base_cap, base,
      [](const UInt256& units, const Decimal&) -> std::optional<UInt256> { return units; },
      [](const UInt256& left, const Decimal&) -> std::optional<UInt256> { return left; });
}

void cap_bid_increments(LevelIncrements& bids, const UInt256& quote_cap, const Token& base,
                        const Token& quote) {
  cap(
      bids, quote_cap, base,
      [&](const UInt256& units, const Decimal& p) {
        return quote_for_base(units, base.decimals, p.units, p.scale, quote.decimals, Rounding::Up);
      },
      [&](const UInt256& left, const Decimal& p) {
        return base_for_quote(left, quote.decimals, p.units, p.scale, base.decimals,
                              Rounding::Down);
      });
}

}  // namespace aq::rfq
