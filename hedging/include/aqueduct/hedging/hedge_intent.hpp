#pragma once
// How much of an asset's exposure to hedge now, and how urgently. Pure: the exposure state,
// the market and `now` come in; an intent (or the reason for none) comes out. Where and in
// what instrument is plan_hedge's job (hedge_planner.hpp).
//
// - Every fill is hedged as it arrives, partial ones too: the intent covers the projected
//   exposure (net + hedges in flight), so concurrent fills net against each other and a
//   hedge in flight is never sent again.
// - Exposure below the threshold or below the smallest hedge a venue takes is carried until
//   more flow pushes it over.
// - Urgency: working a passive order saves about half the spread and the difference between
//   the taker and the maker fee, but leaves the exposure
//   open to the market meanwhile. Waiting τ more seconds risks about |E|·fair·σ·√τ (σ per
//   √second, a statistic). Cross now when that risk exceeds the saving, when the exposure
//   has been open for max_work already, or when it is larger than cross_above. What a worked
//   order did not fill by its deadline (or the venue would not rest) is crossed.
// - An order whose outcome is unknown counts as in flight; once one has been unknown for
//   longer than unknown_bound, no new hedge is sent for the asset until it is reconciled.
#include <cstdint>
#include <optional>
#include <string>

namespace aq::hedging {

struct ExposureState {
  int64_t net = 0;                // kAssetScale, signed: + long
  int64_t pending = 0;            // hedges in flight (unknown ones included), signed
  int64_t open_since_ns = 0;      // when the exposure last went from hedged to open (0: never)
  int64_t oldest_unknown_ns = 0;  // the oldest in-flight hedge with an unknown outcome (0: none)
  int64_t retry_after_ns = 0;     // a hedge that filled nothing waits until then
  bool remainder_of_work = false;  // a worked order ended with this unfilled: cross it
  int64_t projected() const { return net + pending; }
};

struct IntentParams {
  int64_t threshold = 1;                // kAssetScale: |projected| at which hedging acts
  int64_t min_hedge = 1;                // kAssetScale: the smallest hedge any venue takes
  int64_t max_work_ns = 2'000'000'000;  // a passive hedge gets at most this long
  int64_t unknown_bound_ns = 5'000'000'000;
  int64_t cross_above_usd = 0;  // kUsdScale; exposures above this always cross (0: off)
  double risk_k = 1.0;          // how many σ of adverse move the desk prices in
};

struct MarketView {
  int64_t fair_usd = 0;         // USD per base, kUnitPriceScale (hedge_planner.hpp)
  // USD per base, kUnitPriceScale: what a passive fill saves against crossing (the half
  // spread, and the taker fee less the maker fee), where resting saves the most.
  int64_t passive_saving_usd = 0;
  double sigma_per_sqrt_s = 0;  // fractional volatility per √second (statistics)
};

enum class HedgeStyle { Cross, Work };
const char* to_string(HedgeStyle s);

struct HedgeIntent {
  int64_t base = 0;  // kAssetScale, signed: + buy base
  HedgeStyle style = HedgeStyle::Cross;
  int64_t work_until_ns = 0;  // Work: cross whatever is left after this
  std::string why;            // the terms of the decision, for the tape and the audit
};

struct NoHedge {
  std::string why;
};

// Either an intent, or why not now.
struct IntentDecision {
  std::optional<HedgeIntent> intent;
  NoHedge none;
};

IntentDecision decide_intent(const ExposureState& e, const IntentParams& p, const MarketView& m,
                             int64_t now_ns);

}  // namespace aq::hedging
