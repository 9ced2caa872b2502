#include "aqueduct/rfq/native_stream.hpp"

#include <spdlog/spdlog.h>

#include "aqueduct/rfq/native_gateway.hpp"

namespace aq::rfq {

namespace json = boost::json;
namespace http = boost::beast::http;

namespace {

constexpr size_t kMaxFrameBytes = 16 * 1024;

json::object error_frame(const json::value* id, const NativeAnswer& a) {
  json::object f;
  f["type"] = "error";
  if (id) f["id"] = *id;
  f["error"] = a.body.at("error");
  f["message"] = a.body.at("message");
  f["status"] = static_cast<int>(a.status);
  return f;
}

json::object answer_frame(const char* type, const json::value* id, NativeAnswer a) {
  if (a.status != http::status::ok) return error_frame(id, a);
  json::object f;
  f["type"] = type;
  if (id) f["id"] = *id;
  for (auto& kv : a.body) f[kv.key()] = std::move(kv.value());
  return f;
}

}  // namespace

NativeStream::NativeStream(boost::asio::io_context& io, NativeGateway& gateway)
    : io_(io), gateway_(gateway), timer_(io) {
  tick();
}

NativeStream::~NativeStream() {
  *alive_ = false;
}

void NativeStream::stop() {
  stopped_ = true;
  timer_.cancel();
  for (auto& [_, c] : conns_) c.ws->close();
  conns_.clear();
}

void NativeStream::open(boost::beast::tcp_stream stream, net::HttpRequest req,
                        std::string client_id) {
  if (stopped_) return;
  auto ws = std::make_shared<net::WsSession>(std::move(stream));
  ws->read_limit(kMaxFrameBytes);
  uint64_t id = ws->id();
  conns_[id] = Conn{ws, std::move(client_id), {}, 0};
  ws->accept(
      std::move(req),
      [this, id, alive = alive_](bool ok) {
        if (*alive && !ok) conns_.erase(id);
      },
      [this, id, alive = alive_](const std::shared_ptr<net::WsSession>&, std::string_view text) {
        if (*alive) on_frame(id, text);
      });
}

void NativeStream::send(Conn& c, json::object frame) {
  c.ws->send(json::serialize(frame));
}

void NativeStream::on_frame(uint64_t conn_id, std::string_view text) {
  auto it = conns_.find(conn_id);
  if (it == conns_.end()) return;
  Conn& c = it->second;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  const json::object* o = (!ec && v.is_object()) ? &v.as_object() : nullptr;
  const json::value* id = o ? o->if_contains("id") : nullptr;
  if (id && !(id->is_int64() || (id->is_string() && id->as_string().size() <= 64))) id = nullptr;
  auto fail = [&](http::status st, const char* code, std::string message) {
    send(c, error_frame(id, error_answer(st, code, std::move(message))));
  };
  const json::value* op = o ? o->if_contains("op") : nullptr;
  if (!op || !op->is_string())
    return fail(
        http::status::bad_request, "malformed_request",
        R"(each frame is a JSON object with "op": subscribe, unsubscribe, quote, accept or ping)");
  const Client* client = gateway_.desk().client(c.client_id);
  if (!client) return fail(http::status::forbidden, "client_inactive", "unknown client");
  if (auto r = gateway_.desk().admit(*client)) return send(c, error_frame(id, refusal_answer(*r)));
  std::string_view name = op->as_string();
  if (name == "ping") {
    json::object f{{"type", "pong"}};
    if (id) f["id"] = *id;
    return send(c, std::move(f));
  }
  if (name == "subscribe" || name == "unsubscribe") {
    const json::value* l = o->if_contains("listing");
    const Listing* listing =
        (l && l->is_string()) ? gateway_.desk().universe().listing(l->as_string()) : nullptr;
    if (!listing) {
      std::string names;
      for (const auto& x : gateway_.desk().universe().listings)
        names += (names.empty() ? "" : ", ") + x.name;
      return fail(http::status::unprocessable_entity, "unknown_listing",
                  "\"listing\" must name a quoted listing: " + names);
    }
    json::object f{{"type", name == "subscribe" ? "subscribed" : "unsubscribed"},
                   {"listing", listing->name}};
    if (id) f["id"] = *id;
    if (name == "subscribe") {
      bool fresh = c.subs.emplace(listing->name, Subscription{}).second;
      send(c, std::move(f));
      if (fresh) refresh(conn_id, listing->name);
    } else {
      c.subs.erase(listing->name);
      send(c, std::move(f));
    }
    return;
  }
  if (name == "quote") {
    json::value id_copy = id ? *id : json::value();
    bool has_id = id != nullptr;
    return gateway_.quote(
        c.client_id, *o, [this, conn_id, id_copy, has_id, alive = alive_](NativeAnswer a) {
          if (!*alive) return;
          auto it2 = conns_.find(conn_id);
          if (it2 == conns_.end()) return;  // the quote stays live until it expires
          send(it2->second, answer_frame("quote", has_id ? &id_copy : nullptr, std::move(a)));
        });
  }
  if (name == "accept") return send(c, answer_frame("fill", id, gateway_.accept(*client, *o)));
  fail(http::status::bad_request, "unknown_op",
       "op '" + std::string(name.substr(0, 32)) +
           "' is unknown; allowed: subscribe, unsubscribe, quote, accept, ping");
}

void NativeStream::refresh(uint64_t conn_id, const std::string& listing_name) {
  auto it = conns_.find(conn_id);
  if (it == conns_.end()) return;
  auto sub = it->second.subs.find(listing_name);
  const Client* client = gateway_.desk().client(it->second.client_id);
  const Listing* listing = gateway_.desk().universe().listing(listing_name);
  if (sub == it->second.subs.end() || sub->second.in_flight || !client || !listing) return;
  // At most one update per interval (the first goes out as soon as the client subscribes).
  int64_t interval_ns = gateway_.options().stream_interval.count() * 1'000'000;
  if (sub->second.last_sent_ns && gateway_.desk().now() - sub->second.last_sent_ns < interval_ns)
    return;
  sub->second.in_flight = true;
  gateway_.desk().levels(
      *client, *listing, [this, conn_id, listing_name, alive = alive_](LevelsAnswer a) {
        if (!*alive) return;
        auto it2 = conns_.find(conn_id);
        if (it2 == conns_.end()) return;
        Conn& c = it2->second;
        auto s = c.subs.find(listing_name);
        if (s == c.subs.end()) return;
        Subscription& sub2 = s->second;
        sub2.in_flight = false;
        int64_t now = gateway_.desk().now();
        bool empty = !a.refusal && a.levels.bids().empty() && a.levels.asks().empty();
        if (a.refusal || empty) {
          if (sub2.unavailable) return;
          Refusal r = a.refusal ? *a.refusal
                                : refusal_from(a.levels.ask_refusal().reason(),
                                               a.levels.ask_refusal().detail());
          sub2.unavailable = true;
          sub2.last_levels.clear();
          send(c, json::object{{"type", "levels_unavailable"},
                               {"listing", listing_name},
                               {"error", r.code},
                               {"message", r.message}});
          return;
        }
        json::object body = levels_json(a.levels, now);
        json::object key = body;
        key.erase("as_of_ms");
        key.erase("valid_until_ms");
        std::string k = json::serialize(key);
        int64_t heartbeat_ns = gateway_.options().stream_heartbeat.count() * 1'000'000;
        if (k == sub2.last_levels && now - sub2.last_sent_ns < heartbeat_ns) return;
        sub2.last_levels = std::move(k);
        sub2.last_sent_ns = now;
        sub2.unavailable = false;
        json::object f{{"type", "levels"}, {"seq", ++c.seq}};
        for (auto& kv : body) f[kv.key()] = std::move(kv.value());
        send(c, std::move(f));
      });
}

void NativeStream::tick() {
  if (stopped_) return;
  for (auto it = conns_.begin(); it != conns_.end();) {
    Conn& c = it->second;
    const Client* client = gateway_.desk().client(c.client_id);
    if (!c.ws->open() || !client || !client->active) {
      if (c.ws->open()) {
        send(c, json::object{{"type", "error"},
                             {"error", "client_inactive"},
                             {"message", "client " + c.client_id + " was deactivated"}});
        c.ws->close_when_sent();
      }
      it = conns_.erase(it);
      continue;
    }
    for (auto& [listing, _] : c.subs) refresh(it->first, listing);
    ++it;
  }
  timer_.expires_after(gateway_.options().stream_interval);
  timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) tick();
  });
}

}  // namespace aq::rfq
