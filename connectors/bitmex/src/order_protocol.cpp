#include "aqueduct/connectors/bitmex/order_protocol.hpp"

#include "aqueduct/connectors/bitmex/signing.hpp"
#include "aqueduct/connectors/json_answer.hpp"
#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/levels.hpp"
#include "aqueduct/connectors/time_text.hpp"
#include "aqueduct/net/url.hpp"

namespace aq::bitmex {

namespace json = boost::json;
namespace http = boost::beast::http;
using connectors::Answer;
using connectors::text_of;
using connectors::Verdict;
using connectors::unknown;

namespace {
constexpr int64_t kExpiresAfterS = 60;

// A JSON number holding whole contracts (or null, 0), exactly.
std::optional<int64_t> contracts(const json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  if (!v || v->is_null()) return int64_t{0};
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v->as_uint64());
  return std::nullopt;
}

// An order row to an answer: IOC rows are final when BitMEX answers with them.
Answer from_row(const json::object* o) {
  auto cum = contracts(o, "cumQty");
  if (!o || !cum) return unknown("unreadable order row");
  Answer out;
  out.outcome.venue_order_id = text_of(o, "orderID");
  out.outcome.filled_qty = *cum;
  if (auto ts = connectors::parse_iso8601_ns(text_of(o, "transactTime"))) out.outcome.venue_ts_ms = *ts / 1'000'000;
  auto st = text_of(o, "ordStatus");
  if (st == "New" || st == "PartiallyFilled") {
    out.verdict = Verdict::Open;
    return out;
  }
  out.verdict = Verdict::Final;
  if (st == "Filled") out.outcome.status = aqueduct::msg::ORDER_FILLED;
  else if (st == "Canceled") out.outcome.status = aqueduct::msg::ORDER_EXPIRED;  // the IOC remainder
  else if (st == "Rejected" && *cum == 0) {
    out.outcome.status = aqueduct::msg::ORDER_REJECTED;
    out.outcome.detail = "bitmex: " + text_of(o, "text");
  } else {
    return unknown("ordStatus '" + st + "'");
  }
  return out;
}
}  // namespace

connectors::RestRequest OrderProtocol::signed_request(http::verb verb, std::string target, std::string body,
                                                      int64_t now_ms, std::vector<int64_t> cost) const {
  int64_t expires = now_ms / 1000 + kExpiresAfterS;
  connectors::RestRequest r;
  r.verb = verb;
  r.headers = {{"api-key", creds_.api_key},
               {"api-expires", std::to_string(expires)},
               {"api-signature", sign(creds_.api_secret, std::string(http::to_string(verb)), target, expires, body)},
               {"Content-Type", "application/json"}};
  r.target = std::move(target);
  r.body = std::move(body);
  r.cost = std::move(cost);
  return r;
}

connectors::RestRequest OrderProtocol::place(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const {
  return signed_request(http::verb::post, "/api/v1/order", new_order_body(o, inst), now_ms, {1, 1});
}

Answer OrderProtocol::read_place(const connectors::RestAnswer& a, const Instrument&) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  auto v = connectors::parse_answer(a.body);
  if (!v || !v->is_object()) return unknown("unreadable answer (HTTP " + std::to_string(a.status) + ")");
  if (a.status == 200) {
    auto out = from_row(v->if_object());
    if (out.verdict == Verdict::Open) out.verdict = Verdict::Accepted;
    return out;
  }
  const auto* err = v->as_object().if_contains("error");
  std::string message = err && err->is_object() ? text_of(err->if_object(), "message") : std::string();
  if (message.find("Duplicate clOrdID") != std::string::npos) return unknown("bitmex: " + message);
  Answer out;
  out.verdict = Verdict::Final;
  out.outcome.status = aqueduct::msg::ORDER_REJECTED;
  out.outcome.detail = "bitmex HTTP " + std::to_string(a.status) + ": " + message;
  return out;
}

connectors::RestRequest OrderProtocol::query(const connectors::LimitOrder& o, const Instrument&, int64_t now_ms) const {
  return signed_request(http::verb::get, "/api/v1/order?filter=" + net::url_encode(R"({"clOrdID":")" + o.client_order_id + "\"}"),
                        {}, now_ms, {1, 0});
}

