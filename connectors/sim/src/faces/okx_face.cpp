// OKX v5 public WebSocket, `books` channel (venues.md §3.2–3.4): acknowledgements per arg,
// text ping/pong, snapshots with prevSeqId -1, updates chained by prevSeqId, idle heartbeats,
// and the legacy CRC32 checksum computed over the exact strings sent.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "aqueduct/connectors/okx/book_sync.hpp"
#include "aqueduct/connectors/okx/parse.hpp"
#include "aqueduct/connectors/okx/signing.hpp"
#include "aqueduct/connectors/order_request.hpp"
#include "aqueduct/connectors/time_text.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/connectors/json_answer.hpp"
#include "aqueduct/sim/faces.hpp"

namespace aq::sim {

namespace {

okx::BookLevel level(const Instrument& inst, const Level& l) {
  return {l.price, l.qty, inst.price(l.price).to_string(), inst.qty(l.qty).to_string()};
}

std::vector<std::pair<std::string, std::string>> top25(const Instrument& inst, const std::vector<Level>& side) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < side.size() && i < 25; ++i)
    out.emplace_back(inst.price(side[i].price).to_string(), inst.qty(side[i].qty).to_string());
  return out;
}

class OkxFace : public StreamFace {
 public:
  const char* venue_kind() const override { return "okx"; }
  bool accepts_path(std::string_view path) const override { return path == "/ws/v5/public"; }

