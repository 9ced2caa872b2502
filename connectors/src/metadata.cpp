#include "aqueduct/connectors/metadata.hpp"

#include <boost/json.hpp>

#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/levels.hpp"

namespace aq::connectors {

namespace json = boost::json;

namespace {

[[noreturn]] void fail(std::string_view what, const std::string& why) {
  throw ParseError(std::string(what) + ": " + why);
}

json::value parse(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) fail(what, "not valid JSON (" + ec.message() + ")");
  return v;
}

const json::object& obj(const json::value& v, std::string_view what, const std::string& where) {
  if (!v.is_object()) fail(what, where + " must be an object");
  return v.as_object();
}

const json::array& arr(const json::value& v, std::string_view what, const std::string& where) {
  if (!v.is_array()) fail(what, where + " must be an array");
  return v.as_array();
}

const json::value& field(const json::object& o, std::string_view key, std::string_view what) {
  auto* v = o.if_contains(key);
  if (!v) fail(what, "missing field '" + std::string(key) + "'");
  return *v;
}

std::string str(const json::object& o, std::string_view key, std::string_view what, bool required = true) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_string()) {
    if (required) fail(what, "field '" + std::string(key) + "' must be a string");
    return {};
  }
  return std::string(v->as_string());
}

Decimal dec(const json::object& o, std::string_view key, std::string_view what, bool required = true) {
  auto s = str(o, key, what, required);
  if (s.empty()) return {0, 0};
  auto d = Decimal::parse_natural(s);
  if (!d) fail(what, "field '" + std::string(key) + "' is '" + s + "', not a plain decimal");
  return *d;
}

}  // namespace

std::string metadata_path(const std::string& protocol, const std::string& symbol, InstrumentKind kind) {
  bool spot = kind == InstrumentKind::Spot;
  if (protocol == "binance_spot") return "/api/v3/exchangeInfo?symbol=" + symbol;
  if (protocol == "binance_usdm") return "/fapi/v1/exchangeInfo";
  if (protocol == "okx") return std::string("/api/v5/public/instruments?instType=") + (spot ? "SPOT" : "SWAP") + "&instId=" + symbol;
  if (protocol == "bybit")
    return std::string("/v5/market/instruments-info?category=") + (spot ? "spot" : "linear") + "&symbol=" + symbol;
  if (protocol == "bitmex") return "/api/v1/instrument?symbol=" + symbol;
  if (protocol == "coinbase") return "/api/v3/brokerage/market/products/" + symbol;
  throw std::invalid_argument("no metadata endpoint for protocol '" + protocol + "'");
}

std::vector<InstrumentSpec> parse_metadata(const std::string& protocol, const std::string& venue, std::string_view j) {
  if (protocol == "binance_spot") return parse_binance_exchange_info(j, venue, false);
  if (protocol == "binance_usdm") return parse_binance_exchange_info(j, venue, true);
  if (protocol == "okx") return parse_okx_instruments(j, venue);
  if (protocol == "bybit") return parse_bybit_instruments(j, venue);
  if (protocol == "bitmex") return parse_bitmex_instruments(j, venue);
  if (protocol == "coinbase") return parse_coinbase_products(j, venue);
  throw std::invalid_argument("no metadata parser for protocol '" + protocol + "'");
}

