// Bybit v5 public WebSocket, `orderbook.{depth}.{symbol}` (venues.md §4.1–4.3): JSON
// ping/pong, subscribe acknowledgements, a snapshot capped at the depth, then deltas whose `u`
// counts up by one.
#include <boost/json.hpp>

#include "aqueduct/net/url.hpp"
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

  int depth_;
};

}  // namespace

std::unique_ptr<StreamFace> make_bybit_face(int depth) { return std::make_unique<BybitFace>(depth); }

}  // namespace aq::sim
