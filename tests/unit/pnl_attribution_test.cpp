// PnL attribution of a fill and its hedges: the parts add up to the total to the smallest
// unit, and each part is what it says.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "aqueduct/hedging/pnl_attribution.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
// qty at 1e-5, prices at 1e-2: results at 1e-7.
constexpr int64_t kBtc = 100'000;
constexpr int64_t kDollar = 100;
constexpr int64_t kUsd7 = 10'000'000;  // 1 USD at 1e-7
}  // namespace

TEST_CASE(
    "a taker buys 1 BTC at 30,010 with fair 30,000; we buy it back at 30,002 with a 10 bps fee") {
  FillPnlInput in;
  in.qty_scale = 5;
  in.price_scale = 2;
  in.inventory_change = -kBtc;
  in.fill_price = 30'010 * kDollar;
  in.fair_at_fill = 30'000 * kDollar;
  in.hedges = {{kBtc, 30'002 * kDollar, 30'002 * kUsd7 / 1000}};  // fee 30.002 USD
  in.mark = 30'050 * kDollar;
  auto p = attribute_fill(in);
  CHECK(p.scale == 7);
  CHECK(p.spread == 10 * kUsd7);          // sold 10 above fair
  CHECK(p.hedge_slippage == -2 * kUsd7);  // bought back 2 above fair
  CHECK(p.fees == -30'002 * kUsd7 / 1000);
  CHECK(p.revaluation == 0);  // flat: the mark no longer matters
  CHECK(p.total == 8 * kUsd7 - 30'002 * kUsd7 / 1000);
  CHECK(p.parts() == p.total);
}

TEST_CASE("a partly hedged fill: the open part is revalued to the mark") {
  FillPnlInput in;
  in.qty_scale = 5;
  in.price_scale = 2;
  in.inventory_change = kBtc;  // the taker sold us 1 BTC at 29,990
  in.fill_price = 29'990 * kDollar;
  in.fair_at_fill = 30'000 * kDollar;
  in.hedges = {{-kBtc * 6 / 10, 29'995 * kDollar, 0}};  // sold 0.6 at 29,995
  in.mark = 29'900 * kDollar;
  auto p = attribute_fill(in);
  CHECK(p.spread == 10 * kUsd7);
  CHECK(p.hedge_slippage == -3 * kUsd7);  // 0.6 x 5 below fair
  CHECK(p.revaluation == -40 * kUsd7);    // 0.4 open x (29,900 − 30,000)
  CHECK(p.parts() == p.total);
  CHECK(p.total == -33 * kUsd7);
}

TEST_CASE("over random fills, hedges, fees and funding the parts always add up exactly") {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    FillPnlInput in;
    in.qty_scale = 8;
    in.price_scale = 8;
    auto r = [&](int64_t lo, int64_t hi) {
      return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo));
    };
    in.inventory_change = r(-1'000'000'000, 1'000'000'000);
    in.fill_price = r(1'000'000'000'000, 9'000'000'000'000);
    in.fair_at_fill = in.fill_price + r(-100'000'000, 100'000'000);
    int n = static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k)
      in.hedges.push_back({r(-1'000'000'000, 1'000'000'000),
                           in.fair_at_fill + r(-500'000'000, 500'000'000),
                           r(0, 1'000'000'000'000)});
    in.funding = r(-1'000'000'000, 1'000'000'000);
    in.mark = in.fair_at_fill + r(-1'000'000'000, 1'000'000'000);
    auto p = attribute_fill(in);
    REQUIRE(p.parts() == p.total);
  }
}

