// Which hedges belong to which fill, and when a fill's PnL is final (fill_attribution.hpp).
#include <doctest/doctest.h>

#include <random>

#include "aqueduct/hedging/fill_attribution.hpp"

using namespace aq;
using namespace aq::hedging;

TEST_CASE(
    "a hedge belongs to its asset's newest fill; a fill is final when superseded or idle, with "
    "nothing in flight") {
  FillAttribution a;
  a.on_fill("f1", "BTC", -100, 30'000, 29'990);
  CHECK(a.on_hedge_sent("BTC") == "f1");
  CHECK(a.on_hedge_sent("ETH").empty());  // no ETH fill open
  a.on_execution("f1", {60, 30'001, 2});
  a.on_fill("f2", "BTC", 40, 29'995, 29'991);  // supersedes f1, whose hedge is still in flight
  CHECK(a.take_final().empty());
  CHECK(a.on_hedge_sent("BTC") == "f2");
  a.on_hedge_final("f1");
  auto done = a.take_final();
  REQUIRE(done.size() == 1);
  CHECK(done[0].fill_id == "f1");
  CHECK(done[0].input.hedges.size() == 1);
  CHECK(done[0].input.fair_at_fill == 29'990);
  a.on_execution("f2", {-20, 29'990, 1});
  a.on_hedge_final("f2");
  CHECK(a.take_final().empty());  // the newest: not final until its asset is idle
  a.on_idle("BTC");
  done = a.take_final();
  REQUIRE(done.size() == 1);
  CHECK(done[0].fill_id == "f2");
  CHECK(a.open() == 0);
  CHECK(a.on_hedge_sent("BTC").empty());  // nothing open: a later drift hedge is nobody's
}

TEST_CASE(
    "a fill whose fair value came after its first hedge takes it; an idle fill reopens when hedged "
    "again, until idle again") {
  FillAttribution a;
  a.on_fill("f1", "ETH", 5, 2'000, 0);
  a.set_fair("f1", 1'999);
  a.on_idle("ETH");
  CHECK(a.on_hedge_sent("ETH") == "f1");  // sent after all (a retry): open again
  CHECK(a.take_final().empty());
  a.on_hedge_final("f1");
  CHECK(a.take_final().empty());  // final again once its asset is idle again
  a.on_idle("ETH");
  auto done = a.take_final();
  REQUIRE(done.size() == 1);
  CHECK(done[0].input.fair_at_fill == 1'999);
}

TEST_CASE(
    "over random fills and hedges, the fills' totals add up to the PnL of all trading, exactly") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    FillAttribution a;
    int128 cash = 0, open = 0;
    std::vector<std::string> in_flight;
    int64_t mark = 30'000'00 + static_cast<int64_t>(rng() % 2000);
    std::vector<OpenFillPnl> finals;
    for (int i = 0; i < 20; ++i) {
      std::string id = "f" + std::to_string(i);
      int64_t s = static_cast<int64_t>(rng() % 2001) - 1000;
      int64_t px = 30'000'00 + static_cast<int64_t>(rng() % 2000) - 1000;
      a.on_fill(id, "BTC", s, px, px + static_cast<int64_t>(rng() % 50) - 25);
      cash -= static_cast<int128>(s) * px;
      open += s;
      for (int h = static_cast<int>(rng() % 3); h > 0; --h) {
        auto owner = a.on_hedge_sent("BTC");
        REQUIRE(owner == id);
        HedgeExecution e{static_cast<int64_t>(rng() % 2001) - 1000,
                         30'000'00 + static_cast<int64_t>(rng() % 2000) - 1000,
                         static_cast<int128>(rng() % 100)};
        a.on_execution(owner, e);
        cash -= static_cast<int128>(e.base) * e.price + e.fee;
        open += e.base;
        in_flight.push_back(owner);
      }
      if (rng() % 2) {
        for (const auto& o : in_flight) a.on_hedge_final(o);
        in_flight.clear();
      }
      for (auto& f : a.take_final()) finals.push_back(std::move(f));
    }
    for (const auto& o : in_flight) a.on_hedge_final(o);
    a.on_idle("BTC");
    for (auto& f : a.take_final()) finals.push_back(std::move(f));
    REQUIRE(finals.size() == 20);
    int128 sum = 0;
    for (auto& f : finals) {
      f.input.mark = mark;
      auto p = attribute_fill(f.input);
      CHECK(p.parts() == p.total);
      sum += p.total;
    }
    CHECK(sum == cash + open * mark);
  }
}

TEST_CASE(
    "funding goes to the asset's newest open fill, and into its PnL; none open: not attributed") {
  FillAttribution a;
  CHECK(a.funding_fill("BTC").empty());  // no fill yet
  a.on_fill("f1", "BTC", -100, 30'000, 29'990);
  CHECK(a.funding_fill("ETH").empty());
  REQUIRE(a.funding_fill("BTC") == "f1");
  a.on_funding("f1", -25);
  a.on_funding("f1", 10);
  a.on_idle("BTC");
  auto done = a.take_final();
  REQUIRE(done.size() == 1);
  CHECK(done[0].input.funding == -15);
  auto pnl = attribute_fill(done[0].input);
  CHECK(pnl.funding == -15);
  CHECK(pnl.parts() == pnl.total);
  CHECK(a.funding_fill("BTC").empty());  // final and taken: later funding is the book's
  a.on_funding("f1", 99);                // unknown or taken fill: ignored
  CHECK(a.open() == 0);
}
