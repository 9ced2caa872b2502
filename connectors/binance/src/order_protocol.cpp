#include "aqueduct/connectors/binance/order_protocol.hpp"

#include "aqueduct/connectors/binance/signing.hpp"
#include "aqueduct/connectors/json_answer.hpp"
#include "aqueduct/net/url.hpp"

namespace aq::binance {

namespace json = boost::json;
namespace http = boost::beast::http;
namespace msg = aqueduct::msg;
using connectors::Answer;
using connectors::text_of;
using connectors::units_of;
using connectors::Verdict;
using connectors::unknown;

namespace {
constexpr int64_t kRecvWindowMs = 5000;

// An integer field written as a JSON number (orderId, times, trade ids), as text.
std::string number_text(const json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  if (!v) return {};
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  if (v->is_int64() && v->as_int64() >= 0) return std::to_string(v->as_int64());
  return {};
}

int64_t millis(const json::object* o, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) {
    auto t = number_text(o, k);
    if (!t.empty() && t.size() <= 15) return std::stoll(t);
  }
  return 0;
}

// {"code":-2013,"msg":"..."}: the code, or 0 when the body is not such an error.
int error_code(std::string_view body, std::string* text = nullptr) {
  auto v = connectors::parse_answer(body);
  const auto* o = v ? v->if_object() : nullptr;
  const auto* c = o ? o->if_contains("code") : nullptr;
  if (!c || !c->is_int64()) return 0;
  if (text) *text = "binance " + std::to_string(c->as_int64()) + ": " + text_of(o, "msg");
  return static_cast<int>(c->as_int64());
}

msg::OrderStatus status_of(const std::string& s) {
  if (s == "NEW") return msg::ORDER_NEW;
  if (s == "PARTIALLY_FILLED") return msg::ORDER_PARTIALLY_FILLED;
  if (s == "FILLED") return msg::ORDER_FILLED;
  if (s == "CANCELED") return msg::ORDER_CANCELED;
  // An IOC remainder expires; with fills it expired partly filled.
  if (s == "EXPIRED" || s == "EXPIRED_IN_MATCH") return msg::ORDER_EXPIRED;
  if (s == "REJECTED") return msg::ORDER_REJECTED;
  return msg::ORDER_UNKNOWN;
}

// An order as both APIs write it (spot: cummulativeQuoteQty and, when placed, fills;
// futures: cumQuote). A working order is Open (to the query) or Accepted (to the placement).
Answer read_order(std::string_view body, const Instrument& inst, Verdict working) {
  auto v = connectors::parse_answer(body);
  const auto* o = v ? v->if_object() : nullptr;
  if (!o) return unknown("unreadable order answer");
  Answer a;
  auto status = text_of(o, "status");
  a.outcome.venue_order_id = number_text(o, "orderId");
  a.outcome.status = status_of(status);
  a.outcome.venue_ts_ms = millis(o, {"transactTime", "updateTime", "time"});
  auto filled = units_of(text_of(o, "executedQty"), inst.qty_scale);
  auto quote_text = text_of(o, "cummulativeQuoteQty");
  if (quote_text.empty()) quote_text = text_of(o, "cumQuote");
  auto quote = units_of(quote_text, inst.price_scale + inst.qty_scale);
  if (a.outcome.status == msg::ORDER_UNKNOWN || a.outcome.venue_order_id.empty() || !filled || !quote)
    return unknown("order answer without a readable status '" + status + "', orderId or quantities");
  a.outcome.filled_qty = *filled;
  a.outcome.filled_quote = *quote;
  if (const auto* f = o->if_contains("fills"); f && f->is_array()) {
    int64_t sum = 0;
    for (const auto& fv : f->as_array()) {
      const auto* fo = fv.if_object();
      auto px = units_of(text_of(fo, "price"), inst.price_scale);
      auto qty = units_of(text_of(fo, "qty"), inst.qty_scale);
      if (!px || !qty || *px <= 0 || *qty <= 0) return unknown("unreadable fill in the order answer");
      a.outcome.fills.push_back({*px, *qty, number_text(fo, "tradeId")});
      sum += *qty;
    }
    // Fills that do not add up to the executed quantity are not trusted: the trades are
    // fetched instead.
    if (sum != *filled) a.outcome.fills.clear();
  }
  if (a.outcome.status == msg::ORDER_NEW || a.outcome.status == msg::ORDER_PARTIALLY_FILLED) {
    a.verdict = working;
    return a;
  }
  a.verdict = Verdict::Final;
  return a;
}

}  // namespace

