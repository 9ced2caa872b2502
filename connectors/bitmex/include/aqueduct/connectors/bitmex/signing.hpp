#pragma once
// BitMEX REST and WebSocket-auth signing (venues.md §6.7, test vectors TV-M1..M6):
// api-signature = hex(HMAC-SHA256(secret, VERB + path(with /api/v1 and query) + expires + body)).
#include <cstdint>
#include <string>

#include "aqueduct/connectors/order_request.hpp"

namespace aq::bitmex {

std::string sign(const std::string& secret, const std::string& verb, const std::string& path,
                 int64_t expires_s, const std::string& body);
std::string sign_ws_auth(const std::string& secret, int64_t expires_s);
// POST /api/v1/order body for a limit IOC or post-only order. orderQty is contracts (an integer), price a JSON number.
std::string new_order_body(const connectors::LimitOrder& o, const Instrument& inst);
// DELETE /api/v1/order body by our client order id.
std::string cancel_body(const std::string& client_order_id);

}  // namespace aq::bitmex
