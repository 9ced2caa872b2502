#include "aqueduct/connectors/bybit/order_protocol.hpp"

#include <algorithm>
#include <cstdlib>

#include "aqueduct/connectors/bybit/signing.hpp"
#include "aqueduct/connectors/json_answer.hpp"

namespace aq::bybit {

namespace json = boost::json;
namespace http = boost::beast::http;
using connectors::Answer;
using connectors::text_of;
using connectors::units_of;
using connectors::Verdict;
using connectors::unknown;

namespace {
constexpr int64_t kRecvWindowMs = 5000;

std::string category(const Instrument& inst) { return inst.kind == InstrumentKind::Spot ? "spot" : "linear"; }

// result.list[0] of a v5 answer, or nullptr.
const json::object* first_in_list(const json::value& v) {
  const auto* r = v.is_object() ? v.as_object().if_contains("result") : nullptr;
  const auto* l = r && r->is_object() ? r->as_object().if_contains("list") : nullptr;
  if (!l || !l->is_array() || l->as_array().empty()) return nullptr;
  return l->as_array()[0].if_object();
}

int64_t ret_code(const json::value& v) {
  const auto* c = v.is_object() ? v.as_object().if_contains("retCode") : nullptr;
  return c && c->is_int64() ? c->as_int64() : -1;
}

// An answer that is not a success (HTTP 200 with retCode 0): true, and `why` says what the
// venue said of the `what` request.
bool refused(const char* what, const connectors::RestAnswer& a, const std::optional<json::value>& v,
             std::string& why) {
  if (a.status == 200 && v && ret_code(*v) == 0) return false;
  why = std::string("bybit ") + what + ": HTTP " + std::to_string(a.status);
  if (v && v->is_object())
    why += ", retCode " + std::to_string(ret_code(*v)) + ": " + text_of(v->if_object(), "retMsg");
  return true;
}
}  // namespace

connectors::RestRequest OrderProtocol::signed_request(http::verb verb, std::string target, std::string body,
                                                      int64_t now_ms, std::vector<int64_t> cost) const {
  // GET signs the raw query string, POST the raw body (venues.md §4.6).
  auto q = target.find('?');
  std::string payload = verb == http::verb::get ? (q == std::string::npos ? "" : target.substr(q + 1)) : body;
  connectors::RestRequest r;
  r.verb = verb;
  r.headers = {{"X-BAPI-API-KEY", creds_.api_key},
               {"X-BAPI-TIMESTAMP", std::to_string(now_ms)},
               {"X-BAPI-RECV-WINDOW", std::to_string(kRecvWindowMs)},
               {"X-BAPI-SIGN", sign(creds_.api_secret, now_ms, creds_.api_key, kRecvWindowMs, payload)},
               {"Content-Type", "application/json"}};
  r.target = std::move(target);
  r.body = std::move(body);
  r.cost = std::move(cost);
  return r;
}

connectors::RestRequest OrderProtocol::place(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const {
  return signed_request(http::verb::post, "/v5/order/create", new_order_body(o, inst, category(inst)), now_ms, {1, 0, 1});
}

Answer OrderProtocol::read_place(const connectors::RestAnswer& a, const Instrument&) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  auto v = connectors::parse_answer(a.body);
  if (!v || !v->is_object()) return unknown("unreadable answer (HTTP " + std::to_string(a.status) + ")");
  auto code = ret_code(*v);
  auto msg = text_of(v->if_object(), "retMsg");
  // 10006: too many visits; 10016: server error; 110072: orderLinkId already used (sent before).
  if (code == 10006 || code == 10016 || code == 110072) return unknown("bybit " + std::to_string(code) + ": " + msg);
  Answer out;
  if (code == 0) {
    const auto* r = v->as_object().if_contains("result");
    out.verdict = Verdict::Accepted;
    out.outcome.venue_order_id = text_of(r ? r->if_object() : nullptr, "orderId");
    return out;
  }
  out.verdict = Verdict::Final;
  out.outcome.status = aqueduct::msg::ORDER_REJECTED;
  out.outcome.detail = "bybit " + std::to_string(code) + ": " + msg;
  return out;
}

connectors::RestRequest OrderProtocol::query(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const {
  return signed_request(http::verb::get,
                        "/v5/order/realtime?category=" + category(inst) + "&symbol=" + inst.symbol + "&orderLinkId=" +
                            o.client_order_id,
                        {}, now_ms, {0, 1, 1});
}

Answer OrderProtocol::read_query(const connectors::RestAnswer& a, const Instrument& inst) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  auto v = connectors::parse_answer(a.body);
  if (!v || ret_code(*v) != 0) return unknown("query failed: " + std::string(a.body.substr(0, 200)));
  const auto* o = first_in_list(*v);
  Answer out;
  if (!o) {
    out.verdict = Verdict::NotFound;
    return out;
  }
  auto filled = units_of(text_of(o, "cumExecQty"), inst.qty_scale);
  if (!filled) return unknown("unreadable cumExecQty");
  out.outcome.venue_order_id = text_of(o, "orderId");
  out.outcome.filled_qty = *filled;
  out.outcome.venue_ts_ms = std::atoll(text_of(o, "updatedTime").c_str());
  auto st = text_of(o, "orderStatus");
  if (st == "New" || st == "PartiallyFilled" || st == "Untriggered") {
    out.verdict = Verdict::Open;
    return out;
  }
  out.verdict = Verdict::Final;
  if (st == "Filled") out.outcome.status = aqueduct::msg::ORDER_FILLED;
  else if (st == "Cancelled" || st == "PartiallyFilledCanceled" || st == "Deactivated")
    out.outcome.status = aqueduct::msg::ORDER_EXPIRED;  // the IOC remainder
  else if (st == "Rejected" && *filled == 0)
    out.outcome.status = aqueduct::msg::ORDER_REJECTED;
  else
    return unknown("orderStatus '" + st + "'");
  return out;
}

connectors::RestRequest OrderProtocol::cancel(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const {
  return signed_request(http::verb::post, "/v5/order/cancel", cancel_body(category(inst), inst.symbol, o.client_order_id), now_ms, {1, 0, 1});
}

Answer OrderProtocol::read_cancel(const connectors::RestAnswer& a, const Instrument&) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  auto v = connectors::parse_answer(a.body);
  if (!v || !v->is_object()) return unknown("unreadable answer");
  auto code = ret_code(*v);
  Answer out;
  if (code == 0) {
    out.verdict = Verdict::Final;
    out.outcome.status = aqueduct::msg::ORDER_CANCELED;
    return out;
  }
  // 110001: "order not exists or too late to cancel" — filled or done, or never placed: the
  // query tells which (an order it cannot find never reached the book).
  if (code == 110001) {
    out.verdict = Verdict::Accepted;
    out.outcome.detail = "cancel refused: " + text_of(v->if_object(), "retMsg");
    return out;
  }
  return unknown("bybit cancel " + std::to_string(code) + ": " + text_of(v->if_object(), "retMsg"));
}

std::optional<connectors::RestRequest> OrderProtocol::fills(const std::string& venue_order_id, const Instrument& inst,
                                                            int64_t now_ms) const {
  return signed_request(http::verb::get,
                        "/v5/execution/list?category=" + category(inst) + "&symbol=" + inst.symbol + "&orderId=" +
                            venue_order_id,
                        {}, now_ms, {0, 1, 1});
}

std::optional<std::vector<connectors::OrderFill>> OrderProtocol::read_fills(const connectors::RestAnswer& a,
                                                                            const Instrument& inst) const {
  if (a.status != 200) return std::nullopt;
  auto v = connectors::parse_answer(a.body);
  if (!v || ret_code(*v) != 0) return std::nullopt;
  const auto* r = v->as_object().if_contains("result");
  const auto* l = r && r->is_object() ? r->as_object().if_contains("list") : nullptr;
  if (!l || !l->is_array()) return std::nullopt;
  std::vector<connectors::OrderFill> out;
  for (const auto& ev : l->as_array()) {
    const auto* e = ev.if_object();
    auto px = units_of(text_of(e, "execPrice"), inst.price_scale);
    auto qty = units_of(text_of(e, "execQty"), inst.qty_scale);
    if (!px || !qty || *px <= 0 || *qty <= 0) return std::nullopt;
    out.push_back({*px, *qty, text_of(e, "execId")});
  }
  return out;
}

std::optional<connectors::RestRequest> OrderProtocol::account(int64_t now_ms) const {
  // The unified account's wallet (v5): its totals are in USD over every coin it holds.
  return signed_request(http::verb::get, "/v5/account/wallet-balance?accountType=UNIFIED", {},
                        now_ms, {0, 1, 1});
}

std::optional<connectors::MarginAccount> OrderProtocol::read_account(
    const connectors::RestAnswer& a, std::string& why) const {
  auto v = connectors::parse_answer(a.body);
  if (refused("wallet-balance", a, v, why)) return std::nullopt;
  const auto* acct = first_in_list(*v);
  auto equity = connectors::account_amount(text_of(acct, "totalEquity"));
  auto available = connectors::account_amount(text_of(acct, "totalAvailableBalance"));
  if (!equity || !available) {
    why = "bybit wallet-balance without readable totalEquity and totalAvailableBalance";
    return std::nullopt;
  }
  return connectors::MarginAccount{"USD", *equity, *available};
}

std::optional<connectors::RestRequest> OrderProtocol::funding_history(const Instrument& inst,
                                                                      int64_t from_ms,
                                                                      int64_t to_ms) const {
  if (inst.kind == InstrumentKind::Spot) return std::nullopt;
  connectors::RestRequest r;
  // Market data: counted against the IP's limit, not the account's order buckets.
  r.target = "/v5/market/funding/history?category=linear&symbol=" + inst.symbol +
             "&startTime=" + std::to_string(from_ms) + "&endTime=" + std::to_string(to_ms) +
             "&limit=" + std::to_string(kFundingPage);
  return r;
}

std::optional<connectors::FundingHistoryPage> OrderProtocol::read_funding_history(
    const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const {
  auto v = connectors::parse_answer(a.body);
  if (refused("funding/history", a, v, why)) return std::nullopt;
  const auto* res = v->as_object().if_contains("result");
  const auto* list = res && res->is_object() ? res->as_object().if_contains("list") : nullptr;
  if (!list || !list->is_array()) {
    why = "bybit funding/history without result.list";
    return std::nullopt;
  }
  connectors::FundingHistoryPage page;
  for (const auto& e : list->as_array()) {
    const auto* o = e.if_object();
    auto rate = Decimal::parse_natural(text_of(o, "fundingRate"));
    auto at = connectors::ms_text(text_of(o, "fundingRateTimestamp"));
    if (!o || text_of(o, "symbol") != inst.symbol || !rate || !at) {
      why = "bybit funding/history entry without " + inst.symbol +
            ", a fundingRate and a fundingRateTimestamp";
      return std::nullopt;
    }
    page.settlements.push_back({*at, *rate});
  }
  std::reverse(page.settlements.begin(), page.settlements.end());  // oldest first
  page.full = page.settlements.size() >= static_cast<size_t>(kFundingPage);
  return page;
}

}  // namespace aq::bybit
