#include <doctest/doctest.h>

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
