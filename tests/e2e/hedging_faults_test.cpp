// Hedging and the router against a venue that misbehaves (the simulator's scripted faults),
// the whole network in one process over inproc endpoints and real loopback sockets:
//   - 429 on the order: never reached the book; the hedge is refused and retried, once;
//   - 503 after the order executed: the outcome is unknown, the order is looked up by its
//     client id and its fill counted, never sent again;
//   - the answer held past the router's 5 s timeout (a timeout after sending): the same;
//   - a partial fill: the rest is hedged by a further order;
//   - the venue's feed goes silent with a fill to hedge: nothing is sent to a stale book; once
//     the feed is back, the fill is hedged.
// After each: the network's BTC nets to within the hedge threshold against the simulator's own
// account, every order the simulator executed is in the record, and the recorded position
// equals the account.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <thread>

#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/network_under_test.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/types/decimal.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

using testing::decimal_units;

TEST_CASE(
    "hedging through venue faults: 429, 503 after execution, timeout after send, partial fill, "
    "stale feed") {
  testing::NetworkUnderTest t(testing::network_config_json(), "taker-f");
  auto& db = t.db;
  auto& net = t.net;
  auto& client = t.client;
  auto& takers = t.takers;
  sim::BinanceSim& sim = *net.simulator();

  auto fill = [&](bool buy, int64_t qty) { REQUIRE(takers.fill(buy, qty)); };
  auto account = [&] { return t.account(sim, "BTCUSDT"); };
  auto hedged = [&] {
    auto a = account();
    return std::llabs(a.net_qty - takers.taker_net) < 10 &&
           db.scalar(
               "SELECT count(*) FROM hedge_orders WHERE status NOT IN ('ORDER_FILLED', "
               "'ORDER_EXPIRED', "
               "'ORDER_CANCELED', 'ORDER_REJECTED')") == "0" &&
           decimal_units(
               db.scalar(
                   "SELECT qty FROM instrument_positions WHERE instrument = 'binance:BTCUSDT'"),
               5) == a.net_qty;
  };
  auto check_hedged_once = [&](std::chrono::milliseconds within) {
    CHECK(testing::wait_until(hedged, within));
    auto a = account();
    CHECK(std::llabs(a.net_qty - takers.taker_net) < 10);  // nothing lost, nothing doubled
    CHECK(
        decimal_units(
            db.scalar("SELECT qty FROM instrument_positions WHERE instrument = 'binance:BTCUSDT'"),
            5) == a.net_qty);
    std::string ids;
    for (const auto& [id, _] : a.executed) ids += (ids.empty() ? "'" : ",'") + id + "'";
    CHECK(db.scalar("SELECT count(*) FROM hedge_orders WHERE hedge_id IN (" + ids + ")") ==
          std::to_string(a.executed.size()));
    CHECK(db.scalar("SELECT count(*) FROM fill_intake") == std::to_string(takers.fills));
  };
  auto orders = [&] { return sim.orders_received(); };
  auto statuses = [&] {
    return db.scalar("SELECT string_agg(status, ',' ORDER BY created_at) FROM hedge_orders");
  };

  fill(true, 5000);  // a clean one first: books live, connections warm
  check_hedged_once(5000ms);
  // Its PnL, attributed once its hedge is final: the taker paid above fair (spread > 0), the
  // venue's fee is paid (< 0), and the parts add up to the total (the table checks it too).
  REQUIRE(testing::wait_until([&] { return db.scalar("SELECT count(*) FROM fill_pnl") == "1"; },
                              5000ms));
  CHECK(db.scalar("SELECT spread > 0 AND fees < 0 AND hedges = 1 FROM fill_pnl") == "t");
  CHECK(db.scalar("SELECT spread + hedge_slippage + fees + funding + revaluation + quanto = total "
                  "FROM fill_pnl") == "t");

  SUBCASE("429: refused before the book, retried once, hedged once") {
    auto before = orders();
    sim.set_order_fault({sim::OrderFault::Kind::RateLimited, 1, 0ms});
    fill(false, 7000);
    check_hedged_once(5000ms);
    CHECK(orders() == before + 2);  // the refused order and its retry
    CHECK(db.scalar("SELECT count(*) FROM hedge_orders WHERE status = 'ORDER_REJECTED'") == "1");
    CHECK(db.scalar(
              "SELECT count(*) FROM executions WHERE detail LIKE '%never reached the venue%'") ==
          "1");
  }

  SUBCASE("503 after the order executed: looked up, its fill counted, never sent again") {
    auto before = orders();
    sim.set_order_fault({sim::OrderFault::Kind::UnavailableExecuted, 1, 0ms});
    fill(false, 7000);
    check_hedged_once(5000ms);
    CHECK(orders() == before + 1);
    CHECK(db.scalar("SELECT count(*) FROM executions WHERE detail LIKE 'reconciled%' AND status = "
                    "'ORDER_FILLED'") == "1");
    CHECK(statuses() == "ORDER_FILLED,ORDER_FILLED");
  }

  SUBCASE("the answer held past the router's timeout: looked up, counted once") {
    auto before = orders();
    sim.set_order_fault({sim::OrderFault::Kind::SlowAck, 1, 6000ms});
    fill(true, 9000);
    // Until the router gives up on the answer (5 s), the hedge is in flight: not sent again.
    std::this_thread::sleep_for(3000ms);
    CHECK(orders() == before + 1);
    check_hedged_once(10'000ms);
    CHECK(orders() == before + 1);
    CHECK(db.scalar("SELECT count(*) FROM executions WHERE detail LIKE 'reconciled%'") == "1");
  }

  SUBCASE("a partial fill: the rest is hedged by a further order") {
    sim.set_order_fault({sim::OrderFault::Kind::PartialFill, 1, 0ms});
    fill(false, 20000);  // 0.2 BTC
    check_hedged_once(5000ms);
    CHECK(statuses() == "ORDER_FILLED,ORDER_EXPIRED,ORDER_FILLED");
    CHECK(db.scalar("SELECT sum(qty) FROM venue_trades") == "0.25000");  // 0.05 + 0.2
  }

  SUBCASE("the feed goes stale with a fill to hedge: nothing sent until it is back") {
    sim.set_silent("BTCUSDT", true);
    REQUIRE(testing::wait_until(
        [&] {
          return client.post("/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})")
                     .status == 503;
        },
        5000ms));
    auto before = orders();
    // A fill accepted just before the feed went stale (committed, then published late).
    testing::record_fill_directly(db.url(), *net.config().universe.listing("BTC-USDT"), "f_stale",
                                  "taker-f", Side::Buy, 3000000, 4000);  // 0.04 BTC
    takers.taker_net += 4000;
    ++takers.fills;
    REQUIRE(testing::wait_until(
        [&] {
          return db.scalar("SELECT count(*) FROM fill_intake WHERE fill_id = 'f_stale'") == "1";
        },
        5000ms));
    std::this_thread::sleep_for(1000ms);
    CHECK(orders() == before);  // never sent against a stale book
    CHECK(std::llabs(account().net_qty - takers.taker_net) >= 4000);
    sim.set_silent("BTCUSDT", false);
    check_hedged_once(10'000ms);
    CHECK(orders() == before + 1);
  }

  net.stop();
}
