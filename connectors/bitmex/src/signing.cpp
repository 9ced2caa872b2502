#include "aqueduct/connectors/bitmex/signing.hpp"

#include "aqueduct/net/hmac.hpp"

namespace aq::bitmex {

std::string sign(const std::string& secret, const std::string& verb, const std::string& path,
                 int64_t expires_s, const std::string& body) {
  return net::hmac_sha256_hex(secret, verb + path + std::to_string(expires_s) + body);
}

std::string sign_ws_auth(const std::string& secret, int64_t expires_s) {
  return net::hmac_sha256_hex(secret, "GET/realtime" + std::to_string(expires_s));
}

std::string new_order_body(const connectors::LimitOrder& o, const Instrument& inst) {
  return R"({"symbol":")" + o.symbol + R"(","side":")" + (o.side == Side::Buy ? "Buy" : "Sell") +
         R"(","orderQty":)" + inst.qty(o.qty).to_trimmed_string() + R"(,"price":)" +
         inst.price(o.price).to_trimmed_string() +
         (o.tif == connectors::TimeInForce::Ioc
              ? R"(,"ordType":"Limit","timeInForce":"ImmediateOrCancel","clOrdID":")"
              : R"(,"ordType":"Limit","timeInForce":"GoodTillCancel","execInst":"ParticipateDoNotInitiate","clOrdID":")") +
         o.client_order_id + R"("})";
}

std::string cancel_body(const std::string& client_order_id) {
  return R"({"clOrdID":")" + client_order_id + R"("})";
}

}  // namespace aq::bitmex
