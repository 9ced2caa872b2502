// Venue and instrument choice for a hedge: expected total cost (book walk, basis, fee,
// funding or borrow, health), headroom, and the split across venues by depth.
#include <doctest/doctest.h>

#include "aqueduct/hedging/contract_math.hpp"
#include "aqueduct/hedging/hedge_planner.hpp"
#include "aqueduct/testing/fixtures.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
constexpr int64_t kUnit = 100'000'000;   // 1 base at kAssetScale
constexpr int64_t kUsdPx = 100'000'000;  // 1 USD per base at kUnitPriceScale
constexpr int64_t kUsd = 1'000'000;      // 1 USD at kUsdScale
constexpr int64_t kFair = 30'000 * kUsdPx;

Instrument spot(std::string venue, int64_t fee_ppm) {
  Instrument i;
  i.venue = std::move(venue);
  i.symbol = "BTCUSDT";
  i.kind = InstrumentKind::Spot;
  i.base = "BTC";
  i.quote = i.settle = "USDT";
  i.price_scale = 2;
  i.qty_scale = 5;
  i.lot = 1;
  i.min_qty = 10;  // 0.0001
  i.taker_fee_ppm = fee_ppm;
  return i;
}
Instrument perp(std::string venue, int64_t fee_ppm) {
  auto i = spot(std::move(venue), fee_ppm);
  i.kind = InstrumentKind::Linear;
  i.price_scale = 1;
  i.qty_scale = 3;
  i.min_qty = 1;
  return i;
}
// Asks (to buy) from `best` upward in steps of `step`, each `qty`; prices in USD.
HedgeCandidate asks(const Instrument& in, int64_t best, int64_t step, int64_t qty, int levels = 5) {
  HedgeCandidate c;
  c.inst = &in;
  int64_t unit = pow10(in.price_scale);
  for (int k = 0; k < levels; ++k) c.levels.push_back({(best + k * step) * unit, qty});
  c.opposite_best = (best - 1) * unit;
  return c;
}
HedgeCandidate bids(const Instrument& in, int64_t best, int64_t step, int64_t qty, int levels = 5) {
  HedgeCandidate c;
  c.inst = &in;
  int64_t unit = pow10(in.price_scale);
  for (int k = 0; k < levels; ++k) c.levels.push_back({(best - k * step) * unit, qty});
  c.opposite_best = (best + 1) * unit;
  return c;
}
bool mentions(const HedgePlan& p, const std::string& text) {
  for (const auto& s : p.passed_over)
    if (s.find(text) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_CASE(
    "the cheaper fee wins the whole hedge when depth allows; the other is passed over with why") {
  auto a = spot("a", 1000), b = spot("b", 200);  // 10 bps vs 2 bps
  auto plan =
      plan_hedge(kUnit / 2, kFair, {asks(a, 30'001, 1, 100'000), asks(b, 30'001, 1, 100'000)}, {});
  REQUIRE(plan.legs.size() == 1);
  CHECK(plan.legs[0].inst->venue == "b");
  CHECK(plan.legs[0].side == Side::Buy);
  CHECK(plan.legs[0].qty == 50'000);
  CHECK(plan.legs[0].base == kUnit / 2);
  CHECK(plan.residual_base == 0);
  CHECK(mentions(plan, "a:BTCUSDT: costlier"));
  // Its terms: bought at 30,001 against mid 30,000.5 and fair 30,000; 2 bps fee on 15,000.5.
  const auto& t = plan.legs[0].cost;
  CHECK(t.walk == kUsd / 4);       // 0.5 x 0.5 USD
  CHECK(t.basis == kUsd / 4);      // 0.5 x 0.5 USD
  CHECK(t.fee == 3 * kUsd + 100);  // 15,000.5 x 0.0002 = 3.0001 USD
  CHECK(t.carry == 0);
  CHECK(t.total() == t.walk + t.basis + t.fee);
  CHECK(plan.legs[0].vwap_usd == 30'001 * kUsdPx);
  CHECK(plan.legs[0].worst_price == 3'000'100);
}

TEST_CASE("a thin cheap venue and a deep dearer one split the hedge by depth; the parts add up") {
  auto thin = spot("thin", 500), deep = spot("deep", 500);
  auto c_thin = asks(thin, 30'000, 50, 30'000);  // 0.3 BTC at 30,000, then +50 a level
  auto c_deep = asks(deep, 30'010, 1, 200'000);  // 2 BTC a level from 30,010
  auto plan = plan_hedge(kUnit, kFair, {c_thin, c_deep}, {});
  REQUIRE(plan.legs.size() == 2);
  int64_t sum = 0;
  for (const auto& l : plan.legs) sum += l.base;
  CHECK(sum == kUnit);
  CHECK(plan.planned_base == kUnit);
  CHECK(plan.residual_base == 0);
  CHECK(plan.legs[0].inst->venue == "thin");
  CHECK(plan.legs[0].qty == 30'000);  // only its best level is cheaper than deep's
  CHECK(plan.legs[1].inst->venue == "deep");
  CHECK(plan.legs[1].qty == 70'000);
  // With max_legs = 1 only the first-cheapest venue trades; the rest is residual, not forced.
  PlanParams one;
  one.max_legs = 1;
  auto p1 = plan_hedge(kUnit, kFair, {c_thin, c_deep}, one);
  REQUIRE(p1.legs.size() == 1);
  CHECK(p1.legs[0].inst->venue == "thin");
  CHECK(p1.planned_base + p1.residual_base == kUnit);
}

TEST_CASE("funding decides between spot and perp: longs pay a positive rate, shorts earn it") {
  auto s = spot("spot", 1000), p = perp("perp", 1000);
  PlanParams hold;
  hold.holding_ns = 8LL * 3600 * 1'000'000'000;  // one funding interval
  auto cs = asks(s, 30'001, 1, 500'000);
  auto cp = asks(p, 30'001, 1, 500'000);
  cp.funding_ppb = 100'000;  // 0.01% per 8 h
  auto buy = plan_hedge(kUnit, kFair, {cp, cs}, hold);
  REQUIRE(buy.legs.size() == 1);
  CHECK(buy.legs[0].inst->venue == "spot");  // a long perp would pay 3 USD of funding
  CHECK(mentions(buy, "perp:BTCUSDT: costlier"));

  auto bs = bids(s, 29'999, 1, 500'000);
  auto bp = bids(p, 29'999, 1, 500'000);
  bp.funding_ppb = 100'000;
  auto sell = plan_hedge(-kUnit, kFair, {bs, bp}, hold);
  REQUIRE(sell.legs.size() == 1);
  CHECK(sell.legs[0].inst->venue == "perp");  // a short earns it
  CHECK(sell.legs[0].side == Side::Sell);
  CHECK(sell.legs[0].base == -kUnit);
  CHECK(sell.legs[0].cost.carry == -3 * kUsd + 100);  // 29,999 x 0.0001 = 2.9999 USD earned
}

TEST_CASE("selling spot beyond what the venue holds pays borrow; from holdings it does not") {
  auto s = spot("spot", 1000), p = perp("perp", 1000);
  PlanParams day;
  day.holding_ns = 86'400LL * 1'000'000'000;
  auto bs = bids(s, 29'999, 1, 500'000);
  bs.borrow_ppb_per_day = 1'000'000;  // 0.1% a day
  auto bp = bids(p, 29'999, 1, 500'000);
  CHECK(plan_hedge(-kUnit, kFair, {bs, bp}, day).legs[0].inst->venue == "perp");
  bs.position_base = 2 * kUnit;  // the venue holds 2 BTC: selling 1 borrows nothing
  auto plan = plan_hedge(-kUnit, kFair, {bs, bp}, day);
  CHECK(plan.legs[0].inst->venue == "spot");
  CHECK(plan.legs[0].cost.carry == 0);
}

TEST_CASE("headroom: position limits and margin cap a venue; unusable venues take nothing") {
  auto a = perp("a", 200), b = perp("b", 1000);
  auto ca = asks(a, 30'001, 1, 5'000);  // 5 BTC a level
  auto cb = asks(b, 30'001, 1, 5'000);
  ca.position_base = 2 * kUnit;
  ca.max_position_base = 2 * kUnit + kUnit / 4;  // room for 0.25 more
  auto plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  REQUIRE(plan.legs.size() == 2);
  CHECK(plan.legs[0].inst->venue == "a");
  CHECK(plan.legs[0].base == kUnit / 4);
  CHECK(plan.legs[1].base == 3 * kUnit / 4);
  // At the limit: passed over, and the message says so.
  ca.position_base = ca.max_position_base;
  plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  CHECK(plan.legs.size() == 1);
  CHECK(mentions(plan, "a:BTCUSDT: at its position limit (2.25 of 2.25)"));
  // Selling reduces the position, so the limit allows it.
  CHECK(plan_hedge(-kUnit, kFair, {bids(a, 29'999, 1, 5'000)}, {}).legs.size() == 1);

  // Margin: 3,000 USD free at 10% initial margin carries 30,000 USD: just under 1 BTC at 30,001.
  ca = asks(a, 30'001, 1, 5'000);
  ca.margin_free_usd = 3'000 * kUsd;
  ca.initial_margin_ppm = 100'000;
  plan = plan_hedge(kUnit, kFair, {ca}, {});
  REQUIRE(plan.legs.size() == 1);
  CHECK(plan.legs[0].qty == 999);  // 0.999 BTC (lot 0.001)
  CHECK(plan.residual_base == kUnit - 99'900'000);
  ca.margin_free_usd = 0;
  CHECK(mentions(plan_hedge(kUnit, kFair, {ca}, {}), "no free margin (0 USD)"));
  // 2.5 USD free carries 25 USD, under one 0.001 lot (30 USD): the dearer venue takes it all,
  // and the cheaper one is passed over for its margin, not its price.
  ca.margin_free_usd = 2'500'000;
  plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  REQUIRE(plan.legs.size() == 1);
  CHECK(plan.legs[0].inst->venue == "b");
  CHECK(mentions(plan,
                 "a:BTCUSDT: no room for a lot: its free margin (2.5 USD) allows 0.0008333 BTC"));
  ca.margin_free_usd = 0;
  // Closing the venue's open position needs no margin: short 0.4 there, no margin free, a
  // buy of 1 BTC takes 0.4 there (back to flat) and the rest elsewhere.
  ca.position_base = -2 * kUnit / 5;
  plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  REQUIRE(plan.legs.size() == 2);
  CHECK(plan.legs[0].inst->venue == "a");
  CHECK(plan.legs[0].base == 2 * kUnit / 5);
  CHECK(plan.legs[1].base == 3 * kUnit / 5);
  // With 1,500 USD free at 10%, it may also open up to 15,000 USD beyond flat: 0.4 + 0.499.
  ca.margin_free_usd = 1'500 * kUsd;
  plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  REQUIRE(plan.legs.size() == 2);
  CHECK(plan.legs[0].inst->venue == "a");
  CHECK(plan.legs[0].qty == 899);  // 0.4 + 0.499 BTC (lot 0.001)
  ca.position_base = 0;

  // The venue's exposure limit, as base still allowed there: the cheaper venue takes 0.4 and
  // the rest goes to the dearer one at once (not left for the risk check to refuse).
  ca = asks(a, 30'001, 1, 5'000);
  ca.venue_headroom_base = 2 * kUnit / 5;
  plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  REQUIRE(plan.legs.size() == 2);
  CHECK(plan.legs[0].inst->venue == "a");
  CHECK(plan.legs[0].base == 2 * kUnit / 5);
  CHECK(plan.legs[1].base == 3 * kUnit / 5);
  ca.venue_headroom_base = 0;
  plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  REQUIRE(plan.legs.size() == 1);
  CHECK(plan.legs[0].inst->venue == "b");
  CHECK(mentions(plan, "a:BTCUSDT: the venue is at its exposure limit"));

  auto sick = asks(b, 30'000, 1, 5'000);
  sick.usable = false;
  sick.unusable_reason = "book stale for 3 s";
  plan = plan_hedge(kUnit, kFair, {sick}, {});
  CHECK(plan.legs.empty());
  CHECK(plan.residual_base == kUnit);
  CHECK(mentions(plan, "b:BTCUSDT: venue not usable: book stale for 3 s"));
}

TEST_CASE("a health penalty steers the hedge away from a sick venue") {
  auto a = spot("a", 1000), b = spot("b", 1000);
  auto ca = asks(a, 30'001, 1, 500'000), cb = asks(b, 30'002, 1, 500'000);
  CHECK(plan_hedge(kUnit, kFair, {ca, cb}, {}).legs[0].inst->venue == "a");
  ca.health_penalty_ppm = 100;  // 3 USD per BTC: dearer than b's extra dollar
  auto plan = plan_hedge(kUnit, kFair, {ca, cb}, {});
  CHECK(plan.legs[0].inst->venue == "b");
}

TEST_CASE("inverse and quanto legs are sized in contracts for the base they cover") {
  auto xbt = testing::xbtusd();
  // Sell 0.2 BTC of delta into bids at 50,000: 10,000 contracts.
  auto plan = plan_hedge(-kUnit / 5, 50'000 * kUsdPx, {bids(xbt, 50'000, 1, 1'000'000)}, {});
  REQUIRE(plan.legs.size() == 1);
  CHECK(plan.legs[0].qty == 10'000);
  CHECK(plan.legs[0].base == -kUnit / 5);

  auto eth = testing::ethusd();
  auto c = asks(eth, 3'000, 1, 100'000);
  c.settle_usd = {60'000, 0};  // XBTUSD 60,000: one contract carries 0.06 ETH
  plan = plan_hedge(60 * kUnit, 3'000 * kUsdPx, {c}, {});
  REQUIRE(plan.legs.size() == 1);
  CHECK(plan.legs[0].qty == 1'000);
  CHECK(plan.legs[0].base == 60 * kUnit);
  c.settle_usd = {0, 0};
  CHECK(mentions(plan_hedge(60 * kUnit, 3'000 * kUsdPx, {c}, {}),
                 "quanto without the price of its settle coin"));
}

TEST_CASE("a share below the instrument's minimum is not sent: it stays as residual") {
  auto a = spot("a", 1000);
  a.min_qty = 100;                                                           // 0.001 BTC
  auto plan = plan_hedge(50'000, kFair, {asks(a, 30'001, 1, 100'000)}, {});  // 0.0005 BTC
  CHECK(plan.legs.empty());
  CHECK(plan.residual_base == 50'000);
  CHECK(mentions(plan, "a:BTCUSDT: its share 0.0005 is below the minimum 0.001"));
}

TEST_CASE(
    "a leg's IOC limit: the last level taken, moved by the slippage bound, kept on the safe tick") {
  // Buy: 30,000.00 + 0.2% = 30,060.00; rounded down to a 0.05 tick keeps the bound.
  CHECK(hedge_limit_price(3'000'000, Side::Buy, 2000, 5) == 3'006'000);
  CHECK(hedge_limit_price(3'000'003, Side::Buy, 2000, 5) ==
        3'006'000);  // 3,006,003.006 -> 3,006,000
  // Sell: 30,000.00 - 0.2% = 29,940.00; rounded up.
  CHECK(hedge_limit_price(3'000'000, Side::Sell, 2000, 5) == 2'994'000);
  CHECK(hedge_limit_price(3'000'003, Side::Sell, 2000, 5) ==
        2'994'005);  // 2,994,002.994 -> 2,994,005
}

TEST_CASE("a venue whose share would be below its minimum is planned out, and the others take it") {
  auto a = spot("a", 1000), b = spot("b", 1000);
  a.min_qty = 100;  // 0.001 BTC
  HedgeCandidate ca;
  ca.inst = &a;
  ca.levels = {{3'000'000, 50}, {3'010'000, 100'000}};  // 0.0005 cheap, then dear
  ca.opposite_best = 2'999'900;
  auto plan = plan_hedge(kUnit / 100, kFair, {ca, asks(b, 30'001, 1, 100'000)}, {});
  REQUIRE(plan.legs.size() == 1);
  CHECK(plan.legs[0].inst->venue == "b");
  CHECK(plan.legs[0].base == kUnit / 100);
  CHECK(plan.residual_base == 0);
  CHECK(mentions(plan, "a:BTCUSDT: its share 0.0005 is below the minimum 0.001"));
}
