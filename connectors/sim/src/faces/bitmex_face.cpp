// BitMEX realtime WebSocket, `orderBookL2` (venues.md §6.1–6.3): a welcome message, text
// ping/pong, subscribe acknowledgements, a partial with the table's keys and types, then
// insert/update/delete messages whose rows carry price (ids are arbitrary, as since 2023).
// Prices are JSON numbers; sizes whole contracts.
#include <boost/json.hpp>
#include <cstdlib>

#include "aqueduct/connectors/bitmex/signing.hpp"
#include "aqueduct/connectors/json_answer.hpp"
#include "aqueduct/connectors/json_cursor.hpp"
#include "aqueduct/connectors/order_request.hpp"
#include "aqueduct/connectors/time_text.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/sim/faces.hpp"

namespace aq::sim {

namespace {

// Arbitrary but stable per (side, price), as BitMEX's ids now are.
uint64_t row_id(Side side, int64_t price) {
  return 70'000'000'000ULL + static_cast<uint64_t>(price) * 2 + (side == Side::Sell ? 1 : 0);
}

class BitmexFace : public StreamFace {
 public:
  const char* venue_kind() const override { return "bitmex"; }
  bool accepts_path(std::string_view path) const override { return path == "/realtime"; }
  bool gap_by_phantom_row() const override { return true; }
  std::optional<std::string> welcome() const override {
    return R"({"info":"Welcome to the BitMEX Realtime API.","version":"sim","timestamp":")" +
           connectors::iso8601_ms(0) + R"(","docs":"https://www.bitmex.com/app/wsAPI","limit":{"remaining":59}})";
  }

  ClientRequest read_request(std::string_view text, ConnectionState&) const override {
    ClientRequest r;
    if (text == "ping") {
      r.op = ClientRequest::Op::Ping;
      r.replies.emplace_back("pong");
      return r;
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* op = o ? o->if_contains("op") : nullptr;
    const auto* args = o ? o->if_contains("args") : nullptr;
    if (!op || !op->is_string() || !args || !args->is_array() ||
        (op->as_string() != "subscribe" && op->as_string() != "unsubscribe")) {
      r.replies.push_back(R"({"status":400,"error":"Unknown or expired command.","meta":{},"request":)" +
                          std::string(ec ? "null" : std::string(text)) + "}");
      return r;
    }
    std::string opname(op->as_string());
    for (const auto& a : args->as_array()) {
      if (a.is_string() && a.as_string().starts_with("instrument:")) {
        r.subs.push_back({std::string(a.as_string().subview().substr(11)), true});
        r.replies.push_back(R"({"success":true,")" + opname + R"(":")" + std::string(a.as_string()) +
                            R"(","request":)" + std::string(text) + "}");
        continue;
      }
      if (!a.is_string() || !a.as_string().starts_with("orderBookL2:")) {
        r.replies.push_back(R"({"status":400,"error":"Unknown table: )" +
                            (a.is_string() ? std::string(a.as_string()) : std::string("?")) +
                            R"(","meta":{},"request":)" + std::string(text) + "}");
        return r;
      }
      r.subs.push_back({std::string(a.as_string().subview().substr(12)), false});
      r.replies.push_back(R"({"success":true,")" + opname + R"(":")" + std::string(a.as_string()) +
                          R"(","request":)" + std::string(text) + "}");
    }
    r.op = opname == "subscribe" ? ClientRequest::Op::Subscribe : ClientRequest::Op::Unsubscribe;
    return r;
  }

  std::optional<std::string> rest(std::string_view path, std::string_view query,
                                  const std::vector<const Instrument*>& insts) const override {
    if (path != "/api/v1/instrument") return std::nullopt;
    auto params = net::parse_query(query);
    auto only = params ? net::param(*params, "symbol") : std::nullopt;
    std::string rows;
    for (const auto* i : insts) {
      if (only && *only != i->symbol) continue;
      if (!rows.empty()) rows += ',';
      std::string underlying = i->base == "BTC" ? "XBT" : i->base;
      rows += R"({"symbol":")" + i->symbol + R"(","rootSymbol":")" + underlying + R"(","state":"Open","typ":"FFWCSX","underlying":")" +
              underlying + R"(","quoteCurrency":")" + i->quote + R"(","settlCurrency":"XBt","lotSize":)" +
              i->qty(i->lot).to_trimmed_string() + R"(,"tickSize":)" + i->price(i->tick).to_trimmed_string() + R"(,"multiplier":)" +
              i->multiplier.to_trimmed_string() + R"(,"isQuanto":)" + (i->kind == InstrumentKind::Quanto ? "true" : "false") +
              R"(,"isInverse":)" + (i->kind == InstrumentKind::Inverse ? "true" : "false") + R"(,"fundingRate":0.0001})";
    }
    return "[" + rows + "]";
  }

  // GET /api/v1/funding?symbol=&startTime=&endTime=&count=&reverse=false: rows oldest first,
  // fundingRate a JSON number.
  std::optional<net::HttpResponse> funding_history(std::string_view path, std::string_view query,
                                                   const FundingLookup& settled) const override {
    namespace http = boost::beast::http;
    if (path != "/api/v1/funding") return std::nullopt;
    auto bad = [](const std::string& msg) {
      return net::json_response(http::status::bad_request, R"({"error":{"message":")" + msg +
                                                               R"(","name":"ValidationError"}})");
    };
    auto params = net::parse_query(query);
    auto symbol = params ? net::param(*params, "symbol") : std::nullopt;
    if (!symbol) return bad("symbol is required here");
    auto time = [&](const char* key, int64_t fallback) -> std::optional<int64_t> {
      auto v = net::param(*params, key);
      if (!v) return fallback;
      auto ns = connectors::parse_iso8601_ns(*v);
      return ns ? std::optional<int64_t>(*ns / 1'000'000) : std::nullopt;
    };
    auto from = time("startTime", 0), to = time("endTime", INT64_MAX);
    auto count = int_param(*params, "count", 100);
    if (!from || !to || !count || *count < 1 || *count > 500)
      return bad("startTime and endTime must be ISO 8601 times, count 1 to 500");
    auto rows = settled(*symbol, *from, *to, static_cast<size_t>(*count));
    if (!rows) return bad("Unknown symbol " + *symbol);
    std::string body = "[";
    for (const auto& s : *rows) {
      if (body.size() > 1) body += ',';
      body += R"({"timestamp":")" + connectors::iso8601_ms(s.at_ms) + R"(","symbol":")" + *symbol +
              R"(","fundingInterval":"2000-01-01T08:00:00.000Z","fundingRate":)" +
              s.rate.to_trimmed_string() + "}";
    }
    return net::json_response(http::status::ok, body + "]");
  }

  // Order entry (venues.md §6.7): signed requests, Limit IOC orders answered with the order
  // row, queries filtered by clOrdID or orderID.
  OrderCall read_order_call(const net::HttpRequest& req, const connectors::VenueCredentials& creds, int64_t now_ms,
                            const InstrumentLookup& lookup) const override {
    namespace http = boost::beast::http;
    OrderCall call;
    auto t = net::split_target(req.target());
    call.kind = order_call_kind(
        req, {{http::verb::post, "/api/v1/order", OrderCall::Kind::Place},
              {http::verb::get, "/api/v1/order", OrderCall::Kind::QueryOrder},
              {http::verb::get, "/api/v1/execution/tradeHistory", OrderCall::Kind::QueryFills},
              {http::verb::delete_, "/api/v1/order", OrderCall::Kind::Cancel},
              {http::verb::get, "/api/v1/user/margin", OrderCall::Kind::Account}});
    if (call.kind == OrderCall::Kind::None) return call;
    auto refuse = [&](http::status st, const std::string& msg) {
      call.refusal = net::json_response(st, R"({"error":{"message":")" + msg + R"(","name":"HTTPError"}})");
      return call;
    };
    std::string key(req["api-key"]), sig(req["api-signature"]);
    int64_t expires = std::atoll(std::string(req["api-expires"]).c_str());
    if (key.empty() || !net::constant_time_equal(key, creds.api_key)) return refuse(http::status::unauthorized, "Invalid API Key.");
    if (expires <= now_ms / 1000) return refuse(http::status::unauthorized, "This request has expired - `expires` is in the past.");
    if (!net::constant_time_equal(bitmex::sign(creds.api_secret, std::string(req.method_string()), std::string(req.target()), expires, req.body()), sig))
      return refuse(http::status::unauthorized, "Signature not valid.");
    if (call.kind == OrderCall::Kind::Cancel) {
      auto jv = connectors::parse_answer(req.body());
      const auto* jo = jv ? jv->if_object() : nullptr;
      call.client_id = connectors::text_of(jo, "clOrdID");
      return call;
    }
    if (call.kind != OrderCall::Kind::Place) {
      auto params = net::parse_query(t.query);
      auto filter = params ? net::param(*params, "filter") : std::nullopt;
      auto fv = filter ? connectors::parse_answer(*filter) : std::nullopt;
      const auto* fo = fv ? fv->if_object() : nullptr;
      auto get = [fo](const char* k) { return connectors::text_of(fo, k); };
      call.client_id = get("clOrdID");
      call.venue_id = get("orderID");
      // The simulator knows an order's symbol; the first market stands in when none is named.
      call.symbol = "";
      return call;
    }
    // Read the body exactly: price is a JSON number.
    std::string side, ord_type, tif, exec_inst;
    std::string_view price_text, qty_text;
    try {
      connectors::JsonCursor c(req.body(), "order");
      c.expect('{');
      do {
        auto k = c.string();
        c.expect(':');
        if (k == "symbol") call.symbol = c.string();
        else if (k == "side") side = c.string();
        else if (k == "ordType") ord_type = c.string();
        else if (k == "timeInForce") tif = c.string();
        else if (k == "execInst") exec_inst = c.string();
        else if (k == "clOrdID") call.client_id = c.string();
        else if (k == "price") price_text = c.number_text(k);
        else if (k == "orderQty") qty_text = c.number_text(k);
        else c.skip_value();
      } while (c.accept(','));
      c.expect('}');
    } catch (const connectors::ParseError& e) {
      return refuse(http::status::bad_request, std::string("Invalid JSON: ") + e.what());
    }
    const Instrument* inst = lookup(call.symbol);
    if (!inst) return refuse(http::status::bad_request, "Invalid symbol");
    // Post-only: ParticipateDoNotInitiate on a resting (GoodTillCancel) limit order.
    call.post_only = exec_inst == "ParticipateDoNotInitiate";
    bool ioc = tif == "ImmediateOrCancel" && exec_inst.empty();
    bool post_only = call.post_only && (tif.empty() || tif == "GoodTillCancel");
    if (ord_type != "Limit" || !(ioc || post_only))
      return refuse(http::status::bad_request,
                    "The simulator takes Limit ImmediateOrCancel, and Limit GoodTillCancel with execInst "
                    "ParticipateDoNotInitiate");
    if (side != "Buy" && side != "Sell") return refuse(http::status::bad_request, "Invalid side");
    call.side = side == "Buy" ? Side::Buy : Side::Sell;
    auto px = Decimal::parse(price_text, inst->price_scale);
    auto qty = Decimal::parse(qty_text, inst->qty_scale);
    if (!px || px->units <= 0 || px->units % inst->tick != 0) return refuse(http::status::bad_request, "Invalid price tickSize");
    if (!qty || qty->units < inst->min_qty || qty->units % inst->lot != 0) return refuse(http::status::bad_request, "Invalid orderQty");
    call.price = px->units;
    call.qty = qty->units;
    if (call.client_id.empty()) return refuse(http::status::bad_request, "clOrdID is required by the simulator");
    return call;
  }

  net::HttpResponse order_ack(const SimOrder& o, const Instrument& inst) const override {
    return net::json_response(boost::beast::http::status::ok, row(o, inst));
  }
  net::HttpResponse order_state(const SimOrder* o, const Instrument& inst) const override {
    return net::json_response(boost::beast::http::status::ok, o ? "[" + row(*o, inst) + "]" : "[]");
  }
  net::HttpResponse order_fills(const SimOrder* o, const Instrument& inst) const override {
    std::string rows;
    if (o)
      for (const auto& [e, id] : o->fills) {
        if (!rows.empty()) rows += ',';
        rows += R"({"execID":")" + id + R"(","orderID":")" + o->venue_id + R"(","clOrdID":")" + o->client_id + R"(","symbol":")" +
                o->symbol + R"(","side":")" + (o->side == Side::Buy ? "Buy" : "Sell") + R"(","lastPx":)" +
                inst.price(e.price).to_trimmed_string() + R"(,"lastQty":)" + inst.qty(e.qty).to_trimmed_string() +
                R"(,"execType":"Trade"})";
      }
    return net::json_response(boost::beast::http::status::ok, "[" + rows + "]");
  }
  net::HttpResponse cancel_answer(const SimOrder* o, const Instrument& inst, bool cancelled_now) const override {
    if (!o)
      return net::json_response(boost::beast::http::status::not_found, R"({"error":{"message":"Not Found","name":"HTTPError"}})");
    auto r = row(*o, inst);
    if (cancelled_now) return net::json_response(boost::beast::http::status::ok, "[" + r + "]");
    r.pop_back();  // the row, with why it could not be cancelled
    return net::json_response(boost::beast::http::status::ok,
                              "[" + r + R"(,"error":"Unable to cancel order due to existing state: )" +
                                  (o->filled == o->qty ? "Filled" : "Canceled") + "\"}]");
  }

  net::HttpResponse rate_limited() const override {
    return net::json_response(boost::beast::http::status::too_many_requests,
                              R"({"error":{"message":"Rate limit exceeded, retry in 1 seconds.","name":"RateLimitError"}})");
  }

  net::HttpResponse account_answer(const connectors::MarginAccount* a) const override {
    namespace http = boost::beast::http;
    // No account kept (no sim_collateral): an error that says so. Not a 503, which asks the
    // client to back off every request, orders included.
    if (!a)
      return net::json_response(
          http::status::not_found,
          R"({"error":{"message":"Account has no XBt margin; simulator without sim_collateral","name":"NotFoundError"}})");
    // Whole satoshis (XBt) as JSON integers.
    auto sats = [](const Decimal& d) {
      return std::to_string(d.rescaled(8, Rounding::Down).units);
    };
    auto eq = sats(a->equity);
    return net::json_response(http::status::ok,
                              R"({"account":1,"currency":"XBt","walletBalance":)" + eq +
                                  R"(,"marginBalance":)" + eq + R"(,"availableMargin":)" +
                                  sats(a->available) + R"(,"withdrawableMargin":)" +
                                  sats(a->available) + "}");
  }

  std::string unknown_symbol(const std::string& symbol, ConnectionState&) const override {
    return R"({"status":400,"error":"Unknown symbol: )" + symbol + R"(","meta":{}})";
  }

  std::vector<std::string> snapshot(const BookPush& p, ConnectionState&) const override {
    std::string rows;
    for (const auto& l : p.book->asks()) append(rows, p, Side::Sell, l, true);
    for (const auto& l : p.book->bids()) append(rows, p, Side::Buy, l, true);
    return {R"({"table":"orderBookL2","action":"partial","keys":["symbol","id","side"],)"
            R"("types":{"symbol":"symbol","id":"long","side":"symbol","size":"long","price":"float","timestamp":"timestamp"},)"
            R"("foreignKeys":{"symbol":"instrument","side":"side"},"attributes":{"symbol":"parted","id":"sorted"},)"
            R"("filter":{"symbol":")" + p.instrument->symbol + R"("},"data":[)" + rows + "]}"};
  }

  std::vector<std::string> perp_stats(const PerpPush& p, ConnectionState&) const override {
    const auto& inst = *p.instrument;
    return {R"({"table":"instrument","action":"update","data":[{"symbol":")" + inst.symbol + R"(","markPrice":)" +
            inst.price(p.mark).to_trimmed_string() + R"(,"indicativeSettlePrice":)" + inst.price(p.index).to_trimmed_string() +
            R"(,"fundingRate":)" + p.funding_rate.to_trimmed_string() + R"(,"fundingTimestamp":")" +
            connectors::iso8601_ms(p.next_funding_ms) + R"(","timestamp":")" + connectors::iso8601_ms(p.ts_ms) + "\"}]}"};
  }

  std::vector<std::string> delta(const BookPush& p, ConnectionState&) const override {
    std::string inserts, updates, deletes;
    auto classify = [&](Side side, const std::vector<Level>& levels) {
      for (const auto& l : levels) {
        bool was = p.before->qty_at(side, l.price) != 0;
        if (l.qty == 0) {
          if (was) append(deletes, p, side, l, false);
        } else {
          append(was ? updates : inserts, p, side, l, true);
        }
      }
    };
    classify(Side::Buy, p.diff->bids);
    classify(Side::Sell, p.diff->asks);
    if (p.phantom_bid) append(updates, p, Side::Buy, *p.phantom_bid, true);
    std::vector<std::string> out;
    auto table = [&](const char* action, const std::string& rows) {
      if (!rows.empty()) out.push_back(R"({"table":"orderBookL2","action":")" + std::string(action) + R"(","data":[)" + rows + "]}");
    };
    table("delete", deletes);
    table("update", updates);
    table("insert", inserts);
    return out;
  }

 private:
  static std::string row(const SimOrder& o, const Instrument& inst) {
    int128 notional = 0;
    for (const auto& [e, _] : o.fills) notional += static_cast<int128>(e.price) * e.qty;
    std::string avg = o.filled > 0 ? inst.price(static_cast<int64_t>(notional / o.filled)).to_trimmed_string() : "null";
    return R"({"orderID":")" + o.venue_id + R"(","clOrdID":")" + o.client_id + R"(","symbol":")" + o.symbol + R"(","side":")" +
           (o.side == Side::Buy ? "Buy" : "Sell") + R"(","orderQty":)" + inst.qty(o.qty).to_trimmed_string() + R"(,"price":)" +
           inst.price(o.price).to_trimmed_string() + R"(,"ordType":"Limit","timeInForce":")" +
           (o.post_only ? R"(GoodTillCancel","execInst":"ParticipateDoNotInitiate)" : "ImmediateOrCancel") +
           R"(","ordStatus":")" +
           (o.resting ? (o.filled > 0 ? "PartiallyFilled" : "New") : o.filled == o.qty ? "Filled" : "Canceled") +
           R"(","cumQty":)" + inst.qty(o.filled).to_trimmed_string() + R"(,"leavesQty":)" +
           inst.qty(o.resting ? o.qty - o.filled : 0).to_trimmed_string() + R"(,"avgPx":)" + avg + R"(,"transactTime":")" + connectors::iso8601_ms(o.ts_ms) + R"(","timestamp":")" +
           connectors::iso8601_ms(o.ts_ms) + R"("})";
  }
  static void append(std::string& rows, const BookPush& p, Side side, const Level& l, bool with_size) {
    const auto& inst = *p.instrument;
    if (!rows.empty()) rows += ',';
    rows += R"({"symbol":")" + inst.symbol + R"(","id":)" + std::to_string(row_id(side, l.price)) + R"(,"side":")" +
            (side == Side::Buy ? "Buy" : "Sell") + "\"";
    if (with_size) rows += R"(,"size":)" + inst.qty(l.qty).to_string();
    rows += R"(,"price":)" + inst.price(l.price).to_string() + R"(,"timestamp":")" + connectors::iso8601_ms(p.ts_ms) + "\"}";
  }
};

}  // namespace

std::unique_ptr<StreamFace> make_bitmex_face() { return std::make_unique<BitmexFace>(); }

}  // namespace aq::sim
