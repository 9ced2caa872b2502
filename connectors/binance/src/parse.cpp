#include "aqueduct/connectors/binance/parse.hpp"

#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/levels.hpp"

#include <boost/json.hpp>

namespace aq::binance {

namespace json = boost::json;
using connectors::JsonCursor;

namespace {

json::object parse_object(std::string_view text, const char* what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw ParseError(std::string(what) + ": invalid JSON (" + ec.message() + ")");
  if (!v.is_object()) throw ParseError(std::string(what) + ": expected a JSON object");
  return std::move(v.as_object());
}

const json::value& field(const json::object& o, const char* key, const char* what) {
  auto it = o.find(key);
  if (it == o.end())
    throw ParseError(std::string(what) + ": missing field '" + key + "'");
  return it->value();
}

std::string_view string_field(const json::object& o, const char* key, const char* what) {
  const auto& v = field(o, key, what);
  if (!v.is_string())
    throw ParseError(std::string(what) + ": field '" + key + "' must be a string");
  return v.as_string();
}

uint64_t uint_field(const json::object& o, const char* key, const char* what) {
  const auto& v = field(o, key, what);
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<uint64_t>(v.as_int64());
  throw ParseError(std::string(what) + ": field '" + key + "' must be a non-negative integer");
}

int64_t fixed(std::string_view s, int scale, const char* what, const char* name) {
  aq::ParseError why{};
  auto d = Decimal::parse(s, scale, &why);
  if (!d)
    throw ParseError(std::string(what) + ": " + name + " '" + std::string(s) + "' " +
                     aq::to_string(why) + " (instrument allows " + std::to_string(scale) +
                     " decimals)");
  return d->units;
}

std::vector<Level> levels(const json::value& v, const Instrument& inst, const char* what) {
  if (!v.is_array()) throw ParseError(std::string(what) + ": levels must be an array");
  std::vector<Level> out;
  out.reserve(v.as_array().size());
  for (const auto& lv : v.as_array()) {
    if (!lv.is_array() || lv.as_array().size() < 2 || !lv.as_array()[0].is_string() ||
        !lv.as_array()[1].is_string())
      throw ParseError(std::string(what) + ": each level must be [\"price\",\"qty\"]");
    int64_t p = fixed(lv.as_array()[0].as_string(), inst.price_scale, what, "price");
    int64_t q = fixed(lv.as_array()[1].as_string(), inst.qty_scale, what, "quantity");
    if (p <= 0) throw ParseError(std::string(what) + ": price must be positive");
    if (q < 0) throw ParseError(std::string(what) + ": quantity must not be negative");
    out.push_back({p, q});
  }
  return out;
}

json::array format_levels(const std::vector<Level>& ls, const Instrument& inst) {
  json::array a;
  a.reserve(ls.size());
  for (const auto& l : ls) {
    a.push_back(json::array{json::string(inst.price(l.price).rescaled(8, Rounding::Exact).to_string()),
                            json::string(inst.qty(l.qty).rescaled(8, Rounding::Exact).to_string())});
  }
  return a;
}

}  // namespace

void parse_depth_update(std::string_view text, const Instrument& inst, DepthUpdate& u) {
  JsonCursor c(text, "binance depthUpdate");
  char first = c.peek();
  if (first != '{')
    c.fail(first == '[' || first == '"' || first == '-' || (first >= '0' && first <= '9')
               ? "expected a JSON object"
               : "invalid JSON (expected '{')");
  c.expect('{');
  enum : unsigned { kE = 1, kEt = 2, kS = 4, kU = 8, ku = 16, kB = 32, kA = 64, kAll = 127 };
  unsigned seen = 0;
  u.has_prev = false;
  auto mark = [&](unsigned bit, std::string_view key) {
    if (seen & bit) c.fail("duplicate field '" + std::string(key) + "'");
    seen |= bit;
  };
  if (!c.accept('}')) {
    do {
      auto key = c.string();
      c.expect(':');
      if (key == "e") {
        mark(kE, key);
        if (c.peek() != '"' || c.string() != "depthUpdate") c.fail("event type 'e' is not depthUpdate");
      } else if (key == "E") {
        mark(kEt, key);
        u.event_time_ms = connectors::millis_number(c, key);
      } else if (key == "s") {
        mark(kS, key);
        u.symbol.assign(c.string());
      } else if (key == "U") {
        mark(kU, key);
        u.first_id = c.uint(key);
      } else if (key == "u") {
        mark(ku, key);
        u.final_id = c.uint(key);
      } else if (key == "pu") {
        if (u.has_prev) c.fail("duplicate field 'pu'");
        u.prev_final_id = c.uint(key);
        u.has_prev = true;
      } else if (key == "b") {
        mark(kB, key);
        connectors::read_string_pair_levels(c, inst, u.bids, "[\"price\",\"qty\"]", "quantity");
      } else if (key == "a") {
        mark(kA, key);
        connectors::read_string_pair_levels(c, inst, u.asks, "[\"price\",\"qty\"]", "quantity");
      } else {
        c.skip_value();  // fields we do not use (e.g. "pu" on futures streams)
      }
    } while (c.accept(','));
    c.expect('}');
  }
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (seen != kAll) {
    const char* names[] = {"e", "E", "s", "U", "u", "b", "a"};
    for (unsigned i = 0; i < 7; ++i)
      if (!(seen & (1u << i))) c.fail(std::string("missing field '") + names[i] + "'");
  }
  if (u.first_id > u.final_id) c.fail("first update id U is after final id u");
}

DepthUpdate parse_depth_update(std::string_view text, const Instrument& inst) {
  DepthUpdate u;
  parse_depth_update(text, inst, u);
  return u;
}

DepthSnapshot parse_depth_snapshot(std::string_view text, const Instrument& inst) {
  constexpr const char* what = "binance depth snapshot";
  auto o = parse_object(text, what);
  DepthSnapshot s;
  s.last_update_id = uint_field(o, "lastUpdateId", what);
  s.bids = levels(field(o, "bids", what), inst, what);
  s.asks = levels(field(o, "asks", what), inst, what);
  return s;
}

OrderResult parse_order_result(std::string_view text, const Instrument& inst) {
  constexpr const char* what = "binance order response";
  auto o = parse_object(text, what);
  OrderResult r;
  r.symbol = std::string(string_field(o, "symbol", what));
  r.order_id = std::to_string(uint_field(o, "orderId", what));
  r.client_order_id = std::string(string_field(o, "clientOrderId", what));
  r.status = std::string(string_field(o, "status", what));
  r.transact_time_ms = static_cast<int64_t>(uint_field(o, "transactTime", what));
  r.executed_qty = fixed(string_field(o, "executedQty", what), inst.qty_scale, what, "executedQty");
  r.cumulative_quote = fixed(string_field(o, "cummulativeQuoteQty", what),
                             inst.price_scale + inst.qty_scale, what, "cummulativeQuoteQty");
  if (auto it = o.find("fills"); it != o.end()) {
    if (!it->value().is_array()) throw ParseError(std::string(what) + ": fills must be an array");
    for (const auto& fv : it->value().as_array()) {
      if (!fv.is_object()) throw ParseError(std::string(what) + ": each fill must be an object");
      const auto& f = fv.as_object();
      OrderFill fill;
      fill.price = fixed(string_field(f, "price", what), inst.price_scale, what, "fill price");
      fill.qty = fixed(string_field(f, "qty", what), inst.qty_scale, what, "fill qty");
      fill.trade_id = std::to_string(uint_field(f, "tradeId", what));
      r.fills.push_back(std::move(fill));
    }
  }
  return r;
}

ApiError parse_api_error(std::string_view text) {
  constexpr const char* what = "binance error";
  auto o = parse_object(text, what);
  ApiError e;
  const auto& code = field(o, "code", what);
  if (!code.is_int64()) throw ParseError(std::string(what) + ": code must be an integer");
  e.code = static_cast<int>(code.as_int64());
  e.msg = std::string(string_field(o, "msg", what));
  return e;
}

std::string format_depth_update(const DepthUpdate& u, const Instrument& inst) {
  json::object o;
  o["e"] = "depthUpdate";
  o["E"] = u.event_time_ms;
  o["s"] = u.symbol;
  o["U"] = u.first_id;
  o["u"] = u.final_id;
  if (u.has_prev) o["pu"] = u.prev_final_id;
  o["b"] = format_levels(u.bids, inst);
  o["a"] = format_levels(u.asks, inst);
  return json::serialize(o);
}

std::string format_depth_snapshot(const DepthSnapshot& s, const Instrument& inst) {
  json::object o;
  o["lastUpdateId"] = s.last_update_id;
  o["bids"] = format_levels(s.bids, inst);
  o["asks"] = format_levels(s.asks, inst);
  return json::serialize(o);
}

std::string format_order_result(const OrderResult& r, const Instrument& inst,
                                 std::string_view side, std::string_view price,
                                 std::string_view orig_qty) {
  json::object o;
  o["symbol"] = r.symbol;
  o["orderId"] = std::stoull(r.order_id);
  o["orderListId"] = -1;
  o["clientOrderId"] = r.client_order_id;
  o["transactTime"] = r.transact_time_ms;
  o["price"] = price;
  o["origQty"] = orig_qty;
  o["executedQty"] = inst.qty(r.executed_qty).rescaled(8, Rounding::Exact).to_string();
  o["origQuoteOrderQty"] = "0.00000000";
  o["cummulativeQuoteQty"] =
      Decimal{r.cumulative_quote, inst.price_scale + inst.qty_scale}.rescaled(8, Rounding::Exact).to_string();
  o["status"] = r.status;
  o["timeInForce"] = "IOC";
  o["type"] = "LIMIT";
  o["side"] = side;
  o["workingTime"] = r.transact_time_ms;
  o["selfTradePreventionMode"] = "NONE";
  json::array fills;
  for (const auto& f : r.fills) {
    json::object fo;
    fo["price"] = inst.price(f.price).rescaled(8, Rounding::Exact).to_string();
    fo["qty"] = inst.qty(f.qty).rescaled(8, Rounding::Exact).to_string();
    fo["commission"] = "0.00000000";
    fo["commissionAsset"] = inst.quote;
    fo["tradeId"] = std::stoull(f.trade_id);
    fills.push_back(std::move(fo));
  }
  o["fills"] = std::move(fills);
  return json::serialize(o);
}

std::string format_api_error(const ApiError& e) {
  json::object o;
  o["code"] = e.code;
  o["msg"] = e.msg;
  return json::serialize(o);
}

connectors::PerpStats parse_mark_price(std::string_view json) {
  connectors::JsonCursor c(json, "binance markPriceUpdate");
  connectors::PerpStats st;
  std::string_view type;
  c.expect('{');
  do {
    auto k = c.string();
    c.expect(':');
    if (k == "e") type = c.string();
    else if (k == "E") st.exchange_ts_ns = connectors::millis_number(c, k) * 1'000'000;
    else if (k == "p") st.mark = connectors::exact_decimal(c, c.string(), "mark price p");
    else if (k == "i") st.index = connectors::exact_decimal(c, c.string(), "index price i");
    else if (k == "r") {
      auto t = c.string();
      if (!t.empty()) st.funding_rate = connectors::exact_decimal(c, t, "funding rate r");
    } else if (k == "T") st.next_funding_ts_ns = connectors::millis_number(c, k) * 1'000'000;
    else c.skip_value();
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (type != "markPriceUpdate") c.fail("event '" + std::string(type) + "' is not markPriceUpdate");
  if (!st.mark) c.fail("a markPriceUpdate needs the mark price p");
  return st;
}

bool is_book_ticker(std::string_view json) {
  if (json.find("\"bookTicker\"") != std::string_view::npos) return true;
  return json.find("\"e\"") == std::string_view::npos && json.find("\"A\"") != std::string_view::npos;
}

connectors::TopOfBook parse_book_ticker(std::string_view json, const Instrument& inst) {
  connectors::JsonCursor c(json, "binance bookTicker");
  connectors::TopOfBook t;
  std::string_view type = "bookTicker";
  bool has_u = false, has_b = false, has_a = false;
  c.expect('{');
  do {
    auto k = c.string();
    c.expect(':');
    if (k == "e") type = c.string();
    else if (k == "u") {
      t.venue_seq = c.uint("u");
      has_u = true;
    } else if (k == "E") t.exchange_ts_ns = connectors::millis_number(c, k) * 1'000'000;
    else if (k == "b") {
      t.bid.price = connectors::price_units(c, c.string(), inst);
      has_b = true;
    } else if (k == "B") t.bid.qty = connectors::size_units(c, c.string(), inst, "bid qty B");
    else if (k == "a") {
      t.ask.price = connectors::price_units(c, c.string(), inst);
      has_a = true;
    } else if (k == "A") t.ask.qty = connectors::size_units(c, c.string(), inst, "ask qty A");
    else c.skip_value();
  } while (c.accept(','));
  c.expect('}');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  if (type != "bookTicker") c.fail("event '" + std::string(type) + "' is not bookTicker");
  if (!has_u || !has_b || !has_a) c.fail("a bookTicker needs u, b and a");
  return t;
}

std::string format_book_ticker(const connectors::TopOfBook& t, const Instrument& inst, bool futures) {
  json::object o;
  if (futures) {
    o["e"] = "bookTicker";
    o["u"] = t.venue_seq;
    o["E"] = t.exchange_ts_ns / 1'000'000;
    o["T"] = t.exchange_ts_ns / 1'000'000;
  } else {
    o["u"] = t.venue_seq;
  }
  o["s"] = inst.symbol;
  o["b"] = inst.price(t.bid.price).to_string();
  o["B"] = inst.qty(t.bid.qty).to_string();
  o["a"] = inst.price(t.ask.price).to_string();
  o["A"] = inst.qty(t.ask.qty).to_string();
  return json::serialize(o);
}

}  // namespace aq::binance
