// Recovery: the hedging process is killed at seeded points of a hedge and started again.
//
// Two layouts. In the default one, hedging and the router run together in a child process (the
// router on hedging's loop, called directly), so each crash kills the router too, with its
// lookups in flight. In the other, the router runs in this process and hedging alone in the
// child, talking to it over ipc. The rest of the network runs in this process (simulator,
// connectors, pricer, rfq). The child has a crash point armed (AQ_HEDGING_CRASH_AT): it exits as
// a crash would — nothing after the point handled or recorded — when a fill arrives, after a
// fill's hedge is sent but before anything is recorded, after the record, when the venue's
// report arrives, after the report's trades are applied but not recorded, or after the outcome
// is recorded; at the 1st, 2nd or 3rd pass (seeded). Sometimes a fill also comes while hedging
// is down. A third run works hedges as post-only orders, so a crash may leave one resting at the
// venue: recovery cancels it and counts what it filled. After each restart, with no help:
//   - every fill is claimed exactly once;
//   - no hedge order is left without a final status, and every order the simulator executed is
//     in the record;
//   - hedging's recorded position equals the simulator's account, trade for trade;
//   - the takers' fills and the simulator's executions net to less than the hedge threshold:
//     a fill lost, or hedged twice, would leave its whole size (at least 0.01 BTC).
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/process.hpp"
#include "aqueduct/testing/taker_flow.hpp"
#include "aqueduct/testing/temp_dir.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/types/decimal.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

using testing::decimal_units;

