#include "aqueduct/connectors/okx/order_protocol.hpp"

#include <boost/json.hpp>

#include "aqueduct/connectors/json_answer.hpp"
#include "aqueduct/connectors/okx/signing.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace aq::okx {

namespace json = boost::json;
namespace http = boost::beast::http;
using connectors::Answer;
using connectors::Verdict;
using connectors::unknown;
using aqueduct::msg::OrderStatus;

namespace {

const json::object* first_data(const json::value& v) {
  const auto* o = v.if_object();
  const auto* d = o ? o->if_contains("data") : nullptr;
  if (!d || !d->is_array() || d->as_array().empty()) return nullptr;
  return d->as_array()[0].if_object();
}

std::string s(const json::object* o, std::string_view k) { return connectors::text_of(o, k); }
std::optional<int64_t> units(const std::string& text, int scale) { return connectors::units_of(text, scale); }

}  // namespace

std::string OrderProtocol::venue_client_id(const std::string& id) const {
  std::string out;
  for (char c : id)
    if (std::isalnum(static_cast<unsigned char>(c)) && out.size() < 32) out += c;
  return out;
}

connectors::RestRequest OrderProtocol::signed_request(http::verb verb, std::string target, std::string body,
                                                      int64_t now_ms, std::vector<int64_t> cost) const {
  auto ts = connectors::iso8601_ms(now_ms);
  connectors::RestRequest r;
  r.verb = verb;
  r.headers = {{"OK-ACCESS-KEY", creds_.api_key},
               {"OK-ACCESS-SIGN", sign(creds_.api_secret, ts, std::string(http::to_string(verb)), target, body)},
               {"OK-ACCESS-TIMESTAMP", ts},
               {"OK-ACCESS-PASSPHRASE", creds_.passphrase},
               {"Content-Type", "application/json"}};
  r.target = std::move(target);
  r.body = std::move(body);
  r.cost = std::move(cost);
  return r;
}

connectors::RestRequest OrderProtocol::place(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const {
  auto order = o;
  order.client_order_id = venue_client_id(o.client_order_id);
  auto body = new_order_body(order, inst, inst.kind == InstrumentKind::Spot ? "cash" : "cross");
  return signed_request(http::verb::post, "/api/v5/trade/order", std::move(body), now_ms, {1, 0, 0, 0});
}

Answer OrderProtocol::read_place(const connectors::RestAnswer& a, const Instrument&) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  boost::system::error_code ec;
  auto v = json::parse(a.body, ec);
  if (ec || !v.is_object()) return unknown("unreadable answer (HTTP " + std::to_string(a.status) + ")");
  auto code = s(v.if_object(), "code");
  const auto* d = first_data(v);
  auto scode = s(d, "sCode");
  // 50011: rate limited; 51016: duplicated clOrdId (we sent it before) — the query decides.
  if (code == "50011" || scode == "50011" || scode == "51016")
    return unknown("OKX " + (scode.empty() ? code : scode) + ": " + (d ? s(d, "sMsg") : s(v.if_object(), "msg")));
  Answer out;
  if (code == "0" && scode == "0") {
    out.verdict = Verdict::Accepted;
    out.outcome.venue_order_id = s(d, "ordId");
    return out;
  }
  out.verdict = Verdict::Final;
  out.outcome.status = aqueduct::msg::ORDER_REJECTED;
  out.outcome.detail = "okx " + (scode.empty() ? code + ": " + s(v.if_object(), "msg") : scode + ": " + s(d, "sMsg"));
  return out;
}

