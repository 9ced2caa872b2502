#include "aqueduct/testing/chain_network.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "aqueduct/testing/network_config.hpp"

namespace aq::testing {

namespace json = boost::json;

std::string chain_network_config(LocalChain& chain, uint16_t hashflow) {
  auto v = json::parse(network_config_json());
  auto& root = v.as_object();
  json::object zeroex{{"listen", "127.0.0.1"},
                      {"port", 0},
                      {"exchange_proxy", chain.exchange_proxy()},
                      {"api_key_env", "AQ_TEST_ZEROEX_KEYS"},
                      {"expiry_s", 60},
                      {"last_look_tolerance_bps", "50"}};
  json::array tokens{
      json::object{
          {"symbol", "WBTC"}, {"asset", "BTC"}, {"address", chain.token("WBTC")}, {"decimals", 8}},
      json::object{
          {"symbol", "USDT"}, {"asset", "USDT"}, {"address", chain.token("USDT")}, {"decimals", 6}},
      json::object{{"symbol", "WETH"},
                   {"asset", "ETH"},
                   {"address", chain.token("WETH")},
                   {"decimals", 18}}};
  json::array chains{json::object{{"name", "anvil"},
                                  {"chain_id", chain.chain_id()},
                                  {"rpc_url_env", "AQ_TEST_CHAIN_RPC"},
                                  {"ws_url_env", "AQ_TEST_CHAIN_WS"},
                                  {"confirmations", 2},
                                  {"poll_ms", 200},
                                  {"rpc_timeout_ms", 1000},
                                  {"grace_s", 5},
                                  {"max_head_age_s", 30}}};
  json::object takers{{"chain_id", chain.chain_id()},
                      {"maker_key_env", "AQ_TEST_MAKER_KEY"},
                      {"tokens", tokens},
                      {"zeroex", zeroex},
                      {"chains", chains}};
  if (hashflow != 0)
    takers["hashflow"] = json::object{{"host", "127.0.0.1"},
                                      {"port", hashflow},
                                      {"tls", false},
                                      {"maker_name", "Aqueduct"},
                                      {"auth_env", "AQ_TEST_HASHFLOW_KEY"},
                                      {"pool", chain.hashflow_pool()},
                                      {"external_account", chain.maker_address()},
                                      {"levels_interval_ms", 200}};
  root["takers"] = takers;
  return json::serialize(v);
}

ChainEnv::ChainEnv(LocalChain& chain, const std::string& tag)
    : rpc_url("AQ_TEST_CHAIN_RPC", chain.http_url()), ws_url("AQ_TEST_CHAIN_WS", chain.ws_url()) {
  set_takers_test_credentials(tag);
  setenv("AQ_TEST_MAKER_KEY", kChainMakerKey, 1);
  setenv("AQ_TEST_ZEROEX_KEYS", "integrator-a", 1);
}

}  // namespace aq::testing
