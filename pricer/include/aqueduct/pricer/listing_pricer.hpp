#pragma once
// The price of one listing for a size, a side and a client tier, with every term that built it.
//
//   ask = hedge cost + base spread + vol spread + impact spread + tier markup + inventory skew
//   bid = hedge cost - base spread - vol spread - impact spread - tier markup + inventory skew
//
// where the hedge cost is the consolidated walk for the size (fees included), the vol spread
// is k * sigma * sqrt(horizon) of the fair value, the impact spread is
// impact * (flow on that side over the window + S/2) / depth within the band on that side, and
// the skew leans both prices against our inventory. The result is rounded to the listing's
// tick against us. Indicative ladders are priced by this same function, so a firm quote for a
// ladder size equals the ladder's price for it.
//
// Guards refuse with a machine-readable reason: a kill switch, a tripped circuit breaker (most
// venues jumped together; stays tripped until an operator re-arms), size and notional limits, open
// interest, too few live venues, a stale fair value, too little depth.
//
// Pure: books are read through the consolidated book, time is an argument.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/msg/quoting.pb.h"
#include "aqueduct/pricer/consolidated_book.hpp"
#include "aqueduct/pricer/flow_window.hpp"
#include "aqueduct/pricer/lead_lag.hpp"
#include "aqueduct/pricer/volatility.hpp"

namespace aq::pricer {

struct Refusal {
  aqueduct::msg::RefusalReason reason = aqueduct::msg::REFUSAL_UNSPECIFIED;
  std::string detail;
};

// Per unit, in pricing units (listing price scale + kExtraDigits). See PriceBreakdown.
struct PriceTerms {
  int64_t fair = 0;
  int64_t hedge_vwap = 0;
  int64_t fee = 0;
  int64_t base_spread = 0;
  int64_t vol_spread = 0;
  int64_t impact_spread = 0;
  int64_t markup = 0;
  int64_t skew = 0;      // signed
  int64_t rounding = 0;  // signed
  double sigma_bps = 0;
  int live_venues = 0;
  int64_t oldest_book_ms = 0;
  struct Share {
    const Instrument* venue = nullptr;
    int64_t qty = 0;   // listing qty units
    int64_t vwap = 0;  // pricing units, fee included
  };
  std::vector<Share> shares;  // largest first
};

struct Price {
  Side taker_side = Side::Buy;
  int64_t qty = 0;    // listing qty units
  int64_t price = 0;  // listing price units
  PriceTerms terms;
  std::string tier;
};

struct PriceResult {
  std::optional<Price> price;
  Refusal refusal;
  bool ok() const { return price.has_value(); }
};

// Why a listing stopped quoting on its own.
struct BreakerState {
  bool tripped = false;
  int64_t at_ns = 0;
  std::string reason;
};

class ListingPricer {
 public:
  ListingPricer(const Listing& listing, std::vector<ConsolidatedBook::Source> sources,
                PricingParams params);
  ListingPricer(const ListingPricer&) = delete;  // the book points at params_
  ListingPricer& operator=(const ListingPricer&) = delete;

  // The market moved (a book of this listing changed) or time passed: re-decide the venues,
  // observe the fair value, its volatility, the leader and jumps. Idempotent for one `now`.
  void refresh(int64_t now_ns);
  // A taker filled `qty` on `taker_side` (feeds the rolling flow window).
  void on_fill(Side taker_side, int64_t qty, int64_t now_ns);
  // Our inventory in the listing's base (listing qty units, signed), as hedging publishes it.
  void set_inventory(int64_t qty) { inventory_ = qty; }
  void rearm() {
    breaker_ = {};
    for (auto& j : jumps_) j.reset();
  }

  // Refreshes at `now`, then prices. Same state and `now`: same answer.
  PriceResult price(Side taker_side, int64_t qty, const Tier& tier, int64_t now_ns,
                    bool killed = false);

  const ConsolidatedBook& book() const { return book_; }
  const BreakerState& breaker() const { return breaker_; }
  const Listing& listing() const { return *listing_; }
  const PricingParams& params() const { return params_; }
  int64_t fair() const { return fair_; }  // pricing units, lead-lag included; 0: none
  double sigma_bps() const { return vol_.sigma_bps(); }
  double lead_beta() const { return lead_.beta(); }
  int64_t inventory() const { return inventory_; }

 private:
  int64_t followers_fair(size_t leader) const;

  const Listing* listing_;
  PricingParams params_;
  ConsolidatedBook book_;
  Volatility vol_;
  // One per venue, on the venue's own mid: the breaker trips when most venues with fresh data
  // jumped within the window. A venue joining or leaving the fair value shifts it by their
  // disagreement, which is not a market move; one venue crashing alone is an outlier, not a
  // reason to stop quoting.
  std::vector<JumpDetector> jumps_;
  LeadLag lead_;
  FlowWindow flow_;
  BreakerState breaker_;
  int64_t fair_ = 0;
  int64_t fair_ns_ = 0;  // newest book behind the fair value
  int64_t inventory_ = 0;
  int64_t refreshed_ns_ = -1;
  size_t leader_ = ~size_t{0};
};

}  // namespace aq::pricer
