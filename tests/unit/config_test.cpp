#include <doctest/doctest.h>

#include <map>

#include "aqueduct/app/config.hpp"
#include "aqueduct/testing/network_config.hpp"

using namespace aq;

TEST_CASE("the test network configuration parses into instruments and listings") {
  auto c = app::parse_config(testing::network_config_json());
  REQUIRE(c.universe.instruments.size() == 2);
  const auto* btc = c.universe.instrument("binance:BTCUSDT");
  REQUIRE(btc);
  CHECK(btc->tick == 1);
  CHECK(btc->lot == 1);
  CHECK(btc->min_qty == 10);
  CHECK(btc->taker_fee_ppm == 1000);
  const auto* l = c.universe.listing("BTC-USDT");
  REQUIRE(l);
  CHECK(l->spread_ppm == 500);
  CHECK(l->max_qty == 500'000);
  CHECK(l->hedge_instruments == std::vector<std::string>{"binance:BTCUSDT"});
  CHECK(c.sim_instruments.size() == 2);
  CHECK(c.endpoints.router_rpc == "inproc://router.rpc");
}

TEST_CASE("bus endpoints: ipc under one directory, or each socket placed explicitly (tcp across hosts)") {
  auto ipc = app::parse_config(testing::network_config_json(R"({"transport":"ipc","ipc_dir":"/run/aq"})"));
  CHECK(ipc.endpoints.pricer_rpc == "ipc:///run/aq/pricer.rpc");
  auto tcp = app::parse_config(testing::network_config_json(
      R"({"transport":"custom","endpoints":{"connectors_pub":"tcp://10.0.0.5:7001","pricer_rpc":"tcp://10.0.0.6:7002"}})"));
  CHECK(tcp.endpoints.connectors_pub == "tcp://10.0.0.5:7001");
  CHECK(tcp.endpoints.pricer_rpc == "tcp://10.0.0.6:7002");
  CHECK(tcp.endpoints.rfq_pub == "inproc://rfq.pub");
}

TEST_CASE("configuration errors name the field and what is allowed") {
  struct Case { std::string bus; const char* says; };
  Case cases[] = {
      {R"({"transport":"carrier-pigeon"})", "not one of inproc, ipc, custom"},
      {R"({"transport":"custom","endpoints":{"pricer_rpc":"http://x"}})", "must start with inproc://, ipc:// or tcp://"},
      {R"({"transport":"custom","endpoints":{"nope":"tcp://a:1"}})", "unknown socket"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bus);
    CHECK_THROWS_WITH(app::parse_config(testing::network_config_json(c.bus)), doctest::Contains(c.says));
  }
  auto bad_tick = testing::network_config_json();
  bad_tick.replace(bad_tick.find(R"("tick": "0.01")"), 14, R"("tick": "0.001")");
  CHECK_THROWS_WITH(app::parse_config(bad_tick, "cfg.json"),
                    doctest::Contains("cfg.json: instruments[0].tick: '0.001' more decimal places than allowed"));
  CHECK_THROWS_WITH(app::parse_config("{", "cfg.json"), doctest::Contains("not valid JSON"));
}

TEST_CASE("the shipped configuration: six simulated venues, their protocols, a shared reference path") {
  auto c = app::load_config(std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json");
  std::map<std::string, std::string> protocols;
  for (const auto& v : c.venues) protocols[v.name] = v.protocol;
  CHECK(protocols == std::map<std::string, std::string>{{"binance", "binance_spot"}, {"binance_usdm", "binance_usdm"},
                                                        {"okx", "okx"}, {"bybit", "bybit"}, {"bitmex", "bitmex"},
                                                        {"coinbase", "coinbase"}});
  CHECK(c.venue("okx")->sim_lag_ms == 150);
  CHECK(c.venue("okx")->api_key_env == "AQ_OKX_API_KEY");
  REQUIRE(c.sim_assets.size() == 2);
  CHECK(c.sim_correlation == doctest::Approx(0.8));
  const auto* xbt = c.universe.instrument("bitmex", "XBTUSD");
  REQUIRE(xbt);
  CHECK(xbt->kind == InstrumentKind::Inverse);
  CHECK(xbt->multiplier.units == -100000000);
  CHECK(c.universe.instrument("okx", "BTC-USDT-SWAP")->multiplier.to_string() == "0.01");
}

TEST_CASE("venue protocol and simulator path errors name the field and what is allowed") {
  auto with = [](const std::string& from, const std::string& to) {
    auto j = testing::network_config_json();
    auto at = j.find(from);
    REQUIRE(at != std::string::npos);
    return j.replace(at, from.size(), to);
  };
  CHECK_THROWS_WITH(app::parse_config(with("\"venues\": { ", "\"venues\": { \"kraken\": {},")),
                    doctest::Contains("'kraken' is not supported; choose binance_spot, binance_usdm, okx, bybit, bitmex or coinbase"));
  CHECK_THROWS_WITH(app::parse_config(with("\"simulator\": { ", "\"simulator\": { \"path\": {\"correlation\": 2, \"vol_bps_per_step\": {}},")),
                    doctest::Contains("simulator.path.correlation"));
}
