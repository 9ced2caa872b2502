#include "aqueduct/connectors/binance/signing.hpp"

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"

namespace aq::binance {

std::string new_order_query(const NewOrder& o, const Instrument& inst, int64_t recv_window_ms,
                            int64_t timestamp_ms) {
  std::string q;
  q += "symbol=" + net::url_encode(o.symbol);
  q += o.side == Side::Buy ? "&side=BUY" : "&side=SELL";
  if (o.tif == connectors::TimeInForce::Ioc)
    q += "&type=LIMIT&timeInForce=IOC";
  else if (inst.kind == InstrumentKind::Spot)
    q += "&type=LIMIT_MAKER";  // spot's post-only type: refused (-2010) if it would take
  else
    q += "&type=LIMIT&timeInForce=GTX";  // futures' post-only: refused (-5022) if it would take
  q += "&quantity=" + inst.qty(o.qty).to_string();
  q += "&price=" + inst.price(o.price).to_string();
  if (!o.client_order_id.empty()) q += "&newClientOrderId=" + net::url_encode(o.client_order_id);
  q += "&recvWindow=" + std::to_string(recv_window_ms);
  q += "&timestamp=" + std::to_string(timestamp_ms);
  return q;
}

std::string order_status_query(const std::string& symbol, const std::string& client_order_id,
                               int64_t recv_window_ms, int64_t timestamp_ms) {
  return "symbol=" + net::url_encode(symbol) +
         "&origClientOrderId=" + net::url_encode(client_order_id) +
         "&recvWindow=" + std::to_string(recv_window_ms) +
         "&timestamp=" + std::to_string(timestamp_ms);
}

std::string sign_query(const std::string& query, const std::string& secret) {
  return query + "&signature=" + net::hmac_sha256_hex(secret, query);
}

}  // namespace aq::binance