  ClientRequest read_request(std::string_view text, ConnectionState& c) const override {
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
    std::string id = o && o->if_contains("id") && o->at("id").is_string() ? std::string(o->at("id").as_string()) : "";
    if (!op || !op->is_string() || !args || !args->is_array() ||
        (op->as_string() != "subscribe" && op->as_string() != "unsubscribe")) {
      r.replies.push_back(R"({"id":")" + id + R"(","event":"error","code":"60012","msg":"Invalid request: )" +
                          std::string(text.substr(0, 100)) + R"(","connId":"sim"})");
      return r;
    }
    r.op = op->as_string() == "subscribe" ? ClientRequest::Op::Subscribe : ClientRequest::Op::Unsubscribe;
    for (const auto& a : args->as_array()) {
      const auto* ao = a.if_object();
      const auto* ch = ao ? ao->if_contains("channel") : nullptr;
      const auto* inst = ao ? ao->if_contains("instId") : nullptr;
      bool known = ch && ch->is_string() &&
                   (ch->as_string() == "books" || ch->as_string() == "bbo-tbt" || ch->as_string() == "mark-price" ||
                    ch->as_string() == "funding-rate" || ch->as_string() == "index-tickers");
      if (!known || !inst || !inst->is_string()) {
        r.replies.push_back(R"({"id":")" + id + R"(","event":"error","code":"60018","msg":"Wrong URL or channel:)" +
                            boost::json::serialize(a) + R"( doesn't exist.","connId":"sim"})");
        continue;
      }
      bool top = ch->as_string() == "bbo-tbt";
      std::string symbol(inst->as_string());
      if (ch->as_string() == "index-tickers") {
        // The index of an underlying: the simulator derives it from the SWAP that follows it.
        std::string key = "index-tickers:" + symbol;
        if (r.op == ClientRequest::Op::Subscribe) c.channels.insert(key);
        else c.channels.erase(key);
        symbol += "-SWAP";
      }
      r.subs.push_back({symbol, !top && ch->as_string() != "books", top});
      r.replies.push_back(R"({"id":")" + id + R"(","event":")" + std::string(op->as_string()) +
                          R"(","arg":{"channel":")" + std::string(ch->as_string()) + R"(","instId":")" +
                          std::string(inst->as_string()) + R"("},"connId":"sim"})");
    }
    return r;
  }

  // GET /api/v5/public/funding-rate-history?instId=&before=&after=&limit=: `before` and
  // `after` exclusive bounds (newer than, older than); the newest `limit` (at most 100),
  // newest first.
  std::optional<net::HttpResponse> funding_history(std::string_view path, std::string_view query,
                                                   const FundingLookup& settled) const override {
    namespace http = boost::beast::http;
    if (path != "/api/v5/public/funding-rate-history") return std::nullopt;
    auto bad = [](const std::string& code, const std::string& msg) {
      return net::json_response(http::status::bad_request,
                                R"({"code":")" + code + R"(","msg":")" + msg + R"(","data":[]})");
    };
    auto params = net::parse_query(query);
    auto inst = params ? net::param(*params, "instId") : std::nullopt;
    if (!inst) return bad("50014", "Parameter instId can not be empty");
    auto newer = int_param(*params, "before", -1), older = int_param(*params, "after", INT64_MAX);
    auto limit = int_param(*params, "limit", 100);
    if (!newer || !older || !limit || *limit < 1 || *limit > 100 || *older == INT64_MIN)
      return bad("51000", "Parameter before, after or limit error");
    auto rows = settled(*inst, *newer + 1, *older - 1, SIZE_MAX);
    if (!rows) return bad("51001", "Instrument ID does not exist");
    std::string data;
    size_t n = 0;
    for (auto it = rows->rbegin(); it != rows->rend() && n < static_cast<size_t>(*limit);
         ++it, ++n) {
      if (!data.empty()) data += ',';
      auto rate = it->rate.to_string();
      data += R"({"fundingRate":")" + rate + R"(","fundingTime":")" + std::to_string(it->at_ms) +
              R"(","instId":")" + *inst +
              R"(","instType":"SWAP","method":"current_period","realizedRate":")" + rate + R"("})";
    }
    return net::json_response(http::status::ok, R"({"code":"0","msg":"","data":[)" + data + "]}");
  }

  std::optional<std::string> rest(std::string_view path, std::string_view query,
                                  const std::vector<const Instrument*>& insts) const override {
    if (path != "/api/v5/public/instruments") return std::nullopt;
    auto params = net::parse_query(query);
    auto type = params ? net::param(*params, "instType") : std::nullopt;
    auto only = params ? net::param(*params, "instId") : std::nullopt;
    if (!type || (*type != "SPOT" && *type != "SWAP"))
      return std::string(R"({"code":"51000","msg":"Parameter instType error","data":[]})");
    std::string data;
    for (const auto* i : insts) {
      bool spot = i->kind == InstrumentKind::Spot;
      if ((*type == "SPOT") != spot || (only && *only != i->symbol)) continue;
      if (!data.empty()) data += ',';
      std::string uly = spot ? "" : i->base + "-" + i->quote;
      data += R"({"instType":")" + *type + R"(","instId":")" + i->symbol + R"(","uly":")" + uly + R"(","instFamily":")" + uly +
              R"(","baseCcy":")" + (spot ? i->base : "") + R"(","quoteCcy":")" + (spot ? i->quote : "") +
              R"(","settleCcy":")" + (spot ? "" : i->settle) + R"(","ctVal":")" + (spot ? "" : i->multiplier.to_trimmed_string()) +
              R"(","ctMult":")" + (spot ? "" : "1") + R"(","ctValCcy":")" + (spot ? "" : i->base) + R"(","ctType":")" +
              (spot ? "" : "linear") + R"(","tickSz":")" + i->price(i->tick).to_trimmed_string() + R"(","lotSz":")" +
              i->qty(i->lot).to_trimmed_string() + R"(","minSz":")" + i->qty(i->min_qty).to_trimmed_string() +
              R"(","maxLmtSz":"10000","state":"live"})";
    }
    return R"({"code":"0","msg":"","data":[)" + data + "]}";
  }

  // Order entry (venues.md §3.7–3.8): signed requests, ioc limit orders, queries by clOrdId.
  OrderCall read_order_call(const net::HttpRequest& req, const connectors::VenueCredentials& creds, int64_t now_ms,
                            const InstrumentLookup& lookup) const override {
    namespace http = boost::beast::http;
    OrderCall call;
    auto t = net::split_target(req.target());
    call.kind = order_call_kind(
        req, {{http::verb::post, "/api/v5/trade/order", OrderCall::Kind::Place},
              {http::verb::get, "/api/v5/trade/order", OrderCall::Kind::QueryOrder},
              {http::verb::get, "/api/v5/trade/fills", OrderCall::Kind::QueryFills},
              {http::verb::post, "/api/v5/trade/cancel-order", OrderCall::Kind::Cancel},
              {http::verb::get, "/api/v5/account/balance", OrderCall::Kind::Account}});
    if (call.kind == OrderCall::Kind::None) return call;
    auto refuse = [&](http::status st, const std::string& code, const std::string& msg) {
      call.refusal = net::json_response(st, R"({"code":")" + code + R"(","msg":")" + msg + R"(","data":[]})");
      return call;
    };
    std::string key(req["OK-ACCESS-KEY"]), ts(req["OK-ACCESS-TIMESTAMP"]), sig(req["OK-ACCESS-SIGN"]),
        pass(req["OK-ACCESS-PASSPHRASE"]);
    if (key.empty() || !net::constant_time_equal(key, creds.api_key)) return refuse(http::status::unauthorized, "50111", "Invalid OK-ACCESS-KEY");
    if (!net::constant_time_equal(pass, creds.passphrase)) return refuse(http::status::unauthorized, "50105", "Invalid OK-ACCESS-PASSPHRASE");
    auto when = connectors::parse_iso8601_ns(ts);
    if (!when || std::abs(*when / 1'000'000 - now_ms) > 30'000)
      return refuse(http::status::unauthorized, "50102", "Timestamp request expired");
    std::string method(req.method_string());
    if (!net::constant_time_equal(okx::sign(creds.api_secret, ts, method, std::string(req.target()), req.body()), sig))
      return refuse(http::status::unauthorized, "50113", "Invalid Sign");
    if (call.kind == OrderCall::Kind::Cancel) {
      auto jv = connectors::parse_answer(req.body());
      const auto* jo = jv ? jv->if_object() : nullptr;
      auto get = [jo](const char* k) { return connectors::text_of(jo, k); };
      call.symbol = get("instId");
      call.client_id = get("clOrdId");
      call.venue_id = get("ordId");
      return call;
    }
    if (call.kind != OrderCall::Kind::Place) {
      auto params = net::parse_query(t.query);
      call.symbol = params ? net::param(*params, "instId").value_or("") : "";
      call.client_id = params ? net::param(*params, "clOrdId").value_or("") : "";
      call.venue_id = params ? net::param(*params, "ordId").value_or("") : "";
      return call;
    }
    auto fail = [&](const std::string& scode, const std::string& msg) {
      call.refusal = net::json_response(http::status::ok, R"({"code":"1","msg":"Operation failed.","data":[{"ordId":"","clOrdId":"","sCode":")" +
                                                              scode + R"(","sMsg":")" + msg + R"("}]})");
      return call;
    };
    auto v = connectors::parse_answer(req.body());
    const auto* o = v ? v->if_object() : nullptr;
    auto field = [o](const char* k) { return connectors::text_of(o, k); };
    if (!o) return fail("50000", "Body can not be empty");
    call.symbol = field("instId");
    const Instrument* inst = lookup(call.symbol);
    if (!inst) return fail("51001", "Instrument ID does not exist");
    auto type = field("ordType");
    if (type != "ioc" && type != "post_only")
      return fail("51000", "Parameter ordType error: the simulator takes ioc and post_only");
    call.post_only = type == "post_only";
    auto side = field("side");
    if (side != "buy" && side != "sell") return fail("51000", "Parameter side error");
    call.side = side == "buy" ? Side::Buy : Side::Sell;
    auto td = field("tdMode");
    if (td != (inst->kind == InstrumentKind::Spot ? "cash" : "cross") && td != "isolated")
      return fail("51000", "Parameter tdMode error");
    auto px = Decimal::parse(field("px"), inst->price_scale);
    auto sz = Decimal::parse(field("sz"), inst->qty_scale);
    if (!px || px->units <= 0 || px->units % inst->tick != 0) return fail("51000", "Parameter px error");
    if (!sz || sz->units < inst->min_qty || sz->units % inst->lot != 0) return fail("51000", "Parameter sz error");
    call.price = px->units;
    call.qty = sz->units;
    call.client_id = field("clOrdId");
    bool alnum = !call.client_id.empty() && call.client_id.size() <= 32 &&
                 std::all_of(call.client_id.begin(), call.client_id.end(), [](unsigned char c) { return std::isalnum(c); });
    if (!alnum) return fail("51000", "Parameter clOrdId error");
    return call;
  }

  net::HttpResponse order_ack(const SimOrder& o, const Instrument&) const override {
    return net::json_response(boost::beast::http::status::ok,
                              R"({"code":"0","msg":"","data":[{"ordId":")" + o.venue_id + R"(","clOrdId":")" + o.client_id +
                                  R"(","tag":"","ts":")" + std::to_string(o.ts_ms) +
                                  R"(","sCode":"0","sMsg":"Order placed"}],"inTime":"0","outTime":"0"})");
  }

  net::HttpResponse order_state(const SimOrder* o, const Instrument& inst) const override {
    if (!o) return net::json_response(boost::beast::http::status::ok, R"({"code":"51603","msg":"Order does not exist","data":[]})");
    int128 notional = 0;
    for (const auto& [e, _] : o->fills) notional += static_cast<int128>(e.price) * e.qty;
    std::string avg = o->filled > 0 ? inst.price(static_cast<int64_t>(notional / o->filled)).to_trimmed_string() : "";
    return net::json_response(
        boost::beast::http::status::ok,
        R"({"code":"0","msg":"","data":[{"instId":")" + o->symbol + R"(","ordId":")" + o->venue_id + R"(","clOrdId":")" +
            o->client_id + R"(","px":")" + inst.price(o->price).to_trimmed_string() + R"(","sz":")" +
            inst.qty(o->qty).to_trimmed_string() + R"(","side":")" + (o->side == Side::Buy ? "buy" : "sell") +
            R"(","ordType":")" + (o->post_only ? "post_only" : "ioc") + R"(","state":")" +
            (o->resting ? (o->filled > 0 ? "partially_filled" : "live") : o->filled == o->qty ? "filled" : "canceled") +
            R"(","accFillSz":")" +
            inst.qty(o->filled).to_trimmed_string() + R"(","avgPx":")" + avg + R"(","cTime":")" + std::to_string(o->ts_ms) +
            R"(","uTime":")" + std::to_string(o->ts_ms) + R"("}]})");
  }

  net::HttpResponse order_fills(const SimOrder* o, const Instrument& inst) const override {
    std::string data;
    if (o)
      for (const auto& [e, id] : o->fills) {
        if (!data.empty()) data += ',';
        data += R"({"instId":")" + o->symbol + R"(","tradeId":")" + id + R"(","ordId":")" + o->venue_id + R"(","clOrdId":")" +
                o->client_id + R"(","fillPx":")" + inst.price(e.price).to_trimmed_string() + R"(","fillSz":")" +
                inst.qty(e.qty).to_trimmed_string() + R"(","side":")" + (o->side == Side::Buy ? "buy" : "sell") +
                R"(","ts":")" + std::to_string(o->ts_ms) + R"("})";
      }
    return net::json_response(boost::beast::http::status::ok, R"({"code":"0","msg":"","data":[)" + data + "]}");
  }

  net::HttpResponse rate_limited() const override {
    return net::json_response(boost::beast::http::status::too_many_requests,
                              R"({"code":"50011","msg":"Too Many Requests","data":[]})");
  }

  net::HttpResponse account_answer(const connectors::MarginAccount* a) const override {
    namespace http = boost::beast::http;
    if (!a)
      return net::json_response(
          http::status::service_unavailable,
          R"({"code":"50026","msg":"System error, please try again later.","data":[]})");
    auto eq = a->equity.to_string(), avail = a->available.to_string();
    return net::json_response(
        http::status::ok, R"({"code":"0","msg":"","data":[{"totalEq":")" + eq +
                              R"(","adjEq":"","imr":"","mmr":"","details":[{"ccy":")" + a->coin +
                              R"(","eq":")" + eq + R"(","cashBal":")" + eq + R"(","availEq":")" +
                              avail + R"(","availBal":")" + avail + R"(","frozenBal":"0"}]}]})");
  }

  net::HttpResponse cancel_answer(const SimOrder* o, const Instrument&, bool cancelled_now) const override {
    if (o && cancelled_now)
      return net::json_response(boost::beast::http::status::ok,
                                R"({"code":"0","msg":"","data":[{"clOrdId":")" + o->client_id + R"(","ordId":")" +
                                    o->venue_id + R"(","sCode":"0","sMsg":""}]})");
    if (!o)
      return net::json_response(boost::beast::http::status::ok,
                                R"({"code":"1","msg":"","data":[{"clOrdId":"","ordId":"","sCode":"51603","sMsg":"Order does not exist"}]})");
    return net::json_response(boost::beast::http::status::ok,
                              R"({"code":"1","msg":"","data":[{"clOrdId":")" + o->client_id + R"(","ordId":")" + o->venue_id +
                                  R"(","sCode":"51400","sMsg":"Cancellation failed as the order has been filled, canceled or does not exist"}]})");
  }

  std::string unknown_symbol(const std::string& symbol, ConnectionState&) const override {
    return R"({"event":"error","code":"60018","msg":"Wrong URL or channel:books,instId:)" + symbol +
           R"( doesn't exist.","connId":"sim"})";
  }

  std::vector<std::string> snapshot(const BookPush& p, ConnectionState&) const override {
    okx::BookMessage m = base(p, okx::BookAction::Snapshot);
    for (const auto& l : p.book->bids()) m.bids.push_back(level(*p.instrument, l));
    for (const auto& l : p.book->asks()) m.asks.push_back(level(*p.instrument, l));
    m.prev_seq_id = -1;
    m.seq_id = static_cast<int64_t>(p.seq);
    m.checksum = okx::checksum(top25(*p.instrument, p.book->bids()), top25(*p.instrument, p.book->asks()));
    return {okx::format_book_message(m)};
  }

  std::vector<std::string> delta(const BookPush& p, ConnectionState&) const override {
    okx::BookMessage m = base(p, okx::BookAction::Update);
    for (const auto& l : p.diff->bids) m.bids.push_back(level(*p.instrument, l));
    for (const auto& l : p.diff->asks) m.asks.push_back(level(*p.instrument, l));
    m.prev_seq_id = static_cast<int64_t>(p.prev_seq);
    m.seq_id = static_cast<int64_t>(p.seq);
    // Checksummed against the book the venue holds; a fault that sends something else (a
    // crossing level) is caught by the client's crossed-book check first.
    m.checksum = okx::checksum(top25(*p.instrument, p.book->bids()), top25(*p.instrument, p.book->asks()));
    return {okx::format_book_message(m)};
  }

  std::vector<std::string> top(const TopPush& p, ConnectionState&) const override {
    const auto& inst = *p.instrument;
    auto side = [&](const Level& l) {
      if (l.qty == 0) return std::string("[]");
      return "[[\"" + inst.price(l.price).to_string() + "\",\"" + inst.qty(l.qty).to_string() + "\",\"0\",\"1\"]]";
    };
    return {R"({"arg":{"channel":"bbo-tbt","instId":")" + inst.symbol + R"("},"data":[{"asks":)" + side(p.ask) +
            R"(,"bids":)" + side(p.bid) + R"(,"ts":")" + std::to_string(p.ts_ms) + R"(","seqId":)" +
            std::to_string(p.seq) + "}]}"};
  }

  std::vector<std::string> perp_stats(const PerpPush& p, ConnectionState& c) const override {
    const auto& inst = *p.instrument;
    std::string ts = std::to_string(p.ts_ms);
    std::string arg = R"(","instId":")" + inst.symbol + "\"}";
    std::vector<std::string> out;
    auto index = okx::index_of(inst);
    if (c.channels.count("index-tickers:" + index))
      out.push_back(R"({"arg":{"channel":"index-tickers","instId":")" + index + R"("},"data":[{"instId":")" + index +
                    R"(","idxPx":")" + inst.price(p.index).to_trimmed_string() + R"(","high24h":"0","low24h":"0","open24h":"0","sodUtc0":"0","sodUtc8":"0","ts":")" +
                    ts + "\"}]}");
    for (auto& text : std::vector<std::string>{R"({"arg":{"channel":"mark-price)" + arg + R"(,"data":[{"instType":"SWAP","instId":")" + inst.symbol +
                R"(","markPx":")" + inst.price(p.mark).to_trimmed_string() + R"(","ts":")" + ts + "\"}]}",
            R"({"arg":{"channel":"funding-rate)" + arg + R"(,"data":[{"fundingRate":")" + p.funding_rate.to_string() +
                R"(","fundingTime":")" + std::to_string(p.next_funding_ms) + R"(","instId":")" + inst.symbol +
                R"(","instType":"SWAP","method":"current_period","nextFundingRate":"","nextFundingTime":")" +
                std::to_string(p.next_funding_ms + 8 * 3600 * 1000) + R"(","ts":")" + ts + "\"}]}"})
      out.push_back(std::move(text));
    return out;
  }

  std::optional<std::string> idle(const BookPush& p, ConnectionState&) const override {
    okx::BookMessage m = base(p, okx::BookAction::Update);
    m.prev_seq_id = m.seq_id = static_cast<int64_t>(p.seq);
    return okx::format_book_message(m);
  }

 private:
  static okx::BookMessage base(const BookPush& p, okx::BookAction a) {
    okx::BookMessage m;
    m.channel = "books";
    m.inst_id = p.instrument->symbol;
    m.action = a;
    m.ts_ms = p.ts_ms;
    return m;
  }
};

}  // namespace

std::unique_ptr<StreamFace> make_okx_face() { return std::make_unique<OkxFace>(); }

}  // namespace aq::sim
