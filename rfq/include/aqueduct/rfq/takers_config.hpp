#pragma once
// Configuration of the takers' protocols: the chain the maker signs for, its key, the tokens
// it trades, and each aggregator gateway.
#include <string>
#include <vector>

#include "aqueduct/rfq/bebop/maker_client.hpp"
#include "aqueduct/rfq/chain/settlement_watcher.hpp"
#include "aqueduct/rfq/hashflow/maker_client.hpp"
#include "aqueduct/rfq/tokens.hpp"
#include "aqueduct/rfq/zeroex/gateway.hpp"

namespace aq::rfq {

struct TakersConfig {
  uint64_t chain_id = 1;
  // The maker's signing key: a file readable by its owner only, else this environment variable.
  std::string maker_key_file;
  std::string maker_key_env = "AQ_MAKER_KEY";
  // Threads that sign 0x orders off the event loop (0: on the loop).
  unsigned signing_threads = 1;
  std::vector<Token> tokens;
  zeroex::ZeroExConfig zeroex;
  hashflow::HashflowConfig hashflow;
  bebop::BebopConfig bebop;
  // The chains watched for settlements; the one of `chain_id` gates and settles 0x orders.
  std::vector<chain::ChainOptions> chains;
  // "unwatched" (takers.settlement): the protocols' messages alone make fills, recorded native;
  // no chain, no wallet. For stand-ins and tests. Otherwise (the default) the on-chain
  // protocols run only while the chain of `chain_id` is configured with its node's URL set.
  bool unwatched = false;

  bool signs() const { return zeroex.enabled || hashflow.enabled || bebop.enabled; }
};

}  // namespace aq::rfq
