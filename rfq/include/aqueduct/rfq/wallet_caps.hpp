#pragma once
// Indicative ladders capped by the maker's wallet: a level the wallet could not deliver is not
// shown, so an aggregator never routes to a size whose firm quote would be refused for funds.
// Pure.
#include <google/protobuf/repeated_ptr_field.h>

#include "aqueduct/msg/quoting.pb.h"
#include "aqueduct/rfq/tokens.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::rfq {

using LevelIncrements = google::protobuf::RepeatedPtrField<aqueduct::msg::PriceLevel>;

// Increments (level i adds qty more at price) cut so that their running total pays out at most
// `cap` base units of the token the maker gives: the base token on the asks (we sell base), the
// quote token on the bids (we pay quote for base, at each level's price). The level that
// crosses the cap is shortened to what fits; the levels after it go.
void cap_ask_increments(LevelIncrements& asks, const UInt256& base_cap, const Token& base);
void cap_bid_increments(LevelIncrements& bids, const UInt256& quote_cap, const Token& base,
                        const Token& quote);

}  // namespace aq::rfq
