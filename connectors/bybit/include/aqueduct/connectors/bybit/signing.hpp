#pragma once
// Bybit v5 REST and WebSocket-auth signing (venues.md §4.6–4.7, test vectors TV-Y1..Y4):
// sign = hex(HMAC-SHA256(secret, timestamp + apiKey + recvWindow + (queryString | jsonBody))).
#include <cstdint>
#include <string>

#include "aqueduct/connectors/order_request.hpp"

namespace aq::bybit {

std::string sign(const std::string& secret, int64_t timestamp_ms, const std::string& api_key,
                 int64_t recv_window_ms, const std::string& payload);
// WS auth: hex HMAC of "GET/realtime" + expires (ms).
std::string sign_ws_auth(const std::string& secret, int64_t expires_ms);
// POST /v5/order/create body for a limit IOC or PostOnly order; `category` is "spot" or "linear".
std::string new_order_body(const connectors::LimitOrder& o, const Instrument& inst, const std::string& category);
// POST /v5/order/cancel body by our order link id.
std::string cancel_body(const std::string& category, const std::string& symbol, const std::string& order_link_id);

}  // namespace aq::bybit
