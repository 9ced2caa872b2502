// Hedging stopped and started again while the rest of the network runs on. The network runs
// in this process with hedging in a Network of its own over ipc, so that hedging alone can stop
// and start. BTC hedges on the Binance USD-M perpetual only.
//
// Funding: the simulator settles every 2 s. Hedging holds a long perp position, books
// settlements live, stops for about 5 s (two or three settlements announced to nobody), and
// starts again: it asks the venue's funding history for what it missed and books each
// settlement on the position it held through the gap. The settlements recorded are then one
// per interval, with none missing and none twice, each at −base × USD price × rate.
//
// Accounts: a hedging process that starts has no venue account read to size perp legs with,
// and asks the router for one at once instead of waiting for the router's timer.
//
// One hedger per database: a second start is refused, naming the first; a first whose
// database connection is cut takes the lock again on its new connection, or, if another
// session has it by then, hedges nothing more and leaves new fills in the record.
#include <doctest/doctest.h>

#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/hedging/sole_hedger_lock.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/process.hpp"
#include "aqueduct/testing/taker_flow.hpp"
#include "aqueduct/testing/temp_dir.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {
int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Everything but hedging, running in this process over ipc; hedging is started (and
// stopped) by each test as a Network of its own with `config`. `tweak` edits the config:
// BTC hedging on the Binance USD-M perp only, 100,000 USDT in its account.
struct RestOfNetwork {
  RestOfNetwork(const std::string& tag, const std::function<void(json::object&)>& tweak)
      : client{0, testing::add_native_client(db.url(), "taker-" + tag)},
        dir("aq-" + tag),
        config(make_config(tweak)),
        k1("AQ_TEST_BINANCE_KEY", "k-" + tag),
        s1("AQ_TEST_BINANCE_SECRET", "s-" + tag),
        k2("AQ_TEST_USDM_KEY", "k-" + tag + "-usdm"),
        s2("AQ_TEST_USDM_SECRET", "s-" + tag + "-usdm"),
        rest(config, app::parse_components("sim,connectors,pricer,rfq,router"), zmq, db.url()) {
    rest.start();
    client.port = rest.rfq_port();
  }
  ~RestOfNetwork() { rest.stop(); }
  std::unique_ptr<app::Network> start_hedging() {
    auto h =
        std::make_unique<app::Network>(config, app::parse_components("hedging"), zmq, db.url());
    h->start();
    return h;
  }

  testing::TestDatabase db;
  testing::NativeClient client;
  testing::TempDir dir;  // the bus's ipc sockets
  app::AppConfig config;
  testing::ScopedEnv k1, s1, k2, s2;
  zmq::context_t zmq;
  app::Network rest;

 private:
  app::AppConfig make_config(const std::function<void(json::object&)>& tweak) {
    auto v = json::parse(testing::with_usdm_perp(
        testing::network_config_json(R"({"transport":"ipc","ipc_dir":")" + dir.str() + R"("})", 0,
                                     0),
        "100000", {"binance_usdm:BTCUSDT"}));
    tweak(v.as_object());
    return app::parse_config(json::serialize(v));
  }
};
}  // namespace

