#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <functional>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "aqueduct/app/bus_key.hpp"
#include "aqueduct/app/config.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/temp_dir.hpp"

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
  CHECK(ipc.endpoints.connectors_pub == "ipc:///run/aq/connectors.pub");
  CHECK(ipc.endpoints.hedging_rpc == "ipc:///run/aq/hedging.rpc");
  CHECK(ipc.endpoints.router_pub == "ipc:///run/aq/router.pub");
  auto tcp = app::parse_config(testing::network_config_json(
      R"({"transport":"custom","curve_secret_env":"AQ_BUS_SECRET","endpoints":{"connectors_pub":"tcp://10.0.0.5:7001","pricer_rpc":"tcp://10.0.0.6:7002"}})"));
  CHECK(tcp.bus_curve_secret_env == "AQ_BUS_SECRET");
  CHECK(ipc.bus_curve_secret_env.empty());  // ipc: the socket files' permissions guard it
  CHECK(tcp.endpoints.connectors_pub == "tcp://10.0.0.5:7001");
  CHECK(tcp.endpoints.pricer_rpc == "tcp://10.0.0.6:7002");
  CHECK(tcp.endpoints.rfq_pub == "inproc://rfq.pub");
}

TEST_CASE("configuration errors name the field and what is allowed") {
  struct Case { std::string bus; const char* says; };
  Case cases[] = {
      {R"({"transport":"carrier-pigeon"})", "not one of inproc, ipc, custom"},
      {R"({"transport":"custom","endpoints":{"pricer_rpc":"http://x"}})",
       "must start with inproc://, ipc:// or tcp://"},
      {R"({"transport":"custom","endpoints":{"nope":"tcp://a:1"}})",
       "bus.endpoints.nope: unknown socket; known: connectors_pub, pricer_rpc, rfq_pub, "
       "hedging_pub, hedging_rpc, router_rpc, router_pub"},
      // Across hosts, the bus carries hedge orders and operator commands: never unauthenticated.
      {R"({"transport":"custom","endpoints":{"hedging_rpc":"tcp://10.0.0.5:7005"}})",
       "bus.endpoints.hedging_rpc: 'tcp://10.0.0.5:7005' is tcp://, which would carry hedge "
       "orders and operator commands with no authentication: set bus.curve_secret_env"},
      {R"({"transport":"ipc","ipc_dir":"/run/aq","curve":"x"})",
       "bus: unknown field 'curve'; known: transport, ipc_dir, endpoints, curve_secret_env"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bus);
    CHECK_THROWS_WITH(app::parse_config(testing::network_config_json(c.bus)), doctest::Contains(c.says));
  }
  // A multiplier the contract math cannot read is refused here, not on the first fill.
  for (auto [kind, mult, says] :
       {std::tuple{"inverse", "-100000000", "a BitMEX-style multiplier in minor units of ETH"},
        std::tuple{"quanto", "-100", "a quanto multiplier must be positive"}}) {
    auto text = testing::network_config_json();
    auto at = text.find(R"("kind": "spot", "base": "BTC", "quote": "USDT",)");
    REQUIRE(at != std::string::npos);
    text.replace(at, 47,
                 std::string(R"("kind": ")") + kind +
                     R"(", "base": "BTC", "quote": "USDT", "settle": "ETH", "multiplier": ")" +
                     mult + R"(",)");
    CAPTURE(text);
    CHECK_THROWS_WITH(app::parse_config(text, "cfg.json"),
                      doctest::Contains((std::string("instruments[0].multiplier: instrument "
                                                     "binance:BTCUSDT: ") +
                                         says)
                                            .c_str()));
  }
  auto bad_tick = testing::network_config_json();
  bad_tick.replace(bad_tick.find(R"("tick": "0.01")"), 14, R"("tick": "0.001")");
  CHECK_THROWS_WITH(app::parse_config(bad_tick, "cfg.json"),
                    doctest::Contains("cfg.json: instruments[0].tick: '0.001' more decimal places than allowed"));
  CHECK_THROWS_WITH(app::parse_config("{", "cfg.json"), doctest::Contains("not valid JSON"));

  // A hedge on a venue without order entry is refused when the configuration is read.
  {
    std::ifstream in(std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json");
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = ss.str();
    const std::string hedge_end = R"("okx:BTC-USDT-SWAP", "bybit:BTCUSDT", "bitmex:XBTUSD"],)";
    auto at = text.find(hedge_end);
    REQUIRE(at != std::string::npos);
    text.replace(at, hedge_end.size(), R"("okx:BTC-USDT-SWAP", "bybit:BTCUSDT", "bitmex:XBTUSD", "coinbase:BTC-USD"],)");
    CHECK_THROWS_WITH(app::parse_config(text, "cfg.json"),
                      doctest::Contains("listings[0].hedge: 'coinbase:BTC-USD' is on coinbase (protocol coinbase), "
                                        "which has no order entry"));
  }

  // The hedging block: risk limits name configured assets, venues and listings; limits are
  // positive; unknown fields are refused with the known ones.
  auto with_hedging = [](const std::string& block) {
    auto j = testing::network_config_json();
    auto at = j.find(R"("hedging": { "retry_after_empty_ms": 100, "warm_interval_us": 2000 })");
    REQUIRE(at != std::string::npos);
    j.replace(at, std::string(R"("hedging": { "retry_after_empty_ms": 100, "warm_interval_us": 2000 })").size(), R"("hedging": )" + block);
    return j;
  };
  auto ok = app::parse_config(with_hedging(
      R"({"holding_s": 30, "risk": {"max_position": {"BTC": "1.5"}, "stop_loss_usd": {"ETH-USDT": "100"},
          "max_venue_usd": {"binance": "1000"}, "max_drawdown_usd": "2500.5"}})"));
  CHECK(ok.hedging.plan.holding_ns == 30'000'000'000);
  CHECK(ok.hedging.risk.max_position.at("BTC") == 150'000'000);
  CHECK(ok.hedging.risk.listings.at("ETH-USDT").asset == "ETH");
  CHECK(ok.hedging.risk.listings.at("ETH-USDT").stop_loss_usd == 100'000'000);
  CHECK(ok.hedging.risk.max_venue_usd.at("binance") == 1'000'000'000);
  CHECK(ok.hedging.risk.max_drawdown_usd == 2'500'500'000);
  CHECK_FALSE(ok.hedging.alert_webhook);
  auto hooked = app::parse_config(with_hedging(R"({"alert_webhook": "https://alerts.example.com/hooks/risk?team=desk"})"));
  REQUIRE(hooked.hedging.alert_webhook);
  CHECK(hooked.hedging.alert_webhook->tls);
  CHECK(hooked.hedging.alert_webhook->host == "alerts.example.com");
  CHECK(hooked.hedging.alert_webhook->port == 443);
  CHECK(hooked.hedging.alert_webhook->target == "/hooks/risk?team=desk");
  // Metrics: off unless configured; on loopback unless an address is given.
  CHECK_FALSE(ok.hedging.metrics);
  auto metered = app::parse_config(with_hedging(R"({"metrics": {"port": 9108}})"));
  REQUIRE(metered.hedging.metrics);
  CHECK(metered.hedging.metrics->address == "127.0.0.1");
  CHECK(metered.hedging.metrics->port == 9108);
  // The warm path: off unless set.
  CHECK(ok.hedging.warm_interval.count() == 0);
  CHECK(app::parse_config(with_hedging(R"({"warm_interval_us": 500})")).hedging.warm_interval.count() == 500);
  // The hedging core: not pinned unless set.
  CHECK(ok.hedging_cpu == -1);
  CHECK(app::parse_config(with_hedging(R"({"cpu": 3})")).hedging_cpu == 3);
  // Busy polling: off unless set, and only on a kept CPU.
  CHECK_FALSE(ok.hedging_busy_poll);
  CHECK(app::parse_config(with_hedging(R"({"cpu": 1, "busy_poll": true})")).hedging_busy_poll);
  // Working hedges: off (every hedge crosses) unless set; each term read and bounded.
  CHECK(ok.hedging.intent.max_work_ns == 0);
  auto work = app::parse_config(with_hedging(
      R"({"work": {"max_ms": 1500, "cross_above_usd": "20000.5", "risk_k": 2, "vol_half_life_s": 30, "vol_prior_bps": "1.5"}})"));
  CHECK(work.hedging.intent.max_work_ns == 1'500'000'000);
  CHECK(work.hedging.intent.cross_above_usd == 20'000'500'000);
  CHECK(work.hedging.intent.risk_k == 2.0);
  CHECK(work.hedging.vol_half_life.count() == 30);
  CHECK(work.hedging.vol_prior_bps_per_sqrt_s == 1.5);
  // Maker fees: as configured, else the taker fee.
  CHECK(ok.universe.instruments[0].maker_fee_ppm == ok.universe.instruments[0].taker_fee_ppm);
  {
    auto j = testing::network_config_json();
    auto at = j.find(R"("taker_fee_bps": "10")");
    REQUIRE(at != std::string::npos);
    j.insert(at, R"("maker_fee_bps": "2.5", )");
    auto c = app::parse_config(j);
    CHECK(c.universe.instruments[0].maker_fee_ppm == 250);
    CHECK(c.universe.instruments[0].taker_fee_ppm == 1000);
  }
  struct HCase { const char* block; const char* says; };
  HCase hcases[] = {
      {R"({"retry": 1})", "hedging: unknown field 'retry'; known: retry_after_empty_ms"},
      {R"({"risk": {"max_position": {"DOGE": "1"}}})",
       "hedging.risk.max_position: 'DOGE' is not a configured listed asset; known: BTC, ETH"},
      {R"({"risk": {"max_position": {"BTC": "0"}}})",
       "hedging.risk.max_position.BTC: must be above zero"},
      {R"({"risk": {"stop_loss_usd": {"SOL-USDT": "1"}}})",
       "'SOL-USDT' is not a configured listing"},
      {R"({"risk": {"max_venue_usd": {"kraken": "1"}}})",
       "'kraken' is not a configured venue; known: binance"},
      {R"({"risk": {"halt": true}})", "hedging.risk: unknown field 'halt'"},
      {R"({"max_legs": 0})", "hedging.max_legs: must be 1..10"},
      {R"({"warm_interval_us": 50})",
       "hedging.warm_interval_us: must be 0 (off) or 100..1000000 us"},
      {R"({"cpu": -1})", "hedging.cpu: must be a CPU number 0..1023"},
      {R"({"busy_poll": true})", "hedging.busy_poll: needs hedging.cpu"},
      {R"({"work": {"max_ms": 50}})",
       "hedging.work.max_ms: must be 0 (every hedge crosses) or 100..60000 ms"},
      {R"({"work": {"max_ms": 1000, "risk_k": 0}})",
       "hedging.work.risk_k: must be above 0 and at most 10"},
      {R"({"work": {"vol_prior_bps": -1}})", "hedging.work.vol_prior_bps: must be above 0"},
      {R"({"work": {"vol_half_life_s": 0}})", "hedging.work.vol_half_life_s: must be 1..86400 s"},
      {R"({"work": {"cross_above_usd": "-5"}})",
       "hedging.work.cross_above_usd: must not be negative"},
      {R"({"work": {"maxms": 5}})",
       "hedging.work: unknown field 'maxms'; known: max_ms, cross_above_usd"},
      {R"({"alert_webhook": "ftp://alerts"})",
       "hedging.alert_webhook: 'ftp://alerts' must start with http:// or https://"},
      {R"({"alert_webhook": "https://:443/x"})", "has no usable host"},
      {R"({"alert_webhook": "http://alerts:99999/x"})", "has a bad port (1..65535)"},
      {R"({"metrics": {"port": 70000}})", "hedging.metrics.port: must be 0..65535"},
      {R"({"metrics": {"path": "/m"}})",
       "hedging.metrics: unknown field 'path'; known: listen, port"},
  };
  for (const auto& hc : hcases) {
    CAPTURE(hc.block);
    CHECK_THROWS_WITH(app::parse_config(with_hedging(hc.block)), doctest::Contains(hc.says));
  }

  // The router's account reads: every 5 s unless set; bounded; nothing else in its block.
  {
    auto with_router = [](const std::string& block) {
      auto j = testing::network_config_json();
      return j.substr(0, j.rfind('}')) + R"(, "router": )" + block + "}";
    };
    CHECK(ok.router_account_interval.count() == 5000);
    CHECK(app::parse_config(with_router(R"({"account_interval_ms": 60000})"))
              .router_account_interval.count() == 60000);
    CHECK_THROWS_WITH(app::parse_config(with_router(R"({"account_interval_ms": 10})")),
                      doctest::Contains("router.account_interval_ms: must be 1000..600000 ms"));
    CHECK_THROWS_WITH(
        app::parse_config(with_router(R"({"accounts_ms": 5000})")),
        doctest::Contains("router: unknown field 'accounts_ms'; known: account_interval_ms"));
  }

  // The indicative cache: 50 ms unless set; 0 turns it off; beyond 1 s is refused.
  auto with_cache = [](const std::string& value) {
    auto j = testing::network_config_json();
    auto at = j.find(R"("pricer_timeout_ms")");
    REQUIRE(at != std::string::npos);
    j.insert(at, R"("indicative_cache_ms": )" + value + ", ");
    return j;
  };
  CHECK(app::parse_config(testing::network_config_json()).indicative_cache == std::chrono::milliseconds(50));
  CHECK(app::parse_config(with_cache("0")).indicative_cache == std::chrono::milliseconds(0));
  CHECK_THROWS_WITH(app::parse_config(with_cache("5000")),
                    doctest::Contains("rfq.indicative_cache_ms: must be 0..1000 ms"));
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

TEST_CASE("scripted simulator faults: a flash crash on one venue, a timed silence; errors name what is allowed") {
  auto with_faults = [](const std::string& faults) {
    auto j = testing::network_config_json();
    const std::string from = "\"simulator\": { ";
    auto at = j.find(from);
    REQUIRE(at != std::string::npos);
    return j.replace(at, from.size(), from + "\"faults\": " + faults + ", ");
  };
  auto c = app::parse_config(with_faults(
      R"([{"at_ms": 5000, "venue": "binance", "symbol": "BTCUSDT", "fault": "jump", "bps": -500},
          {"at_ms": 8000, "venue": "binance", "symbol": "ETHUSDT", "fault": "silence", "duration_ms": 1500},
          {"at_ms": 9000, "venue": "binance", "fault": "disconnect"}])"));
  REQUIRE(c.sim_faults.size() == 3);
  CHECK(c.sim_faults[0].kind == sim::ScriptedFault::Kind::Jump);
  CHECK(c.sim_faults[0].bps == -500);
  CHECK(c.sim_faults[0].at_ms == 5000);
  CHECK(c.sim_faults[1].duration_ms == 1500);
  CHECK(c.sim_faults[2].symbol.empty());

  CHECK_THROWS_WITH(app::parse_config(with_faults(R"([{"at_ms": 1, "venue": "binance", "symbol": "BTCUSDT", "fault": "meteor"}])")),
                    doctest::Contains("simulator.faults[0].fault: must be one of gap, drop, duplicate, cross, silence, freeze, jump or disconnect"));
  CHECK_THROWS_WITH(app::parse_config(with_faults(R"([{"at_ms": 1, "venue": "kraken", "symbol": "BTCUSDT", "fault": "gap"}])")),
                    doctest::Contains("'kraken' is not a configured venue"));
  CHECK_THROWS_WITH(app::parse_config(with_faults(R"([{"at_ms": 1, "venue": "binance", "symbol": "DOGEUSDT", "fault": "gap"}])")),
                    doctest::Contains("'DOGEUSDT' is not simulated on binance"));
  CHECK_THROWS_WITH(app::parse_config(with_faults(R"([{"at_ms": 1, "venue": "binance", "symbol": "BTCUSDT", "fault": "jump", "bps": -10000}])")),
                    doctest::Contains("above -10000"));
  CHECK_THROWS_WITH(app::parse_config(with_faults(R"([{"at_ms": 1, "venue": "binance", "symbol": "BTCUSDT", "fault": "freeze"}])")),
                    doctest::Contains("duration_ms"));
}

namespace {
// Records what a scripted fault asks of a simulator (both simulators have these calls).
struct RecordingSim {
  std::vector<std::string> calls;
  void inject_gap(const std::string& s) { calls.push_back("gap " + s); }
  void drop_next(const std::string& s) { calls.push_back("drop " + s); }
  void duplicate_next(const std::string& s) { calls.push_back("duplicate " + s); }
  void cross_next(const std::string& s) { calls.push_back("cross " + s); }
  void set_silent(const std::string& s, bool on) { calls.push_back("silent " + s + (on ? " on" : " off")); }
  void set_frozen(const std::string& s, bool on) { calls.push_back("frozen " + s + (on ? " on" : " off")); }
  void jump_bps(const std::string& s, int64_t bps) { calls.push_back("jump " + s + " " + std::to_string(bps)); }
  void disconnect_all() { calls.push_back("disconnect"); }
};
}  // namespace

TEST_CASE("a scripted fault starts, and a timed one ends, with the simulator's own calls") {
  RecordingSim s;
  sim::ScriptedFault crash{0, "okx", "BTC-USDT", sim::ScriptedFault::Kind::Jump, -500, 0};
  sim::apply_fault(s, crash, true);
  sim::apply_fault(s, crash, false);  // a jump has no end: the basis heals by itself
  sim::ScriptedFault quiet{0, "okx", "BTC-USDT", sim::ScriptedFault::Kind::Silence, 0, 1000};
  sim::apply_fault(s, quiet, true);
  sim::apply_fault(s, quiet, false);
  CHECK(s.calls == std::vector<std::string>{"jump BTC-USDT -500", "silent BTC-USDT on", "silent BTC-USDT off"});
  CHECK(sim::fault_kind("freeze") == sim::ScriptedFault::Kind::Freeze);
  CHECK_FALSE(sim::fault_kind("Freeze"));
  CHECK(std::string(sim::to_string(sim::ScriptedFault::Kind::Duplicate)) == "duplicate");
}

TEST_CASE("pricing: the shipped BTC listing prices from every BTC venue and hedges on its spot, perps and inverse; tiers; errors name the field") {
  auto c = app::load_config(std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json");
  const auto* l = c.universe.listing("BTC-USDT");
  REQUIRE(l);
  CHECK(l->hedge_instruments == std::vector<std::string>{"binance:BTCUSDT", "binance_usdm:BTCUSDT", "okx:BTC-USDT-SWAP",
                                                         "bybit:BTCUSDT", "bitmex:XBTUSD"});
  CHECK(l->sources().size() == 7);
  const auto& p = c.pricer.params.at("BTC-USDT");
  CHECK(p.min_venues == 3);
  CHECK(p.outlier_ppm == 5'000);
  CHECK(p.leader == "binance:BTCUSDT");
  CHECK(p.max_inventory == 200'000);
  CHECK(p.max_notional == 25'000'000);  // 250000.00 USDT at price scale 2
  CHECK(p.max_book_age_ns == 2'000'000'000);
  REQUIRE(c.pricer.tiers.size() == 2);
  CHECK(c.pricer.tiers[0].name == "standard");
  CHECK(c.pricer.tiers[0].markup_ppm == 200);
  CHECK(c.pricer.tiers[1].markup_ppm == 0);
  // A listing without a pricing block inherits the global book age.
  auto t = app::parse_config(testing::network_config_json());
  CHECK(t.pricer.params.at("ETH-USDT").max_book_age_ns == 2'000'000'000);
  CHECK(t.universe.listing("ETH-USDT")->sources() == std::vector<std::string>{"binance:ETHUSDT"});

  struct Case { const char* pricing; const char* says; };
  Case cases[] = {
      {R"("pricing": {"min_venues": 0})", "listings[0].pricing.min_venues: must be at least 1"},
      {R"("pricing": {"leader": "okx:BTC-USDT"})", "listings[0].pricing.leader: 'okx:BTC-USDT' is not one of the listing's price sources"},
      {R"("pricing": {"ladder": ["0.5", "0.1"]})", "listings[0].pricing.ladder: sizes must increase"},
      {R"("pricing": {"depth_band_bps": "0"})", "listings[0].pricing.depth_band_bps: must be in (0, 10000)"},
      {R"("pricing": {"spread": 3})", "listings[0].pricing: unknown field 'spread'"},
      {R"("price_from": ["binance:ETHUSDT"])", "listings[0].price_from: 'binance:ETHUSDT' does not trade BTC"},
  };
  for (const auto& k : cases) {
    CAPTURE(k.pricing);
    auto j = testing::network_config_json();
    auto at = j.find(R"("hedge": ["binance:BTCUSDT"])");
    REQUIRE(at != std::string::npos);
    j.insert(at, std::string(k.pricing) + ", ");
    CHECK_THROWS_WITH(app::parse_config(j), doctest::Contains(k.says));
  }
}

TEST_CASE("hedging.risk.margin: collateral and initial margin per venue with perps") {
  std::ifstream in(std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json");
  std::stringstream ss;
  ss << in.rdbuf();
  const auto shipped = ss.str();
  auto with_margin = [&](const std::string& block) {
    // The shipped margin block out, this one in.
    auto text = shipped;
    auto shipped_at = text.find(R"("margin": {)");
    REQUIRE(shipped_at != std::string::npos);
    auto from = text.rfind(',', shipped_at);  // the comma before it goes too
    auto to = text.find("{", shipped_at);
    for (int depth = 0; to < text.size(); ++to) {
      if (text[to] == '{') ++depth;
      if (text[to] == '}' && --depth == 0) break;
    }
    text.erase(from, to + 1 - from);
    const std::string risk = R"("risk": { )";
    auto at = text.find(risk);
    REQUIRE(at != std::string::npos);
    text.insert(at + risk.size(), R"("margin": )" + block + ", ");
    return text;
  };
  auto ok = app::parse_config(with_margin(
      R"({"binance_usdm": {"collateral_usd": "50000", "initial_margin": "0.05"}, "bitmex": {"collateral_usd": "1000.5", "initial_margin": "1"}})"));
  REQUIRE(ok.hedging.risk.margin.size() == 2);
  CHECK(ok.hedging.risk.margin.at("binance_usdm").collateral_usd == 50'000'000'000);
  CHECK(ok.hedging.risk.margin.at("binance_usdm").initial_margin_ppm == 50'000);
  CHECK(ok.hedging.risk.margin.at("bitmex").collateral_usd == 1'000'500'000);
  CHECK(ok.hedging.risk.margin.at("bitmex").initial_margin_ppm == 1'000'000);
  CHECK_FALSE(ok.hedging.risk.margin.at("bitmex").from_venue);
  auto venue = app::parse_config(with_margin(
      R"({"okx": {"source": "venue", "initial_margin": "0.2"}, "bybit": {"source": "venue", "initial_margin": "0.1", "max_read_age_ms": 60000}})"));
  CHECK(venue.hedging.risk.margin.at("okx").from_venue);
  CHECK(venue.hedging.risk.margin.at("okx").max_read_age_ms == 15'000);
  CHECK(venue.hedging.risk.margin.at("okx").initial_margin_ppm == 200'000);
  CHECK(venue.hedging.risk.margin.at("bybit").max_read_age_ms == 60'000);
  CHECK(app::parse_config(shipped).hedging.risk.margin.size() == 4);  // every perp venue
  struct Case { const char* block; const char* says; };
  Case cases[] = {
      {R"({"binance": {"collateral_usd": "1", "initial_margin": "0.1"}})",
       "hedging.risk.margin: 'binance' is not a configured venue with perps; known: binance_usdm, "
       "bitmex, bybit, okx"},
      {R"({"binance_usdm": {"collateral_usd": "1000"}})",
       "needs initial_margin (a fraction of notional, 0.1 = 10x)"},
      {R"({"binance_usdm": {"initial_margin": "0.1"}})",
       "needs collateral_usd (USD posted there) with source configured"},
      {R"({"binance_usdm": {"source": "exchange", "initial_margin": "0.1"}})",
       "source: 'exchange' is not a margin source; choose configured (collateral_usd) or venue"},
      {R"({"binance_usdm": {"source": "venue", "collateral_usd": "5", "initial_margin": "0.1"}})",
       "collateral_usd: is for source configured"},
      {R"({"binance_usdm": {"source": "venue", "initial_margin": "0.1", "max_read_age_ms": 500}})",
       "max_read_age_ms: must be 1000..600000"},
      {R"({"binance_usdm": {"collateral_usd": "5", "initial_margin": "0.1", "max_read_age_ms": 5000}})",
       "max_read_age_ms: is for source venue"},
      {R"({"binance_usdm": {"collateral_usd": "1000", "initial_margin": "1.5"}})",
       "hedging.risk.margin.binance_usdm.initial_margin: must be above 0 and at most 1"},
      {R"({"binance_usdm": {"collateral_usd": "0", "initial_margin": "0.1"}})",
       "hedging.risk.margin.binance_usdm.collateral_usd: must be above zero"},
      {R"({"binance_usdm": {"collateral": "1", "initial_margin": "0.1"}})",
       "unknown field 'collateral'; known: source, collateral_usd, initial_margin, "
       "max_read_age_ms"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.block);
    CHECK_THROWS_WITH(app::parse_config(with_margin(c.block)), doctest::Contains(c.says));
  }
}

TEST_CASE("ipc bus directories: made for this user alone, refused when others may write to them") {
  namespace fs = std::filesystem;
  testing::TempDir tmp("aq-ipc");
  const fs::path& root = tmp.path();
  auto with_dir = [](const fs::path& d, const std::string& extra = "") {
    return app::parse_config(testing::network_config_json(R"({"transport":"ipc","ipc_dir":")" +
                                                          d.string() + "\"" + extra + "}"));
  };
  // Absent: created, 0700.
  app::prepare_ipc_dirs(with_dir(root / "new"));
  REQUIRE(fs::is_directory(root / "new"));
  CHECK((fs::status(root / "new").permissions() & fs::perms::all) == fs::perms::owner_all);
  // Writable by others: refused with its mode and the fix; with a bus key, allowed.
  fs::create_directories(root / "open");
  fs::permissions(root / "open", fs::perms::all, fs::perm_options::replace);
  CHECK_THROWS_WITH(app::prepare_ipc_dirs(with_dir(root / "open")),
                    doctest::Contains("may be written by other users (mode 0777)"));
  CHECK_NOTHROW(
      app::prepare_ipc_dirs(with_dir(root / "open", R"(, "curve_secret_env": "AQ_BUS_SECRET")")));
  // The owner's alone (or group- and world-readable): fine.
  fs::create_directories(root / "mine");
  fs::permissions(root / "mine",
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read,
                  fs::perm_options::replace);
  CHECK_NOTHROW(app::prepare_ipc_dirs(with_dir(root / "mine")));
}

TEST_CASE("takers: chains followed, wallet floors and refresh, settlement mode; errors name what is allowed") {
  auto c = app::load_config(std::string(AQ_SOURCE_DIR) + "/ops/config/aqueduct.json");
  REQUIRE(c.takers.chains.size() == 2);  // Ethereum plus an L2
  CHECK(c.takers.chains[0].rpc_url_env == "AQ_ETH_RPC_URL");
  CHECK(c.takers.chains[1].chain_id == 42161);
  CHECK(c.takers.chains[0].wallet_refresh_ms == 10'000);
  CHECK(!c.takers.unwatched);
  CHECK(c.takers.tokens[0].floor == UInt256(50'000'000));  // 0.5 WBTC
  namespace json = boost::json;
  auto with = [](const std::function<void(json::object&)>& change) {
    auto v = json::parse(testing::network_config_with_takers(
        R"("zeroex": {"exchange_proxy": "0xDef1C0ded9bec7F1a1670819833240f027b25EfF"})"));
    change(v.as_object()["takers"].as_object());
    return json::serialize(v);
  };
  CHECK(app::parse_config(with([](json::object&) {})).takers.unwatched);  // the test helper's
  CHECK_THROWS_WITH(app::parse_config(with([](json::object& t) { t["settlement"] = "trusting"; })),
                    doctest::Contains("takers.settlement: 'trusting': must be \"watched\""));
  CHECK_THROWS_WITH(app::parse_config(with([](json::object& t) {
                      t["chains"] = json::parse(
                          R"([{"name": "a", "chain_id": 1, "rpc_url_env": "X", "wallet_refresh_ms": 5000, "wallet_max_age_ms": 5000}])");
                    })),
                    doctest::Contains("wallet_max_age_ms: must be above wallet_refresh_ms (5000 ms)"));
  CHECK_THROWS_WITH(app::parse_config(with([](json::object& t) {
                      t["tokens"].as_array()[0].as_object()["floor"] = "0.123456789";
                    })),
                    doctest::Contains("floor: '0.123456789' must be a plain amount of WBTC with at most 8 decimals"));
}
