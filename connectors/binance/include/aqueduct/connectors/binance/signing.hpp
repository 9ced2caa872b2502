#pragma once
// Binance order-entry requests as pure functions: the exact parameter order and formatting
// that the signature is computed over (venues.md §1.7, test vectors TV-B1..B4).
#include <cstdint>
#include <string>

#include "aqueduct/connectors/order_request.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::binance {

// The venue-neutral limit order (qty and price in instrument units).
using NewOrder = connectors::LimitOrder;

// "symbol=..&side=..&type=LIMIT&timeInForce=IOC&quantity=..&price=..&newClientOrderId=..
//  &recvWindow=..&timestamp=.." — unsigned. Post-only: "type=LIMIT_MAKER" on spot,
// "type=LIMIT&timeInForce=GTX" on futures.
std::string new_order_query(const NewOrder& o, const Instrument& inst, int64_t recv_window_ms,
                            int64_t timestamp_ms);
std::string order_status_query(const std::string& symbol, const std::string& client_order_id,
                               int64_t recv_window_ms, int64_t timestamp_ms);
// Appends "&signature=<hex HMAC-SHA256(secret, query)>".
std::string sign_query(const std::string& query, const std::string& secret);

}  // namespace aq::binance
