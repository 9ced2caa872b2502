#include "aqueduct/connectors/bybit/signing.hpp"

#include "aqueduct/net/hmac.hpp"

namespace aq::bybit {

std::string sign(const std::string& secret, int64_t timestamp_ms, const std::string& api_key,
                 int64_t recv_window_ms, const std::string& payload) {
  return net::hmac_sha256_hex(secret, std::to_string(timestamp_ms) + api_key +
                                          std::to_string(recv_window_ms) + payload);
}

std::string sign_ws_auth(const std::string& secret, int64_t expires_ms) {
  return net::hmac_sha256_hex(secret, "GET/realtime" + std::to_string(expires_ms));
}

std::string new_order_body(const connectors::LimitOrder& o, const Instrument& inst, const std::string& category) {
  return R"({"category":")" + category + R"(","symbol":")" + o.symbol + R"(","side":")" +
         (o.side == Side::Buy ? "Buy" : "Sell") + R"(","orderType":"Limit","qty":")" +
         inst.qty(o.qty).to_trimmed_string() + R"(","price":")" + inst.price(o.price).to_trimmed_string() +
         (o.tif == connectors::TimeInForce::Ioc ? R"(","timeInForce":"IOC","orderLinkId":")"
                                                : R"(","timeInForce":"PostOnly","orderLinkId":")") + o.client_order_id + R"("})";
}

std::string cancel_body(const std::string& category, const std::string& symbol, const std::string& order_link_id) {
  return R"({"category":")" + category + R"(","symbol":")" + symbol + R"(","orderLinkId":")" + order_link_id + R"("})";
}

}  // namespace aq::bybit
