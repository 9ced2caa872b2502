// How much to hedge and how urgently: netting, in-flight hedges, partial fills, carried
// residuals, the urgency model and the bound on unknown outcomes.
#include <doctest/doctest.h>

#include "aqueduct/hedging/hedge_ids.hpp"
#include "aqueduct/hedging/hedge_intent.hpp"

using namespace aq::hedging;

namespace {
constexpr int64_t kUnit = 100'000'000;
constexpr int64_t kMs = 1'000'000;
MarketView market(double sigma = 0.0005) {
  // BTC at 30,000, spread 1 USD: a passive hedge saves 0.5 USD per BTC.
  return {30'000LL * 100'000'000, 50'000'000, sigma};
}
bool says(const IntentDecision& d, const std::string& text) {
  const std::string& why = d.intent ? d.intent->why : d.none.why;
  return why.find(text) != std::string::npos;
}
}  // namespace

TEST_CASE(
    "the intent covers the projected exposure: concurrent fills net, hedges in flight count") {
  ExposureState e;
  e.net = kUnit;            // taker sold us 1 BTC...
  e.net -= kUnit * 3 / 10;  // ...and another bought 0.3 before we hedged: net 0.7
  auto d = decide_intent(e, {}, market(), 0);
  REQUIRE(d.intent);
  CHECK(d.intent->base == -kUnit * 7 / 10);  // sell 0.7
  e.pending = d.intent->base;                // sent
  auto again = decide_intent(e, {}, market(), 0);
  CHECK_FALSE(again.intent);
  CHECK(says(again, "flat once the hedges in flight complete"));
  // The IOC fills 0.4 of the 0.7 and ends: 0.3 is left, and only 0.3 is hedged next.
  e.pending = 0;
  e.net -= kUnit * 4 / 10;
  auto rest = decide_intent(e, {}, market(), 0);
  REQUIRE(rest.intent);
  CHECK(rest.intent->base == -kUnit * 3 / 10);
  // A new fill while a hedge is in flight: only the new part.
  e.pending = -kUnit * 3 / 10;
  e.net -= kUnit / 2;  // a taker bought 0.5 from us: net -0.2 + in flight -0.3 = -0.5 projected
  auto more = decide_intent(e, {}, market(), 0);
  REQUIRE(more.intent);
  CHECK(more.intent->base == kUnit / 2);  // buy 0.5
}

TEST_CASE("small exposures are carried with the reason, until more flow pushes them over") {
  IntentParams p;
  p.threshold = kUnit / 1000;  // 0.001
  p.min_hedge = kUnit / 100;   // 0.01: no venue takes less
  ExposureState e;
  e.net = kUnit / 2000;
  auto d = decide_intent(e, p, market(), 0);
  CHECK_FALSE(d.intent);
  CHECK(says(d, "exposure 0.0005 is below the threshold 0.001; carried"));
  e.net = kUnit / 200;
  d = decide_intent(e, p, market(), 0);
  CHECK(says(d, "below the smallest hedge a venue takes (0.01); carried"));
  e.net += kUnit / 200;  // 0.01
  d = decide_intent(e, p, market(), 0);
  REQUIRE(d.intent);
  CHECK(d.intent->base == -kUnit / 100);
}

TEST_CASE(
    "urgency: calm markets are worked passively, volatile ones crossed; the clock and size force a "
    "cross") {
  IntentParams p;
  p.max_work_ns = 2'000 * kMs;
  ExposureState e;
  e.net = kUnit;
  e.open_since_ns = 1;
  // σ 1 bp/√s: 2 s risks 30,000 x 0.0001 x 1.41 = 4.24 USD > 0.5 saved -> cross.
  auto hot = decide_intent(e, p, market(0.0001), 1);
  REQUIRE(hot.intent);
  CHECK(hot.intent->style == HedgeStyle::Cross);
  CHECK(says(
      hot,
      "cross: waiting 2.00 s risks 4.2426 USD per unit, more than the 0.5000 a maker fill saves"));
  // σ 0.1 bp/√s: 0.42 USD < 0.5 -> work, until the 2 s are up.
  auto calm = decide_intent(e, p, market(0.00001), 1);
  REQUIRE(calm.intent);
  CHECK(calm.intent->style == HedgeStyle::Work);
  CHECK(calm.intent->work_until_ns == 1 + 2'000 * kMs);
  // Open for 2 s already: cross whatever the market.
  auto late = decide_intent(e, p, market(0.00001), 1 + 2'000 * kMs);
  REQUIRE(late.intent);
  CHECK(late.intent->style == HedgeStyle::Cross);
  CHECK(says(late, "cross: open for 2000 ms"));
  // Above cross_above: always cross.
  p.cross_above_usd = 10'000LL * 1'000'000;
  auto big = decide_intent(e, p, market(0.00001), 1);
  REQUIRE(big.intent);
  CHECK(big.intent->style == HedgeStyle::Cross);
  CHECK(says(big, "cross: 30000.00 USD of exposure is above 10000.00"));
}

TEST_CASE("an unknown outcome counts as in flight; beyond the bound the asset stops hedging") {
  IntentParams p;
  p.unknown_bound_ns = 5'000 * kMs;
  ExposureState e;
  e.net = kUnit;
  e.pending = -kUnit;  // the unknown order, counted as if it may have filled
  e.oldest_unknown_ns = 1'000 * kMs;
  e.net += kUnit / 2;  // new flow meanwhile: 0.5 more
  auto within = decide_intent(e, p, market(), 3'000 * kMs);
  REQUIRE(within.intent);
  CHECK(within.intent->base == -kUnit / 2);  // only the new part, never the unknown one again
  auto beyond = decide_intent(e, p, market(), 6'001 * kMs);
  CHECK_FALSE(beyond.intent);
  CHECK(says(beyond,
             "unknown outcome for 5001 ms (bound 5000 ms): no new hedge until it is reconciled"));
}

TEST_CASE("no hedge before the retry time after an empty IOC, nor without a fair price") {
  ExposureState e;
  e.net = kUnit;
  e.retry_after_ns = 250 * kMs;
  CHECK(says(decide_intent(e, {}, market(), 100 * kMs), "retrying in 150 ms"));
  CHECK(decide_intent(e, {}, market(), 250 * kMs).intent);
  CHECK(says(decide_intent(e, {}, MarketView{}, 250 * kMs), "no fair price"));
}

TEST_CASE("work or cross: the maker saving (half spread and fee difference) against the risk of waiting") {
  IntentParams p;
  p.max_work_ns = 2'000 * kMs;
  ExposureState e;
  e.net = kUnit;  // long 1 BTC at 30,000
  e.open_since_ns = 1;
  // Saving 0.5 USD of half spread; sigma 0.5 bp/sqrt(s) over 2 s risks about 2.1 USD: cross.
  auto d = decide_intent(e, p, market(0.00005), 1);
  REQUIRE(d.intent);
  CHECK(d.intent->style == HedgeStyle::Cross);
  CHECK(says(d, "more than the 0.5000 a maker fill saves"));
  // A maker fee 3 bp below the taker fee adds 9 USD: now waiting is worth it.
  MarketView m = market(0.00005);
  m.passive_saving_usd += 9LL * 100'000'000;
  d = decide_intent(e, p, m, 1);
  REQUIRE(d.intent);
  CHECK(d.intent->style == HedgeStyle::Work);
  CHECK(d.intent->work_until_ns == 1 + 2'000 * kMs);
  CHECK(says(d, "less than the 9.5000 a maker fill saves"));
  // What the worked order did not fill is crossed, whatever the saving.
  e.remainder_of_work = true;
  d = decide_intent(e, p, m, 1'000 * kMs);
  REQUIRE(d.intent);
  CHECK(d.intent->style == HedgeStyle::Cross);
  CHECK(says(d, "the remainder of a worked hedge"));
}

TEST_CASE("a fill's hedge id: fixed by the fill, the instrument and the side, across releases") {
  // Recovery looks orders up by these ids after a restart, so their form may never change:
  // "f" + 20 hex of SHA-256(fill id) + 6 hex of SHA-256(instrument key) + b|s (sha256sum).
  CHECK(fill_hedge_id("fill-42", "binance:BTCUSDT", aq::Side::Buy) ==
        "fad86f93baf0e648577df191120b");
  CHECK(fill_hedge_id("fill-42", "okx:BTC-USDT-SWAP", aq::Side::Sell) ==
        "fad86f93baf0e648577df2392bds");
  CHECK(fill_hedge_id("fill-42", "binance:BTCUSDT", aq::Side::Buy) ==
        "fad86f93baf0e648577df191120b");  // cached part
}