std::vector<InstrumentSpec> parse_binance_exchange_info(std::string_view text, const std::string& venue, bool futures) {
  const char* what = futures ? "binance fapi exchangeInfo" : "binance exchangeInfo";
  auto v = parse(text, what);
  const auto& root = obj(v, what, "the answer");
  auto* symbols = root.if_contains("symbols");
  if (!symbols) fail(what, "no 'symbols' array");
  std::vector<InstrumentSpec> out;
  for (const auto& sv : arr(*symbols, what, "symbols")) {
    const auto& s = obj(sv, what, "each symbol");
    InstrumentSpec spec;
    spec.venue = venue;
    spec.symbol = str(s, "symbol", what);
    spec.base = str(s, "baseAsset", what);
    spec.quote = str(s, "quoteAsset", what);
    spec.settle = futures ? str(s, "marginAsset", what) : spec.quote;
    if (futures) {
      auto ct = str(s, "contractType", what);
      if (ct != "PERPETUAL") continue;  // deliveries are not modelled
      spec.kind = InstrumentKind::Linear;
    }
    spec.trading = str(s, "status", what) == "TRADING";
    auto* filters = s.if_contains("filters");
    if (!filters) fail(what, spec.symbol + " has no filters");
    bool tick = false, lot = false;
    for (const auto& fv : arr(*filters, what, "filters")) {
      const auto& f = obj(fv, what, "each filter");
      auto type = str(f, "filterType", what);
      if (type == "PRICE_FILTER") {
        spec.tick = dec(f, "tickSize", what);
        tick = true;
      } else if (type == "LOT_SIZE") {
        spec.lot = dec(f, "stepSize", what);
        spec.min_qty = dec(f, "minQty", what);
        lot = true;
      } else if (type == "NOTIONAL" || (type == "MIN_NOTIONAL" && !futures)) {
        spec.min_notional = dec(f, "minNotional", what);
      } else if (type == "MIN_NOTIONAL" && futures) {
        spec.min_notional = dec(f, "notional", what);
      }
    }
    if (!tick || !lot) fail(what, spec.symbol + " lacks PRICE_FILTER or LOT_SIZE");
    out.push_back(std::move(spec));
  }
  return out;
}