TEST_CASE("funding settled while hedging was down is booked from the venue's history at restart") {
  RestOfNetwork net("fgap",
                    [](json::object& c) { c["simulator"].as_object()["funding_interval_s"] = 2; });
  auto& db = net.db;
  auto& client = net.client;
  auto hedging = net.start_hedging();

  // Takers buy 0.05 BTC: hedging buys 0.050 on the perp, and holds it.
  testing::TakerFlow takers{client};
  REQUIRE(takers.fill(true, 5000));
  auto perp_qty = [&] {
    return db.scalar(
        "SELECT qty::text FROM instrument_positions WHERE instrument = "
        "'binance_usdm:BTCUSDT'");
  };
  REQUIRE(
      testing::wait_until([&] { return testing::decimal_units(perp_qty(), 3) == 50; }, 15'000ms));
  auto booked = [&] { return std::stoi(db.scalar("SELECT count(*) FROM funding_payments")); };
  REQUIRE(testing::wait_until([&] { return booked() >= 1; }, 6000ms));  // booked live

  hedging->stop();
  hedging.reset();
  int64_t down_ms = now_ms();
  std::this_thread::sleep_for(5000ms);  // two or three settlements pass
  int64_t up_ms = now_ms();
  hedging = net.start_hedging();

  auto in_gap = "SELECT count(*) FROM funding_payments WHERE settled_at > to_timestamp(" +
                std::to_string(down_ms) + " / 1000.0) AND settled_at < to_timestamp(" +
                std::to_string(up_ms) + " / 1000.0)";
  CHECK(testing::wait_until([&] { return std::stoi(db.scalar(in_gap)) >= 2; }, 15'000ms));
  // Booked on the position held through the gap, attributed to no fill (none was open then),
  // each at −base × USD price × rate: a long paying a positive rate.
  CHECK(db.scalar(in_gap + " AND fill_id IS NULL AND position_qty = 0.050 AND amount_usd < 0") ==
        db.scalar(in_gap));
  CHECK(db.scalar("SELECT count(*) FROM funding_payments WHERE amount_usd <> "
                  "round(-position_base * base_usd * rate, 8)") == "0");
  // One settlement per 2 s interval from the first booked to the last: none missing (the
  // gap's included), none twice.
  std::this_thread::sleep_for(2500ms);  // one more, booked live again after the restart
  CHECK(
      db.scalar(
          "SELECT count(*) = round(extract(epoch FROM max(settled_at) - min(settled_at)) / 2) + 1 "
          "FROM funding_payments") == "t");
  CHECK(db.scalar("SELECT count(*) FROM funding_payments WHERE settled_at > to_timestamp(" +
                  std::to_string(up_ms) + " / 1000.0)") != "0");
  MESSAGE("funding settlements booked: " << booked() << ", in the gap: " << db.scalar(in_gap));
  hedging->stop();
}

TEST_CASE("a hedging process that starts asks the router to read the venues' accounts at once") {
  // The router reads accounts every 60 s here. Hedging sizes perp legs from those reads and
  // has none when it starts again; unless it asks, BTC (hedged on the perp only) would wait up
  // to a minute for its hedge.
  RestOfNetwork net("acct", [](json::object& c) {
    c["router"] = json::object{{"account_interval_ms", 60'000}};
  });
  auto& db = net.db;
  auto& client = net.client;
  testing::TakerFlow takers{client};
  auto perp_filled = [&] {
    return db.scalar(
        "SELECT count(*) FROM hedge_orders WHERE venue = 'binance_usdm' AND status = "
        "'ORDER_FILLED'");
  };
  for (int run = 1; run <= 2; ++run) {
    CAPTURE(run);
    // Either start comes long before the router's next timed read (its first was at its own
    // start, before this hedging listened).
    auto hedging = net.start_hedging();
    REQUIRE(takers.fill(true, 3000));  // each adds perp notional: margin it must read
    CHECK(testing::wait_until([&] { return perp_filled() == std::to_string(run); }, 5000ms));
    hedging->stop();
  }
}

TEST_CASE(
    "one hedging process per database: a second is refused naming the first; a renewed "
    "connection takes the lock again; a process that lost it hedges nothing more") {
  RestOfNetwork net("lock", [](json::object& c) {
    c["hedging"].as_object()["metrics"] = json::object{{"port", 0}};
  });
  auto& db = net.db;
  testing::TakerFlow takers{net.client};
  auto first = net.start_hedging();
  auto metric = [&](const std::string& name) {
    auto text = testing::http_call(first->hedging()->metrics_port(), "GET", "/metrics").body;
    auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return std::string("absent");
    at += name.size() + 2;
    return text.substr(at, text.find('\n', at) - at);
  };
  auto perp_filled = [&] {
    return db.scalar(
        "SELECT count(*) FROM hedge_orders WHERE venue = 'binance_usdm' AND status = "
        "'ORDER_FILLED'");
  };
  // The first's session, by the name it gives itself.
  auto first_backend = [&] {
    return db.scalar(
        "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name LIKE 'aqueduct hedging pid %'");
  };

  // A second hedging process on the same database is refused at start, naming the first
  // (both run in this process here), after waiting out the lock's grace.
  std::string named = "another hedging process is hedging this database: 'aqueduct hedging pid " +
                      std::to_string(::getpid()) + " on ";
  CHECK_THROWS_WITH_AS(net.start_hedging(), doctest::Contains(named.c_str()),
                       hedging::HedgerLockHeld);
  REQUIRE(takers.fill(true, 3000));  // the first hedges on
  REQUIRE(testing::wait_until([&] { return perp_filled() == "1"; }, 5000ms));

  // Its connection is cut (a database restart, a proxy): the next sweep reconnects, finds
  // the lock free, and takes it again.
  std::string old_backend = first_backend();
  REQUIRE(old_backend != "0");
  db.scalar("SELECT pg_terminate_backend(" + old_backend + ")::text");
  CHECK(testing::wait_until([&] { return metric("aqueduct_hedging_db_lock_retaken_total") == "1"; },
                            5000ms));
  CHECK(first_backend() != old_backend);
  CHECK(first_backend() != "0");
  CHECK(metric("aqueduct_hedging_db_lock_lost") == "0");
  REQUIRE(takers.fill(true, 3000));
  CHECK(testing::wait_until([&] { return perp_filled() == "2"; }, 5000ms));

  // Cut again, and another session takes the lock before it is back (as a second hedging
  // process started meanwhile would): the first finds it gone and stops hedging.
  pqxx::connection other(db.url());
  pqxx::nontransaction t(other);
  t.exec("SELECT pg_terminate_backend(" + first_backend() + ")");
  t.exec_params("SELECT pg_advisory_lock($1, $2)", hedging::SoleHedgerLock::kClass,
                hedging::SoleHedgerLock::kObject);  // granted once that backend has gone
  CHECK(
      testing::wait_until([&] { return metric("aqueduct_hedging_db_lock_lost") == "1"; }, 5000ms));
  REQUIRE(takers.fill(true, 3000));
  std::this_thread::sleep_for(1500ms);  // time enough to hedge it, were it hedging
  CHECK(perp_filled() == "2");
  // The fill stays unclaimed in the record, for whoever holds the lock.
  CHECK(db.scalar("SELECT count(*) FROM fills f LEFT JOIN fill_intake i USING (fill_id) "
                  "WHERE i.fill_id IS NULL") == "1");
  first->stop();
}
