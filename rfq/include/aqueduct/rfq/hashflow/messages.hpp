#pragma once
// Hashflow maker API v3 messages (pure): every frame is {"messageType", "message"}.
//   maker -> HF: priceLevels (incremental {q,p}, level 0 = the minimum), rfqTQuote, tradeAck
//   HF -> maker: rfqT, trade (plus informational subscriptionAck / error)
#include <optional>
#include <string>
#include <string_view>

#include "aqueduct/msg/quoting.pb.h"
#include "aqueduct/rfq/hashflow/quote_hash.hpp"
#include "aqueduct/rfq/tokens.hpp"

namespace aq::rfq::hashflow {

struct RfqT {
  std::string rfq_id;  // 0x + 32 bytes: the on-chain txid
  Hash32 txid{};
  std::string source;
  UInt256 nonce;
  uint64_t base_chain_id = 0, quote_chain_id = 0;
  Address base_token, quote_token;  // the trader sells base, buys quote
  Address trader, effective_trader;
  std::optional<UInt256> base_amount, quote_amount;  // exactly one
  int fees_bps = 0;
};

struct Trade {
  std::string trade_event_id;
  std::string rfq_id;
  UInt256 base_amount, quote_amount;  // as settled (may be a partial fill)
  bool confirmed = false;             // "confirmed"; "canceled" otherwise
  std::string tx_hash;
};

// The messageType of a frame, or empty for a frame that is not a Hashflow envelope.
std::string message_type(std::string_view frame);
std::optional<RfqT> parse_rfqt(std::string_view frame, std::string& why);
std::optional<Trade> parse_trade(std::string_view frame, std::string& why);

// Both sides of one pair from the pricer's ladder, as Hashflow v3 wants them: buyLevels are
// where the maker buys base (our bids), sellLevels where it sells (our asks); level 0 is the
// listing's minimum size at the first level's price, and level i adds q more at p.
std::string price_levels_message(const Token& base, const Token& quote, uint64_t chain_id,
                                 const aqueduct::msg::IndicativeLevels& levels,
                                 const Listing& listing);
std::string rfqt_quote_message(const RfqTQuoteFields& q, const std::string& rfq_id,
                               const std::string& signature_rsv);
std::string trade_ack_message(const std::string& trade_event_id);

}  // namespace aq::rfq::hashflow
