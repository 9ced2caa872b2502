#pragma once
// 0x v4 orders a maker signs: RfqOrder (RFQ-T/RFQ-M v1) and OtcOrder (RFQm/RFQt v2), their
// EIP-712 hashes under the Exchange Proxy's domain, and the signature JSON 0x reads.
#include <boost/json/object.hpp>

#include "aqueduct/eth/eip712.hpp"
#include "aqueduct/eth/signer.hpp"

namespace aq::rfq::zeroex {

using eth::Address;
using eth::Hash32;

// 0x's domain {name "ZeroEx", version "1.0.0", chainId, Exchange Proxy}.
eth::Domain domain(uint64_t chain_id, const Address& exchange_proxy);

struct RfqOrder {
  Address maker_token;
  Address taker_token;
  UInt256 maker_amount;  // uint128
  UInt256 taker_amount;  // uint128
  Address maker;
  Address taker;      // zero: anyone
  Address tx_origin;  // must be non-zero on-chain
  Hash32 pool{};
  uint64_t expiry = 0;  // unix seconds
  UInt256 salt;
};

struct OtcOrder {
  Address maker_token;
  Address taker_token;
  UInt256 maker_amount;  // uint128
  UInt256 taker_amount;  // uint128
  Address maker;
  Address taker;
  Address tx_origin;
  UInt256 expiry_and_nonce;  // expiry:uint64 << 192 | bucket:uint64 << 128 | nonce:uint128
};

const eth::StructType& rfq_order_type();
const eth::StructType& otc_order_type();
// Throws std::invalid_argument when an amount does not fit uint128 (the contract would mask it).
Hash32 struct_hash(const RfqOrder& o);
Hash32 struct_hash(const OtcOrder& o);

UInt256 pack_expiry_and_nonce(uint64_t expiry, uint64_t bucket, const UInt256& nonce);
uint64_t expiry_of(const UInt256& expiry_and_nonce);

enum class SignatureType : int { Eip712 = 2, EthSign = 3 };
// {"signatureType":2,"v":28,"r":"0x..","s":"0x.."}
boost::json::object signature_json(const eth::Signature& sig, SignatureType type);
// The order's fields as 0x's JSON carries them (addresses lower-case, amounts decimal strings).
boost::json::object to_json(const RfqOrder& o);
boost::json::object to_json(const OtcOrder& o);
// The order back from 0x's JSON; nullopt with `why` naming the first bad field.
std::optional<RfqOrder> rfq_order_from_json(const boost::json::object& o, std::string& why);
std::optional<OtcOrder> otc_order_from_json(const boost::json::object& o, std::string& why);

}  // namespace aq::rfq::zeroex
