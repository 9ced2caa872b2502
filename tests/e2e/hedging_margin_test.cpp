// Margin from the venue's own account, end to end: the whole network in one process with the
// Binance spot and USD-M simulators. The perp is the cheaper hedge (2 bp against 10 bp), but
// its simulated account holds only 30 USDT at 10% initial margin: the router reads that
// account over the wire, hedging plans against what the venue reports, and the perp takes
// what that margin carries (about 300 USD of notional) while spot takes the rest. The margin
// the perp position holds shows in the venue's next read, so a later hedge the same way goes
// to spot alone.
#include <doctest/doctest.h>

#include <atomic>

#include <boost/json.hpp>
#include <cstdlib>
#include <thread>

#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/testing/bus_tap.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/network_under_test.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {
std::string margin_config() {
  auto v = json::parse(testing::with_usdm_perp(testing::network_config_json(), "30",
                                               {"binance:BTCUSDT", "binance_usdm:BTCUSDT"}));
  v.as_object()["hedging"].as_object()["metrics"] = json::object{{"port", 0}};
  return json::serialize(v);
}
}  // namespace

TEST_CASE("margin from the venue: a perp leg is as large as the venue's reported margin allows") {
  testing::NetworkUnderTest t(margin_config(), "taker-m", {"BINANCE", "USDM"});
  auto& db = t.db;
  auto& takers = t.takers;
  auto spot = [&] { return t.account(*t.net.simulator(), "BTCUSDT").net_qty; };       // 1e-5 BTC
  auto perp = [&] { return t.account(*t.net.usdm_simulator(), "BTCUSDT").net_qty; };  // 1e-3 BTC
  auto hedged = [&] { return std::llabs(spot() + perp() * 100 - takers.taker_net) < 10; };

  // Hedging has the venue's first account read before the first fill: under load it can
  // come after, and a hedge planned without it leaves the perp out.
  auto margin_read = [&] {
    return testing::http_call(t.net.hedging()->metrics_port(), "GET", "/metrics")
               .body.find("aqueduct_hedging_margin_read_age_seconds{venue=\"binance_usdm\"}") !=
           std::string::npos;
  };
  REQUIRE(testing::wait_until(margin_read, 10'000ms));
  // ... and has heard the perp's book go live: a fill planned just before that (CI saw one,
  // "venue not usable: book connecting") leaves the perp out. The tap hears what hedging
  // hears, in the same order; a few deltas after LIVE and hedging has it too.
  std::atomic<int> usdm_after_live{-1};
  testing::BusTap tap(t.zmq, t.net.config().endpoints.connectors_pub, "md.",
                      [&](std::string_view, const bus::Envelope& e, int64_t) {
                        if (e.has_venue_status() && e.venue_status().venue() == "binance_usdm")
                          usdm_after_live =
                              e.venue_status().state() == aqueduct::msg::BOOK_LIVE ? 0 : -1;
                        else if (e.has_book_delta() && e.book_delta().venue() == "binance_usdm" &&
                                 usdm_after_live >= 0)
                          ++usdm_after_live;
                      });
  REQUIRE(testing::wait_until([&] { return usdm_after_live >= 3; }, 10'000ms));
  // Takers buy 0.05 BTC: hedging buys 0.05 back. 30 USDT at 10% carries about 300 USD of
  // perp notional, 0.010 BTC at 30,000 (less what the fees and the ask cost): at most 0.009
  // or 0.010 on the perp, the rest on spot.
  REQUIRE(takers.fill(true, 5000));
  REQUIRE(testing::wait_until(hedged, 15'000ms));
  int64_t on_perp = perp();
  CHECK(on_perp >= 5);
  CHECK(on_perp <= 10);
  CHECK(spot() >= 4000);

  // The next read shows that position's margin held: nothing is free for more perp notional
  // the same way, so another 0.02 BTC all goes to spot.
  std::this_thread::sleep_for(5500ms);  // the router reads every 5 s
  REQUIRE(takers.fill(true, 2000));
  REQUIRE(testing::wait_until(hedged, 15'000ms));
  CHECK(perp() == on_perp);
  // The order says why the perp took none: its margin (not its price).
  CHECK(db.scalar(
            "SELECT count(*) FROM hedge_orders WHERE venue = 'binance' AND (reason LIKE "
            "'%binance_usdm:BTCUSDT: no free margin%' OR reason LIKE '%binance_usdm:BTCUSDT: no "
            "room for a lot: its free margin%')") != "0");
}

TEST_CASE(
    "a worked hedge its best venue has no margin for rests where the plan over every venue says") {
  // Working pays most on the perp (12 bp taker, 0 bp maker: 12 bp saved, against spot's 10 and
  // 2: 8 bp), but its account holds 1 USDT: not enough margin for one 0.001 BTC lot (3 USDT at
  // 10%). The worked order rests on spot instead of not going out at all.
  auto v = json::parse(margin_config());
  auto& c = v.as_object();
  c["venues"].as_object()["binance_usdm"].as_object()["sim_collateral"] = "1";
  c["instruments"].as_array()[0].as_object()["maker_fee_bps"] = "2";
  c["instruments"].as_array().back().as_object()["taker_fee_bps"] = "12";
  c["instruments"].as_array().back().as_object()["maker_fee_bps"] = "0";
  c["hedging"].as_object()["work"] = json::object{{"max_ms", 1500}, {"vol_prior_bps", 0.5}};
  testing::NetworkUnderTest t(json::serialize(v), "taker-mw", {"BINANCE", "USDM"});
  // The first account read arrives within a few ms of start; the books take longer.
  REQUIRE(t.takers.fill(true, 5000));
  CHECK(testing::first_hedge_order(t.db,
                                   "venue || ' ' || post_only::text || ' ' || side || ' ' || "
                                   "qty::text") == "binance true buy 0.05000");
  CHECK(t.db.scalar("SELECT count(*) FROM hedge_orders WHERE venue = 'binance_usdm'") == "0");
  t.net.stop();
}
