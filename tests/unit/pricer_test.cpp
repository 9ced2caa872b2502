// The pricer's pure core: consolidated book, fair value, volatility, every price term and
// guard with hand-computed expectations, properties over random books, ladders, markouts.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <random>

#include "aqueduct/pricer/ladder.hpp"
#include "aqueduct/pricer/markouts.hpp"
#include "aqueduct/pricer/size_for_amount.hpp"
#include "aqueduct/testing/fixtures.hpp"
#include "aqueduct/types/convert.hpp"

using namespace aq;
using namespace aq::pricer;
namespace msg = aqueduct::msg;

namespace {

constexpr int64_t kNow = 1'000'000'000'000;
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kBtc = 100'000;  // listing qty units per BTC (scale 5)

using Levels = std::vector<std::pair<const char*, const char*>>;

msg::BookSnapshot snap(const Instrument& in, uint64_t seq, const Levels& bids, const Levels& asks) {
  msg::BookSnapshot s;
  s.set_venue(in.venue);
  s.set_symbol(in.symbol);
  s.set_venue_seq(seq);
  auto add = [](auto* out, const Levels& levels) {
    for (const auto& [p, q] : levels) {
      auto* l = out->Add();
      to_proto(*Decimal::parse_natural(p), l->mutable_price());
      to_proto(*Decimal::parse_natural(q), l->mutable_qty());
    }
  };
  add(s.mutable_bids(), bids);
  add(s.mutable_asks(), asks);
  return s;
}

// Params with every optional term off, so each test turns on only what it checks.
PricingParams bare() {
  PricingParams p;
  p.outlier_ppm = 10'000;
  p.vol_k = 0;
  p.impact_ppm = 0;
  return p;
}

// A world of instruments and their books, and a pricer over them.
struct World {
  std::vector<std::unique_ptr<Instrument>> instruments;
  std::map<std::string, std::unique_ptr<VenueBook>> books;
  Listing listing = testing::btcusdt_listing();
  uint64_t seq = 1;

  Instrument& add(Instrument in) {
    instruments.push_back(std::make_unique<Instrument>(std::move(in)));
    auto& i = *instruments.back();
    books[i.key()] = std::make_unique<VenueBook>(i);
    listing.hedge_instruments.push_back(i.key());
    return i;
  }
  Instrument& spot(const std::string& venue, int64_t fee_ppm) {
    return add(testing::btcusdt(venue, fee_ppm));
  }
  void set(const std::string& venue, const Levels& bids, const Levels& asks, int64_t now = kNow) {
    for (auto& in : instruments)
      if (in->venue == venue)
        REQUIRE(books.at(in->key())->apply(snap(*in, seq++, bids, asks), now));
  }
  std::unique_ptr<ListingPricer> pricer(PricingParams p = bare()) {
    std::vector<ConsolidatedBook::Source> s;
    for (auto& in : instruments) s.push_back({in.get(), books.at(in->key()).get()});
    return std::make_unique<ListingPricer>(listing, s, p);
  }
};

// Two spot venues: a (10 bps fee) and b (5 bps fee). Hand-computed figures below use these.
World two_venues() {
  World w;
  w.spot("a", 1000);
  w.spot("b", 500);
  w.set("a", {{"99", "1"}, {"98", "2"}}, {{"100", "1"}, {"101", "2"}});
  w.set("b", {{"99.95", "1"}, {"99.90", "1"}}, {{"100.05", "1"}, {"100.08", "1"}});
  return w;
}

const Tier kStandard{"standard", 0};

}  // namespace

