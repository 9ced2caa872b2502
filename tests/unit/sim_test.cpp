#include <doctest/doctest.h>

#include "aqueduct/sim/funding_ledger.hpp"
#include "aqueduct/sim/perp_marks.hpp"
#include "aqueduct/sim/price_process.hpp"
#include "aqueduct/sim/resting_orders.hpp"
#include "aqueduct/sim/sim_account.hpp"
#include "aqueduct/sim/sim_book.hpp"
#include "aqueduct/sim/venue_price.hpp"
#include "aqueduct/testing/fixtures.hpp"

#include <cmath>
#include <map>

using namespace aq;
using namespace aq::sim;

namespace {
void apply(L2Book& b, const Diff& d) {
  for (const auto& l : d.bids) b.set(Side::Buy, l.price, l.qty);
  for (const auto& l : d.asks) b.set(Side::Sell, l.price, l.qty);
}
}  // namespace

TEST_CASE("the random walk is reproducible from its seed") {
  PriceProcess a(7, 3000000, 1, 40), b(7, 3000000, 1, 40), c(8, 3000000, 1, 40);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    auto x = a.step();
    CHECK(x == b.step());
    differs |= x != c.step();
  }
  CHECK(differs);
}

TEST_CASE("simulator diffs chain by update id and rebuild the published book exactly") {
  SimBookParams p;
  SimBook book(p, 1);
  PriceProcess walk(3, 3000000, 1, 40);
  book.refresh(walk.mid());
  auto first = book.publish();
  L2Book replica;
  apply(replica, first);
  uint64_t last = first.final_id;
  for (int i = 0; i < 300; ++i) {
    book.refresh(walk.step());
    if (i % 7 == 0)
      book.match_ioc(i % 2 ? Side::Buy : Side::Sell, walk.mid() + (i % 2 ? 500 : -500), 30000);
    auto d = book.publish();
    if (d.empty()) continue;
    CHECK(d.first_id == last + 1);
    last = d.final_id;
    apply(replica, d);
    CHECK_FALSE(replica.crossed());
  }
  CHECK(replica.bids() == book.published().bids());
  CHECK(replica.asks() == book.published().asks());
  CHECK(book.published().bids().size() == static_cast<size_t>(p.levels_per_side));
  // Sizes grow away from the mid (within the +-20% jitter): the 10th level beats the best.
  CHECK(book.published().bids()[10].qty > book.published().bids()[0].qty);
}

TEST_CASE("limit IOC orders match against the book up to their limit") {
  SimBookParams p;
  p.base_qty = 1000;
  SimBook book(p, 1);
  book.refresh(1'000'000);
  book.publish();
  auto best_ask = book.published().best_ask()->price;
  auto fills = book.match_ioc(Side::Buy, best_ask, 1'000'000);  // more than the level holds
  REQUIRE(fills.size() == 1);
  CHECK(fills[0].price == best_ask);
  auto d = book.publish();
  REQUIRE(d.asks.size() == 1);
  CHECK(d.asks[0] == Level{best_ask, 0});  // the consumed level is in the next diff
  CHECK(book.match_ioc(Side::Sell, 2'000'000, 10).empty());  // limit above every bid
}

TEST_CASE("a scripted gap leaves a hole in the update ids") {
  SimBook book({}, 1);
  book.refresh(1'000'000);
  auto a = book.publish();
  book.refresh(1'000'500);
  auto b = book.publish(5);
  CHECK(b.first_id == a.final_id + 6);
}

