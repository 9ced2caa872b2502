#pragma once
// Where to hedge: spot and perpetual instruments across venues, compared by expected total
// cost, and split by depth where one venue is not the cheapest for the whole size. Pure.
//
// The cost of taking one more unit of base on an instrument, in USD per base:
//   (level price − fair)·dir       the walk of the book plus the venue's basis to fair value
//   + fee                          the instrument's taker fee on the price
//   + carry                        expected funding over the holding time (perps: longs pay a
//                                  positive rate, shorts earn it), or borrow (a spot sale
//                                  beyond what the venue holds)
//   + health penalty               the router's score of a sick venue, as a cost
// Levels of every usable candidate are merged cheapest first and taken until the size is
// covered or the venues' headroom (position limit, margin) runs out. Each leg is a whole
// number of lots at or above the instrument's minimum; what is left is the residual, carried.
// The plan says why each venue took what it took (CostTerms) and why others took nothing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"
#include "aqueduct/types/l2_book.hpp"

namespace aq::hedging {

// USD per unit of base, at this scale (30,000 USD = 3e12).
inline constexpr int kUnitPriceScale = 8;

struct HedgeCandidate {
  const Instrument* inst = nullptr;
  // The side of the book a hedge takes: asks to buy, bids to sell (best first), and the best
  // opposite price for the venue's mid.
  std::vector<Level> levels;
  int64_t opposite_best = 0;
  Decimal quote_usd{1, 0};   // the instrument's quote currency in USD
  Decimal settle_usd{0, 0};  // quanto: the settle coin in the quote currency
  // Perps: funding rate per interval, in parts per billion (0.01% = 100,000), and the interval.
  int64_t funding_ppb = 0;
  int64_t funding_interval_ns = 8LL * 3600 * 1'000'000'000;
  // Spot: the cost of borrowing base to sell short, parts per billion per day.
  int64_t borrow_ppb_per_day = 0;
  // This venue's current base delta on the instrument (kAssetScale, signed) and the most it
  // may hold either way (0: no limit).
  int64_t position_base = 0;
  int64_t max_position_base = 0;
  // Margin: USD free on the venue's account and the initial margin rate (ppm) of the
  // instrument; a perp leg's notional may use at most margin / rate beyond what closes the
  // venue's open position (position_base) on it. 0 rate: not checked.
  int64_t margin_free_usd = 0;  // kUsdScale
  int64_t initial_margin_ppm = 0;
  // The most base a hedge may add on this venue in its direction before the venue's risk
  // limit (max_venue_usd), kAssetScale; -1: no limit. The planner sends the rest elsewhere.
  int64_t venue_headroom_base = -1;
  // The router's view of the venue: unusable venues take nothing; a penalty adds a cost.
  bool usable = true;
  std::string unusable_reason;
  int64_t health_penalty_ppm = 0;
};

struct PlanParams {
  int64_t holding_ns = 60LL * 1'000'000'000;  // how long a hedge is expected to be held
  int max_legs = 3;
};

// Why a leg costs what it costs, in USD at kUsdScale (positive = we pay).
struct CostTerms {
  int64_t walk = 0;   // vs the venue's own mid
  int64_t basis = 0;  // the venue's mid vs fair value
  int64_t fee = 0;
  int64_t carry = 0;   // funding or borrow over the holding time
  int64_t health = 0;  // the health penalty
  int64_t total() const { return walk + basis + fee + carry + health; }
};

struct HedgeLeg {
  const Instrument* inst = nullptr;
  Side side = Side::Buy;
  int64_t qty = 0;   // instrument qty units, whole lots
  int64_t base = 0;  // base it covers, kAssetScale, signed like the hedge
  int64_t worst_price =
      0;                 // the last level taken (instrument units): the IOC's limit before slippage
  int64_t vwap_usd = 0;  // USD per base at kUnitPriceScale
  CostTerms cost;
};

struct HedgePlan {
  std::vector<HedgeLeg> legs;
  int64_t planned_base = 0;              // Σ legs' base (signed)
  int64_t residual_base = 0;             // what no venue could take now (signed)
  std::vector<std::string> passed_over;  // "<venue:symbol>: <why>" for candidates with no leg
};

// The limit of a leg's IOC: the last level the plan takes, moved by `slippage_ppm` against us
// (buy up, sell down) and rounded to the tick so as to keep the bound (buy down, sell up).
int64_t hedge_limit_price(int64_t worst_price, Side side, int64_t slippage_ppm, int64_t tick);

// A hedge of `base_qty` (kAssetScale; + buy base, − sell base) against fair value `fair_usd`
// (USD per base, kUnitPriceScale).
HedgePlan plan_hedge(int64_t base_qty, int64_t fair_usd,
                     const std::vector<HedgeCandidate>& candidates, const PlanParams& params);

}  // namespace aq::hedging
