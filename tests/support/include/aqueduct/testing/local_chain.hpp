#pragma once
// A local EVM chain for settlement tests: anvil (from tests/chain's npm package) on a free
// loopback port, mining a block every second, with the aggregators' real contracts deployed by
// tests/chain/deploy.mjs, and a taker that fills signed orders on it (take.mjs). Stopped (and
// its files removed) when the test leaves.
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/testing/process.hpp"
#include "aqueduct/testing/temp_dir.hpp"

namespace aq::testing {

// A maker key for chain tests: anvil's account 9, kept apart from the deployer (0) and the
// takers (1, 2) that deploy.mjs uses.
inline constexpr const char* kChainMakerKey =
    "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

class LocalChain {
 public:
  // Starts anvil with `chain_id` and deploys; throws with the tool's output if either fails.
  explicit LocalChain(uint64_t chain_id = 31337, const std::string& maker_key = kChainMakerKey);
  ~LocalChain();
  LocalChain(const LocalChain&) = delete;
  LocalChain& operator=(const LocalChain&) = delete;

  std::string http_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  uint64_t chain_id() const { return chain_id_; }
  // deploy.mjs's output: tokens.{WBTC,USDT,WETH}.address, zeroEx.exchangeProxy, hashflow.pool,
  // accounts.takers[i].address ...
  const boost::json::object& deployment() const { return deployment_; }
  // The same, as the file deploy.mjs wrote (what ops/run --demo hands the network).
  std::string deployment_file() const { return dir_.file("deploy.json"); }
  std::string token(const std::string& symbol) const;
  std::string exchange_proxy() const;
  std::string taker_address(int i) const;
  std::string maker_address() const;
  std::string hashflow_pool() const;

  // A JSON-RPC call; the result, or nullopt if the node did not answer.
  std::optional<boost::json::value> rpc(const std::string& method, boost::json::array params = {});
  std::string snapshot();
  void revert(const std::string& snapshot_id);
  void advance(uint64_t seconds);  // moves the chain's clock and mines a block
  uint64_t block_number();

  struct Taken {
    int exit = 0;
    boost::json::object result;  // take.mjs's JSON line: ok, txHash, blockNumber, events / reason
    std::string output;
  };
  // Fills our /quote answer ({"signedOrder": ...}) as taker `taker`, for `amount` of its
  // takerAmount (all of it when empty).
  Taken take_zeroex(const std::string& signed_order_json, int taker,
                    const std::string& amount = "");
  // Trades our rfqTQuote through HashflowRouter.tradeRFQT as taker `taker`, with the rfqT's
  // nonce (the trader and effective trader are the taker).
  Taken take_hashflow(const std::string& rfqt_quote_json, int taker, uint64_t nonce);

  // Stops the node (a node that went down) and starts it again on the same port, with the
  // chain as it was (anvil's state dump).
  void stop_node();
  void start_node();

 private:
  void spawn_anvil(const std::string& load_state);

  uint64_t chain_id_;
  uint16_t port_;
  TempDir dir_;
  Process anvil_;
  boost::json::object deployment_;
};

}  // namespace aq::testing
