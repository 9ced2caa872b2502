#pragma once
// OKX v5 REST and WebSocket-login signing (venues.md §3.7–3.8, test vectors TV-O1..O4):
// sign = Base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)).
#include <string>

#include "aqueduct/connectors/order_request.hpp"

namespace aq::okx {

std::string sign(const std::string& secret, const std::string& timestamp, const std::string& method,
                 const std::string& request_path, const std::string& body);
// WS login: timestamp in seconds, prehash timestamp + "GET" + "/users/self/verify".
std::string sign_ws_login(const std::string& secret, const std::string& timestamp_s);
// The exact body of POST /api/v5/trade/order for a limit IOC or post_only order; `td_mode` is "cash" for spot,
// "cross" or "isolated" for SWAP. The bytes signed are the bytes sent.
std::string new_order_body(const connectors::LimitOrder& o, const Instrument& inst, const std::string& td_mode);
// POST /api/v5/trade/cancel-order by venue order id.
std::string cancel_body(const std::string& inst_id, const std::string& order_id);

}  // namespace aq::okx