Answer OrderProtocol::read_query(const connectors::RestAnswer& a, const Instrument&) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  auto v = connectors::parse_answer(a.body);
  if (a.status != 200 || !v || !v->is_array()) return unknown("query failed (HTTP " + std::to_string(a.status) + ")");
  if (v->as_array().empty()) {
    Answer out;
    out.verdict = Verdict::NotFound;
    return out;
  }
  return from_row(v->as_array()[0].if_object());
}

connectors::RestRequest OrderProtocol::cancel(const connectors::LimitOrder& o, const Instrument&, int64_t now_ms) const {
  return signed_request(http::verb::delete_, "/api/v1/order", cancel_body(o.client_order_id), now_ms, {1, 1});
}

Answer OrderProtocol::read_cancel(const connectors::RestAnswer& a, const Instrument&) const {
  if (a.status == 429 || a.status >= 500) return unknown("HTTP " + std::to_string(a.status));
  auto v = connectors::parse_answer(a.body);
  if (!v) return unknown("unreadable answer");
  // DELETE answers with the order rows; a row that could not be cancelled carries `error`
  // ("Unable to cancel order due to existing state: Filled"): its state is the outcome.
  if (a.status == 200 && v->is_array() && !v->as_array().empty()) {
    const auto* row = v->as_array()[0].if_object();
    auto out = from_row(row);
    if (!text_of(row, "error").empty() || out.outcome.status != aqueduct::msg::ORDER_CANCELED) out.verdict = Verdict::Accepted;
    return out;
  }
  const auto* err = v->is_object() ? v->as_object().if_contains("error") : nullptr;
  std::string message = err && err->is_object() ? text_of(err->if_object(), "message") : std::string();
  if (message.find("Not Found") != std::string::npos || message.find("not found") != std::string::npos) {
    Answer out;
    out.verdict = Verdict::NotFound;
    return out;
  }
  return unknown("bitmex cancel HTTP " + std::to_string(a.status) + ": " + message);
}

std::optional<connectors::RestRequest> OrderProtocol::fills(const std::string& venue_order_id, const Instrument&,
                                                            int64_t now_ms) const {
  return signed_request(http::verb::get,
                        "/api/v1/execution/tradeHistory?filter=" + net::url_encode(R"({"orderID":")" + venue_order_id + "\"}"),
                        {}, now_ms, {1, 0});
}

std::optional<std::vector<connectors::OrderFill>> OrderProtocol::read_fills(const connectors::RestAnswer& a,
                                                                            const Instrument& inst) const {
  // lastPx is a JSON number; read it exactly from the text rather than as a double.
  if (a.status != 200) return std::nullopt;
  std::vector<connectors::OrderFill> out;
  try {
    connectors::JsonCursor c(a.body, "bitmex tradeHistory");
    c.expect('[');
    if (c.accept(']')) return out;
    do {
      connectors::OrderFill f;
      c.expect('{');
      if (!c.accept('}')) {
        do {
          auto k = c.string();
          c.expect(':');
          if (c.peek() == 'n') c.skip_value();
          else if (k == "execID") f.trade_id = c.string();
          else if (k == "lastPx") f.price = connectors::price_units(c, c.number_text(k), inst);
          else if (k == "lastQty") f.qty = connectors::size_units(c, c.number_text(k), inst);
          else c.skip_value();
        } while (c.accept(','));
        c.expect('}');
      }
      if (f.price <= 0 || f.qty <= 0) return std::nullopt;
      out.push_back(std::move(f));
    } while (c.accept(','));
    c.expect(']');
  } catch (const connectors::ParseError&) {
    return std::nullopt;
  }
  return out;
}

std::optional<connectors::RestRequest> OrderProtocol::account(int64_t now_ms) const {
  // The XBt margin account: BitMEX's inverse and quanto contracts settle in bitcoin.
  return signed_request(http::verb::get, "/api/v1/user/margin?currency=XBt", {}, now_ms, {1, 0});
}

