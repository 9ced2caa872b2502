#include "aqueduct/connectors/okx/signing.hpp"

#include "aqueduct/net/hmac.hpp"

namespace aq::okx {

std::string sign(const std::string& secret, const std::string& timestamp, const std::string& method,
                 const std::string& request_path, const std::string& body) {
  return net::hmac_sha256_base64(secret, timestamp + method + request_path + body);
}

std::string sign_ws_login(const std::string& secret, const std::string& timestamp_s) {
  return net::hmac_sha256_base64(secret, timestamp_s + "GET/users/self/verify");
}

std::string new_order_body(const connectors::LimitOrder& o, const Instrument& inst, const std::string& td_mode) {
  // Field order as OKX documents it; numbers as decimal strings without trailing zeros.
  return R"({"instId":")" + o.symbol + R"(","tdMode":")" + td_mode + R"(","side":")" +
         (o.side == Side::Buy ? "buy" : "sell") + R"(","ordType":")" +
         (o.tif == connectors::TimeInForce::Ioc ? "ioc" : "post_only") + R"(","px":")" +
         inst.price(o.price).to_trimmed_string() + R"(","sz":")" + inst.qty(o.qty).to_trimmed_string() +
         R"(","clOrdId":")" + o.client_order_id + R"("})";
}

std::string cancel_body(const std::string& inst_id, const std::string& order_id) {
  return R"({"instId":")" + inst_id + R"(","ordId":")" + order_id + R"("})";
}

}  // namespace aq::okx
