// The whole network in one process over inproc endpoints, against the simulator over real
// loopback sockets and a real PostgreSQL database.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/bus/bus.hpp"
#include "aqueduct/hedging/hedging_service.hpp"
#include "aqueduct/net/http_server.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/testing/bus_tap.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/loop_thread.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/taker_flow.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

using Client = testing::NativeClient;

json::object obj(const testing::Reply& r) { return json::parse(r.body).as_object(); }

// Quotes until the books are live (they sync a few hundred ms after start).
testing::Reply quote_when_ready(const Client& c, const std::string& body) {
  testing::Reply r;
  testing::wait_until([&] {
    r = c.post("/v1/quote", body);
    return r.status == 200;
  }, 10'000ms);
  return r;
}

}  // namespace

TEST_CASE("quote -> accept -> durable fill -> hedge on the simulator -> flat position") {
  testing::TestDatabase db;
  auto key = testing::add_native_client(db.url(), "taker-1");
  setenv("AQ_TEST_BINANCE_KEY", "k-inproc", 1);
  setenv("AQ_TEST_BINANCE_SECRET", "s-inproc", 1);
  zmq::context_t zmq;
  app::Network net(app::parse_config(testing::network_config_json()), {app::parse_components("all")}, zmq, db.url());
  net.start();
  Client c{net.rfq_port(), key};
  CHECK(db.scalar("SELECT count(*) FROM listings") == "2");
  CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'listing.set'") == "2");
  CHECK(db.scalar("SELECT config->>'max_qty' FROM listings WHERE name = 'BTC-USDT'") == "5.00000");

  // Tap the execution reports to measure fill-acknowledged -> hedge-executed latency.
  std::map<std::string, int64_t> exec_at;  // hedge id -> mono ns when its report was seen
  testing::BusTap tap(zmq, net.config().endpoints.router_pub, bus::topic::kExecution,
                      [&](std::string_view, const bus::Envelope& e, int64_t at) {
                        if (e.has_execution()) exec_at[e.execution().hedge_id()] = at;
                      });
  auto& m = tap.mutex;

  auto q = quote_when_ready(c, R"({"listing":"BTC-USDT","side":"buy","qty":"0.25"})");
  REQUIRE(q.status == 200);
  auto qo = obj(q);
  CHECK(qo["listing"].as_string() == "BTC-USDT");
  CHECK(qo["qty"].as_string() == "0.25000");
  auto price = Decimal::parse(qo["price"].as_string(), 2);
  REQUIRE(price);
  CHECK(price->units > 2'000'000);  // around 30000.00 on the simulator
  CHECK(qo["expires_at_ms"].as_int64() > wall_now_ns() / 1'000'000);
  CHECK(qo["breakdown"].as_object()["hedge_venue"].as_string() == "binance:BTCUSDT");
  {
    // Every term is reported and they add up to the price exactly (taker buys: + terms).
    const auto& b = qo["breakdown"].as_object();
    auto units = [&](const char* k) {
      auto d = Decimal::parse(b.at(k).as_string(), 6);
      REQUIRE_MESSAGE(d, k);
      return d->units;
    };
    int64_t sum = units("hedge_vwap") + units("fee") + units("spread") + units("vol_spread") + units("impact_spread") +
                  units("markup") + units("inventory_skew") + units("rounding");
    CHECK(sum == price->units * 10'000);
    CHECK(units("fair_value") > 0);
    CHECK(units("spread") > 0);
    CHECK(b.at("tier").as_string() == "standard");
    CHECK(b.at("live_venues").as_int64() == 1);
    REQUIRE(b.at("venues").as_array().size() == 1);
    // Quotes are written behind the answer (batched), so the row arrives shortly after.
    std::string sql = "SELECT breakdown->>'fair_value' FROM quotes WHERE quote_id = '" +
                      std::string(qo["quote_id"].as_string()) + "'";
    CHECK(testing::wait_until([&] { return db.scalar(sql) == std::string(b.at("fair_value").as_string()); }, 2000ms));
  }
  std::string quote_id(qo["quote_id"].as_string());
  CHECK(db.scalar("SELECT status FROM quotes WHERE quote_id = '" + quote_id + "'") == "live");

  int64_t t0 = mono_now_ns();
  auto a = c.post("/v1/accept", R"({"quote_id":")" + quote_id + R"("})");
  REQUIRE(a.status == 200);
  auto ao = obj(a);
  std::string fill_id(ao["fill_id"].as_string());
  // Durable before acknowledged: the row is there the moment the reply is.
  CHECK(db.scalar("SELECT count(*) FROM fills WHERE fill_id = '" + fill_id + "'") == "1");
  CHECK(db.scalar("SELECT qty FROM fills WHERE fill_id = '" + fill_id + "'") == "0.25000");
  CHECK(db.scalar("SELECT status FROM quotes WHERE quote_id = '" + quote_id + "'") == "filled");

  // The hedge executes on the simulator and the position returns within one lot of zero.
  REQUIRE(testing::wait_until([&] {
    return db.scalar("SELECT count(*) FROM executions WHERE status = 'ORDER_FILLED'") == "1";
  }, 5000ms));
  REQUIRE(testing::wait_until([&] {
    auto net_qty = db.scalar("SELECT net_qty FROM positions WHERE asset = 'BTC'");
    return !net_qty.empty() && std::llabs(Decimal::parse_natural(net_qty)->rescaled(8, Rounding::Exact).units) <= 1000;
  }, 5000ms));
  CHECK(db.scalar("SELECT side || ' ' || qty FROM hedge_orders") == "buy 0.25000");
  CHECK(db.scalar("SELECT sum(qty) FROM venue_trades") == "0.25000");
  int64_t first_latency;
  {
    std::lock_guard l(m);
    REQUIRE(exec_at.size() == 1);
    first_latency = exec_at.begin()->second - t0;
  }
  MESSAGE("accept sent -> hedge executed: " << first_latency / 1000 << " us");
  CHECK(first_latency < 2'000'000'000);
  // The pricer marks the fill against the fair value 1 s later and records it.
  CHECK(testing::wait_until([&] {
    return db.scalar("SELECT count(*) FROM markouts WHERE fill_id = '" + fill_id + "' AND horizon_ms = 1000") == "1";
  }, 5000ms));
  CHECK(db.scalar("SELECT client_id || ' ' || listing || ' ' || fill_price FROM markouts WHERE fill_id = '" + fill_id + "'") ==
        "taker-1 BTC-USDT " + Decimal{price->units, 2}.to_trimmed_string());
  CHECK(db.scalar("SELECT abs(bps) < 100 FROM markouts WHERE fill_id = '" + fill_id + "'") == "t");

  SUBCASE("latency over twenty round trips") {
    std::vector<int64_t> samples;
    for (int i = 0; i < 20; ++i) {
      auto qq = c.post("/v1/quote", std::string(R"({"listing":"BTC-USDT","side":")") +
                                        (i % 2 ? "buy" : "sell") + R"(","qty":"0.01"})");
      REQUIRE(qq.status == 200);
      size_t before;
      {
        std::lock_guard l(m);
        before = exec_at.size();
      }
      int64_t start = mono_now_ns();
      REQUIRE(c.post("/v1/accept", R"({"quote_id":")" + std::string(obj(qq)["quote_id"].as_string()) + R"("})").status == 200);
      REQUIRE(testing::wait_until([&] {
        std::lock_guard l(m);
        return exec_at.size() > before;
      }, 5000ms));
      std::lock_guard l(m);
      int64_t latest = 0;
      for (auto& [_, t] : exec_at) latest = std::max(latest, t);
      samples.push_back(latest - start);
    }
    std::sort(samples.begin(), samples.end());
    MESSAGE("accept -> hedge executed over 20 trades: p50 " << samples[10] / 1000 << " us, max "
                                                           << samples.back() / 1000 << " us");
    REQUIRE(testing::wait_until([&] {
      auto net_qty = db.scalar("SELECT net_qty FROM positions WHERE asset = 'BTC'");
      return std::llabs(Decimal::parse_natural(net_qty)->rescaled(8, Rounding::Exact).units) <= 1000;
    }, 5000ms));
    CHECK(db.scalar("SELECT count(*) FROM fills") == "21");
  }

  SUBCASE("bad requests get specific errors and record nothing") {
    auto fills_before = db.scalar("SELECT count(*) FROM fills");
    auto quotes_before = db.scalar("SELECT count(*) FROM quotes");
    struct Case { std::string method, path, body; int status; std::string code; bool auth = true; };
    std::vector<Case> cases = {
        {"POST", "/v1/accept", R"({"quote_id":"q_nope"})", 404, "unknown_quote"},
        {"POST", "/v1/accept", R"({"quote_id":")" + quote_id + R"("})", 409, "quote_already_filled"},
        {"POST", "/v1/accept", "not json", 400, "malformed_request"},
        {"POST", "/v1/accept", R"({"quote_id":42})", 400, "malformed_request"},
        {"POST", "/v1/quote", R"({"listing":"DOGE-USDT","side":"buy","qty":"1"})", 422, "unknown_listing"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"long","qty":"1"})", 400, "bad_side"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0"})", 400, "bad_qty"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"-1"})", 400, "bad_qty"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.000001"})", 400, "bad_qty"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"1e3"})", 400, "bad_qty"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":1})", 400, "malformed_request"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"99999999999999999999"})", 400, "bad_qty"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"6"})", 422, "size_too_large"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.00001"})", 422, "size_too_small"},
        {"POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"1"})", 401, "unauthorized", false},
        {"GET", "/v1/quote", "", 405, "method_not_allowed"},
        {"GET", "/v1/price?listing=BTC-USDT&side=buy", "", 400, "malformed_request"},
        {"GET", "/v1/nothing", "", 404, "not_found"},
    };
    for (const auto& k : cases) {
      CAPTURE(k.path);
      CAPTURE(k.body);
      auto r = k.auth ? (k.method == "GET" ? c.get(k.path) : c.post(k.path, k.body))
                      : Client{c.port, {c.creds.key_id, "as_wrong"}}.call(k.method, k.path, k.body);
      CHECK(r.status == k.status);
      CHECK(obj(r)["error"].as_string() == k.code);
      CHECK_FALSE(obj(r)["message"].as_string().empty());
    }
    CHECK(db.scalar("SELECT count(*) FROM fills") == fills_before);
    CHECK(db.scalar("SELECT count(*) FROM quotes") == quotes_before);

    // An expired quote (ETH-USDT quotes live 300 ms) cannot be filled.
    auto eq = quote_when_ready(c, R"({"listing":"ETH-USDT","side":"sell","qty":"0.5"})");
    REQUIRE(eq.status == 200);
    std::this_thread::sleep_for(350ms);
    auto late = c.post("/v1/accept", R"({"quote_id":")" + std::string(obj(eq)["quote_id"].as_string()) + R"("})");
    CHECK(late.status == 410);
    CHECK(obj(late)["error"].as_string() == "quote_expired");
    CHECK(db.scalar("SELECT count(*) FROM fills") == fills_before);
  }

  SUBCASE("indicative prices need no quote and record nothing") {
    auto quotes_before = db.scalar("SELECT count(*) FROM quotes");
    auto p = c.get("/v1/price?listing=BTC-USDT&side=sell&qty=0.5");
    REQUIRE(p.status == 200);
    CHECK(obj(p)["indicative"].as_bool());
    CHECK(db.scalar("SELECT count(*) FROM quotes") == quotes_before);
    CHECK(testing::http_call(c.port, "GET", "/health").status == 200);

    // The ladder: twenty sizes up to the listing's maximum, cumulative and incremental.
    auto lv = c.get("/v1/levels?listing=BTC-USDT");
    REQUIRE(lv.status == 200);
    auto lo = obj(lv);
    double fair = std::stod(std::string(lo["fair_value"].as_string()));
    for (const char* side : {"asks", "bids"}) {
      CAPTURE(side);
      const auto& cum = lo[side].as_array();
      const auto& inc = lo[std::string(side) == "asks" ? "ask_levels" : "bid_levels"].as_array();
      REQUIRE(cum.size() >= 10);
      REQUIRE(inc.size() == cum.size());
      double notional = 0, qty = 0;
      for (size_t i = 0; i < cum.size(); ++i) {
        double iq = std::stod(std::string(inc[i].as_object().at("q").as_string()));
        double ip = std::stod(std::string(inc[i].as_object().at("p").as_string()));
        notional += iq * ip;
        qty += iq;
        double cq = std::stod(std::string(cum[i].as_object().at("qty").as_string()));
        double cp = std::stod(std::string(cum[i].as_object().at("price").as_string()));
        CHECK(std::abs(qty - cq) < 1e-9);
        CHECK(std::abs(notional / qty - cp) / cp * 1e4 < 0.1);  // walking the increments gives the price
        if (std::string(side) == "asks") CHECK(cp >= fair);
        else CHECK(cp <= fair);
      }
    }
    CHECK(c.get("/v1/levels?listing=DOGE-USDT").status == 422);
    CHECK(c.get("/v1/levels").status == 400);
    CHECK(db.scalar("SELECT count(*) FROM quotes") == quotes_before);
  }

  SUBCASE("a stale venue stops quoting with a specific reason") {
    net.simulator()->set_silent("BTCUSDT", true);
    testing::Reply r;
    REQUIRE(testing::wait_until([&] {
      r = c.post("/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})");
      return r.status == 503;
    }, 3000ms));
    auto code = std::string(obj(r)["error"].as_string());
    CHECK((code == "no_live_book" || code == "stale_book"));
    net.simulator()->set_silent("BTCUSDT", false);
    CHECK(quote_when_ready(c, R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})").status == 200);
  }

  SUBCASE("a fill committed without a bus message is hedged from the record, once") {
    // As if rfq committed the fill and then its bus message was lost: 1.5 ETH at 2000.00.
    testing::record_fill_directly(db.url(), *net.config().universe.listing("ETH-USDT"), "f_lost", "taker-1", Side::Buy,
                                  200000, 15000);
    REQUIRE(testing::wait_until([&] {
      return db.scalar("SELECT count(*) FROM fill_intake WHERE fill_id = 'f_lost'") == "1";
    }, 3000ms));
    REQUIRE(testing::wait_until([&] {
      return db.scalar("SELECT count(*) FROM hedge_orders WHERE symbol = 'ETHUSDT' AND status = 'ORDER_FILLED'") == "1";
    }, 5000ms));
    CHECK(db.scalar("SELECT side || ' ' || qty FROM hedge_orders WHERE symbol = 'ETHUSDT'") == "buy 1.5000");
    CHECK(db.scalar("SELECT net_qty FROM positions WHERE asset = 'ETH'") == "0.00000000");
  }

  SUBCASE("after a restart nothing is hedged twice") {
    tap.stop();
    net.stop();
    auto hedge_count = db.scalar("SELECT count(*) FROM hedge_orders");
    auto position = db.scalar("SELECT net_qty FROM positions WHERE asset = 'BTC'");
    app::Network again(app::parse_config(testing::network_config_json()), app::parse_components("all"), zmq, db.url());
    again.start();
    std::this_thread::sleep_for(1500ms);  // three sweeps
    CHECK(db.scalar("SELECT count(*) FROM hedge_orders") == hedge_count);
    CHECK(db.scalar("SELECT net_qty FROM positions WHERE asset = 'BTC'") == position);
    again.stop();
    return;
  }

  tap.stop();
  net.stop();
}

