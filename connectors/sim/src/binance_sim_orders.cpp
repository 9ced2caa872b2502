// The Binance simulator's order entry (venues.md §1.7, §2.6): signed limit IOC placement
// matched against the simulated book, the order query by client id, cancel, and the
// account's trades — spot under /api/v3, USD-M futures under /fapi/v1 with its own answer
// shapes (futures acknowledges with status NEW unless RESULT is asked for).
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "binance_market.hpp"

namespace aq::sim {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

net::HttpResponse error(http::status st, int code, std::string msg) {
  return net::json_response(st, binance::format_api_error({code, std::move(msg)}));
}

// Splits off the trailing signature parameter and returns the signed payload
// (query + body, as Binance defines it) and the signature.
bool split_signature(std::string_view query, std::string_view body, std::string& payload, std::string& signature) {
  constexpr std::string_view kSig = "signature=";
  auto take = [&](std::string_view s, std::string_view& rest) {
    auto pos = s.rfind(kSig);
    if (pos == std::string_view::npos || (pos != 0 && s[pos - 1] != '&')) return false;
    if (s.find('&', pos) != std::string_view::npos) return false;  // must be last
    signature = std::string(s.substr(pos + kSig.size()));
    rest = s.substr(0, pos == 0 ? 0 : pos - 1);
    return true;
  };
  std::string_view q = query, b = body;
  if (take(body, b) || take(query, q)) {
    payload = std::string(q) + std::string(b);
    return true;
  }
  return false;
}

std::string text(const Instrument& inst, int64_t units, bool price) {
  return (price ? inst.price(units) : inst.qty(units)).rescaled(8, Rounding::Exact).to_string();
}

}  // namespace

void BinanceSim::set_order_fault(OrderFault fault) {
  boost::asio::post(io_, [this, fault, alive = alive_] {
    if (!*alive) return;
    fault_ = fault;
    fault_left_ = fault.count;
  });
}

