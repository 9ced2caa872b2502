#pragma once
// Bebop PMM maker messages (pure). Every frame we send is binary: the pricing stream is
// protobuf (BebopPricingUpdate), quote answers and everything else JSON bytes.
//   pricing:  levels per pair, at most one update per 400 ms, no duplicate prices, bid < ask
//   quote:    taker_quote request -> response (filled amounts + SingleOrder signature) or
//             error {error_type: liquidity | min_size | denylist | rejected | unavailable}
//   trades:   status updates; SETTLED / CONFIRMED are fills
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/msg/quoting.pb.h"
#include "aqueduct/rfq/bebop/single_order.hpp"
#include "aqueduct/rfq/tokens.hpp"

namespace aq::rfq::bebop {

struct PairLevels {
  const Token* base = nullptr;
  const Token* quote = nullptr;
  const Listing* listing = nullptr;
  aqueduct::msg::IndicativeLevels levels;
};

// One protobuf update for all pairs. A pair that would break Bebop's rules (crossed, spread
// over 1000 bps) is sent with both sides empty, which withdraws it.
std::string pricing_update(const std::vector<PairLevels>& pairs, uint64_t now_s);

struct QuoteRequest {
  uint64_t chain_id = 0;
  std::string quote_id;
  Address taker_address, receiver;
  std::string source;
  uint64_t expiry = 0;  // unix seconds, Bebop's TTL for the chain and source
  uint64_t partner_id = 0;
  Address taker_token, maker_token;
  std::optional<UInt256> taker_amount, maker_amount;  // exactly one
  std::optional<Decimal> fee_usd;
};

// nullopt with `why` (and `error_type` for the error reply) on a request we cannot take.
std::optional<QuoteRequest> parse_quote_request(std::string_view frame, std::string& why);
// msg.quote_id of a frame, or empty (to answer even a request that could not be parsed).
std::string quote_id_of(std::string_view frame);
std::string quote_response(const QuoteRequest& r, const SingleOrder& order,
                           const std::string& signature_rsv);
std::string quote_error(uint64_t chain_id, const std::string& quote_id,
                        const std::string& error_type, const std::string& message);

struct TradeUpdate {
  std::string quote_id;
  std::string status;  // TX_SENT_TO_CHAIN, SETTLED, CONFIRMED, FAILED_ONCHAIN
  UInt256 filled_taker_amount, filled_maker_amount;
  std::string tx_hash;
  bool settled() const { return status == "SETTLED" || status == "CONFIRMED"; }
};
std::optional<TradeUpdate> parse_trade(std::string_view frame, std::string& why);

}  // namespace aq::rfq::bebop
