#pragma once
// One chain the network follows: where its node is (URLs from the environment, never in the
// configuration file: they often carry an API key), how deep is final, how often to poll.
#include <cstdint>
#include <string>

#include "aqueduct/rfq/chain/eth_rpc.hpp"

namespace aq::rfq::chain {

struct ChainOptions {
  std::string name = "ethereum";
  uint64_t chain_id = 1;
  std::string rpc_url_env;  // the node's http(s) URL is read from this variable
  std::string ws_url_env;   // its ws(s) URL (eth_subscribe); unset or empty: heads are polled
  uint64_t confirmations = 2;
  int64_t poll_ms = 1000;
  uint64_t grace_s = 60;  // chain seconds past an order's expiry before it unwinds
  int64_t rpc_timeout_ms = 3000;
  int64_t head_idle_ms = 30'000;  // a subscription quiet this long is reconnected
  int64_t max_head_age_s = 60;    // firm on-chain quotes stop when the newest block is older
  uint64_t max_log_range = 2000;  // blocks per eth_getLogs
  // The maker's wallet: balances and allowances are read this often (besides at start and after
  // every block with our events); firm quotes stop when the last read is older than max age.
  int64_t wallet_refresh_ms = 10'000;
  int64_t wallet_max_age_ms = 60'000;
};

// The node's http(s) endpoint, from the variable `rpc_url_env` names; throws with what is wrong
// (unset, not a URL, a ws URL).
NodeEndpoint http_endpoint(const ChainOptions& options);

}  // namespace aq::rfq::chain
