// Coinbase Advanced Trade market data (venues.md §5.1–5.2): `level2` subscriptions (one
// channel per frame), confirmations on the `subscriptions` channel, `l2_data` snapshot and
// update events with sides `bid`/`offer`, `heartbeats` once a second, and one `sequence_num`
// counter across every message on the connection.
#include <boost/json.hpp>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/connectors/order_request.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/sim/faces.hpp"

namespace aq::sim {

namespace {

class CoinbaseFace : public StreamFace {
 public:
  const char* venue_kind() const override { return "coinbase"; }
  bool accepts_path(std::string_view path) const override { return path == "/"; }

  ClientRequest read_request(std::string_view text, ConnectionState& c) const override {
    ClientRequest r;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* type = o ? o->if_contains("type") : nullptr;
    const auto* channel = o ? o->if_contains("channel") : nullptr;
    if (!type || !type->is_string() || !channel || !channel->is_string() ||
        (type->as_string() != "subscribe" && type->as_string() != "unsubscribe")) {
      r.replies.push_back(envelope("error", c, R"([{"message":"subscribe or unsubscribe with one channel"}])"));
      return r;
    }
    r.op = type->as_string() == "subscribe" ? ClientRequest::Op::Subscribe : ClientRequest::Op::Unsubscribe;
    if (channel->as_string() == "heartbeats") {
      heartbeats_on(c) = r.op == ClientRequest::Op::Subscribe;
    } else if (channel->as_string() == "level2") {
      const auto* ids = o->if_contains("product_ids");
      if (!ids || !ids->is_array()) {
        r.replies.push_back(envelope("error", c, R"([{"message":"level2 needs product_ids"}])"));
        r.op = ClientRequest::Op::None;
        return r;
      }
      std::string list;
      for (const auto& id : ids->as_array()) {
        if (!id.is_string()) continue;
        r.subs.push_back({std::string(id.as_string()), false});
        list += (list.empty() ? "\"" : ",\"") + std::string(id.as_string()) + "\"";
      }
      r.replies.push_back(envelope("subscriptions", c, R"([{"subscriptions":{"level2":[)" + list + "]}}]"));
    } else {
      r.replies.push_back(envelope("error", c, R"([{"message":"unknown channel"}])"));
      r.op = ClientRequest::Op::None;
    }
    return r;
  }

  std::optional<std::string> rest(std::string_view path, std::string_view,
                                  const std::vector<const Instrument*>& insts) const override {
    constexpr std::string_view prefix = "/api/v3/brokerage/market/products";
    if (!path.starts_with(prefix)) return std::nullopt;
    auto one = [](const Instrument& i) {
      return R"({"product_id":")" + i.symbol + R"(","base_currency_id":")" + i.base + R"(","quote_currency_id":")" + i.quote +
             R"(","base_increment":")" + i.qty(i.lot).to_trimmed_string() + R"(","quote_increment":")" +
             i.price(i.tick).to_trimmed_string() + R"(","price_increment":")" + i.price(i.tick).to_trimmed_string() +
             R"(","base_min_size":")" + i.qty(i.min_qty).to_trimmed_string() +
             R"(","base_max_size":"3400","quote_min_size":"1","status":"online","trading_disabled":false})";
    };
    auto rest_of = path.substr(prefix.size());
    if (rest_of.empty() || rest_of == "/") {
      std::string list;
      for (const auto* i : insts) list += (list.empty() ? "" : ",") + one(*i);
      return R"({"products":[)" + list + R"(],"num_products":)" + std::to_string(insts.size()) + "}";
    }
    for (const auto* i : insts)
      if (rest_of == "/" + i->symbol) return one(*i);
    return std::nullopt;
  }

  std::string unknown_symbol(const std::string& symbol, ConnectionState& c) const override {
    return envelope("error", c, R"([{"message":"unknown product )" + symbol + "\"}]");
  }

  std::vector<std::string> snapshot(const BookPush& p, ConnectionState& c) const override {
    return {l2(p, c, "snapshot", p.book->bids(), p.book->asks(), "1970-01-01T00:00:00Z")};
  }
  std::vector<std::string> delta(const BookPush& p, ConnectionState& c) const override {
    if (p.lost_before) c.next_seq += 3;  // numbers the client never sees
    return {l2(p, c, "update", p.diff->bids, p.diff->asks, connectors::iso8601_ms(p.ts_ms))};
  }

  std::optional<std::string> connection_heartbeat(int64_t now_ms, ConnectionState& c) const override {
    if (!heartbeats_on(c) || now_ms / 1000 == c.last_heartbeat_s) return std::nullopt;
    c.last_heartbeat_s = now_ms / 1000;
    return envelope("heartbeats", c, R"([{"current_time":")" + connectors::iso8601_ms(now_ms) +
                                         R"(","heartbeat_counter":")" + std::to_string(++c.heartbeats) + "\"}]");
  }

 private:
  static bool& heartbeats_on(ConnectionState& c) { return c.heartbeats_enabled; }

  static std::string envelope(const char* channel, ConnectionState& c, const std::string& events) {
    return R"({"channel":")" + std::string(channel) + R"(","client_id":"","timestamp":")" +
           connectors::iso8601_ms(wall_ms()) + R"(","sequence_num":)" + std::to_string(c.next_seq++) +
           R"(,"events":)" + events + "}";
  }
  static int64_t wall_ms() { return wall_now_ns() / 1'000'000; }

  std::string l2(const BookPush& p, ConnectionState& c, const char* type, const std::vector<Level>& bids,
                 const std::vector<Level>& asks, const std::string& event_time) const {
    const auto& inst = *p.instrument;
    std::string updates;
    auto side = [&](const char* name, const std::vector<Level>& ls) {
      for (const auto& l : ls) {
        if (!updates.empty()) updates += ',';
        updates += R"({"side":")" + std::string(name) + R"(","event_time":")" + event_time + R"(","price_level":")" +
                   inst.price(l.price).to_string() + R"(","new_quantity":")" + inst.qty(l.qty).to_string() + "\"}";
      }
    };
    side("bid", bids);
    side("offer", asks);
    return envelope("l2_data", c, R"([{"type":")" + std::string(type) + R"(","product_id":")" + inst.symbol +
                                      R"(","updates":[)" + updates + "]}]");
  }
};

}  // namespace

std::unique_ptr<StreamFace> make_coinbase_face() { return std::make_unique<CoinbaseFace>(); }

std::unique_ptr<StreamFace> make_face(std::string_view kind) {
  if (kind == "okx") return make_okx_face();
  if (kind == "bybit") return make_bybit_face();
  if (kind == "bitmex") return make_bitmex_face();
  if (kind == "coinbase") return make_coinbase_face();
  throw std::invalid_argument("no simulator face for venue kind '" + std::string(kind) +
                              "'; choose okx, bybit, bitmex or coinbase");
}

}  // namespace aq::sim