namespace {

// `worked`: hedges may rest as post-only orders (hedging.work, a maker fee below the taker's),
// so crashes also find orders resting at the venue, which recovery cancels before it counts them.
void kill_and_restart(bool router_in_child, uint64_t seed, bool worked = false) {
  testing::TestDatabase db;
  testing::NativeClient client{0, testing::add_native_client(db.url(), "taker-r")};
  testing::TempDir tmp("aq-recovery");  // the bus's ipc sockets and each process's log
  std::string dir = tmp.str();
  std::string config_text =
      testing::network_config_json(R"({"transport":"ipc","ipc_dir":")" + dir + R"("})",
                                   testing::free_port(), testing::free_port());
  if (worked) {
    auto v = boost::json::parse(config_text);
    v.as_object()["instruments"].as_array()[0].as_object()["maker_fee_bps"] = "2";
    v.as_object()["hedging"].as_object()["work"] =
        boost::json::object{{"max_ms", 1000}, {"vol_prior_bps", 0.5}};
    config_text = boost::json::serialize(v);
  }
  std::string config = dir + "/aqueduct.json";
  std::ofstream(config) << config_text;
  testing::ScopedEnv db_env("AQUEDUCT_DATABASE_URL", db.url());
  testing::ScopedEnv key("AQ_TEST_BINANCE_KEY", "k-" + net::random_hex(8));
  testing::ScopedEnv secret("AQ_TEST_BINANCE_SECRET", "s-" + net::random_hex(16));
  zmq::context_t zmq;
  app::Network net(app::parse_config(config_text),
                   app::parse_components(router_in_child ? "sim,connectors,pricer,rfq"
                                                         : "sim,connectors,pricer,rfq,router"),
                   zmq, db.url());
  const std::string child_components = router_in_child ? "hedging,router" : "hedging";
  net.start();
  client.port = net.rfq_port();

  std::vector<testing::Process> procs;
  testing::ProcessGuard guard{procs};
  auto start_hedging = [&](const std::string& crash) -> testing::Process& {
    std::optional<testing::ScopedEnv> armed;
    if (!crash.empty()) armed.emplace("AQ_HEDGING_CRASH_AT", crash);
    procs.push_back(testing::spawn(
        "hedging-" + std::to_string(procs.size()),
        {AQ_BINARY, "run", "--components", child_components, "--config", config}, dir));
    auto& p = procs.back();
    bool live = testing::wait_until(
        [&] { return testing::read_file(p.log).find("hedging: live") != std::string::npos; },
        15'000ms);
    if (!live) MESSAGE(p.name << " log:\n" << testing::read_file(p.log));
    REQUIRE(live);
    return p;
  };

  std::mt19937_64 rng(seed);
  testing::TakerFlow takers{client};
  auto fill = [&] {
    bool buy = rng() % 2 == 0;
    REQUIRE(takers.fill(buy, 1000 + static_cast<int64_t>(rng() % 290) * 100));  // 0.01 .. 0.3 BTC
  };
  auto account = [&] {
    sim::BinanceSim::Account a;
    net.run_on(app::Component::Simulator, [&] { a = net.simulator()->account("BTCUSDT"); });
    return a;
  };
  auto settled = [&] {
    auto a = account();
    // We sold what takers bought: the network's BTC is the account's net minus the takers'.
    return db.scalar("SELECT count(*) FROM fill_intake") == std::to_string(takers.fills) &&
           db.scalar(
               "SELECT count(*) FROM hedge_orders WHERE status NOT IN ('ORDER_FILLED', "
               "'ORDER_EXPIRED', "
               "'ORDER_CANCELED', 'ORDER_REJECTED')") == "0" &&
           std::llabs(a.net_qty - takers.taker_net) < 10 &&
           decimal_units(
               db.scalar(
                   "SELECT qty FROM instrument_positions WHERE instrument = 'binance:BTCUSDT'"),
               5) == a.net_qty;
  };

  const char* points[] = {"fill", "sent", "recorded", "report", "applied", "outcome"};
  int crashed = 0, adopted = 0;
  for (int i = 0; i < 24; ++i) {
    std::string point = points[i % 6];
    int pass = 1 + static_cast<int>(rng() % 3);
    CAPTURE(i);
    CAPTURE(point);
    CAPTURE(pass);
    auto& doomed = start_hedging(point + ":" + std::to_string(pass));
    // "sent" counts only fills whose order went out; with worked hedges a fill often sends
    // none (it waits on a resting order's cancel), so a later pass can take many fills.
    int rc = -2;
    for (int k = 0; k < 30 && rc == -2; ++k) {
      fill();
      rc = testing::wait_exit(doomed, 400ms);
    }
    if (rc != 86) MESSAGE(doomed.name << " log:\n" << testing::read_file(doomed.log));
    if (rc == -2) testing::stop(doomed);  // never two hedging processes at once
    CHECK(rc == 86);  // it stopped at its crash point
    crashed += rc == 86;
    if (rng() % 3 == 0) fill();  // while hedging is down: found in the record at restart

    auto& again = start_hedging("");
    bool ok = testing::wait_until(settled, 20'000ms);
    auto a = account();
    if (!ok) MESSAGE(again.name << " log:\n" << testing::read_file(again.log));
    CHECK(db.scalar("SELECT count(*) FROM fill_intake") == std::to_string(takers.fills));
    CHECK(db.scalar("SELECT count(*) FROM hedge_orders WHERE status NOT IN ('ORDER_FILLED', "
                    "'ORDER_EXPIRED', "
                    "'ORDER_CANCELED', 'ORDER_REJECTED')") == "0");
    CHECK(std::llabs(a.net_qty - takers.taker_net) < 10);  // less than the 0.0001 BTC threshold
    CHECK(
        decimal_units(
            db.scalar("SELECT qty FROM instrument_positions WHERE instrument = 'binance:BTCUSDT'"),
            5) == a.net_qty);
    CHECK(std::llabs(decimal_units(db.scalar("SELECT net_qty FROM positions WHERE asset = 'BTC'"),
                                   8)) < 10'000);
    // Every order the venue executed is in the record, once.
    std::string ids;
    for (const auto& [id, _] : a.executed) ids += (ids.empty() ? "'" : ",'") + id + "'";
    CHECK(db.scalar("SELECT count(*) FROM hedge_orders WHERE hedge_id IN (" + ids + ")") ==
          std::to_string(a.executed.size()));
    adopted += testing::read_file(again.log).find("): adopted") != std::string::npos;
    CHECK(testing::stop(again) == 0);
  }
  MESSAGE(crashed << " crashes at seeded points, " << takers.fills << " fills, " << adopted
                  << " restarts adopted an order found only at the venue");
  CHECK(crashed == 24);
  if (!worked)
    CHECK(adopted >= 2);  // each of the 4 "sent" points leaves an order only the venue knows
  else
    CHECK(std::stoi(db.scalar("SELECT count(*) FROM hedge_orders WHERE post_only")) >= 10);
  net.stop();
}

}  // namespace

TEST_CASE(
    "hedging and the router on one loop, killed at 24 seeded points of a hedge: after each restart "
    "every fill is "
    "hedged once") {
  kill_and_restart(true, 20261123);
}

TEST_CASE(
    "hedging alone, killed at 24 seeded points of a hedge (router in another process): after each "
    "restart every fill "
    "is hedged once") {
  kill_and_restart(false, 20261122);
}

TEST_CASE(
    "worked hedges (post-only, resting at the venue), hedging and the router killed at 24 seeded "
    "points: after each restart every fill is hedged once and positions match the venue") {
  kill_and_restart(true, 20261124, true);
}
