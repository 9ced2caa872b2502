// Bybit v5 public WebSocket, `orderbook.{depth}.{symbol}` (venues.md §4.1–4.3): JSON
// ping/pong, subscribe acknowledgements, a snapshot capped at the depth, then deltas whose `u`
// counts up by one.
#include <boost/json.hpp>
#include <cstdlib>

#include "aqueduct/connectors/bybit/signing.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/connectors/json_answer.hpp"
#include "aqueduct/sim/faces.hpp"

namespace aq::sim {

namespace {

class BybitFace : public StreamFace {
 public:
  explicit BybitFace(int depth) : depth_(depth) {}
  const char* venue_kind() const override { return "bybit"; }
  bool accepts_path(std::string_view path) const override {
    return path == "/v5/public/spot" || path == "/v5/public/linear";
  }

  ClientRequest read_request(std::string_view text, ConnectionState&) const override {
    ClientRequest r;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* op = o ? o->if_contains("op") : nullptr;
    std::string req_id = o && o->if_contains("req_id") && o->at("req_id").is_string()
                             ? std::string(o->at("req_id").as_string()) : "";
    if (!op || !op->is_string()) {
      r.replies.push_back(R"({"success":false,"ret_msg":"error:request not understood","conn_id":"sim","op":""})");
      return r;
    }
    std::string opname(op->as_string());
    if (opname == "ping") {
      r.op = ClientRequest::Op::Ping;
      r.replies.push_back(R"({"success":true,"ret_msg":"pong","conn_id":"sim","req_id":")" + req_id + R"(","op":"ping"})");
      return r;
    }
    const auto* args = o->if_contains("args");
    if ((opname != "subscribe" && opname != "unsubscribe") || !args || !args->is_array()) {
      r.replies.push_back(R"({"success":false,"ret_msg":"error:handler not found","conn_id":"sim","req_id":")" + req_id +
                          R"(","op":")" + opname + "\"}");
      return r;
    }
    std::string prefix = "orderbook." + std::to_string(depth_) + ".";
    for (const auto& a : args->as_array()) {
      if (a.is_string() && a.as_string().starts_with("tickers.")) {
        r.subs.push_back({std::string(a.as_string().subview().substr(8)), true});
        continue;
      }
      if (depth_ != 1 && a.is_string() && a.as_string().starts_with("orderbook.1.")) {
        r.subs.push_back({std::string(a.as_string().subview().substr(12)), false, true});
        continue;
      }
      if (!a.is_string() || !a.as_string().starts_with(prefix)) {
        r.replies.push_back(R"({"success":false,"ret_msg":"error:handler not found,topic:)" +
                            (a.is_string() ? std::string(a.as_string()) : std::string("?")) +
                            R"(","conn_id":"sim","req_id":")" + req_id + R"(","op":")" + opname + "\"}");
        return r;
      }
      r.subs.push_back({std::string(a.as_string().subview().substr(prefix.size())), false});
    }
    r.op = opname == "subscribe" ? ClientRequest::Op::Subscribe : ClientRequest::Op::Unsubscribe;
    r.replies.push_back(R"({"success":true,"ret_msg":"","conn_id":"sim","req_id":")" + req_id + R"(","op":")" + opname + "\"}");
    return r;
  }

  // GET /v5/market/funding/history?category=linear&symbol=&startTime=&endTime=&limit=: the
  // newest `limit` (at most 200) in the window, newest first.
  std::optional<net::HttpResponse> funding_history(std::string_view path, std::string_view query,
                                                   const FundingLookup& settled) const override {
    namespace http = boost::beast::http;
    if (path != "/v5/market/funding/history") return std::nullopt;
    auto bad = [](int code, const std::string& msg) {
      return net::json_response(http::status::ok, R"({"retCode":)" + std::to_string(code) +
                                                      R"(,"retMsg":")" + msg +
                                                      R"(","result":{},"retExtInfo":{}})");
    };
    auto params = net::parse_query(query);
    auto symbol = params ? net::param(*params, "symbol") : std::nullopt;
    if (!symbol) return bad(10001, "symbol is required");
    auto from = int_param(*params, "startTime", 0), to = int_param(*params, "endTime", INT64_MAX);
    auto limit = int_param(*params, "limit", 200);
    if (!from || !to || !limit || *limit < 1 || *limit > 200)
      return bad(10001, "startTime and endTime must be ms times, limit 1 to 200");
    auto rows = settled(*symbol, *from, *to, SIZE_MAX);
    if (!rows) return bad(10001, "Illegal category or symbol");
    std::string list;
    size_t n = 0;
    for (auto it = rows->rbegin(); it != rows->rend() && n < static_cast<size_t>(*limit);
         ++it, ++n) {
      if (!list.empty()) list += ',';
      list += R"({"symbol":")" + *symbol + R"(","fundingRate":")" + it->rate.to_string() +
              R"(","fundingRateTimestamp":")" + std::to_string(it->at_ms) + R"("})";
    }
    return net::json_response(
        http::status::ok, R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[)" +
                              list + R"(]},"retExtInfo":{}})");
  }

  std::optional<std::string> rest(std::string_view path, std::string_view query,
                                  const std::vector<const Instrument*>& insts) const override {
    if (path != "/v5/market/instruments-info") return std::nullopt;
    auto params = net::parse_query(query);
    auto category = params ? net::param(*params, "category") : std::nullopt;
    auto only = params ? net::param(*params, "symbol") : std::nullopt;
    if (!category || (*category != "spot" && *category != "linear"))
      return std::string(R"({"retCode":10001,"retMsg":"params error: category","result":{},"time":0})");
    std::string list;
    for (const auto* i : insts) {
      bool spot = i->kind == InstrumentKind::Spot;
      if ((*category == "spot") != spot || (only && *only != i->symbol)) continue;
      if (!list.empty()) list += ',';
      std::string lot = spot ? R"({"basePrecision":")" + i->qty(i->lot).to_trimmed_string() + R"(","quotePrecision":"0.00000001","minOrderQty":")" +
                                   i->qty(i->min_qty).to_trimmed_string() + R"(","maxOrderQty":"100","minOrderAmt":"5","maxOrderAmt":"2000000"})"
                             : R"({"maxOrderQty":"1190","minOrderQty":")" + i->qty(i->min_qty).to_trimmed_string() + R"(","qtyStep":")" +
                                   i->qty(i->lot).to_trimmed_string() + R"(","postOnlyMaxOrderQty":"1190","minNotionalValue":"5"})";
      list += R"({"symbol":")" + i->symbol + R"(","contractType":")" + (spot ? "" : "LinearPerpetual") +
              R"(","status":"Trading","baseCoin":")" + i->base + R"(","quoteCoin":")" + i->quote + R"(","settleCoin":")" + i->settle +
              R"(","priceScale":")" + std::to_string(i->price_scale) + R"(","priceFilter":{"minPrice":")" +
              i->price(i->tick).to_trimmed_string() + R"(","maxPrice":"1999999","tickSize":")" + i->price(i->tick).to_trimmed_string() +
              R"("},"lotSizeFilter":)" + lot + R"(,"fundingInterval":480})";
    }
    return R"({"retCode":0,"retMsg":"OK","result":{"category":")" + *category + R"(","list":[)" + list +
           R"(],"nextPageCursor":""},"time":0})";
  }

  // Order entry (venues.md §4.6–4.7): signed requests, Limit IOC orders, queries by orderLinkId.
  OrderCall read_order_call(const net::HttpRequest& req, const connectors::VenueCredentials& creds, int64_t now_ms,
                            const InstrumentLookup& lookup) const override {
    namespace http = boost::beast::http;
    OrderCall call;
    auto t = net::split_target(req.target());
    call.kind = order_call_kind(
        req, {{http::verb::post, "/v5/order/create", OrderCall::Kind::Place},
              {http::verb::get, "/v5/order/realtime", OrderCall::Kind::QueryOrder},
              {http::verb::get, "/v5/execution/list", OrderCall::Kind::QueryFills},
              {http::verb::post, "/v5/order/cancel", OrderCall::Kind::Cancel},
              {http::verb::get, "/v5/account/wallet-balance", OrderCall::Kind::Account}});
    if (call.kind == OrderCall::Kind::None) return call;
    auto refuse = [&](int code, const std::string& msg) {
      call.refusal = net::json_response(http::status::ok, R"({"retCode":)" + std::to_string(code) + R"(,"retMsg":")" + msg +
                                                              R"(","result":{},"retExtInfo":{},"time":)" + std::to_string(now_ms) + "}");
      return call;
    };
    std::string key(req["X-BAPI-API-KEY"]), sig(req["X-BAPI-SIGN"]);
    int64_t ts = std::atoll(std::string(req["X-BAPI-TIMESTAMP"]).c_str());
    int64_t recv = std::atoll(std::string(req["X-BAPI-RECV-WINDOW"]).c_str());
    if (key.empty() || !net::constant_time_equal(key, creds.api_key)) return refuse(10003, "API key is invalid.");
    if (recv <= 0) recv = 5000;
    if (!(now_ms - recv <= ts && ts < now_ms + 1000)) return refuse(10002, "invalid request, please check your server timestamp or recv_window param");
    std::string payload = req.method() == http::verb::post ? req.body() : std::string(t.query);  // POST signs the body
    if (!net::constant_time_equal(bybit::sign(creds.api_secret, ts, key, recv, payload), sig))
      return refuse(10004, "error sign! origin_string[" + std::to_string(ts) + key + std::to_string(recv) + "]");
    if (call.kind == OrderCall::Kind::Cancel) {
      auto jv = connectors::parse_answer(req.body());
      const auto* jo = jv ? jv->if_object() : nullptr;
      auto get = [jo](const char* k) { return connectors::text_of(jo, k); };
      call.symbol = get("symbol");
      call.client_id = get("orderLinkId");
      call.venue_id = get("orderId");
      return call;
    }
    if (call.kind != OrderCall::Kind::Place) {
      auto params = net::parse_query(t.query);
      call.symbol = params ? net::param(*params, "symbol").value_or("") : "";
      call.client_id = params ? net::param(*params, "orderLinkId").value_or("") : "";
      call.venue_id = params ? net::param(*params, "orderId").value_or("") : "";
      return call;
    }
    auto v = connectors::parse_answer(req.body());
    const auto* o = v ? v->if_object() : nullptr;
    auto field = [o](const char* k) { return connectors::text_of(o, k); };
    call.symbol = field("symbol");
    const Instrument* inst = lookup(call.symbol);
    if (!inst) return refuse(10001, "params error: symbol invalid");
    auto tif = field("timeInForce");
    if (field("orderType") != "Limit" || (tif != "IOC" && tif != "PostOnly"))
      return refuse(10001, "params error: the simulator takes Limit with IOC or PostOnly");
    call.post_only = tif == "PostOnly";
    auto side = field("side");
    if (side != "Buy" && side != "Sell") return refuse(10001, "params error: side invalid");
    call.side = side == "Buy" ? Side::Buy : Side::Sell;
    auto px = Decimal::parse(field("price"), inst->price_scale);
    auto qty = Decimal::parse(field("qty"), inst->qty_scale);
    if (!px || px->units <= 0 || px->units % inst->tick != 0) return refuse(10001, "params error: price invalid");
    if (!qty || qty->units < inst->min_qty || qty->units % inst->lot != 0) return refuse(170136, "Order quantity is lower than the minimum or not a multiple of qtyStep.");
    call.price = px->units;
    call.qty = qty->units;
    call.client_id = field("orderLinkId");
    if (call.client_id.empty() || call.client_id.size() > 36) return refuse(10001, "params error: orderLinkId");
    return call;
  }

  net::HttpResponse order_ack(const SimOrder& o, const Instrument&) const override {
    return net::json_response(boost::beast::http::status::ok,
                              R"({"retCode":0,"retMsg":"OK","result":{"orderId":")" + o.venue_id + R"(","orderLinkId":")" +
                                  o.client_id + R"("},"retExtInfo":{},"time":)" + std::to_string(o.ts_ms) + "}");
  }

  net::HttpResponse order_state(const SimOrder* o, const Instrument& inst) const override {
    std::string list;
    if (o)
      list = R"({"orderId":")" + o->venue_id + R"(","orderLinkId":")" + o->client_id + R"(","symbol":")" + o->symbol +
             R"(","side":")" + (o->side == Side::Buy ? "Buy" : "Sell") + R"(","price":")" + inst.price(o->price).to_string() +
             R"(","qty":")" + inst.qty(o->qty).to_string() + R"(","orderStatus":")" +
             (o->resting ? (o->filled > 0 ? "PartiallyFilled" : "New")
              : o->filled == o->qty ? "Filled"
              : o->filled > 0      ? "PartiallyFilledCanceled"
                                   : "Cancelled") +
             R"(","cumExecQty":")" + inst.qty(o->filled).to_string() + R"(","timeInForce":")" +
             (o->post_only ? "PostOnly" : "IOC") + R"(","orderType":"Limit","updatedTime":")" +
             std::to_string(o->ts_ms) + R"("})";
    return net::json_response(boost::beast::http::status::ok,
                              R"({"retCode":0,"retMsg":"OK","result":{"list":[)" + list + R"(],"nextPageCursor":""},"time":0})");
  }

  net::HttpResponse order_fills(const SimOrder* o, const Instrument& inst) const override {
    std::string list;
    if (o)
      for (const auto& [e, id] : o->fills) {
        if (!list.empty()) list += ',';
        list += R"({"symbol":")" + o->symbol + R"(","orderId":")" + o->venue_id + R"(","orderLinkId":")" + o->client_id +
                R"(","execId":")" + id + R"(","execPrice":")" + inst.price(e.price).to_string() + R"(","execQty":")" +
                inst.qty(e.qty).to_string() + R"(","execTime":")" + std::to_string(o->ts_ms) + R"("})";
      }
    return net::json_response(boost::beast::http::status::ok,
                              R"({"retCode":0,"retMsg":"OK","result":{"list":[)" + list + R"(],"nextPageCursor":""},"time":0})");
  }

  net::HttpResponse rate_limited() const override {
    return net::json_response(boost::beast::http::status::too_many_requests, R"({"retCode":10006,"retMsg":"Too many visits!"})");
  }

  net::HttpResponse account_answer(const connectors::MarginAccount* a) const override {
    namespace http = boost::beast::http;
    if (!a)
      return net::json_response(http::status::ok,
                                R"({"retCode":10016,"retMsg":"Server error.","result":{}})");
    // The unified account's totals are in USD; the simulated account's coin is a USD stablecoin.
    auto eq = a->equity.to_string(), avail = a->available.to_string();
    return net::json_response(
        http::status::ok,
        R"({"retCode":0,"retMsg":"OK","result":{"list":[{"accountType":"UNIFIED","totalEquity":")" +
            eq + R"(","totalWalletBalance":")" + eq + R"(","totalMarginBalance":")" + eq +
            R"(","totalAvailableBalance":")" + avail + R"(","coin":[]}]},"retExtInfo":{}})");
  }

  net::HttpResponse cancel_answer(const SimOrder* o, const Instrument&, bool cancelled_now) const override {
    if (o && cancelled_now)
      return net::json_response(boost::beast::http::status::ok,
                                R"({"retCode":0,"retMsg":"OK","result":{"orderId":")" + o->venue_id +
                                    R"(","orderLinkId":")" + o->client_id + R"("},"retExtInfo":{},"time":0})");
    // Done or never placed, Bybit says the same; the query tells them apart.
    return net::json_response(boost::beast::http::status::ok,
                              R"({"retCode":110001,"retMsg":"order not exists or too late to cancel","result":{},"time":0})");
  }

  std::string unknown_symbol(const std::string& symbol, ConnectionState&) const override {
    return R"({"success":false,"ret_msg":"error:handler not found,topic:orderbook.)" + std::to_string(depth_) + "." +
           symbol + R"(","conn_id":"sim","op":"subscribe"})";
  }

  std::vector<std::string> snapshot(const BookPush& p, ConnectionState&) const override {
    return {message(p, "snapshot", p.book->bids(), p.book->asks(), true)};
  }
  std::vector<std::string> delta(const BookPush& p, ConnectionState&) const override {
    return {message(p, "delta", p.diff->bids, p.diff->asks, false)};
  }

  std::vector<std::string> perp_stats(const PerpPush& p, ConnectionState&) const override {
    const auto& inst = *p.instrument;
    return {R"({"topic":"tickers.)" + inst.symbol + R"(","type":"snapshot","data":{"symbol":")" + inst.symbol +
            R"(","markPrice":")" + inst.price(p.mark).to_string() + R"(","indexPrice":")" + inst.price(p.index).to_string() +
            R"(","fundingRate":")" + p.funding_rate.to_trimmed_string() + R"(","nextFundingTime":")" +
            std::to_string(p.next_funding_ms) + R"("},"cs":1,"ts":)" + std::to_string(p.ts_ms) + "}"};
  }

 private:
  std::string message(const BookPush& p, const char* type, const std::vector<Level>& bids,
                      const std::vector<Level>& asks, bool cap) const {
    const auto& inst = *p.instrument;
    auto side = [&](const std::vector<Level>& ls) {
      std::string s = "[";
      size_t n = cap ? std::min(ls.size(), static_cast<size_t>(depth_)) : ls.size();
      for (size_t i = 0; i < n; ++i) {
        if (i) s += ',';
        s += "[\"" + inst.price(ls[i].price).to_string() + "\",\"" + inst.qty(ls[i].qty).to_string() + "\"]";
      }
      return s + "]";
    };
    std::string ts = std::to_string(p.ts_ms);
    return R"({"topic":"orderbook.)" + std::to_string(depth_) + "." + inst.symbol + R"(","type":")" + type +
           R"(","ts":)" + ts + R"(,"data":{"s":")" + inst.symbol + R"(","b":)" + side(bids) + R"(,"a":)" +
           side(asks) + R"(,"u":)" + std::to_string(p.seq) + R"(,"seq":)" + std::to_string(p.seq * 7) +
           R"(},"cts":)" + ts + "}";
  }

  std::vector<std::string> top(const TopPush& p, ConnectionState&) const override {
    // Level 1: every push a snapshot of the best bid and ask.
    const auto& inst = *p.instrument;
    auto side = [&](const Level& l) {
      if (l.qty == 0) return std::string("[]");
      return "[[\"" + inst.price(l.price).to_string() + "\",\"" + inst.qty(l.qty).to_string() + "\"]]";
    };
    std::string ts = std::to_string(p.ts_ms);
    return {R"({"topic":"orderbook.1.)" + inst.symbol + R"(","type":"snapshot","ts":)" + ts + R"(,"data":{"s":")" +
            inst.symbol + R"(","b":)" + side(p.bid) + R"(,"a":)" + side(p.ask) + R"(,"u":)" + std::to_string(p.seq) +
            R"(,"seq":)" + std::to_string(p.seq * 7) + R"(},"cts":)" + ts + "}"};
  }

  int depth_;
};

}  // namespace

std::unique_ptr<StreamFace> make_bybit_face(int depth) { return std::make_unique<BybitFace>(depth); }

}  // namespace aq::sim