TEST_CASE(
    "reference path: seeded, correlated across assets at the configured correlation and "
    "volatility") {
  using aq::sim::ReferencePath;
  ReferencePath a(7, {{"BTC", 0.0004}, {"ETH", 0.0006}}, 0.8, 100, 0);
  ReferencePath b(7, {{"BTC", 0.0004}, {"ETH", 0.0006}}, 0.8, 100, 0);
  CHECK(a.factor_ppb("BTC", -5) == 1'000'000'000);
  CHECK(a.factor_ppb("SOL", 1000) == 1'000'000'000);
  const int n = 20000;
  std::vector<double> rb, re;
  double prev_b = 1e9, prev_e = 1e9;
  for (int i = 1; i <= n; ++i) {
    auto fb = a.factor_ppb("BTC", i * 100);
    auto fe = a.factor_ppb("ETH", i * 100 + 50);  // within the same step
    CHECK(fb == b.factor_ppb("BTC", i * 100));    // same seed, same path
    rb.push_back(std::log(static_cast<double>(fb) / prev_b));
    re.push_back(std::log(static_cast<double>(fe) / prev_e));
    prev_b = static_cast<double>(fb);
    prev_e = static_cast<double>(fe);
  }
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  double mb = mean(rb), me = mean(re), cov = 0, vb = 0, ve = 0;
  for (size_t i = 0; i < rb.size(); ++i) {
    cov += (rb[i] - mb) * (re[i] - me);
    vb += (rb[i] - mb) * (rb[i] - mb);
    ve += (re[i] - me) * (re[i] - me);
  }
  double corr = cov / std::sqrt(vb * ve);
  CHECK(corr == doctest::Approx(0.8).epsilon(0.04));
  CHECK(std::sqrt(vb / n) == doctest::Approx(0.0004).epsilon(0.05));
  CHECK(std::sqrt(ve / n) == doctest::Approx(0.0006).epsilon(0.05));
}

TEST_CASE(
    "venue prices: a lagging venue shows the leader's mid late; a flash crash stays on one venue "
    "and heals") {
  using namespace aq::sim;
  auto path = std::make_shared<ReferencePath>(11, std::vector<AssetVolatility>{{"BTC", 0.001}}, 0.0,
                                              100, 0);
  // No own noise (max step 0), so the venues differ only by the lag.
  VenuePrice leader(1, 3'000'000, 1, 0, "BTC", {path, 0});
  VenuePrice laggard(2, 3'000'000, 1, 0, "BTC", {path, 300});
  std::map<int64_t, int64_t> led;
  int moved = 0;
  for (int64_t t = 100; t <= 20'000; t += 100) {
    led[t] = leader.step(t);
    int64_t lag = laggard.step(t);
    if (t > 300) CHECK(lag == led[t - 300]);
    moved += led[t] != 3'000'000;
  }
  CHECK(moved > 100);  // the path does move

  VenuePrice calm(3, 3'000'000, 1, 0, "BTC", {path, 0});
  VenuePrice crashed(4, 3'000'000, 1, 0, "BTC", {path, 0});
  calm.step(20'100);
  crashed.step(20'100);
  crashed.jump_bps(-500);
  int64_t t = 20'200;
  int64_t gap_after = calm.step(t) - crashed.step(t);
  CHECK(gap_after > 3'000'000 * 450 / 10'000);  // about 5% below the other venue
  for (int i = 0; i < 400; ++i) {
    t += 100;
    gap_after = calm.step(t) - crashed.step(t);
  }
  CHECK(std::abs(gap_after) < 3'000'000 / 10'000);  // back within 1 bp after 40 s
}

TEST_CASE("perp marks: settlements every 8 h by default, or every configured interval") {
  auto perp = testing::instrument(InstrumentKind::Linear, "binance_usdm", "BTCUSDT", "BTC", "USDT", "USDT", 1, 3, {1, 0});
  const int64_t now_ms = 1'700'000'123'456;
  auto eight = sim::perp_marks(perp, 300'000, now_ms);
  CHECK(eight.next_funding_ms % (8 * 3600 * 1000) == 0);
  CHECK(eight.next_funding_ms > now_ms);
  CHECK(eight.next_funding_ms - now_ms <= 8 * 3600 * 1000);
  auto two = sim::perp_marks(perp, 300'000, now_ms, 2'000);
  CHECK(two.next_funding_ms == 1'700'000'124'000);
  CHECK(two.funding_rate == eight.funding_rate);  // the rate does not depend on the interval
}

TEST_CASE("resting post-only orders: refused if they would take, filled at their price once reached") {
  SimBookParams p;
  p.level_step = 5;
  SimBook book(p, 1);
  book.refresh(1000);
  const int64_t bid = book.best(Side::Buy), ask = book.best(Side::Sell);
  REQUIRE(bid > 0);
  REQUIRE(ask > bid + 2);
  CHECK(RestingOrders::would_take(book, Side::Buy, ask));  // at the ask: takes
  CHECK_FALSE(RestingOrders::would_take(book, Side::Buy, ask - 1));
  CHECK(RestingOrders::would_take(book, Side::Sell, bid));  // at the bid: takes
  CHECK_FALSE(RestingOrders::would_take(book, Side::Sell, bid + 1));

  RestingOrders r;
  r.add({"bid", Side::Buy, bid - 3, 30});
  r.add({"offer", Side::Sell, ask + 3, 20});
  r.add({"gone", Side::Buy, bid - 10, 10});
  CHECK(r.remove("gone"));
  CHECK_FALSE(r.remove("gone"));
  CHECK(r.reached(book).empty());  // nobody has reached either yet
  book.refresh(900);               // the market falls through our bid
  REQUIRE(book.best(Side::Sell) <= bid - 3);
  auto hit = r.reached(book);
  REQUIRE(hit.size() == 1);
  CHECK(hit[0].client_id == "bid");
  CHECK(hit[0].price == bid - 3);
  CHECK(hit[0].qty == 30);
  CHECK_FALSE(r.contains("bid"));
  CHECK(r.contains("offer"));
  book.refresh(1100);  // and rises through our offer
  auto lifted = r.reached(book);
  REQUIRE(lifted.size() == 1);
  CHECK(lifted[0].client_id == "offer");
  CHECK(r.size() == 0);
}

TEST_CASE(
    "simulated account: collateral + fills' cash and fees + positions at their marks, less initial "
    "margin") {
  auto perp = testing::instrument(InstrumentKind::Linear, "binance_usdm", "BTCUSDT", "BTC", "USDT",
                                  "USDT", 2, 3, {1, 0});
  perp.taker_fee_ppm = 500;  // 5 bps
  perp.maker_fee_ppm = 200;
  auto spot = testing::instrument(InstrumentKind::Spot, "binance_usdm", "BTCUSD", "BTC", "USDT",
                                  "USDT", 2, 3, {1, 0});
  SimMarginTerms terms;
  terms.coin = "USDT";
  terms.collateral = Decimal{1'000, 0};
  terms.initial_margin_ppm = 100'000;
  // Linear: q x P, at 1e-8 (qty at 1e-3 and price at 1e-2 make 1e-5: x 1,000).
  terms.value = [](const Instrument&, int64_t qty, int64_t price) { return qty * price * 1'000; };
  std::optional<int64_t> mark = 3'100'000;  // 31,000.00
  auto marks = [&](const Instrument& i) -> std::optional<int64_t> {
    return i.symbol == "BTCUSDT" ? mark : std::nullopt;
  };
  // Long 0.100 at 30,000 as a taker: -3,000 cash, 1.5 fee; worth 3,100 at the mark, 310 held.
  std::vector<AccountFill> fills{{&perp, Side::Buy, 3'000'000, 100, false},
                                 {&spot, Side::Sell, 3'000'000, 5'000, false}};  // spot: not margin
  auto a = margin_account(terms, fills, marks);
  REQUIRE(a);
  CHECK(a->coin == "USDT");
  CHECK(a->equity.to_string() == "1098.50000000");
  CHECK(a->available.to_string() == "788.50000000");
  // Closed at 31,000 as a maker: +3,100 cash, 0.62 fee; nothing held.
  fills.push_back({&perp, Side::Sell, 3'100'000, 100, true});
  a = margin_account(terms, fills, marks);
  REQUIRE(a);
  CHECK(a->equity.to_string() == "1097.88000000");
  CHECK(a->available.to_string() == "1097.88000000");
  // Open again with no mark: the account cannot be valued, so it is not reported.
  fills.push_back({&perp, Side::Sell, 3'100'000, 300, false});
  mark.reset();
  CHECK_FALSE(margin_account(terms, fills, marks));
  // Short 0.300 from 31,000 and the mark doubles: the loss exceeds the equity; nothing is
  // free, never a negative amount.
  mark = 6'200'000;
  a = margin_account(terms, fills, marks);
  REQUIRE(a);
  CHECK(a->equity.units < 0);
  CHECK(a->available.units == 0);
}

TEST_CASE("funding ledger: a settlement is final at the rate last announced for it") {
  FundingLedger ledger(3);
  ledger.on_announce(1000, Decimal{100, 6}, 10);
  ledger.on_announce(1000, Decimal{120, 6}, 900);  // the rate moves until it settles
  CHECK(ledger.settled(0, 10'000, 10).empty());
  ledger.on_announce(2000, Decimal{50, 6}, 1010);  // the next one announced: 1000 settled
  auto s = ledger.settled(0, 10'000, 10);
  REQUIRE(s.size() == 1);
  CHECK(s[0].at_ms == 1000);
  CHECK(s[0].rate == Decimal{120, 6});
  // Not settled yet: a later settlement announced before 2000 has passed settles nothing.
  ledger.on_announce(3000, Decimal{1, 6}, 1500);
  CHECK(ledger.settled(0, 10'000, 10).size() == 1);
  for (int64_t t = 4000; t <= 7000; t += 1000) ledger.on_announce(t, Decimal{t, 6}, t - 1);
  s = ledger.settled(0, 10'000, 10);
  REQUIRE(s.size() == 3);  // 3000 .. 6000 settled; the ledger keeps the last 3
  CHECK(s.front().at_ms == 4000);
  CHECK(s.back().at_ms == 6000);
  CHECK(ledger.settled(4500, 5500, 10).size() == 1);
  CHECK(ledger.settled(0, 10'000, 2).size() == 2);
}