std::string OrderProtocol::path(const char* what) const {
  return std::string(market_ == Market::Spot ? "/api/v3/" : "/fapi/v1/") + what;
}

connectors::RestRequest OrderProtocol::signed_request(http::verb verb, const std::string& path,
                                                      const std::string& query, std::vector<int64_t> cost) const {
  connectors::RestRequest r;
  r.verb = verb;
  r.target = path + "?" + sign_query(query, creds_.api_secret);
  r.headers = {{"X-MBX-APIKEY", creds_.api_key}};
  r.cost = std::move(cost);
  return r;
}

connectors::RestRequest OrderProtocol::place(const connectors::LimitOrder& o, const Instrument& inst,
                                             int64_t now_ms) const {
  // Spot: weight 1 and one order in each order bucket. Futures: no IP weight, one order in each.
  return signed_request(http::verb::post, path("order"), new_order_query(o, inst, kRecvWindowMs, now_ms),
                        market_ == Market::Spot ? std::vector<int64_t>{1, 1, 1} : std::vector<int64_t>{0, 1, 1});
}

Answer OrderProtocol::read_place(const connectors::RestAnswer& a, const Instrument& inst) const {
  // 5xx: Binance documents the outcome as unknown. 429/418: refused before matching, but a
  // hedge does not take a rate limiter's word for it: the query by client id decides.
  if (a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  if (a.status == 429 || a.status == 418) return unknown("HTTP " + std::to_string(a.status) + " (rate limited)");
  if (a.status != 200) {
    Answer out;
    out.verdict = Verdict::Final;
    out.outcome.status = msg::ORDER_REJECTED;
    out.outcome.detail = "HTTP " + std::to_string(a.status);
    int code = error_code(a.body, &out.outcome.detail);
    // -2010 "Duplicate order sent": an order with this client id exists already (sent before a
    // restart or a lost reply). Its outcome is that order's.
    if (code == -2010 && out.outcome.detail.find("Duplicate") != std::string::npos) return unknown(out.outcome.detail);
    // -1007: the engine timed out; the order may have executed.
    if (code == -1007) return unknown(out.outcome.detail);
    return out;
  }
  return read_order(a.body, inst, Verdict::Accepted);
}

connectors::RestRequest OrderProtocol::query(const connectors::LimitOrder& o, const Instrument&, int64_t now_ms) const {
  return signed_request(http::verb::get, path("order"),
                        order_status_query(o.symbol, o.client_order_id, kRecvWindowMs, now_ms),
                        {market_ == Market::Spot ? 4 : 1});
}

Answer OrderProtocol::read_query(const connectors::RestAnswer& a, const Instrument& inst) const {
  if (a.status == 200) return read_order(a.body, inst, Verdict::Open);
  std::string detail = "HTTP " + std::to_string(a.status);
  if (a.status == 400 && error_code(a.body, &detail) == -2013) {  // "Order does not exist."
    Answer out;
    out.verdict = Verdict::NotFound;
    return out;
  }
  return unknown(detail);
}

connectors::RestRequest OrderProtocol::cancel(const connectors::LimitOrder& o, const Instrument&, int64_t now_ms) const {
  return signed_request(http::verb::delete_, path("order"),
                        order_status_query(o.symbol, o.client_order_id, kRecvWindowMs, now_ms), {1});
}

Answer OrderProtocol::read_cancel(const connectors::RestAnswer& a, const Instrument& inst) const {
  if (a.status == 200) {
    auto out = read_order(a.body, inst, Verdict::Open);
    if (out.verdict != Verdict::Unknown) out.verdict = Verdict::Final;
    return out;
  }
  std::string detail = "HTTP " + std::to_string(a.status);
  int code = a.status == 400 ? error_code(a.body, &detail) : 0;
  if (code == -2011) {
    // "Unknown order sent.": Binance's answer for an order already filled or expired too.
    Answer out;
    out.verdict = Verdict::Accepted;
    out.outcome.detail = "cancel refused: " + detail;
    return out;
  }
  if (code == -2013) {
    Answer out;
    out.verdict = Verdict::NotFound;
    return out;
  }
  return unknown("cancel: " + detail);
}

std::optional<connectors::RestRequest> OrderProtocol::fills(const std::string& venue_order_id, const Instrument& inst,
                                                            int64_t now_ms) const {
  std::string q = "symbol=" + net::url_encode(inst.symbol) + "&orderId=" + net::url_encode(venue_order_id) +
                  "&recvWindow=" + std::to_string(kRecvWindowMs) + "&timestamp=" + std::to_string(now_ms);
  if (market_ == Market::Spot) return signed_request(http::verb::get, path("myTrades"), q, {20});
  return signed_request(http::verb::get, path("userTrades"), q, {5});
}

std::optional<std::vector<connectors::OrderFill>> OrderProtocol::read_fills(const connectors::RestAnswer& a,
                                                                            const Instrument& inst) const {
  if (a.status != 200) return std::nullopt;
  auto v = connectors::parse_answer(a.body);
  if (!v || !v->is_array()) return std::nullopt;
  std::vector<connectors::OrderFill> out;
  for (const auto& tv : v->as_array()) {
    const auto* t = tv.if_object();
    auto px = units_of(text_of(t, "price"), inst.price_scale);
    auto qty = units_of(text_of(t, "qty"), inst.qty_scale);
    auto id = number_text(t, "id");
    if (!px || !qty || *px <= 0 || *qty <= 0 || id.empty()) return std::nullopt;
    out.push_back({*px, *qty, std::move(id)});
  }
  return out;
}

std::optional<connectors::RestRequest> OrderProtocol::account(int64_t now_ms) const {
  if (market_ == Market::Spot) return std::nullopt;  // spot holds balances, not margin
  // GET /fapi/v2/account, weight 5. Single-asset mode: the totals are the USDT account's.
  return signed_request(
      http::verb::get, "/fapi/v2/account",
      "recvWindow=" + std::to_string(kRecvWindowMs) + "&timestamp=" + std::to_string(now_ms),
      {5, 0, 0});
}

std::optional<connectors::MarginAccount> OrderProtocol::read_account(
    const connectors::RestAnswer& a, std::string& why) const {
  if (market_ == Market::Spot) return connectors::OrderProtocol::read_account(a, why);
  std::string err;
  if (a.status != 200) {
    why = error_code(a.body, &err) ? err : "HTTP " + std::to_string(a.status);
    return std::nullopt;
  }
  auto v = connectors::parse_answer(a.body);
  const auto* o = v ? v->if_object() : nullptr;
  auto equity = connectors::account_amount(text_of(o, "totalMarginBalance"));
  auto available = connectors::account_amount(text_of(o, "availableBalance"));
  if (!equity || !available) {
    why = "account answer without readable totalMarginBalance and availableBalance";
    return std::nullopt;
  }
  return connectors::MarginAccount{"USDT", *equity, *available};
}

std::optional<connectors::RestRequest> OrderProtocol::funding_history(const Instrument& inst,
                                                                      int64_t from_ms,
                                                                      int64_t to_ms) const {
  if (market_ == Market::Spot || inst.kind == InstrumentKind::Spot) return std::nullopt;
  connectors::RestRequest r;
  r.target = "/fapi/v1/fundingRate?symbol=" + inst.symbol +
             "&startTime=" + std::to_string(from_ms) + "&endTime=" + std::to_string(to_ms) +
             "&limit=" + std::to_string(kFundingPage);
  r.cost = {1, 0, 0};
  return r;
}

std::optional<connectors::FundingHistoryPage> OrderProtocol::read_funding_history(
    const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const {
  std::string err;
  if (a.status != 200) {
    why = error_code(a.body, &err) ? err : "HTTP " + std::to_string(a.status);
    return std::nullopt;
  }
  auto v = connectors::parse_answer(a.body);
  if (!v || !v->is_array()) {
    why = "funding history answer is not an array";
    return std::nullopt;
  }
  connectors::FundingHistoryPage page;
  for (const auto& e : v->as_array()) {
    const auto* o = e.if_object();
    auto rate = Decimal::parse_natural(text_of(o, "fundingRate"));
    int64_t at = millis(o, {"fundingTime"});
    if (!o || text_of(o, "symbol") != inst.symbol || !rate || at <= 0) {
      why = "funding history entry without " + inst.symbol + ", a fundingRate and a fundingTime";
      return std::nullopt;
    }
    page.settlements.push_back({at, *rate});
  }
  page.full = page.settlements.size() >= static_cast<size_t>(kFundingPage);
  return page;
}

}  // namespace aq::binance
