#include "aqueduct/testing/network_config.hpp"

#include <boost/json.hpp>
#include <cstdlib>

namespace aq::testing {

std::string simulated_venue_json(const std::string& protocol, const std::string& env) {
  boost::json::object v{{"protocol", protocol},
                        {"host", "127.0.0.1"},
                        {"port", 0},
                        {"api_key_env", "AQ_TEST_" + env + "_KEY"},
                        {"api_secret_env", "AQ_TEST_" + env + "_SECRET"}};
  return boost::json::serialize(v);
}

std::string with_usdm_perp(const std::string& config_json, const std::string& collateral,
                           const std::vector<std::string>& hedge) {
  namespace json = boost::json;
  auto v = json::parse(config_json);
  auto& c = v.as_object();
  auto usdm = json::parse(simulated_venue_json("binance_usdm", "USDM"));
  usdm.as_object()["sim_collateral"] = collateral;
  c["venues"].as_object()["binance_usdm"] = usdm;
  c["instruments"].as_array().push_back(json::parse(R"(
    { "venue": "binance_usdm", "symbol": "BTCUSDT", "kind": "linear", "base": "BTC", "quote": "USDT",
      "price_scale": 2, "qty_scale": 3, "tick": "0.10", "lot": "0.001", "min_qty": "0.001",
      "taker_fee_bps": "2", "sim_start_mid": "30000.00", "sim_level_step": "0.50",
      "sim_best_qty": "0.200", "sim_max_step_ticks": 4 })"));
  auto& btc = c["listings"].as_array()[0].as_object();
  json::array keys;
  for (const auto& k : hedge) keys.emplace_back(k);
  btc["hedge"] = keys;
  btc["price_from"] = json::array{"binance:BTCUSDT"};
  c["hedging"].as_object()["risk"] =
      json::parse(R"({"margin": {"binance_usdm": {"source": "venue", "initial_margin": "0.1"}}})");
  return json::serialize(v);
}

std::string network_config_json(const std::string& bus, int rfq_port, int sim_port) {
  return R"({
  "rfq": { "listen": "127.0.0.1", "port": )" +
         std::to_string(rfq_port) + R"(, "pricer_timeout_ms": 1000 },
  "bus": )" +
         bus + R"(,
  "simulator": { "enabled": true, "port": )" +
         std::to_string(sim_port) + R"(, "seed": 11, "tick_ms": 50 },
  "venues": { "binance": { "host": "127.0.0.1", "port": )" +
         std::to_string(sim_port) + R"(,
                           "api_key_env": "AQ_TEST_BINANCE_KEY", "api_secret_env": "AQ_TEST_BINANCE_SECRET" } },
  "instruments": [
    { "venue": "binance", "symbol": "BTCUSDT", "kind": "spot", "base": "BTC", "quote": "USDT",
      "price_scale": 2, "qty_scale": 5, "tick": "0.01", "lot": "0.00001", "min_qty": "0.0001",
      "taker_fee_bps": "10", "sim_start_mid": "30000.00", "sim_level_step": "0.50",
      "sim_best_qty": "0.20000", "sim_max_step_ticks": 40 },
    { "venue": "binance", "symbol": "ETHUSDT", "kind": "spot", "base": "ETH", "quote": "USDT",
      "price_scale": 2, "qty_scale": 4, "tick": "0.01", "lot": "0.0001", "min_qty": "0.001",
      "taker_fee_bps": "10", "sim_start_mid": "2000.00", "sim_level_step": "0.05",
      "sim_best_qty": "3.0000", "sim_max_step_ticks": 10 }
  ],
  "listings": [
    { "name": "BTC-USDT", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 5,
      "spread_bps": "5", "min_qty": "0.0001", "max_qty": "5", "quote_ttl_ms": 5000,
      "hedge_threshold": "0.0001", "hedge_slippage_bps": "50", "hedge": ["binance:BTCUSDT"] },
    { "name": "ETH-USDT", "base": "ETH", "quote": "USDT", "price_scale": 2, "qty_scale": 4,
      "spread_bps": "5", "min_qty": "0.001", "max_qty": "100", "quote_ttl_ms": 300,
      "hedge_threshold": "0.001", "hedge_slippage_bps": "50", "hedge": ["binance:ETHUSDT"] }
  ],
  "pricer": { "max_book_age_ms": 2000 },
  "hedging": { "retry_after_empty_ms": 100, "warm_interval_us": 2000 }
})";
}

void set_takers_test_credentials(const std::string& tag) {
  ::setenv("AQ_TEST_BINANCE_KEY", ("k-" + tag).c_str(), 1);
  ::setenv("AQ_TEST_BINANCE_SECRET", ("s-" + tag).c_str(), 1);
  ::setenv("AQ_TEST_MAKER_KEY", kTestMakerKey, 1);
}

std::string network_config_with_takers(const std::string& gateways,
                                       const std::string& btc_max_outstanding) {
  namespace json = boost::json;
  auto v = json::parse(network_config_json());
  auto& root = v.as_object();
  root["listings"].as_array()[0].as_object()["max_outstanding"] = btc_max_outstanding;
  root["takers"] =
      json::parse(std::string(R"({"chain_id": 1, "settlement": "unwatched", "maker_key_env": "AQ_TEST_MAKER_KEY", "tokens": [
      {"symbol": "WBTC", "asset": "BTC", "address": ")") +
                  kWBTC + R"(", "decimals": 8},
      {"symbol": "USDT", "asset": "USDT", "address": ")" +
                  kUSDT + R"(", "decimals": 6},
      {"symbol": "WETH", "asset": "ETH", "address": ")" +
                  kWETH + R"(", "decimals": 18}], )" + gateways + "}");
  return json::serialize(v);
}

}  // namespace aq::testing