std::vector<InstrumentSpec> parse_okx_instruments(std::string_view text, const std::string& venue) {
  const char* what = "okx instruments";
  auto v = parse(text, what);
  const auto& root = obj(v, what, "the answer");
  if (str(root, "code", what) != "0") fail(what, "error " + str(root, "code", what) + ": " + str(root, "msg", what, false));
  std::vector<InstrumentSpec> out;
  for (const auto& iv : arr(field(root, "data", what), what, "data")) {
    const auto& i = obj(iv, what, "each instrument");
    InstrumentSpec s;
    s.venue = venue;
    s.symbol = str(i, "instId", what);
    auto type = str(i, "instType", what);
    s.tick = dec(i, "tickSz", what);
    s.lot = dec(i, "lotSz", what);
    s.min_qty = dec(i, "minSz", what);
    s.trading = str(i, "state", what) == "live";
    if (type == "SPOT") {
      s.base = str(i, "baseCcy", what);
      s.quote = str(i, "quoteCcy", what);
      s.settle = s.quote;
    } else if (type == "SWAP") {
      // uly "BTC-USDT": base and quote of the underlying; ctVal in ctValCcy per contract.
      auto uly = str(i, "uly", what);
      auto dash = uly.find('-');
      if (dash == std::string::npos) fail(what, "uly '" + uly + "' is not BASE-QUOTE");
      s.base = uly.substr(0, dash);
      s.quote = uly.substr(dash + 1);
      s.settle = str(i, "settleCcy", what);
      auto ct = str(i, "ctType", what);
      s.kind = ct == "inverse" ? InstrumentKind::Inverse : InstrumentKind::Linear;
      s.multiplier = dec(i, "ctVal", what);
    } else {
      continue;  // futures and options are not modelled
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<InstrumentSpec> parse_bybit_instruments(std::string_view text, const std::string& venue) {
  const char* what = "bybit instruments-info";
  auto v = parse(text, what);
  const auto& root = obj(v, what, "the answer");
  auto* rc = root.if_contains("retCode");
  if (!rc || !rc->is_int64() || rc->as_int64() != 0) fail(what, "retCode is not 0: " + str(root, "retMsg", what, false));
  const auto& result = obj(field(root, "result", what), what, "result");
  auto category = str(result, "category", what);
  std::vector<InstrumentSpec> out;
  for (const auto& iv : arr(field(result, "list", what), what, "result.list")) {
    const auto& i = obj(iv, what, "each instrument");
    InstrumentSpec s;
    s.venue = venue;
    s.symbol = str(i, "symbol", what);
    s.base = str(i, "baseCoin", what);
    s.quote = str(i, "quoteCoin", what);
    s.trading = str(i, "status", what) == "Trading";
    s.tick = dec(obj(field(i, "priceFilter", what), what, "priceFilter"), "tickSize", what);
    const auto& lot = obj(field(i, "lotSizeFilter", what), what, "lotSizeFilter");
    s.min_qty = dec(lot, "minOrderQty", what);
    if (category == "spot") {
      s.settle = s.quote;
      s.lot = dec(lot, "basePrecision", what);
      s.min_notional = dec(lot, "minOrderAmt", what, false);
    } else if (category == "linear") {
      s.kind = InstrumentKind::Linear;
      s.settle = str(i, "settleCoin", what);
      s.lot = dec(lot, "qtyStep", what);
      s.min_notional = dec(lot, "minNotionalValue", what, false);
    } else {
      continue;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<InstrumentSpec> parse_coinbase_products(std::string_view text, const std::string& venue) {
  const char* what = "coinbase products";
  auto v = parse(text, what);
  std::vector<const json::object*> products;
  if (v.is_object() && v.as_object().if_contains("products"))
    for (const auto& p : arr(v.as_object().at("products"), what, "products")) products.push_back(&obj(p, what, "each product"));
  else
    products.push_back(&obj(v, what, "the product"));
  std::vector<InstrumentSpec> out;
  for (const auto* p : products) {
    InstrumentSpec s;
    s.venue = venue;
    s.symbol = str(*p, "product_id", what);
    s.base = str(*p, "base_currency_id", what);
    s.quote = str(*p, "quote_currency_id", what);
    s.settle = s.quote;
    s.tick = dec(*p, "price_increment", what);
    s.lot = dec(*p, "base_increment", what);
    s.min_qty = dec(*p, "base_min_size", what);
    s.min_notional = dec(*p, "quote_min_size", what, false);
    auto* disabled = p->if_contains("trading_disabled");
    s.trading = str(*p, "status", what) == "online" && !(disabled && disabled->is_bool() && disabled->as_bool());
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<InstrumentSpec> parse_bitmex_instruments(std::string_view text, const std::string& venue) {
  // Numbers (tickSize 0.5, multiplier -100000000) are read from their text, never a double.
  JsonCursor c(text, "bitmex instrument");
  std::vector<InstrumentSpec> out;
  c.expect('[');
  if (c.accept(']')) return out;
  do {
    InstrumentSpec s;
    s.venue = venue;
    std::string typ, underlying;
    bool inverse = false, quanto = false, has_tick = false, has_lot = false;
    c.expect('{');
    if (!c.accept('}')) {
      do {
        auto k = c.string();
        c.expect(':');
        if (c.peek() == 'n') {
          c.skip_value();
          continue;
        }
        if (k == "symbol") s.symbol = c.string();
        else if (k == "typ") typ = c.string();
        else if (k == "underlying") underlying = c.string();
        else if (k == "quoteCurrency") s.quote = c.string();
        else if (k == "settlCurrency") s.settle = c.string();
        else if (k == "state") s.trading = c.string() == "Open";
        else if (k == "isInverse") { inverse = c.peek() == 't'; c.skip_value(); }
        else if (k == "isQuanto") { quanto = c.peek() == 't'; c.skip_value(); }
        else if (k == "tickSize") { s.tick = exact_decimal(c, c.number_text(k), k); has_tick = true; }
        else if (k == "lotSize") { s.lot = exact_decimal(c, c.number_text(k), k); has_lot = true; }
        else if (k == "multiplier") s.multiplier = exact_decimal(c, c.number_text(k), k);
        else c.skip_value();
      } while (c.accept(','));
      c.expect('}');
    }
    if (s.symbol.empty() || !has_tick || !has_lot) c.fail("each instrument needs symbol, tickSize and lotSize");
    if (typ != "FFWCSX") continue;  // perpetual swaps only
    s.base = underlying == "XBT" ? "BTC" : underlying;
    s.settle = s.settle == "XBt" ? "XBT" : s.settle;
    s.kind = inverse ? InstrumentKind::Inverse : quanto ? InstrumentKind::Quanto : InstrumentKind::Linear;
    s.min_qty = s.lot;
    out.push_back(std::move(s));
  } while (c.accept(','));
  c.expect(']');
  if (!c.at_end()) c.fail("invalid JSON (trailing characters)");
  return out;
}

}  // namespace aq::connectors
