#pragma once
// What an operator tunes about how one listing is priced, beyond the listing's own spread and
// size limits. Every default is conservative: a listing with no "pricing" block still refuses
// to quote on stale, thin or disagreeing books.
#include <cstdint>
#include <string>
#include <vector>

namespace aq::pricer {

struct PricingParams {
  // Consolidated book.
  int64_t max_book_age_ns = 2'000'000'000;  // a venue older than this is stale (per venue below)
  bool max_book_age_ns_set = false;         // set by the listing itself, not inherited
  std::vector<std::pair<std::string, int64_t>> venue_max_age_ns;  // instrument key -> limit
  int64_t outlier_ppm = 5'000;  // a venue whose mid is further than this from the others' median
  int min_venues = 1;           // fewer live venues than this: no quote
  int64_t adjust_half_life_ns = 60'000'000'000;  // basis and conversion-rate EWMAs

  // Fair value: the leading venue (instrument key; empty = none) and how far ahead of the
  // followers its moves are measured.
  std::string leader;
  int64_t lead_horizon_ns = 500'000'000;
  int64_t lead_half_life_ns = 300'000'000'000;

  // Volatility: EWMA of squared returns of the fair value.
  int64_t vol_half_life_ns = 120'000'000'000;
  double vol_prior_bps_per_sqrt_s = 2.0;  // sigma before any return is seen
  int64_t jump_window_ns = 1'000'000'000;
  double jump_sigmas = 12.0;       // a move beyond this many sigma over the window trips
  int64_t jump_floor_ppm = 3'000;  // ...and beyond this much (tiny sigma must not trip)
  int64_t fair_max_age_ns = 2'000'000'000;

  // Spread terms.
  double vol_k = 1.0;                          // vol spread = k * sigma * sqrt(horizon)
  int64_t vol_horizon_ns = 5'000'000'000;      // how long a fill's risk is held (quote TTL + hedge)
  int64_t impact_ppm = 100'000;                // scale of (OI on side + S/2) / depth within 1%
  int64_t impact_window_ns = 900'000'000'000;  // 15 minutes: slicing does not escape it
  int64_t depth_band_ppm = 10'000;             // "depth within 1%"
  int64_t skew_ppm_at_limit = 0;               // inventory skew at max_inventory
  int64_t max_inventory = 0;                   // listing qty units; 0 = no skew
  // Guards (listing qty units / listing quote units at price scale; 0 = no limit).
  int64_t max_notional = 0;  // qty * fair, in quote currency units at the listing's price scale
  int64_t max_open_interest = 0;  // window flow on one side + S
};

// A client tier's markup on top of the price (zero for the institutional zero-fee tier).
struct Tier {
  std::string name;
  int64_t markup_ppm = 0;
};

}  // namespace aq::pricer
