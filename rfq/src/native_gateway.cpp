#include "aqueduct/rfq/native_gateway.hpp"

#include <boost/json.hpp>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/rfq/native_stream.hpp"
#include "aqueduct/types/convert.hpp"

namespace aq::rfq {

namespace http = boost::beast::http;
namespace json = boost::json;
namespace msg = aqueduct::msg;

NativeAnswer error_answer(http::status st, std::string_view code, std::string message) {
  NativeAnswer a;
  a.status = st;
  a.body["error"] = code;
  a.body["message"] = message;
  return a;
}

NativeAnswer refusal_answer(const Refusal& r) {
  http::status st =
      r.retryable ? http::status::service_unavailable : http::status::unprocessable_entity;
  if (r.code == "rate_limited") st = http::status::too_many_requests;
  if (r.code == "unknown_quote") st = http::status::not_found;
  if (r.code == "quote_expired") st = http::status::gone;
  if (r.code == "quote_already_filled" || r.code == "fill_in_progress" ||
      r.code == "quote_declined" || r.code == "accept_id_reused")
    st = http::status::conflict;
  if (r.code == "unauthorized" || r.code == "stale_timestamp" || r.code == "replayed_request")
    st = http::status::unauthorized;
  if (r.code == "client_inactive") st = http::status::forbidden;
  return error_answer(st, r.code, r.message);
}

net::HttpResponse to_http(const NativeAnswer& a) {
  return net::json_response(a.status, json::serialize(a.body));
}

net::HttpResponse error_response(http::status st, std::string_view code, std::string message) {
  return to_http(error_answer(st, code, std::move(message)));
}

net::HttpResponse refusal_response(const Refusal& r) {
  return to_http(refusal_answer(r));
}

json::object levels_json(const msg::IndicativeLevels& lv, int64_t now_ns) {
  auto side = [](const auto& levels, const char* qk, const char* pk) {
    json::array a;
    for (const auto& l : levels)
      a.push_back(json::object{{qk, from_proto(l.qty()).to_trimmed_string()},
                               {pk, from_proto(l.price()).to_trimmed_string()}});
    return a;
  };
  json::object o;
  o["listing"] = lv.listing();
  o["fair_value"] = from_proto(lv.fair_value()).to_trimmed_string();
  o["valid_until_ms"] = lv.valid_until_ns() / 1'000'000;
  o["as_of_ms"] = now_ns / 1'000'000;
  o["bids"] = side(lv.bids(), "qty", "price");
  o["asks"] = side(lv.asks(), "qty", "price");
  o["bid_levels"] = side(lv.bid_increments(), "q", "p");
  o["ask_levels"] = side(lv.ask_increments(), "q", "p");
  for (auto [key, r] :
       {std::pair{"bid_refusal", &lv.bid_refusal()}, std::pair{"ask_refusal", &lv.ask_refusal()}})
    if (r->reason() != msg::REFUSAL_UNSPECIFIED) {
      auto rf = refusal_from(r->reason(), r->detail());
      o[key] = json::object{{"error", rf.code}, {"message", rf.message}};
    }
  return o;
}

namespace {

// The ladder as takers' clients read it. `bids`/`asks` are cumulative (the all-in price of
// each size, what a firm quote for it would be); `bid_levels`/`ask_levels` are the same ladder
// as increments {q, p}: level i adds q more at p. No level on either side is a refusal.
net::HttpResponse levels_response(const msg::IndicativeLevels& lv, int64_t now_ns) {
  if (lv.bids().empty() && lv.asks().empty())
    return refusal_response(refusal_from(lv.ask_refusal().reason(), lv.ask_refusal().detail()));
  return net::json_response(http::status::ok, json::serialize(levels_json(lv, now_ns)));
}

bool parse_side(std::string_view s, Side& out) {
  if (s == "buy")
    out = Side::Buy;
  else if (s == "sell")
    out = Side::Sell;
  else
    return false;
  return true;
}

std::string listing_names(const Universe& u) {
  std::string names;
  for (const auto& l : u.listings) names += (names.empty() ? "" : ", ") + l.name;
  return names;
}

// Validates listing/side/qty shared by /price and /quote; returns the error or nothing.
std::optional<NativeAnswer> validate(const Universe& u, std::string_view listing_name,
                                     std::string_view side_s, std::string_view qty_s,
                                     const Listing*& listing, Side& side, int64_t& qty) {
  listing = u.listing(listing_name);
  if (!listing)
    return error_answer(
        http::status::unprocessable_entity, "unknown_listing",
        "listing '" + std::string(listing_name) + "' is not quoted; listings: " + listing_names(u));
  if (!parse_side(side_s, side))
    return error_answer(http::status::bad_request, "bad_side",
                        "side '" + std::string(side_s) +
                            "' is invalid; use \"buy\" or \"sell\" (the taker's side)");
  ParseError why{};
  auto d = Decimal::parse(qty_s, listing->qty_scale, &why);
  if (!d)
    return error_answer(http::status::bad_request, "bad_qty",
                        "qty '" + std::string(qty_s) + "': " + to_string(why) +
                            "; expected a positive decimal string with at most " +
                            std::to_string(listing->qty_scale) + " decimals");
  if (d->units <= 0)
    return error_answer(http::status::bad_request, "bad_qty", "qty must be greater than zero");
  qty = d->units;
  return std::nullopt;
}

json::object price_json(const Listing& l, Side side, const PriceAnswer& a) {
  json::object o;
  o["listing"] = l.name;
  o["side"] = to_string(side);
  o["qty"] = Decimal{a.qty, l.qty_scale}.to_string();
  o["price"] = Decimal{a.price, l.price_scale}.to_string();
  o["breakdown"] = json::parse(breakdown_json(a.breakdown));
  return o;
}

const json::object* body_object(const std::string& body, json::value& holder) {
  boost::system::error_code ec;
  holder = json::parse(body, ec);
  return (!ec && holder.is_object()) ? &holder.as_object() : nullptr;
}

}  // namespace

NativeGateway::NativeGateway(boost::asio::io_context& io, QuoteDesk& desk, NativeOptions options)
    : desk_(desk),
      options_(std::move(options)),
      keys_(ClientKeys::load(options_.key_master_env, options_.key_master_file, true)),
      verifier_(keys_, options_.auth_window),
      stream_(std::make_unique<NativeStream>(io, *this)) {}

NativeGateway::~NativeGateway() = default;

void NativeGateway::stop() {
  stream_->stop();
}

const Client* NativeGateway::authenticate(const net::HttpRequest& req,
                                          std::optional<NativeAnswer>& refused) {
  SignedRequest sr{req[kKeyHeader],     req[kTimestampHeader], req[kSignatureHeader],
                   req.method_string(), req.target(),          req.body()};
  const Client* client = sr.key_id.empty() ? nullptr : desk_.client_by_key_id(sr.key_id);
  if (!client && !sr.key_id.empty()) {
    refused = error_answer(http::status::unauthorized, "unauthorized",
                           "X-AQ-KEY " + std::string(sr.key_id.substr(0, 40)) +
                               " is not the key id of an active client");
    return nullptr;
  }
  if (auto r = verifier_.verify(sr, desk_.now())) {
    refused = refusal_answer(*r);
    return nullptr;
  }
  return client;
}

bool NativeGateway::handle(const net::HttpRequest& req, net::HttpServer::Respond& respond) {
  auto t = net::split_target(req.target());
  if (t.path == "/health") {
    respond(net::json_response(http::status::ok, R"({"status":"ok"})"));
    return true;
  }
  if (t.path == "/openapi.yaml") {
    net::HttpResponse res{http::status::ok, 11};
    res.set(http::field::content_type, "application/yaml");
    res.body() = openapi_yaml();
    res.prepare_payload();
    respond(std::move(res));
    return true;
  }
  if (t.path.rfind("/v1/", 0) != 0) return false;
  bool known = t.path == "/v1/price" || t.path == "/v1/levels" || t.path == "/v1/quote" ||
               t.path == "/v1/accept" || t.path == "/v1/ws";
  if (!known) {
    respond(error_response(http::status::not_found, "not_found",
                           "no endpoint " + std::string(t.path) +
                               "; see /v1/price, /v1/levels, /v1/quote, /v1/accept, /v1/ws"));
    return true;
  }
  std::optional<NativeAnswer> refused;
  const Client* client = authenticate(req, refused);
  if (!client) {
    respond(to_http(*refused));
    return true;
  }
  auto method_is = [&](http::verb v, const char* name) {
    if (req.method() == v) return true;
    respond(error_response(http::status::method_not_allowed, "method_not_allowed",
                           std::string(t.path) + " takes " + name));
    return false;
  };
  if (t.path == "/v1/ws") {
    respond(error_response(http::status::upgrade_required, "upgrade_required",
                           "/v1/ws is a WebSocket endpoint: send a WebSocket upgrade request"));
    return true;
  }
  if (auto r = desk_.admit(*client)) {
    respond(refusal_response(*r));
    return true;
  }
  if (t.path == "/v1/price") {
    if (method_is(http::verb::get, "GET")) price_query(*client, t.query, std::move(respond));
    return true;
  }
  if (t.path == "/v1/levels") {
    if (method_is(http::verb::get, "GET")) levels_query(*client, t.query, std::move(respond));
    return true;
  }
  if (!method_is(http::verb::post, "POST")) return true;
  json::value holder;
  const json::object* body = body_object(req.body(), holder);
  if (t.path == "/v1/quote") {
    if (!body)
      respond(error_response(
          http::status::bad_request, "malformed_request",
          R"(body must be a JSON object {"listing":"BTC-USDT","side":"buy","qty":"0.5"})"));
    else
      quote(client->client_id, *body, [respond](NativeAnswer a) { respond(to_http(a)); });
    return true;
  }
  if (!body)
    respond(error_response(
        http::status::bad_request, "malformed_request",
        R"(body must be a JSON object {"quote_id":"q_...", "accept_id":"optional idempotency key", "qty":"optional partial size"})"));
  else
    respond(to_http(accept(*client, *body)));
  return true;
}

void NativeGateway::price_query(const Client& c, std::string_view query,
                                net::HttpServer::Respond respond) {
  auto params = net::parse_query(query);
  if (!params)
    return respond(error_response(http::status::bad_request, "malformed_request",
                                  "query string has a bad %-escape"));
  if (auto k = net::repeated_param(*params))
    return respond(error_response(
        http::status::bad_request, "malformed_request",
        "query parameter " + *k + " is given more than once; give each parameter once"));
  auto listing_s = net::param(*params, "listing"), side_s = net::param(*params, "side"),
       qty_s = net::param(*params, "qty");
  if (!listing_s || !side_s || !qty_s)
    return respond(error_response(http::status::bad_request, "malformed_request",
                                  "query parameters listing, side and qty are required"));
  const Listing* listing;
  Side side;
  int64_t qty;
  if (auto e = validate(desk_.universe(), *listing_s, *side_s, *qty_s, listing, side, qty))
    return respond(to_http(*e));
  desk_.price({&c, listing, side, qty, std::nullopt, false},
              [listing, side, respond](PriceAnswer a) {
                if (a.refusal) return respond(refusal_response(*a.refusal));
                auto o = price_json(*listing, side, a);
                o["indicative"] = true;
                respond(net::json_response(http::status::ok, json::serialize(o)));
              });
}

void NativeGateway::levels_query(const Client& c, std::string_view query,
                                 net::HttpServer::Respond respond) {
  auto params = net::parse_query(query);
  if (!params)
    return respond(error_response(http::status::bad_request, "malformed_request",
                                  "query string has a bad %-escape"));
  if (auto k = net::repeated_param(*params))
    return respond(error_response(
        http::status::bad_request, "malformed_request",
        "query parameter " + *k + " is given more than once; give each parameter once"));
  auto listing_s = net::param(*params, "listing");
  if (!listing_s)
    return respond(error_response(http::status::bad_request, "malformed_request",
                                  "query parameter listing is required"));
  const Listing* listing = desk_.universe().listing(*listing_s);
  if (!listing)
    return respond(
        error_response(http::status::unprocessable_entity, "unknown_listing",
                       "listing '" + std::string(*listing_s) +
                           "' is not quoted; listings: " + listing_names(desk_.universe())));
  desk_.levels(c, *listing, [this, respond](LevelsAnswer a) {
    if (a.refusal) return respond(refusal_response(*a.refusal));
    respond(levels_response(a.levels, desk_.now()));
  });
}

void NativeGateway::quote(const std::string& client_id, const json::object& o,
                          std::function<void(NativeAnswer)> done) {
  auto str = [&](const char* k) -> std::optional<std::string> {
    auto it = o.find(k);
    if (it == o.end() || !it->value().is_string()) return std::nullopt;
    return std::string(it->value().as_string());
  };
  auto listing_s = str("listing"), side_s = str("side"), qty_s = str("qty");
  if (!listing_s || !side_s || !qty_s)
    return done(error_answer(
        http::status::bad_request, "malformed_request",
        "fields listing, side and qty are required, each a string (qty as a decimal string)"));
  const Listing* listing;
  Side side;
  int64_t qty;
  if (auto e = validate(desk_.universe(), *listing_s, *side_s, *qty_s, listing, side, qty))
    return done(std::move(*e));
  const Client* c = desk_.client(client_id);
  if (!c) return done(error_answer(http::status::forbidden, "client_inactive", "unknown client"));
  desk_.price({c, listing, side, qty, std::nullopt, true},
              [this, client_id, listing, side, done](PriceAnswer a) {
                if (a.refusal) return done(refusal_answer(*a.refusal));
                int64_t now = desk_.now();
                IssuedQuote q = make_issued_quote("q_" + net::random_hex(16), client_id, *listing,
                                                  Protocol::Native, side, a.price, a.qty, now,
                                                  now + listing->quote_ttl_ms * 1'000'000);
                std::string bd = breakdown_json(a.breakdown);
                if (auto r = desk_.issue(q, bd)) return done(refusal_answer(*r));
                NativeAnswer out;
                out.body = price_json(*listing, side, a);
                out.body["quote_id"] = q.quote_id;
                out.body["expires_at_ms"] = q.expiry_ns / 1'000'000;
                done(std::move(out));
              });
}

NativeAnswer NativeGateway::accept(const Client& c, const json::object& o) {
  const json::value* id = o.if_contains("quote_id");
  if (!id || !id->is_string() || id->as_string().empty() || id->as_string().size() > 64)
    return error_answer(http::status::bad_request, "malformed_request",
                        "quote_id is required: the id (a string) of a quote you were given");
  FillAsk ask;
  ask.quote_id = std::string(id->as_string());
  ask.client_id = c.client_id;
  if (const auto* a = o.if_contains("accept_id")) {
    if (!a->is_string() || a->as_string().empty() || a->as_string().size() > 64)
      return error_answer(http::status::bad_request, "bad_accept_id",
                          "accept_id must be a string of 1 to 64 characters");
    ask.external_ref = std::string(a->as_string());
  }
  const IssuedQuote* q = desk_.ledger().find(ask.quote_id);
  if (const auto* qv = o.if_contains("qty"); qv && q) {
    const Listing* l = desk_.universe().listing(q->listing);
    ParseError why{};
    auto d = qv->is_string() ? Decimal::parse(qv->as_string(), l->qty_scale, &why) : std::nullopt;
    if (!d || d->units <= 0)
      return error_answer(http::status::bad_request, "bad_qty",
                          "qty must be a positive decimal string with at most " +
                              std::to_string(l->qty_scale) + " decimals, at most the quote's size");
    ask.qty = d->units;
  }
  auto r = desk_.fill(ask);
  if (r.refusal) return refusal_answer(*r.refusal);
  const auto& f = r.fill;
  const Listing& l = *desk_.universe().listing(f.quote.listing);
  NativeAnswer out;
  auto& b = out.body;
  b["fill_id"] = f.fill_id;
  b["quote_id"] = f.quote.quote_id;
  if (!f.external_ref.empty()) b["accept_id"] = f.external_ref;
  b["listing"] = l.name;
  b["side"] = to_string(f.quote.side);
  b["qty"] = Decimal{f.qty, l.qty_scale}.to_string();
  b["price"] = Decimal{f.quote.price, l.price_scale}.to_string();
  b["filled_at_ms"] = f.filled_ns / 1'000'000;
  if (r.replay) b["replay"] = true;
  return out;
}

void NativeGateway::upgrade(boost::beast::tcp_stream stream, net::HttpRequest req) {
  auto t = net::split_target(req.target());
  std::optional<NativeAnswer> refused;
  const Client* client = nullptr;
  if (t.path != "/v1/ws")
    refused = error_answer(http::status::not_found, "not_found",
                           "no WebSocket endpoint " + std::string(t.path) + "; use /v1/ws");
  else
    client = authenticate(req, refused);
  if (!client) {
    // Refused before the handshake: a plain HTTP answer, and the connection closes.
    auto res = to_http(*refused);
    res.keep_alive(false);
    boost::beast::error_code ec;
    http::write(stream, res, ec);
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  stream_->open(std::move(stream), std::move(req), client->client_id);
}

}  // namespace aq::rfq
