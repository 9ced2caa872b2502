#pragma once
// 0x RFQ maker requests, parsed and checked (pure): the query of GET /price, /quote and
// /rfq{m,t}/v2/price, exactly as 0x's quote-server schema names them. Every problem is
// collected as a sentence for the {"errors": [...]} body.
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::rfq::zeroex {

enum class FeeType { Fixed, Bps };

struct Fee {
  eth::Address token;
  UInt256 amount;
  FeeType type = FeeType::Fixed;
};

struct TakerRequest {
  eth::Address sell_token;             // the taker's: becomes the order's takerToken
  eth::Address buy_token;              // becomes makerToken
  eth::Address taker;                  // 0x sends the zero address for v4 RFQ-T
  eth::Address tx_origin;              // the EOA that will submit; must be non-zero
  std::optional<UInt256> sell_amount;  // exactly one of the two
  std::optional<UInt256> buy_amount;
  bool last_look = false;
  std::optional<Fee> fee;  // required with last look
  std::optional<uint64_t> chain_id;
  std::optional<std::string> comparison_price;
};

// `v2`: the OtcOrder endpoints, which do not carry protocolVersion.
TakerRequest parse_taker_request(const net::Params& params, bool v2,
                                 std::vector<std::string>& errors);

// Amounts must fit uint128 (the order's type) and be above zero.
bool valid_amount(const UInt256& v);

}  // namespace aq::rfq::zeroex