TEST_CASE("consolidated walk: best fee-included price first across venues, exact hedge cost") {
  World w = two_venues();
  auto p = w.pricer();
  p->refresh(kNow);
  // a's ask 100 costs 100.1 with its fee; b's 100.05 costs 100.100025: a first, then b.
  auto walk = p->book().walk(Side::Buy, 2 * kBtc);
  CHECK(walk.complete);
  REQUIRE(walk.venues_used == 2);
  CHECK(p->book().venues()[walk.alloc[0].venue].instrument->venue == "a");
  CHECK(walk.alloc[0].qty == kBtc);
  CHECK(walk.alloc[1].qty == kBtc);
  CHECK(walk.worst_price == 100'100'025);
  CHECK(walk.notional == static_cast<int128>(100'100'000 + 100'100'025) * kBtc);
  // Fees inside: 1e10 (a) + 5.0025e9 (b) pricing units * qty units.
  CHECK(walk.fee_notional == 15'002'500'000);
  // Taker sells 1.5: b's bid 99.95 yields 99.900025, a's 99 only 98.901.
  auto sell = p->book().walk(Side::Sell, 150'000);
  CHECK(sell.complete);
  REQUIRE(sell.venues_used == 1);
  CHECK(sell.worst_price == 99'850'050);  // b's second level 99.90 * (1 - 5 bps)
  // More than every live book holds: incomplete.
  CHECK_FALSE(p->book().walk(Side::Buy, 7 * kBtc).complete);
}

TEST_CASE("fair value: microprices weighted by the depth within the band") {
  World w = two_venues();
  auto p = w.pricer();
  p->refresh(kNow);
  // a: micro 99.5, 2 BTC within 1% of its mid; b: micro 100.00, 4 BTC.
  // (2 * 99.5 + 4 * 100) / 6 = 99.833333 (pricing units, scale 6).
  CHECK(p->book().venues()[0].micro == 99'500'000);
  CHECK(p->book().venues()[1].micro == 100'000'000);
  CHECK(p->book().depth(Side::Buy) == 3 * kBtc);   // asks within the band: a 1, b 2
  CHECK(p->book().depth(Side::Sell) == 3 * kBtc);  // bids: a 1 (98 is outside), b 2
  CHECK(p->fair() == 99'833'333);
  // An imbalanced top leans toward the thin side: a bid of 9 against an ask of 1.
  w.set("a", {{"99", "9"}}, {{"100", "1"}});
  p->refresh(kNow + 1);
  CHECK(p->book().venues()[0].micro == 99'900'000);  // (99 * 1 + 100 * 9) / 10
}

TEST_CASE("every price term, one at a time, hand-computed (taker buys 2 BTC, fair 99.833333)") {
  // Hedge cost: (100.1 + 100.100025) / 2 = 100.1000125 -> 100.100013 (up, against us).
  // Fee inside: 15002500000 / 200000 = 75012.5 -> 75012; VWAP before fees 100.025001.
  struct Row {
    const char* term;
    int64_t spread_ppm, markup_ppm, impact_ppm, prior_flow, vol_k_x10, inventory, skew_ppm;
    int64_t expect;  // the term in pricing units
  };
  // base:   ceil(99833333 * 500 / 1e6)                        = 49917
  // markup: ceil(99833333 * 200 / 1e6)                        = 19967
  // impact: ceil(99833333 * 0.1 * (0 + 1) / 3)                = 3327778  ((0 + S/2) / depth 3)
  // impact after 1 BTC bought in the window: (1 + 1) / 3      = 6655556
  // vol:    k 1, sigma 2 bps/sqrt(s), 4 s: 4 bps -> ceil(39933.33) = 39934
  // skew:   5 of 10 BTC long at 10 bps at the limit: -49917 (both sides lower)
  Row rows[] = {
      {"base", 500, 0, 0, 0, 0, 0, 0, 49'917},
      {"markup", 0, 200, 0, 0, 0, 0, 0, 19'967},
      {"impact", 0, 0, 100'000, 0, 0, 0, 0, 3'327'778},
      {"impact after flow", 0, 0, 100'000, kBtc, 0, 0, 0, 6'655'556},
      {"vol", 0, 0, 0, 0, 10, 0, 0, 39'934},
      {"skew", 0, 0, 0, 0, 0, 5 * kBtc, 1000, -49'917},
  };
  for (const auto& r : rows) {
    CAPTURE(r.term);
    World w = two_venues();
    w.listing.spread_ppm = r.spread_ppm;
    PricingParams params = bare();
    params.impact_ppm = r.impact_ppm;
    params.vol_k = static_cast<double>(r.vol_k_x10) / 10.0;
    params.vol_prior_bps_per_sqrt_s = 2.0;
    params.vol_horizon_ns = 4'000 * kMs;
    params.max_inventory = 10 * kBtc;
    params.skew_ppm_at_limit = r.skew_ppm;
    auto p = w.pricer(params);
    p->set_inventory(r.inventory);
    if (r.prior_flow) p->on_fill(Side::Buy, r.prior_flow, kNow - 1000 * kMs);
    auto res = p->price(Side::Buy, 2 * kBtc, Tier{"t", r.markup_ppm}, kNow);
    REQUIRE(res.ok());
    const auto& t = res.price->terms;
    CHECK(t.fair == 99'833'333);
    CHECK(t.hedge_vwap == 100'025'001);
    CHECK(t.fee == 75'012);
    int64_t term = std::string(r.term) == "base"     ? t.base_spread
                   : std::string(r.term) == "markup" ? t.markup
                   : std::string(r.term) == "vol"    ? t.vol_spread
                   : std::string(r.term) == "skew"   ? t.skew
                                                     : t.impact_spread;
    CHECK(term == r.expect);
    // The terms add up to the price exactly.
    int64_t sum = t.hedge_vwap + t.fee + t.base_spread + t.vol_spread + t.impact_spread + t.markup +
                  t.skew + t.rounding;
    CHECK(sum == res.price->price * 10'000);
    CHECK(t.rounding >= 0);
    CHECK(t.rounding < 10'000);
  }
}

TEST_CASE("the bid side subtracts the spreads and rounds down") {
  World w = two_venues();
  w.listing.spread_ppm = 500;
  auto p = w.pricer();
  auto r = p->price(Side::Sell, kBtc, kStandard, kNow);
  REQUIRE(r.ok());
  const auto& t = r.price->terms;
  // b's bid 99.95 yields 99.900025 after its 5 bps fee; less the base spread 49917 that is
  // 99.850108 — above the fair value 99.833333, so the bid is held at the fair value (the
  // difference shows as skew) and rounded down to 99.83.
  CHECK(t.hedge_vwap - t.fee == 99'900'025);
  CHECK(t.base_spread == 49'917);
  CHECK(t.skew == -16'775);
  CHECK(r.price->price == 9'983);
  CHECK(t.rounding == -3'333);
  CHECK(t.hedge_vwap - t.fee - t.base_spread + t.skew + t.rounding == r.price->price * 10'000);
}

TEST_CASE("guards refuse with a machine-readable reason") {
  struct Row {
    const char* name;
    msg::RefusalReason reason;
  };
  Row rows[] = {
      {"kill switch", msg::REFUSAL_KILL_SWITCH},
      {"below minimum size", msg::REFUSAL_SIZE_TOO_SMALL},
      {"above maximum size", msg::REFUSAL_SIZE_TOO_LARGE},
      {"too few venues", msg::REFUSAL_TOO_FEW_VENUES},
      {"every book stale", msg::REFUSAL_STALE_BOOK},
      {"notional", msg::REFUSAL_NOTIONAL_TOO_LARGE},
      {"open interest", msg::REFUSAL_OPEN_INTEREST_LIMIT},
      {"depth", msg::REFUSAL_INSUFFICIENT_DEPTH},
      {"stale fair value", msg::REFUSAL_STALE_FAIR_VALUE},
      {"no book at all", msg::REFUSAL_NO_LIVE_BOOK},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    std::string n = r.name;
    World w = n == "no book at all" ? World{} : two_venues();
    if (n == "no book at all") w.spot("a", 1000);
    PricingParams params = bare();
    int64_t qty = kBtc, now = kNow;
    bool killed = false;
    if (n == "kill switch") killed = true;
    if (n == "below minimum size") qty = 9;
    if (n == "above maximum size") qty = 5 * kBtc + 1;
    if (n == "too few venues") params.min_venues = 3;
    if (n == "every book stale") now = kNow + 2'001 * kMs;
    if (n == "notional") params.max_notional = 5'000;  // 50.00 USDT
    if (n == "open interest") params.max_open_interest = kBtc / 2;
    if (n == "stale fair value") {
      params.fair_max_age_ns = 500 * kMs;
      now = kNow + 600 * kMs;
    }
    if (n == "depth") {  // the books hold 3 + 2 BTC of asks
      w.listing.max_qty = 10 * kBtc;
      qty = 7 * kBtc;
    }
    auto p = w.pricer(params);
    auto res = p->price(Side::Buy, qty, kStandard, now, killed);
    REQUIRE_FALSE(res.ok());
    CHECK(msg::RefusalReason_Name(res.refusal.reason) == msg::RefusalReason_Name(r.reason));
    CHECK_FALSE(res.refusal.detail.empty());
  }
  // The same world quotes when no guard applies.
  World w = two_venues();
  CHECK(w.pricer()->price(Side::Buy, kBtc, kStandard, kNow).ok());
}

TEST_CASE("a venue far from the others is left out within one update; two that disagree both are") {
  World w;
  for (auto v : {"a", "b", "c"}) w.spot(v, 1000);
  w.set("a", {{"99.9", "1"}}, {{"100.1", "1"}});
  w.set("b", {{"99.95", "1"}}, {{"100.15", "1"}});
  w.set("c", {{"99.85", "1"}}, {{"100.05", "1"}});
  PricingParams params = bare();
  params.outlier_ppm = 5'000;
  auto p = w.pricer(params);
  p->refresh(kNow);
  CHECK(p->book().live_count() == 3);
  // A flash crash on c: one delta-sized update takes its mid 8% down.
  w.set("c", {{"91.9", "1"}}, {{"92.1", "1"}}, kNow + kMs);
  p->refresh(kNow + kMs);
  CHECK(p->book().venues()[2].status == VenueStatus::Outlier);
  CHECK(p->book().live_count() == 2);
  // Its cheap asks are not offered to takers: the walk uses a and b only.
  auto r = p->price(Side::Buy, kBtc, kStandard, kNow + kMs);
  REQUIRE(r.ok());
  CHECK(r.price->terms.shares.front().venue->venue == "a");
  CHECK(p->book().venues()[2].why().find("bps from the other venues") != std::string::npos);
  // It comes back when it agrees again.
  w.set("c", {{"99.85", "1"}}, {{"100.05", "1"}}, kNow + 2 * kMs);
  p->refresh(kNow + 2 * kMs);
  CHECK(p->book().live_count() == 3);

  // Two venues 2% apart: nothing says which is right, so neither counts.
  World two;
  two.spot("a", 1000);
  two.spot("b", 1000);
  two.set("a", {{"99.9", "1"}}, {{"100.1", "1"}});
  two.set("b", {{"101.9", "1"}}, {{"102.1", "1"}});
  auto q = two.pricer(params);
  auto res = q->price(Side::Buy, kBtc, kStandard, kNow);
  REQUIRE_FALSE(res.ok());
  CHECK(res.refusal.reason == msg::REFUSAL_NO_LIVE_BOOK);
}

TEST_CASE("stale, resyncing and silent venues are left out, each with its own reason") {
  World w = two_venues();
  PricingParams params = bare();
  params.venue_max_age_ns = {{"b:BTCUSDT", 500 * kMs}};
  auto p = w.pricer(params);
  p->refresh(kNow + 600 * kMs);
  CHECK(p->book().venues()[0].status == VenueStatus::Live);
  CHECK(p->book().venues()[1].status == VenueStatus::Stale);
  CHECK(p->book().venues()[1].why() == "b:BTCUSDT: last update 600 ms ago (limit 500 ms)");
  w.books.at("a:BTCUSDT")->set_state(msg::BOOK_RESYNCING, "sequence gap");
  p->refresh(kNow + 700 * kMs);
  CHECK(p->book().venues()[0].status == VenueStatus::NotLive);
  CHECK(p->book().venues()[0].why().find("sequence gap") != std::string::npos);
  auto r = p->price(Side::Buy, kBtc, kStandard, kNow + 700 * kMs);
  CHECK(r.refusal.reason == msg::REFUSAL_STALE_BOOK);
  CHECK(r.refusal.detail.find("a:BTCUSDT: BOOK_RESYNCING (sequence gap)") != std::string::npos);
}

TEST_CASE("inverse contracts count their face: 100 USD each (OKX ctVal), 1 USD (BitMEX -1e8 XBt)") {
  World w;
  w.spot("a", 0);
  Instrument usd = testing::btcusdt("u", 0);  // the USD/USDT rate
  usd.symbol = "BTC-USD";
  usd.quote = "USD";
  w.add(usd);
  w.add(testing::instrument(InstrumentKind::Inverse, "o", "BTC-USD-SWAP", "BTC", "USD", "BTC", 1, 0,
                            {100, 0}));
  w.add(testing::instrument(InstrumentKind::Inverse, "x", "XBTUSD", "BTC", "USD", "XBT", 1, 0,
                            {-100'000'000, 0}));
  for (const char* v : {"a", "u"}) w.set(v, {{"99.9", "1"}}, {{"100.1", "1"}});
  for (const char* v : {"o", "x"}) w.set(v, {{"99.9", "10"}}, {{"100.1", "10"}});
  auto p = w.pricer();
  p->refresh(kNow);
  const auto& vs = p->book().venues();
  REQUIRE(vs[2].status == VenueStatus::Live);
  REQUIRE(vs[3].status == VenueStatus::Live);
  // 10 contracts at 100.1: 1000 USD of face is 9.99000999 BTC, 10 USD is 0.0999000999 BTC
  // (listing qty scale 5, down: never more than is there).
  CHECK(vs[2].depth_ask == 999'000);
  CHECK(vs[3].depth_ask == 9'990);
  // 5 BTC: a and u have 1 each, the rest is on the OKX swap's face.
  auto walk = p->book().walk(Side::Buy, 5 * kBtc);
  CHECK(walk.complete);
  CHECK(walk.venues_used >= 3);
  CHECK(!p->book().walk(Side::Buy, 13 * kBtc).complete);  // 1 + 1 + 9.99 + 0.0999 BTC in all
}

TEST_CASE("perpetuals join a spot listing through the basis; other currencies through a rate") {
  World w;
  w.spot("a", 0);
  Instrument perp = testing::btcusdt("p", 0);
  perp.kind = InstrumentKind::Linear;
  perp.price_scale = 1;
  perp.qty_scale = 2;
  perp.multiplier = {1, 2};  // 0.01 BTC per contract
  w.add(perp);
  Instrument usd = testing::btcusdt("u", 0);
  usd.symbol = "BTC-USD";
  usd.quote = "USD";
  w.add(usd);
  w.set("a", {{"99.9", "1"}}, {{"100.1", "1"}});
  w.set("p", {{"109.9", "100"}}, {{"110.1", "100"}});  // 100 contracts = 1 BTC, 10 above spot
  w.set("u", {{"98.9", "1"}}, {{"99.1", "1"}});        // USD 1% cheaper than USDT
  PricingParams params = bare();
  params.outlier_ppm = 1'000;
  auto p = w.pricer(params);
  p->refresh(kNow);
  const auto& vs = p->book().venues();
  REQUIRE(vs[1].status == VenueStatus::Live);
  REQUIRE(vs[2].status == VenueStatus::Live);
  CHECK(vs[1].basis == doctest::Approx(-10'000'000.0));  // pricing units: -10.00
  CHECK(vs[2].factor == doctest::Approx(100.0 / 99.0));
  CHECK(vs[1].mid == 100'000'000);
  CHECK(vs[2].mid == 100'000'000);
  CHECK(vs[1].depth_ask == kBtc);  // contracts * multiplier in BTC
  // Walk: every venue's ask at 100.1 after adjustment, a walk of 3 BTC takes all three.
  auto walk = p->book().walk(Side::Buy, 3 * kBtc);
  CHECK(walk.complete);
  CHECK(walk.venues_used == 3);
  // USD's ask 99.1 at the rate 100/99 (1010101010 ppb): 100.10101009 -> up.
  CHECK(walk.worst_price == 100'101'011);
  // The basis is learnt slowly: a perp move is not absorbed in one update, so a perp crash is
  // an outlier rather than a new basis.
  w.set("p", {{"99.9", "100"}}, {{"100.1", "100"}}, kNow + kMs);
  p->refresh(kNow + kMs);
  CHECK(p->book().venues()[1].status == VenueStatus::Outlier);
  CHECK(p->book().venues()[1].basis == doctest::Approx(-10'000'000.0));
}

TEST_CASE(
    "volatility follows returns with a half-life in time; jumps trip the breaker until re-armed") {
  Volatility v(10'000 * kMs, 1.0);
  CHECK(v.sigma_bps() == doctest::Approx(1.0));
  v.observe(100'000'000, kNow);
  // +10 bps in 1 s, for a long time: sigma -> ~10 bps / sqrt(s).
  int64_t f = 100'000'000;
  for (int i = 1; i <= 200; ++i) {
    f = f * 10'010 / 10'000;
    v.observe(f, kNow + i * 1'000 * kMs);
  }
  CHECK(v.sigma_bps() == doctest::Approx(10.0).epsilon(0.01));

  // Every venue jumps 5%: the fair value jumps, the breaker trips and stays tripped.
  World w = two_venues();
  PricingParams params = bare();
  auto p = w.pricer(params);
  REQUIRE(p->price(Side::Buy, kBtc, kStandard, kNow).ok());
  w.set("a", {{"103.95", "1"}, {"102.9", "2"}}, {{"105", "1"}, {"106.05", "2"}}, kNow + 100 * kMs);
  w.set("b", {{"104.95", "1"}, {"104.9", "1"}}, {{"105.05", "1"}, {"105.08", "1"}},
        kNow + 100 * kMs);
  auto r = p->price(Side::Buy, kBtc, kStandard, kNow + 100 * kMs);
  REQUIRE_FALSE(r.ok());
  CHECK(r.refusal.reason == msg::REFUSAL_CIRCUIT_BREAKER);
  CHECK(r.refusal.detail.find("re-arm") != std::string::npos);
  CHECK(p->breaker().tripped);
  CHECK(p->breaker().reason.find("2 of 2 venues moved") != std::string::npos);
  // Still tripped later, with calm books.
  w.set("a", {{"103.95", "1"}}, {{"105", "1"}}, kNow + 5'000 * kMs);
  w.set("b", {{"104.95", "1"}}, {{"105.05", "1"}}, kNow + 5'000 * kMs);
  CHECK(p->price(Side::Buy, kBtc, kStandard, kNow + 5'000 * kMs).refusal.reason ==
        msg::REFUSAL_CIRCUIT_BREAKER);
  p->rearm();
  CHECK(p->price(Side::Buy, kBtc, kStandard, kNow + 5'001 * kMs).ok());

  // A venue joining moves the fair value by the venues' disagreement: not a jump.
  World j;
  j.spot("a", 1000);
  j.spot("b", 1000);
  j.set("a", {{"99.9", "1"}}, {{"100.1", "1"}});
  PricingParams tight = bare();
  tight.min_venues = 1;
  tight.jump_floor_ppm = 1'000;  // 10 bps; 12 sigma allow 24 bps; the venues disagree by 70
  tight.outlier_ppm = 10'000;
  std::vector<ConsolidatedBook::Source> src{
      {j.instruments[0].get(), j.books.at("a:BTCUSDT").get()},
      {j.instruments[1].get(), j.books.at("b:BTCUSDT").get()}};
  ListingPricer joining(j.listing, src, tight);
  REQUIRE(joining.price(Side::Buy, kBtc, kStandard, kNow).ok());
  REQUIRE(j.books.at("b:BTCUSDT")
              ->apply(snap(*j.instruments[1], 1, {{"100.6", "1"}}, {{"100.8", "1"}}), kNow + kMs));
  auto after_join = joining.price(Side::Buy, kBtc, kStandard, kNow + kMs);
  CHECK(after_join.ok());
  CHECK(joining.book().live_count() == 2);
  CHECK_FALSE(joining.breaker().tripped);

  // A jump on one venue only is an outlier, not a breaker trip.
  World x;
  for (auto v2 : {"a", "b", "c"}) x.spot(v2, 1000);
  for (auto v2 : {"a", "b", "c"}) x.set(v2, {{"99.9", "1"}}, {{"100.1", "1"}});
  auto q = x.pricer(params);
  REQUIRE(q->price(Side::Buy, kBtc, kStandard, kNow).ok());
  x.set("c", {{"94.9", "1"}}, {{"95.1", "1"}}, kNow + kMs);
  CHECK(q->price(Side::Buy, kBtc, kStandard, kNow + kMs).ok());
  CHECK_FALSE(q->breaker().tripped);
}

TEST_CASE("lead-lag: followers that trail the leader make the fair value lean toward it") {
  World w;
  for (auto v : {"lead", "f1", "f2"}) w.spot(v, 1000);
  PricingParams params = bare();
  params.leader = "lead:BTCUSDT";
  params.lead_horizon_ns = 500 * kMs;
  params.lead_half_life_ns = 60'000 * kMs;
  params.outlier_ppm = 50'000;
  params.jump_floor_ppm = 100'000;
  auto p = w.pricer(params);
  // The leader random-walks; the followers copy it 500 ms later.
  std::mt19937_64 rng(7);
  std::vector<int64_t> path{10'000'000};  // cents
  int64_t t = kNow;
  auto level = [](int64_t x) { return Decimal{x, 2}.to_string(); };
  for (int i = 0; i < 600; ++i, t += 100 * kMs) {
    path.push_back(path.back() + static_cast<int64_t>(rng() % 21) - 10);
    int64_t lead = path.back(), follow = path[path.size() > 6 ? path.size() - 6 : 0];
    auto put = [&](const char* v, int64_t mid) {
      std::string b = level(mid - 5), a = level(mid + 5);
      w.set(v, {{b.c_str(), "1"}}, {{a.c_str(), "1"}}, t);
    };
    put("lead", lead);
    put("f1", follow);
    put("f2", follow);
    p->refresh(t);
  }
  CHECK(p->lead_beta() > 0.6);
  // The fair value sits between the followers and the leader, nearer the leader than the
  // plain depth-weighted one would.
  int64_t plain = p->book().fair();
  int64_t leader_mid = p->book().venues()[0].mid;
  if (leader_mid != plain) {
    CHECK(std::llabs(p->fair() - leader_mid) < std::llabs(plain - leader_mid));
  }
}

TEST_CASE(
    "properties over random books: monotone in size, ask >= fair >= bid, spreads widen the right "
    "way") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 40; ++round) {
    CAPTURE(round);
    World w;
    int n = 2 + static_cast<int>(rng() % 4);
    int64_t mid = 3'000'000 + static_cast<int64_t>(rng() % 10'000);  // cents
    for (int v = 0; v < n; ++v) {
      auto& in = w.spot("v" + std::to_string(v), static_cast<int64_t>(rng() % 1500));
      msg::BookSnapshot s;
      s.set_venue(in.venue);
      s.set_symbol(in.symbol);
      s.set_venue_seq(1);
      int64_t off = static_cast<int64_t>(rng() % 200) - 100;
      for (int k = 0; k < 50; ++k) {
        auto* b = s.add_bids();
        to_proto(Decimal{mid + off - 50 - k * 10 - static_cast<int64_t>(rng() % 5), 2},
                 b->mutable_price());
        to_proto(Decimal{1 + static_cast<int64_t>(rng() % 100'000), 5}, b->mutable_qty());
        auto* a = s.add_asks();
        to_proto(Decimal{mid + off + 50 + k * 10 + static_cast<int64_t>(rng() % 5), 2},
                 a->mutable_price());
        to_proto(Decimal{1 + static_cast<int64_t>(rng() % 100'000), 5}, a->mutable_qty());
      }
      REQUIRE(w.books.at(in.key())->apply(s, kNow));
    }
    w.listing.spread_ppm = static_cast<int64_t>(rng() % 300);
    PricingParams params = bare();
    params.vol_k = 1;
    params.impact_ppm = 10'000;
    params.max_inventory = 5 * kBtc;
    params.skew_ppm_at_limit = 50;
    auto p = w.pricer(params);
    int64_t inv = static_cast<int64_t>(rng() % (10 * kBtc)) - 5 * kBtc;
    p->set_inventory(inv);
    int64_t prev_ask = 0, prev_bid = INT64_MAX;
    for (int64_t q = kBtc / 100; q <= kBtc; q += kBtc / 20) {
      auto a = p->price(Side::Buy, q, kStandard, kNow);
      auto b = p->price(Side::Sell, q, kStandard, kNow);
      if (!a.ok() || !b.ok()) break;
      CHECK(a.price->price >= prev_ask);
      CHECK(b.price->price <= prev_bid);
      CHECK(a.price->price * 10'000 >= p->fair());
      CHECK(b.price->price * 10'000 <= p->fair());
      prev_ask = a.price->price;
      prev_bid = b.price->price;
    }
    // Higher volatility: wider on both sides. Longer inventory: lower on both sides.
    PricingParams calm = params, wild = params;
    calm.vol_prior_bps_per_sqrt_s = 1;
    wild.vol_prior_bps_per_sqrt_s = 20;
    auto pc = w.pricer(calm), pw = w.pricer(wild);
    auto ca = pc->price(Side::Buy, kBtc / 10, kStandard, kNow),
         wa = pw->price(Side::Buy, kBtc / 10, kStandard, kNow);
    auto cb = pc->price(Side::Sell, kBtc / 10, kStandard, kNow),
         wb = pw->price(Side::Sell, kBtc / 10, kStandard, kNow);
    REQUIRE(ca.ok());
    REQUIRE(wa.ok());
    CHECK(wa.price->price > ca.price->price);
    CHECK(wb.price->price < cb.price->price);
    auto flat = w.pricer(params), longp = w.pricer(params);
    longp->set_inventory(3 * kBtc);
    auto fa = flat->price(Side::Buy, kBtc / 10, kStandard, kNow),
         la = longp->price(Side::Buy, kBtc / 10, kStandard, kNow);
    auto fb = flat->price(Side::Sell, kBtc / 10, kStandard, kNow),
         lb = longp->price(Side::Sell, kBtc / 10, kStandard, kNow);
    CHECK(la.price->terms.skew < 0);
    CHECK(la.price->price <= fa.price->price);
    CHECK(lb.price->price <= fb.price->price);
  }
}

TEST_CASE(
    "ladder: a firm quote for a ladder size equals the ladder's price; increments walk back to "
    "it") {
  World w = two_venues();
  w.listing.spread_ppm = 300;
  w.listing.max_qty = 10 * kBtc;
  PricingParams params = bare();
  params.vol_k = 1;
  params.impact_ppm = 20'000;
  auto p = w.pricer(params);
  p->on_fill(Side::Buy, kBtc / 2, kNow - 1'000 * kMs);
  std::vector<int64_t> sizes{1'000, 10'000, 50'000, 100'000, 200'000, 300'000, 400'000};
  Tier tier{"standard", 100};
  Ladder ladder = build_ladder(*p, sizes, tier, kNow);
  REQUIRE(ladder.asks.points.size() >= 5);
  REQUIRE(ladder.bids.points.size() >= 5);
  double worst_bias_bp = 0;
  for (auto [side, taker] :
       {std::pair{&ladder.asks, Side::Buy}, std::pair{&ladder.bids, Side::Sell}}) {
    for (const auto& pt : side->points) {
      auto firm = p->price(taker, pt.qty, tier, kNow);
      REQUIRE(firm.ok());
      double bias = std::abs(static_cast<double>(firm.price->price - pt.price)) /
                    static_cast<double>(pt.price) * 1e4;
      worst_bias_bp = std::max(worst_bias_bp, bias);
    }
    // Walking the increments to each size reproduces its all-in price.
    auto inc = incremental(*side, taker);
    REQUIRE(inc.size() == side->points.size());
    int128 notional = 0;
    int64_t q = 0;
    for (size_t i = 0; i < inc.size(); ++i) {
      notional += static_cast<int128>(inc[i].price) * inc[i].qty;
      q += inc[i].qty;
      double avg = static_cast<double>(notional) / static_cast<double>(q) / 1e4;
      double bias = std::abs(avg - static_cast<double>(side->points[i].price)) /
                    static_cast<double>(side->points[i].price) * 1e4;
      CHECK(bias < 0.1);
    }
  }
  CHECK(worst_bias_bp < 0.1);
  // Beyond the books: the ladder stops and says why.
  Ladder big = build_ladder(*p, {kBtc, 6 * kBtc}, tier, kNow);
  CHECK(big.asks.points.size() == 1);
  CHECK(big.asks.refusal.reason == msg::REFUSAL_INSUFFICIENT_DEPTH);
}

TEST_CASE("markouts at each horizon, from our side, per client and per listing") {
  Markouts m({1'000 * kMs, 10'000 * kMs});
  // Client x bought 1 at 100.00 (we sold); client y sold 1 at 100.00 (we bought).
  m.on_fill({"f1", "x", "BTC-USDT", Side::Buy, 100'000'000, kBtc, kNow});
  m.on_fill({"f2", "y", "BTC-USDT", Side::Sell, 100'000'000, kBtc, kNow});
  CHECK(m.on_fair("BTC-USDT", 100'100'000, kNow + 999 * kMs).empty());
  auto s = m.on_fair("BTC-USDT", 100'100'000, kNow + 1'000 * kMs);  // +10 bps
  REQUIRE(s.size() == 2);
  CHECK(s[0].fill_id == "f1");
  CHECK(s[0].bps == doctest::Approx(-10.0));  // we sold before a rise: lost 10 bps
  CHECK(s[1].bps == doctest::Approx(10.0));
  CHECK(m.on_fair("ETH-USDT", 1, kNow + 20'000 * kMs).empty());
  s = m.on_fair("BTC-USDT", 99'800'000, kNow + 12'000 * kMs);  // -20 bps
  REQUIRE(s.size() == 2);
  CHECK(s[0].horizon_ns == 10'000 * kMs);
  CHECK(s[0].bps == doctest::Approx(20.0));
  CHECK(m.pending() == 0);
  CHECK(m.by_client("x", 0).mean_bps() == doctest::Approx(-10.0));
  CHECK(m.by_client("x", 1).mean_bps() == doctest::Approx(20.0));
  CHECK(m.by_listing("BTC-USDT", 0).count == 2);
  CHECK(m.by_listing("BTC-USDT", 0).mean_bps() == doctest::Approx(0.0));
  CHECK(m.by_client("nobody", 0).count == 0);
}

TEST_CASE("the flow window forgets what is older than the window") {
  FlowWindow f(10'000 * kMs);
  f.add(Side::Buy, 5, kNow);
  f.add(Side::Buy, 7, kNow + 5'000 * kMs);
  f.add(Side::Sell, 3, kNow + 5'000 * kMs);
  CHECK(f.peek(Side::Buy, kNow + 9'999 * kMs) == 12);
  CHECK(f.peek(Side::Buy, kNow + 10'000 * kMs) == 7);
  CHECK(f.total(Side::Sell, kNow + 14'999 * kMs) == 3);
  CHECK(f.total(Side::Buy, kNow + 15'000 * kMs) == 0);
  CHECK(f.total(Side::Sell, kNow + 15'000 * kMs) == 0);
}

TEST_CASE("a quote-asset amount is priced at the smallest size whose cost reaches it") {
  World w = two_venues();
  PricingParams params = bare();
  params.impact_ppm = 100'000;  // price depends on size, so the search has to find it
  auto p = w.pricer(params);
  Tier tier{"t", 0};
  for (Side side : {Side::Buy, Side::Sell}) {
    for (int64_t amount : {150'00, 345'67, 99'99}) {  // quote units at scale 2 (USDT cents)
      CAPTURE(amount);
      auto sized = price_for_amount(*p, side, amount, 2, tier, kNow);
      REQUIRE(sized.result.ok());
      int64_t price = sized.result.price->price;  // scale 2
      // Cost at the found size reaches the amount; one lot less does not.
      CHECK(static_cast<int128>(sized.qty) * price >= static_cast<int128>(amount) * 100'000);
      auto less = p->price(side, sized.qty - 1, tier, kNow);
      REQUIRE(less.ok());
      CHECK(static_cast<int128>(sized.qty - 1) * less.price->price < static_cast<int128>(amount) * 100'000);
      // The answer is the firm price for that size.
      CHECK(p->price(side, sized.qty, tier, kNow).price->price == price);
    }
  }
  auto tiny = price_for_amount(*p, Side::Buy, 1, 2, tier, kNow);  // 0.01 USDT
  CHECK(tiny.result.refusal.reason == msg::REFUSAL_SIZE_TOO_SMALL);
  auto huge = price_for_amount(*p, Side::Buy, 10'000'000'00, 2, tier, kNow);
  CHECK_FALSE(huge.result.ok());
  CHECK(price_for_amount(*p, Side::Buy, 0, 2, tier, kNow).result.refusal.reason == msg::REFUSAL_BAD_REQUEST);
}
