#pragma once
// Risk limits that act. Pure: exposures and PnL come in with the time; trips come out, and
// the governor answers what is still allowed. State changes first; the shell then records
// each trip (audit_log), logs it at error level, counts it and calls the webhook.
//
//   ACTIVE    quote and hedge freely
//   REDUCING  only hedges that bring the exposure toward zero (never through it)
//   HALTED    nothing new: cancel only
//
// Scopes and what trips them:
//   asset <A>      |exposure| above max_position               -> REDUCING
//   venue <V>      |USD exposure on the venue| above its limit  -> REDUCING (on that venue)
//   listing <L>    PnL below −stop_loss                         -> the listing stops quoting;
//                                                                 its asset REDUCING (flatten)
//   portfolio      drawdown from the peak above the limit       -> HALTED
// A trip holds until an operator re-arms it; re-arming while the condition still holds is
// refused with the numbers.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aq::hedging {

enum class TradingState { Active, Reducing, Halted };
const char* to_string(TradingState s);

struct RiskLimits {
  std::map<std::string, int64_t> max_position;   // asset -> kAssetScale (absolute)
  std::map<std::string, int64_t> max_venue_usd;  // venue -> kUsdScale (absolute)
  struct Listing {
    std::string asset;
    int64_t stop_loss_usd = 0;  // kUsdScale, positive; 0 = none
  };
  std::map<std::string, Listing> listings;  // listing -> its stop
  int64_t max_drawdown_usd = 0;             // kUsdScale; 0 = none
  // Margin on a venue's derivatives account: the USD collateral posted there and the initial
  // margin rate (ppm of notional) its perps need. Free margin = collateral − Σ |notional| ·
  // rate over the venue's perp positions at their marks; a hedge leg may add perp notional
  // only up to free / rate (legs that reduce a position always may). A venue not listed is
  // not checked.
  //
  // With `from_venue`, the venue's own account read (by the router, on a timer) replaces the
  // collateral model: free = what the venue reports available − rate × the perp notional added
  // since the read (venue_margin.hpp). No read, a failed one, or one older than
  // max_read_age_ms leaves nothing free for new perp notional on that venue.
  struct Margin {
    int64_t collateral_usd = 0;      // kUsdScale, positive (not used with from_venue)
    int64_t initial_margin_ppm = 0;  // 1..1,000,000 (10x leverage: 100,000)
    bool from_venue = false;
    int64_t max_read_age_ms = 15'000;
  };
  std::map<std::string, Margin> margin;  // venue -> its account
};

struct RiskInputs {
  std::map<std::string, int64_t> asset_exposure;  // asset -> kAssetScale
  std::map<std::string, int64_t> venue_usd;       // venue -> kUsdScale (net USD exposure there)
  std::map<std::string, int64_t> listing_pnl;     // listing -> kUsdScale
  int64_t portfolio_pnl = 0;                      // kUsdScale, since start
};

struct Trip {
  std::string scope;  // "asset BTC", "venue bitmex", "listing BTC-USDT", "portfolio"
  TradingState state = TradingState::Reducing;
  std::string why;  // the numbers: what was seen, what the limit is
  int64_t at_ns = 0;
};

class RiskGovernor {
 public:
  explicit RiskGovernor(RiskLimits limits) : limits_(std::move(limits)) {}

  // New trips only (a scope already tripped is not tripped again).
  std::vector<Trip> evaluate(const RiskInputs& in, int64_t now_ns);

  TradingState portfolio() const { return halted_ ? TradingState::Halted : TradingState::Active; }
  TradingState asset_state(const std::string& asset) const;
  TradingState venue_state(const std::string& venue) const;
  bool quoting_allowed(const std::string& listing) const;

  // May a hedge of `delta` (kAssetScale, signed) on `venue` go out, given the asset's
  // exposure and the venue's own USD exposure before it (and `delta_usd`, its USD change)?
  // Empty: yes; else why not.
  std::optional<std::string> refuse_hedge(const std::string& asset, int64_t exposure, int64_t delta,
                                          const std::string& venue, int64_t venue_usd,
                                          int64_t delta_usd) const;

  // An operator re-arms a scope. Refused (with why) while its condition still holds.
  std::optional<std::string> rearm(const std::string& scope, const RiskInputs& now_in);

  const std::map<std::string, Trip>& trips() const { return trips_; }
  int64_t peak_pnl() const { return peak_; }

 private:
  std::optional<std::string> breach(const std::string& scope, const RiskInputs& in) const;

  RiskLimits limits_;
  std::map<std::string, Trip> trips_;  // by scope, while tripped
  int64_t peak_ = 0;
  bool halted_ = false;
};

}  // namespace aq::hedging
