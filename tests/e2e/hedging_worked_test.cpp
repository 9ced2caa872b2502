// Worked hedges end to end: the whole network in one process against the Binance simulator,
// with hedging allowed to work a hedge as a post-only order (a maker fee 8 bp under the taker
// fee makes resting worth more than the risk of waiting, on this calm simulated market).
// Whichever way each worked order ends — filled as maker when the market reaches it, or
// cancelled at its deadline with the rest crossed — every fill is hedged exactly once, every
// order ends final, a crossed remainder says so, and a maker fill is charged the maker fee.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <thread>

#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/network_under_test.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {
std::string worked_config() {
  auto v = json::parse(testing::network_config_json());
  auto& c = v.as_object();
  c["instruments"].as_array()[0].as_object()["maker_fee_bps"] = "2";
  c["hedging"].as_object()["work"] = json::object{{"max_ms", 1500}, {"vol_prior_bps", 0.5}};
  return json::serialize(v);
}
}  // namespace

TEST_CASE(
    "worked hedges: post-only at the best bid or offer, the remainder crossed, each fill hedged "
    "once") {
  testing::NetworkUnderTest t(worked_config(), "taker-w");
  auto& db = t.db;
  auto& net = t.net;
  auto& takers = t.takers;
  sim::BinanceSim& sim = *net.simulator();
  auto account = [&] { return t.account(sim, "BTCUSDT"); };
  auto hedged = [&] {
    return std::llabs(account().net_qty - takers.taker_net) < 10 &&
           db.scalar(
               "SELECT count(*) FROM hedge_orders WHERE status NOT IN ('ORDER_FILLED', "
               "'ORDER_EXPIRED', "
               "'ORDER_CANCELED', 'ORDER_REJECTED')") == "0" &&
           db.scalar("SELECT count(*) FROM fill_pnl") == std::to_string(takers.fills);
  };

  for (int i = 0; i < 4; ++i) {
    REQUIRE(takers.fill(i % 2 == 0, 5000 + 1000 * i));  // 0.05, 0.06, 0.07, 0.08 BTC
    CHECK(testing::wait_until(hedged, 15'000ms));
  }
  // A market that does not move never reaches the worked order: cancelled at its deadline,
  // the rest crossed.
  sim.set_frozen("BTCUSDT", true);
  REQUIRE(takers.fill(true, 4000));
  std::this_thread::sleep_for(2000ms);
  sim.set_frozen("BTCUSDT", false);
  CHECK(testing::wait_until(hedged, 15'000ms));
  CHECK(db.scalar(
            "SELECT status FROM hedge_orders WHERE post_only ORDER BY created_at DESC LIMIT 1") ==
        "ORDER_CANCELED");
  CHECK(db.scalar("SELECT reason LIKE '%the remainder of a worked hedge (-0.04)%' FROM "
                  "hedge_orders ORDER BY "
                  "created_at DESC LIMIT 1") == "t");

  // The flow turns while a worked order rests: the order is cancelled (well before its
  // deadline) instead of being offset by a hedge the other way.
  auto orders_before = db.scalar("SELECT count(*) FROM hedge_orders");
  auto net_before = account().net_qty;
  sim.set_frozen("BTCUSDT", true);
  REQUIRE(takers.fill(true, 3000));  // we are short 0.03: a worked buy rests at the bid
  REQUIRE(testing::wait_until(
      [&] {
        return db.scalar("SELECT count(*) FROM hedge_orders") ==
               std::to_string(std::stoi(orders_before) + 1);
      },
      5000ms));
  REQUIRE(takers.fill(false, 3000));  // and flat again
  CHECK(testing::wait_until(hedged, 5000ms));
  sim.set_frozen("BTCUSDT", false);
  CHECK(db.scalar("SELECT count(*) FROM hedge_orders") ==
        std::to_string(std::stoi(orders_before) + 1));
  CHECK(db.scalar("SELECT post_only::text || ' ' || status FROM hedge_orders ORDER BY created_at "
                  "DESC LIMIT 1") == "true ORDER_CANCELED");
  CHECK(db.scalar(
            "SELECT updated_at < work_until FROM hedge_orders ORDER BY created_at DESC LIMIT 1") ==
        "t");
  CHECK(account().net_qty == net_before);  // nothing traded either way

  auto a = account();
  CHECK(std::llabs(a.net_qty - takers.taker_net) < 10);  // nothing lost, nothing doubled
  // Every order the venue executed is in the record.
  std::string ids;
  for (const auto& [id, _] : a.executed) ids += (ids.empty() ? "'" : ",'") + id + "'";
  CHECK(db.scalar("SELECT count(*) FROM hedge_orders WHERE hedge_id IN (" + ids + ")") ==
        std::to_string(a.executed.size()));

  // Hedges were worked: post-only, with a deadline, at a price that did not cross.
  int worked = std::stoi(db.scalar("SELECT count(*) FROM hedge_orders WHERE post_only"));
  CHECK(worked >= 4);
  CHECK(db.scalar("SELECT count(*) FROM hedge_orders WHERE post_only AND (work_until IS NULL OR "
                  "work_until <= "
                  "created_at OR work_until > created_at + interval '1.6 s')") == "0");
  CHECK(db.scalar("SELECT count(*) FROM hedge_orders WHERE post_only AND reason LIKE '%worked: "
                  "post-only at%'") == std::to_string(worked));
  // A worked order that did not fill in full is followed by a crossed one that says why.
  int unfilled = std::stoi(
      db.scalar("SELECT count(*) FROM hedge_orders WHERE post_only AND status <> 'ORDER_FILLED'"));
  int remainders =
      std::stoi(db.scalar("SELECT count(*) FROM hedge_orders WHERE NOT post_only AND reason LIKE "
                          "'%the remainder of a worked hedge%'"));
  CHECK(remainders >= unfilled - 1);  // all but the one cancelled because the flow turned
  MESSAGE("worked orders: " << worked << ", filled as maker: " << worked - unfilled
                            << ", remainders crossed: " << remainders);
  // The venue executed worked orders only as maker, at their own limit price.
  CHECK(db.scalar("SELECT count(*) FROM venue_trades t JOIN hedge_orders h USING (hedge_id) WHERE "
                  "h.post_only AND "
                  "t.price <> h.limit_price") == "0");
  // Fees: maker fills pay the maker fee (2 bp), crossed ones the taker's (10 bp); the fills'
  // attributed fees add up to that, to rounding (each trade's fee is rounded up to 1e-6 USD).
  auto expected_fees = db.scalar(
      "SELECT sum(t.price * t.qty * CASE WHEN h.post_only THEN 0.0002 ELSE 0.0010 END) FROM "
      "venue_trades t JOIN "
      "hedge_orders h USING (hedge_id)");
  auto attributed_fees = db.scalar("SELECT -sum(fees) FROM fill_pnl");
  MESSAGE("fees expected " << expected_fees << ", attributed " << attributed_fees);
  CHECK(db.scalar("SELECT abs((" + expected_fees + ") - (" + attributed_fees + ")) < 0.0001") ==
        "t");
  CHECK(db.scalar("SELECT count(*) FROM fill_pnl WHERE spread + hedge_slippage + fees + funding + "
                  "revaluation + quanto <> "
                  "total") == "0");
  net.stop();
}

TEST_CASE("a residual carried past the work deadline does not make the next fill's hedge urgent") {
  // The BTC listing hedges from 0.03 BTC: a 0.02 fill is carried. Two seconds later (past the
  // 1.5 s a hedge may be worked) a second 0.02 fill makes 0.04: its hedge's clock starts at
  // that fill, so it is worked (post-only), not crossed as if it had waited two seconds.
  auto v = json::parse(worked_config());
  v.as_object()["listings"].as_array()[0].as_object()["hedge_threshold"] = "0.03";
  testing::NetworkUnderTest t(json::serialize(v), "taker-c");
  REQUIRE(t.takers.fill(true, 2000));
  std::this_thread::sleep_for(2000ms);
  CHECK(t.db.scalar("SELECT count(*) FROM hedge_orders") == "0");  // carried
  REQUIRE(t.takers.fill(true, 2000));
  CHECK(testing::first_hedge_order(t.db, "post_only::text || ' ' || side || ' ' || qty::text") ==
        "true buy 0.04000");
  t.net.stop();
}
