#include "aqueduct/standins/zeroex_taker.hpp"

#include <boost/json.hpp>

#include "aqueduct/eth/signer.hpp"
#include "aqueduct/net/url.hpp"

namespace aq::standins {

namespace json = boost::json;

std::string ZeroExTaker::query(const ZeroExAsk& a) const {
  std::string q = "sellTokenAddress=" + a.sell_token.to_hex() +
                  "&buyTokenAddress=" + a.buy_token.to_hex() + "&takerAddress=" + a.taker.to_hex() +
                  "&txOrigin=" + a.tx_origin.to_hex() +
                  "&protocolVersion=4&chainId=" + std::to_string(c_.chain_id);
  if (a.sell_amount) q += "&sellAmountBaseUnits=" + net::url_encode(*a.sell_amount);
  if (a.buy_amount) q += "&buyAmountBaseUnits=" + net::url_encode(*a.buy_amount);
  if (a.last_look)
    q += "&isLastLook=true&feeToken=" + a.sell_token.to_hex() + "&feeAmount=" + a.fee_amount +
         "&feeType=fixed";
  return q;
}

testing::Reply ZeroExTaker::indicative(const ZeroExAsk& a) const {
  return testing::http_call(
      c_.port, "GET", "/price?" + query(a), "",
      {{"0x-api-key", c_.api_key}, {"0x-request-uuid", "3f2c7a4e-1b1d-4c5e-9a1f-000000000001"}});
}

ZeroExQuote ZeroExTaker::firm(const ZeroExAsk& a, int64_t now_s) const {
  auto r =
      testing::http_call(c_.port, "GET", "/quote?" + query(a), "", {{"0x-api-key", c_.api_key}});
  ZeroExQuote out;
  out.status = r.status;
  out.body = r.body;
  out.decline_reason = r.header("X-Aqueduct-Decline");
  if (r.status != 200) return out;
  auto reject = [&](std::string why) {
    out.rejected_because = std::move(why);
    return out;
  };
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec || !v.is_object() || !v.as_object().if_contains("signedOrder") ||
      !v.at("signedOrder").is_object())
    return reject("schema: no signedOrder object");
  const auto& so = v.at("signedOrder").as_object();
  std::string why;
  auto order = rfq::zeroex::rfq_order_from_json(so, why);
  if (!order) return reject("schema: " + why);
  if (!so.if_contains("chainId") || !so.at("chainId").is_number() ||
      so.at("chainId").to_number<uint64_t>() != c_.chain_id)
    return reject("schema: chainId");
  if (!so.if_contains("verifyingContract") || !so.at("verifyingContract").is_string() ||
      eth::Address::parse(so.at("verifyingContract").as_string()) != c_.exchange_proxy)
    return reject("schema: verifyingContract");
  if (order->maker_token != a.buy_token || order->taker_token != a.sell_token ||
      order->taker != a.taker || order->tx_origin != a.tx_origin)
    return reject("Unexpected token, tx origin or taker address in RFQ-T order, filtering out");
  if (static_cast<int64_t>(order->expiry) < now_s + c_.expiry_buffer_s)
    return reject("Expiry too soon");
  if ((a.sell_amount && order->taker_amount.to_decimal() != *a.sell_amount) ||
      (a.buy_amount && order->maker_amount.to_decimal() != *a.buy_amount))
    return reject("the fixed amount was not echoed");
  const auto* sig = so.if_contains("signature");
  if (!sig || !sig->is_object()) return reject("schema: signature");
  const auto& s = sig->as_object();
  auto hex32 = [&](const char* k) -> std::optional<eth::Hash32> {
    auto* f = s.if_contains(k);
    if (!f || !f->is_string() || f->as_string().size() != 66) return std::nullopt;  // fixed width
    return eth::parse_bytes32(f->as_string());
  };
  auto rr = hex32("r"), ss = hex32("s");
  if (!rr || !ss) return reject("signature r/s missing or not 32 bytes of hex");
  if (!s.if_contains("signatureType") || s.at("signatureType").to_number<int>() != 2)
    return reject("signatureType is not 2 (EIP712)");
  int vv = s.if_contains("v") ? s.at("v").to_number<int>() : 0;
  if (vv != 27 && vv != 28) return reject("v is not 27/28");
  out.order_hash =
      eth::eip712_digest(rfq::zeroex::domain(c_.chain_id, c_.exchange_proxy).separator(),
                         rfq::zeroex::struct_hash(*order));
  auto who = eth::recover(out.order_hash, {*rr, *ss, static_cast<uint8_t>(vv)});
  if (!who || *who != c_.maker) return reject("signature does not recover to the maker");
  out.order = order;
  return out;
}

testing::Call ZeroExTaker::submit_call(const ZeroExQuote& q, const std::string& fill,
                                       const std::string& fee_token) const {
  json::object body{{"order", rfq::zeroex::to_json(*q.order)},
                    {"orderHash", eth::to_hex0x(q.order_hash)},
                    {"fee", json::object{{"token", fee_token}, {"amount", "0"}, {"type", "fixed"}}},
                    {"takerTokenFillAmount", fill}};
  return {"POST",
          "/submit",
          json::serialize(body),
          {{"Content-Type", "application/json"}, {"0x-api-key", c_.api_key}}};
}

testing::Reply ZeroExTaker::submit(const ZeroExQuote& q, const std::string& fill,
                                   const std::string& fee_token) const {
  auto c = submit_call(q, fill, fee_token);
  return testing::http_call(c_.port, c.method, c.target, c.body, c.headers);
}

}  // namespace aq::standins
