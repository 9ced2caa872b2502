#pragma once
// The demo's local chain, as ops/run --demo started it (anvil with the real 0x Exchange Proxy
// and Hashflow router/pool, tests/chain/deploy.mjs): the network is configured to sign for it and
// watch it, and the demo's takers send their fills to it with tests/chain/take.mjs — a real
// transaction, mined, whose event the network's settlement watcher turns into a fill.
#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/rfq/takers_config.hpp"

namespace aq::app {

class DemoChain {
 public:
  // The chain ops/run started (AQ_DEMO_CHAIN_FILE and friends), or nullptr when there is none.
  static std::unique_ptr<DemoChain> from_env();

  uint64_t chain_id() const { return chain_id_; }
  eth::Address token(const std::string& symbol) const;
  eth::Address exchange_proxy() const;
  eth::Address hashflow_pool() const;
  eth::Address taker(int i) const;
  eth::Address maker() const;
  // Points the takers' block at this chain: its tokens and contracts, watched at 2 blocks.
  void configure(rfq::TakersConfig& t) const;

  struct Tx {
    bool ok = false;
    std::string tx_hash, error;
    uint64_t block = 0, gas = 0;
    size_t events = 0;
  };
  // take.mjs: fills our /quote answer on the Exchange Proxy as taker `taker`.
  Tx take_zeroex(const std::string& quote_body, int taker) const;
  // take.mjs: trades our rfqTQuote through HashflowRouter.tradeRFQT as taker `taker`.
  Tx take_hashflow(const std::string& quote_raw, int taker, uint64_t nonce) const;

  // The trade fill of `quote_id` in the record once its settlement is `state` ("seen",
  // "confirmed"), waiting at most `timeout`.
  struct FillState {
    std::string fill_id, settlement;
    uint64_t block = 0;
  };
  std::optional<FillState> wait_fill(const std::string& db_url, const std::string& quote_id,
                                     const std::string& state,
                                     std::chrono::milliseconds timeout) const;

 private:
  Tx take(const std::vector<std::string>& args) const;

  boost::json::object deployment_;
  uint64_t chain_id_ = 0;
  std::string file_, tools_, rpc_;
};

}  // namespace aq::app
