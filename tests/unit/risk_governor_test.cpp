// Risk limits that act: position per asset and per venue, stop loss per listing, portfolio
// drawdown; ACTIVE / REDUCING / HALTED; operator re-arm refused while the breach holds.
#include <doctest/doctest.h>

#include "aqueduct/hedging/risk_governor.hpp"

using namespace aq::hedging;

namespace {
constexpr int64_t kUnit = 100'000'000;
constexpr int64_t kUsd = 1'000'000;
RiskLimits limits() {
  RiskLimits l;
  l.max_position["BTC"] = 2 * kUnit;
  l.max_venue_usd["bitmex"] = 100'000 * kUsd;
  l.listings["BTC-USDT"] = {"BTC", 5'000 * kUsd};
  l.max_drawdown_usd = 20'000 * kUsd;
  return l;
}
}  // namespace

TEST_CASE("a position beyond its limit trips the asset to REDUCING: only hedges toward zero") {
  RiskGovernor g(limits());
  RiskInputs in;
  in.asset_exposure["BTC"] = 2 * kUnit;  // at the limit: fine
  CHECK(g.evaluate(in, 1).empty());
  in.asset_exposure["BTC"] = 2 * kUnit + 1;
  auto trips = g.evaluate(in, 2);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].scope == "asset BTC");
  CHECK(trips[0].state == TradingState::Reducing);
  CHECK(trips[0].why == "exposure 2.00000001 BTC is beyond the limit of 2");
  CHECK(trips[0].at_ns == 2);
  CHECK(g.evaluate(in, 3).empty());  // tripped once, not again
  CHECK(g.asset_state("BTC") == TradingState::Reducing);
  CHECK(g.asset_state("ETH") == TradingState::Active);
  CHECK(g.quoting_allowed("BTC-USDT"));  // the pricer's inventory limit picks the side
  // Selling 1 of a 2.00000001 long reduces: allowed. Buying more, or selling through zero: not.
  CHECK_FALSE(g.refuse_hedge("BTC", 2 * kUnit + 1, -kUnit, "binance", 0, 0));
  auto more = g.refuse_hedge("BTC", 2 * kUnit + 1, kUnit, "binance", 0, 0);
  REQUIRE(more);
  CHECK(*more ==
        "BTC is REDUCING: a hedge of 1 on exposure 2.00000001 does not bring it toward zero");
  CHECK(g.refuse_hedge("BTC", 2 * kUnit + 1, -5 * kUnit, "binance", 0, 0));
  // Re-arm: refused while still beyond, accepted once back within.
  auto no = g.rearm("asset BTC", in);
  REQUIRE(no);
  CHECK(*no == "cannot re-arm asset BTC: exposure 2.00000001 BTC is beyond the limit of 2");
  in.asset_exposure["BTC"] = kUnit;
  CHECK_FALSE(g.rearm("asset BTC", in));
  CHECK(g.asset_state("BTC") == TradingState::Active);
  CHECK(*g.rearm("asset BTC", in) == "asset BTC is not tripped; nothing to re-arm");
}

TEST_CASE("a venue over its USD limit takes only hedges that reduce what is held there") {
  RiskGovernor g(limits());
  RiskInputs in;
  in.venue_usd["bitmex"] = -150'000 * kUsd;
  auto trips = g.evaluate(in, 1);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].why == "exposure on bitmex -150000 USD is beyond the limit of 100000 USD");
  CHECK(g.venue_state("bitmex") == TradingState::Reducing);
  CHECK(g.venue_state("binance") == TradingState::Active);
  CHECK_FALSE(g.refuse_hedge("BTC", kUnit, -kUnit, "binance", 0, -30'000 * kUsd));
  CHECK(g.refuse_hedge("BTC", kUnit, -kUnit, "bitmex", -150'000 * kUsd, -30'000 * kUsd));
  CHECK_FALSE(g.refuse_hedge("BTC", -kUnit, kUnit, "bitmex", -150'000 * kUsd, 30'000 * kUsd));
}

TEST_CASE("a listing's stop loss stops its quoting and flattens its asset") {
  RiskGovernor g(limits());
  RiskInputs in;
  in.listing_pnl["BTC-USDT"] = -5'000 * kUsd;
  CHECK(g.evaluate(in, 1).empty());  // at the stop: not below it
  in.listing_pnl["BTC-USDT"] = -5'000 * kUsd - 1;
  auto trips = g.evaluate(in, 2);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].scope == "listing BTC-USDT");
  CHECK(trips[0].why == "PnL -5000.000001 USD is below the stop loss of -5000 USD");
  CHECK_FALSE(g.quoting_allowed("BTC-USDT"));
  CHECK(g.quoting_allowed("ETH-USDT"));
  CHECK(g.asset_state("BTC") == TradingState::Reducing);  // flatten: only toward zero
  CHECK(g.refuse_hedge("BTC", kUnit, kUnit, "binance", 0, 0));
  CHECK_FALSE(g.refuse_hedge("BTC", kUnit, -kUnit, "binance", 0, 0));
}

TEST_CASE("a drawdown from the peak halts everything until an operator re-arms") {
  RiskGovernor g(limits());
  RiskInputs in;
  in.portfolio_pnl = 30'000 * kUsd;
  CHECK(g.evaluate(in, 1).empty());
  CHECK(g.peak_pnl() == 30'000 * kUsd);
  in.portfolio_pnl = 10'000 * kUsd;  // 20,000 down: at the limit
  CHECK(g.evaluate(in, 2).empty());
  in.portfolio_pnl = 9'999 * kUsd;
  auto trips = g.evaluate(in, 3);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].state == TradingState::Halted);
  CHECK(trips[0].why ==
        "drawdown 20001 USD from the peak 30000 USD is beyond the limit of 20000 USD");
  CHECK(g.portfolio() == TradingState::Halted);
  CHECK(g.asset_state("ETH") == TradingState::Halted);
  CHECK_FALSE(g.quoting_allowed("ETH-USDT"));
  auto r = g.refuse_hedge("BTC", kUnit, -kUnit, "binance", 0, 0);
  REQUIRE(r);
  CHECK(r->find("trading is HALTED (drawdown 20001 USD") == 0);
  // The operator re-arms: the loss is accepted and the drawdown restarts from here.
  CHECK_FALSE(g.rearm("portfolio", in));
  CHECK(g.portfolio() == TradingState::Active);
  CHECK(g.peak_pnl() == 9'999 * kUsd);
  CHECK(g.evaluate(in, 4).empty());
}