connectors::RestRequest OrderProtocol::query(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const {
  return signed_request(http::verb::get,
                        "/api/v5/trade/order?instId=" + inst.symbol + "&clOrdId=" + venue_client_id(o.client_order_id), {},
                        now_ms, {0, 0, 1, 0});
}

Answer OrderProtocol::read_query(const connectors::RestAnswer& a, const Instrument& inst) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  boost::system::error_code ec;
  auto v = json::parse(a.body, ec);
  if (ec || !v.is_object()) return unknown("unreadable answer");
  auto code = s(v.if_object(), "code");
  if (code == "51603") {  // "Order does not exist"
    Answer out;
    out.verdict = Verdict::NotFound;
    return out;
  }
  const auto* d = first_data(v);
  if (code != "0" || !d) return unknown("okx " + code + ": " + s(v.if_object(), "msg"));
  auto state = s(d, "state");
  auto filled = units(s(d, "accFillSz"), inst.qty_scale);
  auto size = units(s(d, "sz"), inst.qty_scale);
  if (!filled || !size) return unknown("unreadable sizes in the order");
  Answer out;
  out.outcome.venue_order_id = s(d, "ordId");
  out.outcome.filled_qty = *filled;
  auto ts = s(d, "uTime");
  out.outcome.venue_ts_ms = ts.empty() ? 0 : std::atoll(ts.c_str());
  if (state == "live" || state == "partially_filled") {
    out.verdict = Verdict::Open;
    return out;
  }
  out.verdict = Verdict::Final;
  if (state == "filled") out.outcome.status = aqueduct::msg::ORDER_FILLED;
  else if (state == "canceled" || state == "mmp_canceled")
    // An IOC remainder is cancelled: with fills it expired partly filled, as Binance says it.
    out.outcome.status = aqueduct::msg::ORDER_EXPIRED;
  else
    return unknown("state '" + state + "' is not one OKX documents");
  return out;
}

connectors::RestRequest OrderProtocol::cancel(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const {
  return signed_request(http::verb::post, "/api/v5/trade/cancel-order",
                        R"({"instId":")" + inst.symbol + R"(","clOrdId":")" + venue_client_id(o.client_order_id) + R"("})",
                        now_ms, {0, 1, 0, 0});
}

Answer OrderProtocol::read_cancel(const connectors::RestAnswer& a, const Instrument&) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  auto v = connectors::parse_answer(a.body);
  if (!v || !v->is_object()) return unknown("unreadable answer");
  const auto* d = first_data(*v);
  auto code = s(v->if_object(), "code");
  auto scode = s(d, "sCode");
  Answer out;
  if (code == "0" && scode == "0") {
    out.verdict = Verdict::Final;
    out.outcome.status = aqueduct::msg::ORDER_CANCELED;
    return out;
  }
  // 51400-51402: already filled, cancelled or finished — its state comes from the query.
  if (scode == "51400" || scode == "51401" || scode == "51402") {
    out.verdict = Verdict::Accepted;
    out.outcome.detail = "cancel refused: " + s(d, "sMsg");
    return out;
  }
  if (scode == "51603") {
    out.verdict = Verdict::NotFound;
    return out;
  }
  return unknown("okx cancel " + (scode.empty() ? code : scode) + ": " + (d ? s(d, "sMsg") : s(v->if_object(), "msg")));
}

std::optional<connectors::RestRequest> OrderProtocol::fills(const std::string& venue_order_id, const Instrument& inst,
                                                            int64_t now_ms) const {
  return signed_request(http::verb::get,
                        std::string("/api/v5/trade/fills?instType=") + (inst.kind == InstrumentKind::Spot ? "SPOT" : "SWAP") +
                            "&instId=" + inst.symbol + "&ordId=" + venue_order_id,
                        {}, now_ms, {0, 0, 0, 1});
}

std::optional<std::vector<connectors::OrderFill>> OrderProtocol::read_fills(const connectors::RestAnswer& a,
                                                                            const Instrument& inst) const {
  if (a.status != 200) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(a.body, ec);
  if (ec || !v.is_object() || s(v.if_object(), "code") != "0") return std::nullopt;
  const auto* d = v.as_object().if_contains("data");
  if (!d || !d->is_array()) return std::nullopt;
  std::vector<connectors::OrderFill> out;
  for (const auto& fv : d->as_array()) {
    const auto* f = fv.if_object();
    auto px = units(s(f, "fillPx"), inst.price_scale);
    auto sz = units(s(f, "fillSz"), inst.qty_scale);
    if (!px || !sz || *px <= 0 || *sz <= 0) return std::nullopt;
    out.push_back({*px, *sz, s(f, "tradeId")});
  }
  return out;
}