TEST_CASE("a quanto hedge (domain.md's worked example): the settle coin's move is its own part") {
  // The taker sells us 1,000 ETH at 499 (fair 500); we short 100,000 ETHUSD (0.000001 XBT
  // per USD: N·m = −0.1 XBT per USD) at 500 while BTC is 10,000: h = N·m·S₀ = −1,000 ETH.
  constexpr int64_t kUnit = 100'000'000;             // 1 at 1e-8 (qty and price)
  constexpr int128 kUsd16 = 10'000'000'000'000'000;  // 1 USD at 1e-16
  auto fill = [&](int64_t eth_now, int64_t btc_now) {
    FillPnlInput in;
    in.inventory_change = 1'000 * kUnit;
    in.fill_price = 499 * kUnit;
    in.fair_at_fill = 500 * kUnit;
    HedgeExecution h;
    h.base = -1'000 * kUnit;
    h.price = 500 * kUnit;
    h.quanto_per_price = Decimal{-1, 1};
    h.settle_at_trade = 10'000 * kUnit;
    h.settle_asset = "BTC";
    in.hedges = {h};
    in.mark = eth_now * kUnit;
    in.settle_marks["BTC"] = btc_now * kUnit;
    return attribute_fill(in);
  };
  // ETH to 750 and BTC to 15,000: the spot gains 250,000 USD, the swap loses 25 XBT =
  // 375,000 USD. Hedged 1:1 in ETH, the correlation costs 125,000.
  auto up = fill(750, 15'000);
  CHECK(up.spread == 1'000 * kUsd16);
  CHECK(up.hedge_slippage == 0);
  CHECK(up.revaluation == 0);  // 1,000 − 1,000 ETH open
  CHECK(up.quanto == -125'000 * kUsd16);
  CHECK(up.total == (1'000 - 125'000) * kUsd16);
  CHECK(up.parts() == up.total);
  // BTC to 5,000 instead: the swap loses 125,000 USD only; the correlation earns 125,000.
  auto down = fill(750, 5'000);
  CHECK(down.quanto == 125'000 * kUsd16);
  CHECK(down.total == (1'000 + 125'000) * kUsd16);
  CHECK(down.parts() == down.total);
  // BTC unchanged: a quanto leg is a linear one.
  auto flat = fill(750, 10'000);
  CHECK(flat.quanto == 0);
  CHECK(flat.total == 1'000 * kUsd16);
  // Without the settle coin's price now, the fill is not attributed (not guessed).
  FillPnlInput no_settle;
  HedgeExecution h;
  h.base = -kUnit;
  h.price = 500 * kUnit;
  h.quanto_per_price = Decimal{-1, 4};
  h.settle_at_trade = 10'000 * kUnit;
  h.settle_asset = "BTC";
  no_settle.hedges = {h};
  no_settle.mark = 500 * kUnit;
  CHECK_THROWS_WITH_AS(attribute_fill(no_settle),
                       "no USD price of BTC now, to value a quanto hedge settled in it",
                       std::invalid_argument);
}

TEST_CASE("over random quanto hedges the parts add up exactly and the leg is worth N·m·(M − P)·S") {
  std::mt19937_64 rng(7);
  auto r = [&](int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo));
  };
  for (int i = 0; i < 2000; ++i) {
    FillPnlInput in;
    in.inventory_change = r(-1'000'000'000, 1'000'000'000);
    in.fill_price = r(100'000'000'000, 900'000'000'000);
    in.fair_at_fill = in.fill_price + r(-100'000'000, 100'000'000);
    in.mark = in.fair_at_fill + r(-5'000'000'000, 5'000'000'000);
    in.settle_marks["BTC"] = r(2'000'000'000'000, 9'000'000'000'000);
    HedgeExecution h;
    int64_t contracts = r(-100'000, 100'000);
    h.quanto_per_price = Decimal{contracts, 6};  // N x 0.000001 XBT per USD
    h.settle_at_trade = r(2'000'000'000'000, 9'000'000'000'000);
    h.settle_asset = "BTC";
    h.price = in.fair_at_fill + r(-500'000'000, 500'000'000);
    // h = N·m·S₀ at 1e-8, as the hedging service books it (rounded).
    h.base = static_cast<int64_t>(static_cast<int128>(contracts) * h.settle_at_trade / 1'000'000);
    h.fee = r(0, 1'000'000'000'000);
    in.hedges = {h};
    auto p = attribute_fill(in);
    REQUIRE(p.parts() == p.total);
    // The leg's value, independently in long double: N·m·(M − P)·S, in USD.
    long double v = static_cast<long double>(contracts) * 1e-6L *
                    static_cast<long double>(in.mark - h.price) * 1e-8L *
                    static_cast<long double>(in.settle_marks["BTC"]) * 1e-8L;
    long double linear = static_cast<long double>(h.base) * 1e-8L *
                         static_cast<long double>(in.mark - h.price) * 1e-8L;
    long double c = static_cast<long double>(p.quanto) * 1e-16L;
    REQUIRE(std::fabs(static_cast<double>(c - (v - linear))) <
            1e-6 + 1e-12 * std::fabs(static_cast<double>(v)));
  }
}
