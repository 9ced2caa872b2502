#pragma once
// PnL of one taker fill and the hedges it caused, split into what each decision earned or
// cost. Pure and exact: every term is an integer at one common scale (the fill's qty scale +
// price scale), so the parts add up to the total to the smallest unit.
//
// With s our inventory change from the fill (taker buys q: s = −q), P_f its price, F the fair
// value when it filled, hedges h_i (signed base) at P_i with fees f_i, funding Φ received,
// and the mark M now:
//   total = cash + mark-to-market = −s·P_f − Σ h_i·P_i − Σ f_i + Φ + (s + Σ h_i)·M
//         = s·(F − P_f)                 spread captured against fair value at fill time
//         + Σ h_i·(F − P_i)             hedge slippage (negative: hedging cost us)
//         − Σ f_i                       venue fees
//         + Φ                           funding on perp hedges
//         + (s + Σ h_i)·(M − F)         inventory revaluation of what is still open
// Prices are in the listing's quote currency (USD-like), so this covers hedges on spot and
// linear instruments priced in it; inverse and quanto hedges add a settle-coin leg (later).
#include <cstdint>
#include <string>
#include <vector>

#include "aqueduct/types/decimal.hpp"

namespace aq::hedging {

struct HedgeExecution {
  int64_t base = 0;   // signed, at the common qty scale: + bought
  int64_t price = 0;  // at the common price scale
  int128 fee = 0;     // paid, at the result scale (qty scale + price scale)
};

struct FillPnlInput {
  int qty_scale = 8;
  int price_scale = 8;
  int64_t inventory_change = 0;  // s
  int64_t fill_price = 0;        // P_f
  int64_t fair_at_fill = 0;      // F
  std::vector<HedgeExecution> hedges;
  int128 funding = 0;  // Φ received (+) or paid (−), at the result scale
  int64_t mark = 0;     // M
};

struct FillPnl {
  int scale = 16;  // of every term: qty_scale + price_scale
  int128 spread = 0, hedge_slippage = 0, fees = 0, funding = 0, revaluation = 0;
  int128 total = 0;  // computed independently, from cash and mark-to-market
  int128 parts() const { return spread + hedge_slippage + fees + funding + revaluation; }
};

FillPnl attribute_fill(const FillPnlInput& in);

// `v` at `scale` as exact decimal text ("-0.3000000000000000").
std::string exact_text(int128 v, int scale);

}  // namespace aq::hedging