bool BinanceSim::handle_order_entry(const net::HttpRequest& req, net::HttpServer::Respond& respond) {
  auto t = net::split_target(req.target());
  bool spot = options_.dialect == BinanceDialect::Spot;
  const std::string base = spot ? "/api/v3/" : "/fapi/v1/";
  if (t.path == base + (spot ? "myTrades" : "userTrades") && req.method() == http::verb::get) {
    respond(trades(req));
    return true;
  }
  if (!spot && t.path == "/fapi/v2/account" && req.method() == http::verb::get) {
    respond(account(req));
    return true;
  }
  if (t.path != base + "order") return false;
  if (req.method() == http::verb::get) {
    respond(query_order(req));
    return true;
  }
  if (req.method() == http::verb::delete_) {
    respond(cancel_order(req));
    return true;
  }
  if (req.method() != http::verb::post) return false;
  if (order_observer_) {
    // The client id as sent (query string or form body), without authenticating first.
    auto params = net::parse_query(t.query.empty() ? std::string_view(req.body()) : t.query);
    if (params)
      if (auto coid = net::param(*params, "newClientOrderId")) order_observer_(*coid);
  }
  if (fault_left_ <= 0) {
    respond(order(req));
    return true;
  }
  --fault_left_;
  switch (fault_.kind) {
    case OrderFault::Kind::RateLimited: {
      ++orders_;
      auto limited = error(http::status::too_many_requests, -1003,
                           "Too many requests; current limit of IP is 6000 request weight per 1 MINUTE.");
      limited.set(http::field::retry_after, "1");
      respond(std::move(limited));
      return true;
    }
    case OrderFault::Kind::UnavailableExecuted: {
      order(req);
      net::HttpResponse r{http::status::service_unavailable, 11};
      r.set(http::field::content_type, "text/plain");
      r.body() = "Service Unavailable";
      r.prepare_payload();
      respond(std::move(r));
      return true;
    }
    case OrderFault::Kind::SlowAck: {
      auto reply = std::make_shared<net::HttpResponse>(order(req));
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, fault_.delay);
      timer->async_wait([timer, reply, respond, alive = alive_](beast::error_code ec) {
        if (!ec && *alive) respond(std::move(*reply));
      });
      return true;
    }
    case OrderFault::Kind::PartialFill:
      respond(order(req, 500'000));
      return true;
  }
  return false;
}

std::variant<net::Params, net::HttpResponse> BinanceSim::authenticate(const net::HttpRequest& req) {
  auto key = req["X-MBX-APIKEY"];
  if (key.empty() || !net::constant_time_equal(key, options_.api_key))
    return error(http::status::unauthorized, -2014, "API-key format invalid.");
  auto t = net::split_target(req.target());
  std::string payload, sig;
  if (!split_signature(t.query, req.body(), payload, sig))
    return error(http::status::bad_request, -1102,
                 "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  if (!net::constant_time_equal(net::hmac_sha256_hex(options_.api_secret, payload), sig))
    return error(http::status::bad_request, -1022, "Signature for this request is not valid.");
  auto params = net::parse_query(payload);
  if (!params) return error(http::status::bad_request, -1100, "Illegal characters found in a parameter.");
  auto ts_text = net::param(*params, "timestamp");
  if (!ts_text)
    return error(http::status::bad_request, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  int64_t now_ms = wall_now_ns() / 1'000'000;
  int64_t ts = 0, recv_window = 5000;
  try {
    ts = std::stoll(*ts_text);
    if (auto rw = net::param(*params, "recvWindow")) recv_window = std::min<int64_t>(std::stoll(*rw), 60'000);
  } catch (...) {
    return error(http::status::bad_request, -1100, "Illegal characters found in parameter 'timestamp'.");
  }
  if (!(ts < now_ms + 1000 && now_ms - ts <= recv_window))
    return error(http::status::bad_request, -1021, "Timestamp for this request is outside of the recvWindow.");
  return std::move(*params);
}

net::HttpResponse BinanceSim::order(const net::HttpRequest& req, int64_t max_fill_ppm) {
  ++orders_;
  auto auth = authenticate(req);
  if (auto* refused = std::get_if<net::HttpResponse>(&auth)) return std::move(*refused);
  const auto& params = std::get<net::Params>(auth);
  auto get = [&](const char* k) { return net::param(params, k); };
  // Post-only: spot's LIMIT_MAKER (no timeInForce), futures' LIMIT with timeInForce GTX.
  bool spot = options_.dialect == BinanceDialect::Spot;
  bool post_only = spot ? get("type") == std::optional<std::string>("LIMIT_MAKER")
                        : get("timeInForce") == std::optional<std::string>("GTX");
  for (const char* k : {"symbol", "side", "type", "quantity", "price", "timeInForce"}) {
    if (post_only && spot && std::string_view(k) == "timeInForce") continue;
    if (!get(k))
      return error(http::status::bad_request, -1102,
                   std::string("Mandatory parameter '") + k + "' was not sent, was empty/null, or malformed.");
  }
  Market* m = market(*get("symbol"));
  if (!m) return error(http::status::bad_request, -1121, "Invalid symbol.");
  const auto& inst = m->spec.instrument;
  if (!post_only && (*get("type") != "LIMIT" || *get("timeInForce") != "IOC"))
    return error(http::status::bad_request, -1116,
                 spot ? "Invalid orderType: the simulator accepts LIMIT IOC and LIMIT_MAKER."
                      : "Invalid orderType: the simulator accepts LIMIT with IOC or GTX.");
  std::string side_s = *get("side");
  if (side_s != "BUY" && side_s != "SELL") return error(http::status::bad_request, -1117, "Invalid side.");
  auto price = Decimal::parse(*get("price"), inst.price_scale);
  auto qty = Decimal::parse(*get("quantity"), inst.qty_scale);
  if (!price || price->units <= 0 || price->units % inst.tick != 0)
    return error(http::status::bad_request, -1013, "Filter failure: PRICE_FILTER");
  if (!qty || qty->units < inst.min_qty || qty->units % inst.lot != 0)
    return error(http::status::bad_request, -1013, "Filter failure: LOT_SIZE");
  std::string coid = get("newClientOrderId").value_or("sim-" + std::to_string(next_order_id_));
  if (orders_by_client_id_.count(coid)) return error(http::status::bad_request, -2010, "Duplicate order sent.");

  auto side = side_s == "BUY" ? Side::Buy : Side::Sell;
  if (post_only && RestingOrders::would_take(m->book, side, price->units)) {
    if (spot) return error(http::status::bad_request, -2010, "Order would immediately match and take.");
    return error(http::status::bad_request, -5022,
                 "Due to the order could not be executed as maker, the Post Only order will be rejected.");
  }
  // A partial-fill fault caps the executable quantity (on the lot grid); the rest expires.
  int64_t executable = qty->units * max_fill_ppm / 1'000'000 / inst.lot * inst.lot;
  SimOrder o;
  o.symbol = inst.symbol;
  o.client_order_id = coid;
  o.side = side_s;
  o.price = *get("price");
  o.orig_qty = *get("quantity");
  o.order_id = ++next_order_id_;
  o.time_ms = wall_now_ns() / 1'000'000;
  if (post_only) {
    o.post_only = true;
    o.status = "NEW";
    m->resting.add({coid, side, price->units, qty->units});
    auto& stored = orders_by_client_id_[coid] = std::move(o);
    if (spot) return net::json_response(http::status::ok, format_order(stored, true));
    return net::json_response(http::status::ok, format_order(stored, false));
  }
  for (const auto& e : m->book.match_ioc(side, price->units, executable)) {
    o.executed_qty += e.qty;
    o.cumulative_quote += e.price * e.qty;
    o.fills.push_back({e.price, e.qty, std::to_string(++next_trade_id_)});
  }
  o.status = o.executed_qty == qty->units ? "FILLED" : "EXPIRED";
  auto& stored = orders_by_client_id_[coid] = std::move(o);
  if (options_.dialect == BinanceDialect::Spot) return net::json_response(http::status::ok, format_order(stored, true));
  // Futures acknowledges (ACK, the default): the order as NEW, nothing executed yet.
  if (get("newOrderRespType").value_or("ACK") == "RESULT")
    return net::json_response(http::status::ok, format_order(stored, false));
  SimOrder ack = stored;
  ack.status = "NEW";
  ack.executed_qty = 0;
  ack.cumulative_quote = 0;
  return net::json_response(http::status::ok, format_order(ack, false));
}

net::HttpResponse BinanceSim::query_order(const net::HttpRequest& req) {
  auto auth = authenticate(req);
  if (auto* refused = std::get_if<net::HttpResponse>(&auth)) return std::move(*refused);
  auto coid = net::param(std::get<net::Params>(auth), "origClientOrderId");
  if (!coid) return error(http::status::bad_request, -1102, "Mandatory parameter 'origClientOrderId' was not sent.");
  auto it = orders_by_client_id_.find(*coid);
  if (it == orders_by_client_id_.end()) return error(http::status::bad_request, -2013, "Order does not exist.");
  return net::json_response(http::status::ok, format_order(it->second, false));
}

net::HttpResponse BinanceSim::cancel_order(const net::HttpRequest& req) {
  auto auth = authenticate(req);
  if (auto* refused = std::get_if<net::HttpResponse>(&auth)) return std::move(*refused);
  const auto& params = std::get<net::Params>(auth);
  if (!net::param(params, "symbol") || !(net::param(params, "origClientOrderId") || net::param(params, "orderId")))
    return error(http::status::bad_request, -1102,
                 "Mandatory parameter 'symbol' and one of 'orderId' or 'origClientOrderId' must be sent.");
  // A resting post-only order is cancelled and answered with its final state. An IOC is final
  // once matched: like Binance for a filled or expired order, and for one it never had, the
  // cancel is refused as an unknown order.
  if (auto coid = net::param(params, "origClientOrderId")) {
    auto it = orders_by_client_id_.find(*coid);
    Market* m = it == orders_by_client_id_.end() ? nullptr : market(it->second.symbol);
    if (m && m->resting.remove(*coid)) {
      it->second.status = "CANCELED";
      it->second.time_ms = wall_now_ns() / 1'000'000;
      return net::json_response(http::status::ok, format_order(it->second, false));
    }
  }
  return error(http::status::bad_request, -2011, "Unknown order sent.");
}

net::HttpResponse BinanceSim::account(const net::HttpRequest& req) {
  auto auth = authenticate(req);
  if (auto* refused = std::get_if<net::HttpResponse>(&auth)) return std::move(*refused);
  if (!options_.account)
    return error(http::status::service_unavailable, -1001,
                 "Internal error; unable to process your request. Please try again.");
  std::vector<AccountFill> fills;
  for (const auto& [_, o] : orders_by_client_id_) {
    Market* m = market(o.symbol);
    if (!m) continue;
    for (const auto& f : o.fills)
      fills.push_back({&m->spec.instrument, o.side == "BUY" ? Side::Buy : Side::Sell, f.price,
                       f.qty, o.post_only});
  }
  int64_t now_ms = wall_now_ns() / 1'000'000;
  auto a = margin_account(
      *options_.account, fills, [&](const Instrument& inst) -> std::optional<int64_t> {
        Market* m = market(inst.symbol);
        if (!m) return std::nullopt;
        const auto& b = m->book.published();
        if (b.bids().empty() || b.asks().empty()) return std::nullopt;
        return perp_marks(inst, (b.bids().front().price + b.asks().front().price) / 2, now_ms,
                          options_.funding_interval_ms)
            .mark;
      });
  if (!a)
    return error(http::status::service_unavailable, -1001,
                 "Internal error; unable to process your request. Please try again.");
  // Single-asset mode: the totals are the USDT account's.
  json::object out;
  out["totalWalletBalance"] = a->equity.to_string();
  out["totalMarginBalance"] = a->equity.to_string();
  out["availableBalance"] = a->available.to_string();
  out["maxWithdrawAmount"] = a->available.to_string();
  out["multiAssetsMargin"] = false;
  out["assets"] = json::array{};
  out["positions"] = json::array{};
  return net::json_response(http::status::ok, json::serialize(out));
}

net::HttpResponse BinanceSim::trades(const net::HttpRequest& req) {
  auto auth = authenticate(req);
  if (auto* refused = std::get_if<net::HttpResponse>(&auth)) return std::move(*refused);
  const auto& params = std::get<net::Params>(auth);
  auto symbol = net::param(params, "symbol");
  if (!symbol) return error(http::status::bad_request, -1102, "Mandatory parameter 'symbol' was not sent.");
  Market* m = market(*symbol);
  if (!m) return error(http::status::bad_request, -1121, "Invalid symbol.");
  const auto& inst = m->spec.instrument;
  auto order_id = net::param(params, "orderId");
  bool spot = options_.dialect == BinanceDialect::Spot;
  json::array out;
  for (const auto& [_, o] : orders_by_client_id_) {
    if (o.symbol != inst.symbol || (order_id && *order_id != std::to_string(o.order_id))) continue;
    for (const auto& f : o.fills) {
      json::object t;
      t["symbol"] = o.symbol;
      t["id"] = std::stoull(f.trade_id);
      t["orderId"] = o.order_id;
      t["price"] = text(inst, f.price, true);
      t["qty"] = text(inst, f.qty, false);
      t["quoteQty"] = Decimal{f.price * f.qty, inst.price_scale + inst.qty_scale}.rescaled(8, Rounding::Exact).to_string();
      t["commission"] = "0.00000000";
      t["commissionAsset"] = inst.quote;
      t["time"] = o.time_ms;
      if (spot) {
        t["orderListId"] = -1;
        t["isBuyer"] = o.side == "BUY";
        t["isMaker"] = o.post_only;
        t["isBestMatch"] = true;
      } else {
        t["side"] = o.side;
        t["buyer"] = o.side == "BUY";
        t["maker"] = o.post_only;
        t["realizedPnl"] = "0";
        t["positionSide"] = "BOTH";
      }
      out.push_back(std::move(t));
    }
  }
  return net::json_response(http::status::ok, json::serialize(out));
}

std::string BinanceSim::format_order(const SimOrder& o, bool with_fills) const {
  const auto& inst = markets_.at(o.symbol)->spec.instrument;
  if (options_.dialect == BinanceDialect::Spot) {
    binance::OrderResult r;
    r.symbol = o.symbol;
    r.order_id = std::to_string(o.order_id);
    r.client_order_id = o.client_order_id;
    r.status = o.status;
    r.executed_qty = o.executed_qty;
    r.cumulative_quote = o.cumulative_quote;
    r.transact_time_ms = o.time_ms;
    if (with_fills) r.fills = o.fills;
    auto text = binance::format_order_result(r, inst, o.side, o.price, o.orig_qty);
    if (with_fills && !o.post_only) return text;
    auto v = json::parse(text).as_object();
    if (o.post_only) {
      v["type"] = "LIMIT_MAKER";
      v["timeInForce"] = "GTC";
    }
    if (with_fills) return json::serialize(v);
    // The order query (GET /api/v3/order) lists no fills.
    v.erase("fills");
    v.erase("transactTime");
    v["time"] = o.time_ms;
    v["updateTime"] = o.time_ms;
    return json::serialize(v);
  }
  json::object v;
  v["orderId"] = o.order_id;
  v["symbol"] = o.symbol;
  v["status"] = o.status;
  v["clientOrderId"] = o.client_order_id;
  v["price"] = o.price;
  v["avgPrice"] = o.executed_qty > 0
                      ? Decimal{o.cumulative_quote / o.executed_qty, inst.price_scale}.rescaled(8, Rounding::Exact).to_string()
                      : std::string("0");
  v["origQty"] = o.orig_qty;
  v["executedQty"] = text(inst, o.executed_qty, false);
  v["cumQty"] = text(inst, o.executed_qty, false);
  v["cumQuote"] = Decimal{o.cumulative_quote, inst.price_scale + inst.qty_scale}.rescaled(8, Rounding::Exact).to_string();
  v["timeInForce"] = o.post_only ? "GTX" : "IOC";
  v["type"] = "LIMIT";
  v["reduceOnly"] = false;
  v["closePosition"] = false;
  v["side"] = o.side;
  v["positionSide"] = "BOTH";
  v["origType"] = "LIMIT";
  v["selfTradePreventionMode"] = "EXPIRE_MAKER";
  v["updateTime"] = o.time_ms;
  return json::serialize(v);
}

void BinanceSim::fill_resting(Market& m, int64_t now_ms) {
  for (const auto& r : m.resting.reached(m.book)) {
    auto it = orders_by_client_id_.find(r.client_id);
    if (it == orders_by_client_id_.end()) continue;
    auto& o = it->second;
    o.executed_qty = r.qty;
    o.cumulative_quote = r.price * r.qty;
    o.fills.push_back({r.price, r.qty, std::to_string(++next_trade_id_)});
    o.status = "FILLED";
    o.time_ms = now_ms;
  }
}

BinanceSim::Account BinanceSim::account(const std::string& symbol) const {
  Account a;
  for (const auto& [id, o] : orders_by_client_id_) {
    if (o.symbol != symbol || o.executed_qty == 0) continue;
    a.executed[id] = o.executed_qty;
    a.net_qty += o.side == "BUY" ? o.executed_qty : -o.executed_qty;
  }
  return a;
}

}  // namespace aq::sim