std::optional<connectors::RestRequest> OrderProtocol::account(int64_t now_ms) const {
  // The trading account's USDT: OKX's swaps here are USDT-margined. The endpoint has its own
  // limit (10 requests per 2 s), apart from the order buckets, and is polled far below it.
  return signed_request(http::verb::get, "/api/v5/account/balance?ccy=USDT", {}, now_ms, {});
}

std::optional<connectors::MarginAccount> OrderProtocol::read_account(
    const connectors::RestAnswer& a, std::string& why) const {
  auto v = connectors::parse_answer(a.body);
  const auto* o = v ? v->if_object() : nullptr;
  if (a.status != 200 || !o || s(o, "code") != "0") {
    why = "okx account/balance: HTTP " + std::to_string(a.status);
    if (o) why += ", code " + s(o, "code") + ": " + s(o, "msg");
    return std::nullopt;
  }
  const auto* d = first_data(*v);
  const auto* details = d ? d->if_contains("details") : nullptr;
  if (details && details->is_array()) {
    for (const auto& dv : details->as_array()) {
      const auto* c = dv.if_object();
      if (s(c, "ccy") != "USDT") continue;
      // availEq is the currency's equity free for new positions in the margin modes; the
      // simple (spot) mode leaves it empty and has availBal instead.
      auto avail_text = s(c, "availEq");
      if (avail_text.empty()) avail_text = s(c, "availBal");
      auto equity = connectors::account_amount(s(c, "eq"));
      auto available = connectors::account_amount(avail_text);
      if (!equity || !available) break;
      return connectors::MarginAccount{"USDT", *equity, *available};
    }
  }
  why = "okx account/balance without a readable USDT detail (eq and availEq)";
  return std::nullopt;
}

std::optional<connectors::RestRequest> OrderProtocol::funding_history(const Instrument& inst,
                                                                      int64_t from_ms,
                                                                      int64_t to_ms) const {
  if (inst.kind == InstrumentKind::Spot) return std::nullopt;
  connectors::RestRequest r;
  // `before` and `after` are exclusive bounds on fundingTime (newer than, older than).
  r.target = "/api/v5/public/funding-rate-history?instId=" + inst.symbol +
             "&before=" + std::to_string(from_ms - 1) + "&after=" + std::to_string(to_ms + 1) +
             "&limit=" + std::to_string(kFundingPage);
  return r;
}

std::optional<connectors::FundingHistoryPage> OrderProtocol::read_funding_history(
    const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const {
  auto v = connectors::parse_answer(a.body);
  const auto* o = v ? v->if_object() : nullptr;
  const auto* data = o ? o->if_contains("data") : nullptr;
  if (a.status != 200 || !o || s(o, "code") != "0" || !data || !data->is_array()) {
    why = "okx funding-rate-history: HTTP " + std::to_string(a.status);
    if (o) why += ", code " + s(o, "code") + ": " + s(o, "msg");
    return std::nullopt;
  }
  connectors::FundingHistoryPage page;
  for (const auto& e : data->as_array()) {
    const auto* d = e.if_object();
    // realizedRate is what settled; fundingRate what was announced for it.
    auto text = s(d, "realizedRate");
    if (text.empty()) text = s(d, "fundingRate");
    auto rate = Decimal::parse_natural(text);
    auto at = connectors::ms_text(s(d, "fundingTime"));
    if (!d || s(d, "instId") != inst.symbol || !rate || !at) {
      why = "okx funding-rate-history entry without " + inst.symbol + ", a rate and a fundingTime";
      return std::nullopt;
    }
    page.settlements.push_back({*at, *rate});
  }
  std::reverse(page.settlements.begin(), page.settlements.end());  // oldest first
  page.full = page.settlements.size() >= static_cast<size_t>(kFundingPage);
  return page;
}

}  // namespace aq::okx
