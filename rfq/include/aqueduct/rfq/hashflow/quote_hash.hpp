#pragma once
// The hash a Hashflow v3 same-chain RFQ-T quote is signed over (EIP-191 of the packed fields),
// as HashflowPool._hashQuoteRFQT recomputes it on-chain.
#include "aqueduct/eth/eip712.hpp"

namespace aq::rfq::hashflow {

using eth::Address;
using eth::Hash32;

struct RfqTQuoteFields {
  Address pool;
  Address trader;
  Address effective_trader;
  Address external_account;  // zero: the pool's own funds
  Address base_token;
  Address quote_token;
  UInt256 base_token_amount;
  UInt256 quote_token_amount;
  UInt256 nonce;
  uint64_t quote_expiry = 0;
  Hash32 txid{};  // the rfqId
  uint64_t chain_id = 1;
};

// keccak256(abi.encodePacked(pool, trader, effectiveTrader, externalAccount, baseToken,
// quoteToken, baseTokenAmount, quoteTokenAmount, nonce, quoteExpiry, txid, chainId)):
// addresses 20 bytes, the rest 32.
Hash32 packed_hash(const RfqTQuoteFields& q);
// What the maker signs: the EIP-191 digest of packed_hash.
inline Hash32 digest(const RfqTQuoteFields& q) {
  return eth::eip191_digest(packed_hash(q));
}

}  // namespace aq::rfq::hashflow
