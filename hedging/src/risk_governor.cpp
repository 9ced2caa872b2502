#include "aqueduct/hedging/risk_governor.hpp"

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/types/decimal.hpp"

namespace aq::hedging {

const char* to_string(TradingState s) {
  switch (s) {
    case TradingState::Active:
      return "ACTIVE";
    case TradingState::Reducing:
      return "REDUCING";
    case TradingState::Halted:
      return "HALTED";
  }
  return "?";
}

namespace {
int64_t abs64(int64_t v) {
  return v < 0 ? -v : v;
}
std::string usd(int64_t v) {
  return Decimal{v, kUsdScale}.to_trimmed_string() + " USD";
}
std::string base(int64_t v) {
  return Decimal{v, kAssetScale}.to_trimmed_string();
}
template <class M>
int64_t get(const M& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}
}  // namespace

std::optional<std::string> RiskGovernor::breach(const std::string& scope,
                                                const RiskInputs& in) const {
  if (scope.rfind("asset ", 0) == 0) {
    auto a = scope.substr(6);
    auto lim = limits_.max_position.find(a);
    int64_t x = get(in.asset_exposure, a);
    if (lim != limits_.max_position.end() && lim->second > 0 && abs64(x) > lim->second)
      return "exposure " + base(x) + " " + a + " is beyond the limit of " + base(lim->second);
  } else if (scope.rfind("venue ", 0) == 0) {
    auto v = scope.substr(6);
    auto lim = limits_.max_venue_usd.find(v);
    int64_t x = get(in.venue_usd, v);
    if (lim != limits_.max_venue_usd.end() && lim->second > 0 && abs64(x) > lim->second)
      return "exposure on " + v + " " + usd(x) + " is beyond the limit of " + usd(lim->second);
  } else if (scope.rfind("listing ", 0) == 0) {
    auto l = scope.substr(8);
    auto lim = limits_.listings.find(l);
    int64_t pnl = get(in.listing_pnl, l);
    if (lim != limits_.listings.end() && lim->second.stop_loss_usd > 0 &&
        pnl < -lim->second.stop_loss_usd)
      return "PnL " + usd(pnl) + " is below the stop loss of -" + usd(lim->second.stop_loss_usd);
  } else if (scope == "portfolio") {
    int64_t dd = peak_ - in.portfolio_pnl;
    if (limits_.max_drawdown_usd > 0 && dd > limits_.max_drawdown_usd)
      return "drawdown " + usd(dd) + " from the peak " + usd(peak_) + " is beyond the limit of " +
             usd(limits_.max_drawdown_usd);
  }
  return std::nullopt;
}

std::vector<Trip> RiskGovernor::evaluate(const RiskInputs& in, int64_t now_ns) {
  if (in.portfolio_pnl > peak_) peak_ = in.portfolio_pnl;
  std::vector<std::string> scopes;
  for (const auto& [a, _] : limits_.max_position) scopes.push_back("asset " + a);
  for (const auto& [v, _] : limits_.max_venue_usd) scopes.push_back("venue " + v);
  for (const auto& [l, _] : limits_.listings) scopes.push_back("listing " + l);
  scopes.push_back("portfolio");
  std::vector<Trip> fresh;
  for (const auto& s : scopes) {
    if (trips_.count(s)) continue;
    auto why = breach(s, in);
    if (!why) continue;
    Trip t{s, s == "portfolio" ? TradingState::Halted : TradingState::Reducing, *why, now_ns};
    if (s == "portfolio") halted_ = true;
    trips_[s] = t;
    fresh.push_back(t);
  }
  return fresh;
}

TradingState RiskGovernor::asset_state(const std::string& asset) const {
  if (halted_) return TradingState::Halted;
  if (trips_.empty()) return TradingState::Active;  // the usual case, asked on every hedge
  if (trips_.count("asset " + asset)) return TradingState::Reducing;
  for (const auto& [name, l] : limits_.listings)
    if (l.asset == asset && trips_.count("listing " + name)) return TradingState::Reducing;
  return TradingState::Active;
}

TradingState RiskGovernor::venue_state(const std::string& venue) const {
  if (halted_) return TradingState::Halted;
  return !trips_.empty() && trips_.count("venue " + venue) ? TradingState::Reducing
                                                           : TradingState::Active;
}

bool RiskGovernor::quoting_allowed(const std::string& listing) const {
  // An asset beyond its position limit still quotes: the pricer's inventory limit and skew
  // keep new quotes on the side that reduces it.
  return !halted_ && !trips_.count("listing " + listing);
}

std::optional<std::string> RiskGovernor::refuse_hedge(const std::string& asset, int64_t exposure,
                                                      int64_t delta, const std::string& venue,
                                                      int64_t venue_usd, int64_t delta_usd) const {
  if (halted_)
    return "trading is HALTED (" + trips_.at("portfolio").why + "); an operator must re-arm it";
  auto reduces = [](int64_t before, int64_t change) {
    int64_t after = before + change;
    return abs64(after) < abs64(before) &&
           (before == 0 || (after >= 0) == (before > 0) || after == 0);
  };
  if (asset_state(asset) == TradingState::Reducing && !reduces(exposure, delta))
    return asset + " is REDUCING: a hedge of " + base(delta) + " on exposure " + base(exposure) +
           " does not bring it toward zero";
  if (venue_state(venue) == TradingState::Reducing && !reduces(venue_usd, delta_usd))
    return venue + " is REDUCING: this hedge would not reduce the " + usd(venue_usd) +
           " held there";
  return std::nullopt;
}

std::optional<std::string> RiskGovernor::rearm(const std::string& scope, const RiskInputs& in) {
  auto it = trips_.find(scope);
  if (it == trips_.end()) return scope + " is not tripped; nothing to re-arm";
  // Re-arming the portfolio accepts the loss taken: the drawdown is measured from here on.
  if (scope == "portfolio") peak_ = in.portfolio_pnl;
  if (auto why = breach(scope, in)) return "cannot re-arm " + scope + ": " + *why;
  trips_.erase(it);
  if (scope == "portfolio") halted_ = false;
  return std::nullopt;
}

}  // namespace aq::hedging
