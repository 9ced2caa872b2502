#pragma once
// A network configured for the local chain (LocalChain): what the settlement tests and the
// settlement benchmark start.
#include <cstdint>
#include <string>

#include "aqueduct/testing/local_chain.hpp"
#include "aqueduct/testing/process.hpp"

namespace aq::testing {

// The test network's config signing for the local chain: its tokens, its Exchange Proxy, and
// the chain watched at 2 confirmations, polled every 200 ms and pushed over WebSocket (URLs in
// AQ_TEST_CHAIN_RPC / AQ_TEST_CHAIN_WS); with `hashflow`, the maker socket to a Hashflow
// stand-in on that port, quoting for the deployed pool.
std::string chain_network_config(LocalChain& chain, uint16_t hashflow = 0);

// The environment such a network starts with: credentials, the maker key that deploy.mjs
// funded, an integrator key ("integrator-a"), and the node's URLs (restored when it goes).
struct ChainEnv {
  ChainEnv(LocalChain& chain, const std::string& tag);
  ScopedEnv rpc_url, ws_url;
};

}  // namespace aq::testing
