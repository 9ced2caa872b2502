// BitMEX realtime WebSocket, `orderBookL2` (venues.md §6.1–6.3): a welcome message, text
// ping/pong, subscribe acknowledgements, a partial with the table's keys and types, then
// insert/update/delete messages whose rows carry price (ids are arbitrary, as since 2023).
// Prices are JSON numbers; sizes whole contracts.
#include <boost/json.hpp>

#include "aqueduct/connectors/order_request.hpp"
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