TEST_CASE("risk limits act: a position beyond its limit trips REDUCING, audited; the hedge that reduces it goes out") {
  testing::TestDatabase db;
  auto key = testing::add_native_client(db.url(), "taker-risk");
  setenv("AQ_TEST_BINANCE_KEY", "k-risk", 1);
  setenv("AQ_TEST_BINANCE_SECRET", "s-risk", 1);
  // The operator's alert webhook: a receiver on loopback that keeps what it is sent.
  testing::LoopThread hook_loop;
  std::mutex hook_mutex;
  std::vector<json::object> alerts;
  net::HttpServer hook(hook_loop.io, {"127.0.0.1", 0}, [&](const net::HttpRequest& req, net::HttpServer::Respond respond) {
    {
      std::lock_guard l(hook_mutex);
      if (req.target() == "/alerts/risk") alerts.push_back(json::parse(req.body()).as_object());
    }
    respond(net::HttpResponse{boost::beast::http::status::no_content, 11});
  });
  hook_loop.call([&] { hook.start(); });
  auto cfg = json::parse(testing::network_config_json());
  cfg.as_object()["hedging"] = json::parse(
      R"({"retry_after_empty_ms": 100, "risk": {"max_position": {"BTC": "0.1"}, "max_drawdown_usd": "1000000"},
          "alert_webhook": "http://127.0.0.1:)" + std::to_string(hook.port()) + R"(/alerts/risk",
          "metrics": {"port": 0}})");
  zmq::context_t zmq;
  app::Network net(app::parse_config(json::serialize(cfg)), {app::parse_components("all")}, zmq, db.url());
  net.start();
  Client c{net.rfq_port(), key};
  auto q = quote_when_ready(c, R"({"listing":"BTC-USDT","side":"buy","qty":"0.25"})");
  REQUIRE(q.status == 200);
  REQUIRE(c.post("/v1/accept", R"({"quote_id":")" + std::string(obj(q)["quote_id"].as_string()) + R"("})").status ==
          200);
  // Short 0.25 BTC against a limit of 0.1: the asset trips to REDUCING, once, with the numbers.
  REQUIRE(testing::wait_until([&] { return db.scalar("SELECT count(*) FROM audit_log WHERE action = 'risk.trip'") == "1"; },
                              5000ms));
  CHECK(db.scalar("SELECT subject || ' ' || (detail->>'state') FROM audit_log WHERE action = 'risk.trip'") ==
        "asset BTC REDUCING");
  CHECK(db.scalar("SELECT detail->>'why' FROM audit_log WHERE action = 'risk.trip'") ==
        "exposure -0.25 BTC is beyond the limit of 0.1");
  // Buying back reduces the exposure, so the hedge is allowed and the book ends flat.
  REQUIRE(testing::wait_until([&] {
    return db.scalar("SELECT count(*) FROM executions WHERE status = 'ORDER_FILLED'") == "1";
  }, 5000ms));
  CHECK(db.scalar("SELECT side || ' ' || qty FROM hedge_orders") == "buy 0.25000");
  CHECK(net.hedging()->risk().asset_state("BTC") == hedging::TradingState::Reducing);
  CHECK(net.hedging()->risk_trips() == 1);
  // The instrument position and the inventory it offsets are recorded apart.
  CHECK(db.scalar("SELECT qty FROM instrument_positions WHERE instrument = 'binance:BTCUSDT'") == "0.25000");
  CHECK(db.scalar("SELECT qty FROM inventory WHERE asset = 'BTC'") == "-0.25000000");

  // The operator re-arms it over hedging's control socket: a scope that is not tripped is
  // refused by name; the tripped one, now back within its limit, returns to ACTIVE, audited.
  auto control = [&](const std::string& scope) {
    boost::asio::io_context io;
    std::optional<aqueduct::msg::HedgingControlReply> reply;
    bus::RpcClient rpc(io, zmq, net.config().endpoints.hedging_rpc, "test-operator", [&](const bus::Envelope& e) {
      if (e.has_hedging_control_reply()) reply = e.hedging_control_reply();
      io.stop();
    });
    rpc.start();
    bus::Envelope req;
    req.mutable_hedging_control()->set_actor("risk-desk");
    req.mutable_hedging_control()->set_rearm(scope);
    REQUIRE(rpc.send(req));
    io.run_for(std::chrono::seconds(3));
    REQUIRE(reply);
    return *reply;
  };
  auto status = control("");
  CHECK(status.ok());
  CHECK(status.detail().find("asset BTC: REDUCING (exposure -0.25 BTC is beyond the limit of 0.1)") != std::string::npos);
  auto wrong = control("asset ETH");
  CHECK_FALSE(wrong.ok());
  CHECK(wrong.detail().find("'asset ETH' is not tripped") != std::string::npos);
  auto rearmed = control("asset BTC");
  CHECK(rearmed.ok());
  CHECK(rearmed.detail().find("asset BTC re-armed: ACTIVE") != std::string::npos);
  CHECK(testing::wait_until([&] { return net.hedging()->risk().asset_state("BTC") == hedging::TradingState::Active; }, 2000ms));
  CHECK(db.scalar("SELECT actor || ' ' || subject || ' ' || (detail->>'state') FROM audit_log WHERE action = 'risk.rearm'") ==
        "risk-desk asset BTC ACTIVE");
  // Both reached the webhook, in order, with their numbers.
  REQUIRE(testing::wait_until([&] {
    std::lock_guard l(hook_mutex);
    return alerts.size() == 2;
  }, 3000ms));
  {
    std::lock_guard l(hook_mutex);
    CHECK(alerts[0]["event"].as_string() == "risk.trip");
    CHECK(alerts[0]["scope"].as_string() == "asset BTC");
    CHECK(alerts[0]["state"].as_string() == "REDUCING");
    CHECK(alerts[0]["why"].as_string() == "exposure -0.25 BTC is beyond the limit of 0.1");
    CHECK(alerts[1]["event"].as_string() == "risk.rearm");
    CHECK(alerts[1]["why"].as_string() == "re-armed by risk-desk");
  }
  CHECK(net.hedging()->alerts_sent() == 2);

  // The same story in hedging's metrics (Prometheus text, on loopback).
  auto scrape = testing::http_call(net.hedging()->metrics_port(), "GET", "/metrics");
  REQUIRE(scrape.status == 200);
  const auto& text = scrape.body;
  INFO(text);
  auto has = [&](const std::string& line) { return text.find("\n" + line + "\n") != std::string::npos; };
  CHECK(has("aqueduct_hedging_fills_total 1"));
  CHECK(has("aqueduct_hedging_risk_trips_total 1"));
  CHECK(has("aqueduct_hedging_alerts_total{result=\"sent\"} 2"));
  CHECK(has("aqueduct_hedging_outcomes_total{status=\"ORDER_FILLED\"} 1"));
  CHECK(has("aqueduct_hedging_in_flight 0"));
  CHECK(has("aqueduct_hedging_exposure_base{asset=\"BTC\"} 0"));
  CHECK(text.find("aqueduct_hedging_tripped{") == std::string::npos);  // re-armed: nothing tripped
  CHECK(text.find("# TYPE aqueduct_hedging_fill_to_order_seconds histogram") != std::string::npos);
  // One order in all, fast or recorded; a fast one is timed in the histogram.
  auto count_of = [&](const std::string& name) {
    auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(text.substr(at + name.size() + 2));
  };
  auto fast = count_of("aqueduct_hedging_orders_total{path=\"fast\"}");
  auto recorded = count_of("aqueduct_hedging_orders_total{path=\"recorded\"}");
  CHECK(fast + recorded == 1);
  CHECK(count_of("aqueduct_hedging_fill_to_order_seconds_count") == fast);
  CHECK(testing::http_call(net.hedging()->metrics_port(), "GET", "/other").status == 404);
  net.stop();
}
