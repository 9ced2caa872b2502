#pragma once
// Bebop PMM's SingleOrder (one taker token for one maker token) and its EIP-712 hash under
// the BebopSettlement domain (version "2").
#include "aqueduct/eth/eip712.hpp"

namespace aq::rfq::bebop {

using eth::Address;
using eth::Hash32;

eth::Domain domain(uint64_t chain_id, const Address& settlement);

struct SingleOrder {
  uint64_t partner_id = 0;
  uint64_t expiry = 0;  // unix seconds (uint256 on the wire)
  Address taker_address;
  Address maker_address;
  UInt256 maker_nonce;
  Address taker_token;
  Address maker_token;
  UInt256 taker_amount;
  UInt256 maker_amount;
  Address receiver;
  UInt256 packed_commands;
};

const eth::StructType& single_order_type();
Hash32 struct_hash(const SingleOrder& o);

}  // namespace aq::rfq::bebop
