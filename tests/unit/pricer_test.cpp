#include <doctest/doctest.h>

#include <map>

#include "aqueduct/pricer/firm_pricer.hpp"
#include "aqueduct/testing/fixtures.hpp"
#include "aqueduct/types/convert.hpp"

using namespace aq;
using namespace aq::pricer;
namespace msg = aqueduct::msg;

namespace {

constexpr int64_t kNow = 1'000'000'000'000;

Instrument inst(const std::string& venue, int64_t fee_ppm = 1000) { return testing::btcusdt(venue, fee_ppm); }

Listing listing(std::vector<std::string> hedges) {
  Listing l;
  l.name = "BTC-USDT";
  l.base = "BTC";
  l.quote = "USDT";
  l.price_scale = 2;
  l.qty_scale = 5;
  l.spread_ppm = 500;
  l.min_qty = 10;
  l.max_qty = 500'000;
  l.hedge_instruments = std::move(hedges);
  return l;
}

msg::BookSnapshot snap(const std::string& venue, uint64_t seq,
                       std::vector<std::pair<const char*, const char*>> bids,
                       std::vector<std::pair<const char*, const char*>> asks) {
  msg::BookSnapshot s;
  s.set_venue(venue);
  s.set_symbol("BTCUSDT");
  s.set_venue_seq(seq);
  auto add = [](auto* out, const auto& levels) {
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

struct Books : BookLookup {
  std::map<std::string, VenueBook> books;
  const VenueBook* find(const std::string& k) const override {
    auto it = books.find(k);
    return it == books.end() ? nullptr : &it->second;
  }
};

struct Fixture {
  Universe u;
  Books books;
  PricingLimits limits;
  Fixture() {
    u.instruments = {inst("a"), inst("b", 500)};
    u.listings = {listing({"a:BTCUSDT"})};
    for (const auto& i : u.instruments) books.books.emplace(i.key(), VenueBook(u.instruments[i.venue == "a" ? 0 : 1]));
    auto& a = books.books.at("a:BTCUSDT");
    REQUIRE(a.apply(snap("a", 100, {{"99", "1"}, {"98", "2"}}, {{"100", "1"}, {"101", "2"}}), kNow));
  }
  PriceResult price(Side s, const char* qty, int64_t now = kNow) {
    return firm_price(u.listings[0], u, books, s, Decimal::parse(qty, 5)->units, now, limits);
  }
};

}  // namespace

TEST_CASE("firm price = VWAP walk + taker fee + spread, rounded against us") {
  Fixture f;
  // Taker buys 2: we lift 1 @ 100 and 1 @ 101, VWAP 100.50;
  // 100.50 * 1.001 * 1.0005 = 100.65080025 -> rounds up to 100.66.
  auto ask = f.price(Side::Buy, "2");
  REQUIRE(ask.ok());
  CHECK(ask.price->price == 10066);
  CHECK(ask.price->hedge_vwap.to_trimmed_string() == "100.5");
  CHECK(ask.price->fee_per_unit.to_trimmed_string() == "0.1005");
  CHECK(ask.price->venue_key == "a:BTCUSDT");
  // Taker sells 2: we hit 1 @ 99 and 1 @ 98, VWAP 98.50;
  // 98.50 * 0.999 * 0.9995 = 98.35229925 -> rounds down to 98.35.
  auto bid = f.price(Side::Sell, "2");
  REQUIRE(bid.ok());
  CHECK(bid.price->price == 9835);
  // One unit at the top level only: 100 * 1.0015005 = 100.15005 -> 100.16.
  CHECK(f.price(Side::Buy, "1").price->price == 10016);
}

TEST_CASE("price is monotone in size and asks stay above bids") {
  Fixture f;
  int64_t last_ask = 0, last_bid = INT64_MAX;
  for (const char* q : {"0.0001", "0.5", "1", "1.00001", "1.5", "2.5", "3"}) {
    CAPTURE(q);
    auto a = f.price(Side::Buy, q);
    auto b = f.price(Side::Sell, q);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.price->price >= last_ask);
    CHECK(b.price->price <= last_bid);
    CHECK(a.price->price > b.price->price);
    last_ask = a.price->price;
    last_bid = b.price->price;
  }
}

TEST_CASE("the pricer refuses rather than quote blind") {
  Fixture f;
  SUBCASE("size below the minimum") {
    auto r = f.price(Side::Buy, "0.00001");
    CHECK(r.refusal.reason == msg::REFUSAL_SIZE_TOO_SMALL);
    CHECK(r.refusal.detail.find("minimum 0.0001") != std::string::npos);
  }
  SUBCASE("size above the maximum") {
    CHECK(f.price(Side::Buy, "5.00001").refusal.reason == msg::REFUSAL_SIZE_TOO_LARGE);
  }
  SUBCASE("book too thin for the size") {
    auto r = f.price(Side::Buy, "3.5");
    CHECK(r.refusal.reason == msg::REFUSAL_INSUFFICIENT_DEPTH);
    CHECK(r.refusal.detail.find("only 3 available") != std::string::npos);
  }
  SUBCASE("stale book") {
    auto r = f.price(Side::Buy, "1", kNow + f.limits.max_book_age_ns + 1);
    CHECK(r.refusal.reason == msg::REFUSAL_STALE_BOOK);
  }
  SUBCASE("connector says the book is resyncing") {
    f.books.books.at("a:BTCUSDT").set_state(msg::BOOK_RESYNCING, "gap");
    auto r = f.price(Side::Buy, "1");
    CHECK(r.refusal.reason == msg::REFUSAL_NO_LIVE_BOOK);
    CHECK(r.refusal.detail.find("BOOK_RESYNCING") != std::string::npos);
  }
  SUBCASE("a delta that does not chain makes the book unusable until the next snapshot") {
    msg::BookDelta d;
    d.set_prev_venue_seq(99);  // book is at 100
    d.set_venue_seq(101);
    auto& b = f.books.books.at("a:BTCUSDT");
    CHECK_FALSE(b.apply(d, kNow));
    CHECK(f.price(Side::Buy, "1").refusal.reason == msg::REFUSAL_NO_LIVE_BOOK);
    REQUIRE(b.apply(snap("a", 200, {{"99", "1"}}, {{"100", "1"}}), kNow));
    CHECK(f.price(Side::Buy, "1").ok());
  }
  SUBCASE("no hedge venue has data") {
    f.u.listings[0].hedge_instruments = {"b:BTCUSDT"};
    CHECK(f.price(Side::Buy, "1").refusal.reason == msg::REFUSAL_NO_LIVE_BOOK);
  }
}

TEST_CASE("deltas update levels; the best venue wins across hedge venues") {
  Fixture f;
  auto& a = f.books.books.at("a:BTCUSDT");
  msg::BookDelta d;
  d.set_prev_venue_seq(100);
  d.set_venue_seq(105);
  auto* l = d.add_asks();
  to_proto(Decimal{10000, 2}, l->mutable_price());
  to_proto(Decimal{0, 5}, l->mutable_qty());  // 100 removed: best ask is now 101
  REQUIRE(a.apply(d, kNow));
  CHECK(f.price(Side::Buy, "1").price->price == 10116);  // 101 * 1.0015005 = 101.1515505 -> 101.16

  // Venue b: cheaper fee (5 bps) and a better ask.
  f.u.listings[0].hedge_instruments = {"a:BTCUSDT", "b:BTCUSDT"};
  REQUIRE(f.books.books.at("b:BTCUSDT").apply(snap("b", 1, {{"99.5", "5"}}, {{"100.5", "5"}}), kNow));
  auto r = f.price(Side::Buy, "1");
  REQUIRE(r.ok());
  CHECK(r.price->venue_key == "b:BTCUSDT");
  CHECK(r.price->price == 10061);  // 100.5 * 1.0005 * 1.0005 = 100.600525125 -> 100.61
}
