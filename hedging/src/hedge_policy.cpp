#include "aqueduct/hedging/hedge_policy.hpp"

#include <cstdlib>

namespace aq::hedging {

std::optional<HedgeDecision> decide_hedge(const AssetExposure& e, const Instrument& inst,
                                          const PolicyParams& p, int64_t now_ns) {
  if (e.unknown > p.max_unknown) return std::nullopt;  // reconcile first, never double-hedge
  if (now_ns < e.retry_after_ns) return std::nullopt;
  if (e.last_price <= 0) return std::nullopt;          // no reference price to bound the order
  int64_t exposure = e.projected();
  if (std::llabs(exposure) < p.threshold || exposure == 0) return std::nullopt;

  // Position units (1e-8) -> instrument units, rounded toward zero to whole lots.
  int shift = kPositionScale - inst.qty_scale;
  if (shift < 0) return std::nullopt;  // instrument finer than positions: misconfiguration
  int64_t abs_units = std::llabs(exposure) / pow10(shift);
  int64_t qty = abs_units / inst.lot * inst.lot;
  if (qty < inst.min_qty || qty == 0) return std::nullopt;  // carried until it grows

  HedgeDecision d;
  d.side = exposure < 0 ? Side::Buy : Side::Sell;  // short -> buy back
  d.qty = qty;
  d.signed_position_qty = (d.side == Side::Buy ? 1 : -1) * qty * pow10(shift);
  // Limit = reference +- slippage, converted to the instrument's scale and rounded to its tick
  // in the direction that keeps the bound (buy: down, sell: up).
  Decimal ref{e.last_price, e.last_price_scale};
  int64_t ref_units = ref.rescaled(inst.price_scale, d.side == Side::Buy ? Rounding::Down : Rounding::Up).units;
  int64_t factor = d.side == Side::Buy ? 1'000'000 + p.slippage_ppm : 1'000'000 - p.slippage_ppm;
  int64_t raw = mul_div(ref_units, factor, 1'000'000, d.side == Side::Buy ? Rounding::Down : Rounding::Up);
  int64_t ticks = d.side == Side::Buy ? raw / inst.tick : (raw + inst.tick - 1) / inst.tick;
  d.limit_price = ticks * inst.tick;
  return d;
}

}  // namespace aq::hedging