std::optional<connectors::MarginAccount> OrderProtocol::read_account(
    const connectors::RestAnswer& a, std::string& why) const {
  auto v = connectors::parse_answer(a.body);
  const auto* o = v ? v->if_object() : nullptr;
  if (a.status != 200 || !o) {
    why = "bitmex user/margin: HTTP " + std::to_string(a.status);
    const auto* e = o ? o->if_contains("error") : nullptr;
    if (e && e->is_object()) why += ": " + connectors::text_of(e->if_object(), "message");
    return std::nullopt;
  }
  // Amounts are whole satoshis (XBt), written as JSON integers.
  auto sats = [&](std::string_view key) -> std::optional<int64_t> {
    const auto* f = o->if_contains(key);
    if (f && f->is_int64()) return f->as_int64();
    if (f && f->is_uint64() && f->as_uint64() <= static_cast<uint64_t>(INT64_MAX))
      return static_cast<int64_t>(f->as_uint64());
    return std::nullopt;
  };
  auto equity = sats("marginBalance");
  auto available = sats("availableMargin");
  if (connectors::text_of(o, "currency") != "XBt" || !equity || !available) {
    why = "bitmex user/margin without currency XBt and integer marginBalance and availableMargin";
    return std::nullopt;
  }
  static_assert(connectors::kAccountScale == 8, "XBt amounts are satoshis");
  return connectors::MarginAccount{"BTC", Decimal{*equity, 8}, Decimal{*available, 8}};
}

std::optional<connectors::RestRequest> OrderProtocol::funding_history(const Instrument& inst,
                                                                      int64_t from_ms,
                                                                      int64_t to_ms) const {
  if (inst.kind == InstrumentKind::Spot) return std::nullopt;
  connectors::RestRequest r;
  r.target = "/api/v1/funding?symbol=" + net::url_encode(inst.symbol) +
             "&startTime=" + net::url_encode(connectors::iso8601_ms(from_ms)) +
             "&endTime=" + net::url_encode(connectors::iso8601_ms(to_ms)) +
             "&count=" + std::to_string(kFundingPage) + "&reverse=false";
  r.cost = {1, 0};
  return r;
}

std::optional<connectors::FundingHistoryPage> OrderProtocol::read_funding_history(
    const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const {
  if (a.status != 200) {
    auto v = connectors::parse_answer(a.body);
    const auto* o = v ? v->if_object() : nullptr;
    const auto* e = o ? o->if_contains("error") : nullptr;
    why = "bitmex funding: HTTP " + std::to_string(a.status);
    if (e && e->is_object()) why += ": " + connectors::text_of(e->if_object(), "message");
    return std::nullopt;
  }
  // fundingRate is a JSON number: read its text exactly, never through a double.
  connectors::FundingHistoryPage page;
  try {
    connectors::JsonCursor c(a.body, "bitmex funding history");
    c.expect('[');
    if (!c.accept(']')) {
      do {
        c.expect('{');
        std::string_view symbol;
        std::optional<int64_t> at_ns;
        std::optional<Decimal> rate;
        if (!c.accept('}')) {
          do {
            auto k = c.string();
            c.expect(':');
            if (k == "symbol") {
              symbol = c.string();
            } else if (k == "timestamp") {
              at_ns = connectors::parse_iso8601_ns(c.string());
            } else if (k == "fundingRate") {
              rate = connectors::exact_decimal(c, c.number_text(k), k);
            } else {
              c.skip_value();
            }
          } while (c.accept(','));
          c.expect('}');
        }
        if (symbol != inst.symbol || !at_ns || !rate)
          c.fail("an entry without symbol " + inst.symbol + ", a timestamp and a fundingRate");
        page.settlements.push_back({*at_ns / 1'000'000, *rate});
      } while (c.accept(','));
      c.expect(']');
    }
  } catch (const connectors::ParseError& e) {
    why = e.what();
    return std::nullopt;
  }
  page.full = page.settlements.size() >= static_cast<size_t>(kFundingPage);
  return page;
}

}  // namespace aq::bitmex
