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
//         + Σ_quanto C_i                the quanto legs' settle-coin correlation
// Prices are in the listing's quote currency (USD-like). A spot or linear hedge is h_i base
// at P_i. An inverse hedge enters as its base equivalent at its trade price (its coin PnL is
// then exact up to the basis between its price and M). A quanto hedge of N contracts of m
// settle coin per unit of price, traded at P_i while the settle coin was at S_i, is worth
// V_i = N·m·(M − P_i)·S in USD when the settle coin is at S now; its base equivalent h_i is
// N·m·S_i. So its value is h_i·(M − P_i) + C_i with C_i = N·m·(M − P_i)·(S − S_i): what the
// settle coin's move did to the leg's PnL (domain.md, "quanto"). C_i is computed as V_i
// (rounded half-even once, at the result scale) less h_i·(M − P_i), so the parts still add up
// to the total exactly.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aqueduct/types/decimal.hpp"

namespace aq::hedging {

struct HedgeExecution {
  HedgeExecution() = default;
  // A spot, linear or inverse execution: no quanto terms.
  HedgeExecution(int64_t b, int64_t p, int128 f) : base(b), price(p), fee(f) {}
  int64_t base = 0;   // signed, at the common qty scale: + bought
  int64_t price = 0;  // at the common price scale
  int128 fee = 0;     // paid, at the result scale (qty scale + price scale)
  // Quanto only (quanto_per_price.units != 0): N·m, signed like `base` (settle coin per unit
  // of price); the settle coin's price at the trade (common price scale) and its name.
  Decimal quanto_per_price{0, 0};
  int64_t settle_at_trade = 0;
  std::string settle_asset;
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
  // S: each quanto hedge's settle coin at its price now (common price scale).
  std::map<std::string, int64_t> settle_marks;
};

struct FillPnl {
  int scale = 16;  // of every term: qty_scale + price_scale
  int128 spread = 0, hedge_slippage = 0, fees = 0, funding = 0, revaluation = 0, quanto = 0;
  // Computed independently: cash and mark-to-market, with each quanto leg at its value V_i.
  int128 total = 0;
  int128 parts() const { return spread + hedge_slippage + fees + funding + revaluation + quanto; }
};

// Throws std::invalid_argument naming the coin when a quanto hedge's settle coin has no price
// in `settle_marks`.
FillPnl attribute_fill(const FillPnlInput& in);

// 10^n in 128 bits (n <= 38).
int128 pow10_128(int n);
// num / 10^digits (digits >= 0), rounded half to even.
int128 shift_half_even(int128 num, int digits);

// `v` at `scale` as exact decimal text ("-0.3000000000000000").
std::string exact_text(int128 v, int scale);

}  // namespace aq::hedging
