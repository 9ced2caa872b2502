#include "aqueduct/rfq/rfq_service.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"
#include "aqueduct/types/convert.hpp"

namespace aq::rfq {

namespace http = boost::beast::http;
namespace json = boost::json;
namespace msg = aqueduct::msg;

struct RfqService::Pending {
  net::HttpServer::Respond respond;
  std::string client_id;
  const Listing* listing = nullptr;
  Side side = Side::Buy;
  int64_t qty = 0;
  bool firm = false;
  bool levels = false;  // a ladder request, not a price
  boost::asio::steady_timer timeout;
  explicit Pending(boost::asio::io_context& io) : timeout(io) {}
};

namespace {

net::HttpResponse error(http::status st, std::string_view code, std::string message) {
  json::object o;
  o["error"] = code;
  o["message"] = message;
  return net::json_response(st, json::serialize(o));
}

http::status status_for(msg::RefusalReason r) {
  switch (r) {
    case msg::REFUSAL_UNKNOWN_LISTING:
    case msg::REFUSAL_BAD_REQUEST:
    case msg::REFUSAL_SIZE_TOO_SMALL:
    case msg::REFUSAL_SIZE_TOO_LARGE:
    case msg::REFUSAL_NOTIONAL_TOO_LARGE:
      return http::status::unprocessable_entity;
    default:
      return http::status::service_unavailable;  // market conditions: try again later
  }
}

std::string refusal_code(msg::RefusalReason r) {
  std::string name = msg::RefusalReason_Name(r);
  std::string out = name.rfind("REFUSAL_", 0) == 0 ? name.substr(8) : name;
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every term of a price, as exact decimal strings (see PriceBreakdown: they add up).
json::object breakdown_json(const msg::PriceBreakdown& bd) {
  auto dec = [](const msg::Decimal& d) { return json::value(from_proto(d).to_trimmed_string()); };
  json::object b;
  b["fair_value"] = dec(bd.fair_value());
  b["hedge_vwap"] = dec(bd.hedge_vwap());
  b["fee"] = dec(bd.fee());
  b["spread"] = dec(bd.spread());
  b["vol_spread"] = dec(bd.vol_spread());
  b["impact_spread"] = dec(bd.impact_spread());
  b["markup"] = dec(bd.markup());
  b["inventory_skew"] = dec(bd.inventory_skew());
  b["rounding"] = dec(bd.rounding());
  b["sigma_bps"] = bd.sigma_bps();
  b["tier"] = bd.tier();
  b["live_venues"] = bd.live_venues();
  b["hedge_venue"] = bd.hedge_venue();
  b["book_age_ms"] = bd.book_age_ms();
  json::array venues;
  for (const auto& v : bd.venues())
    venues.push_back(json::object{{"venue", v.venue()}, {"qty", from_proto(v.qty()).to_trimmed_string()},
                                  {"vwap", from_proto(v.vwap()).to_trimmed_string()}});
  b["venues"] = std::move(venues);
  return b;
}

// The ladder as takers' clients read it. `bids`/`asks` are cumulative (the all-in price of
// each size, what a firm quote for it would be); `bid_levels`/`ask_levels` are the same ladder
// as increments {q, p}: level i adds q more at p.
net::HttpResponse levels_response(const msg::IndicativeLevels& lv, int64_t now_ns) {
  auto side = [](const auto& levels, const char* qk, const char* pk) {
    json::array a;
    for (const auto& l : levels)
      a.push_back(json::object{{qk, from_proto(l.qty()).to_trimmed_string()}, {pk, from_proto(l.price()).to_trimmed_string()}});
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
  for (auto [key, r] : {std::pair{"bid_refusal", &lv.bid_refusal()}, std::pair{"ask_refusal", &lv.ask_refusal()}})
    if (r->reason() != msg::REFUSAL_UNSPECIFIED)
      o[key] = json::object{{"error", refusal_code(r->reason())}, {"message", r->detail()}};
  bool empty = lv.bids().empty() && lv.asks().empty();
  if (empty && lv.bid_refusal().reason() == msg::REFUSAL_UNKNOWN_LISTING)
    return error(http::status::unprocessable_entity, "unknown_listing", lv.bid_refusal().detail());
  return net::json_response(empty ? status_for(lv.ask_refusal().reason()) : http::status::ok, json::serialize(o));
}

bool parse_side(std::string_view s, Side& out) {
  if (s == "buy") out = Side::Buy;
  else if (s == "sell") out = Side::Sell;
  else return false;
  return true;
}

// Validates listing/side/qty shared by /price and /quote; returns an error response or nothing.
std::optional<net::HttpResponse> validate(const Universe& u, std::string_view listing_name,
                                          std::string_view side_s, std::string_view qty_s,
                                          const Listing*& listing, Side& side, int64_t& qty) {
  listing = u.listing(listing_name);
  if (!listing) {
    std::string names;
    for (const auto& l : u.listings) names += (names.empty() ? "" : ", ") + l.name;
    return error(http::status::unprocessable_entity, "unknown_listing",
                 "listing '" + std::string(listing_name) + "' is not quoted; listings: " + names);
  }
  if (!parse_side(side_s, side))
    return error(http::status::bad_request, "bad_side",
                 "side '" + std::string(side_s) + "' is invalid; use \"buy\" or \"sell\" (the taker's side)");
  ParseError why{};
  auto d = Decimal::parse(qty_s, listing->qty_scale, &why);
  if (!d)
    return error(http::status::bad_request, "bad_qty",
                 "qty '" + std::string(qty_s) + "': " + to_string(why) + "; expected a positive decimal string with at most " +
                     std::to_string(listing->qty_scale) + " decimals");
  if (d->units <= 0)
    return error(http::status::bad_request, "bad_qty", "qty must be greater than zero");
  qty = d->units;
  return std::nullopt;
}

}  // namespace

RfqService::RfqService(boost::asio::io_context& io, zmq::context_t& zmq,
                       const bus::Endpoints& endpoints, const Universe& universe,
                       std::unique_ptr<RfqStore> store, RfqOptions options, Clock clock)
    : io_(io),
      universe_(universe),
      store_(std::move(store)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      http_(io, options_.http,
            [this](const net::HttpRequest& r, net::HttpServer::Respond cb) { handle(r, std::move(cb)); }),
      pricer_(io, zmq, endpoints.pricer_rpc, "rfq",
              [this](const bus::Envelope& e) { on_pricer_reply(e); }),
      pub_(zmq, endpoints.rfq_pub, "rfq"),
      sweep_timer_(io) {
  reload_clients();
}

RfqService::~RfqService() { *alive_ = false; }

void RfqService::reload_clients() {
  clients_by_key_hash_.clear();
  for (auto& c : store_->load_clients()) {
    auto h = c.api_key_sha256;
    clients_by_key_hash_.emplace(std::move(h), std::move(c));
  }
}

void RfqService::start() {
  pricer_.start();
  http_.start();
  sweep();
}

void RfqService::stop() {
  *alive_ = false;
  http_.stop();
  sweep_timer_.cancel();
  for (auto& [_, p] : pending_) p->timeout.cancel();
}

void RfqService::sweep() {
  quotes_.sweep(clock_());
  sweep_timer_.expires_after(std::chrono::seconds(5));
  sweep_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) sweep();
  });
}

const Client* RfqService::authenticate(const net::HttpRequest& req) {
  auto key = req["X-API-Key"];
  if (key.empty()) return nullptr;
  auto it = clients_by_key_hash_.find(net::sha256_hex(key));
  return it == clients_by_key_hash_.end() ? nullptr : &it->second;
}

void RfqService::handle(const net::HttpRequest& req, net::HttpServer::Respond respond) {
  auto t = net::split_target(req.target());
  if (t.path == "/health") return respond(net::json_response(http::status::ok, R"({"status":"ok"})"));
  if (t.path.rfind("/v1/", 0) != 0)
    return respond(error(http::status::not_found, "not_found",
                         "no endpoint " + std::string(t.path) + "; see /v1/price, /v1/levels, /v1/quote, /v1/accept"));
  const Client* client = authenticate(req);
  if (!client)
    return respond(error(http::status::unauthorized, "unauthorized",
                         "missing or unknown X-API-Key header"));
  if (t.path == "/v1/price") {
    if (req.method() != http::verb::get)
      return respond(error(http::status::method_not_allowed, "method_not_allowed", "/v1/price takes GET"));
    return handle_price_query(*client, t.query, std::move(respond));
  }
  if (t.path == "/v1/levels") {
    if (req.method() != http::verb::get)
      return respond(error(http::status::method_not_allowed, "method_not_allowed", "/v1/levels takes GET"));
    return handle_levels_query(*client, t.query, std::move(respond));
  }
  if (t.path == "/v1/quote") {
    if (req.method() != http::verb::post)
      return respond(error(http::status::method_not_allowed, "method_not_allowed", "/v1/quote takes POST"));
    return handle_quote_body(*client, req.body(), std::move(respond));
  }
  if (t.path == "/v1/accept") {
    if (req.method() != http::verb::post)
      return respond(error(http::status::method_not_allowed, "method_not_allowed", "/v1/accept takes POST"));
    return respond(handle_accept(*client, req.body()));
  }
  respond(error(http::status::not_found, "not_found", "no endpoint " + std::string(t.path)));
}

void RfqService::handle_price_query(const Client& c, std::string_view query,
                                    net::HttpServer::Respond respond) {
  auto params = net::parse_query(query);
  if (!params)
    return respond(error(http::status::bad_request, "malformed_request", "query string has a bad %-escape"));
  auto listing_s = net::param(*params, "listing"), side_s = net::param(*params, "side"),
       qty_s = net::param(*params, "qty");
  if (!listing_s || !side_s || !qty_s)
    return respond(error(http::status::bad_request, "malformed_request",
                         "query parameters listing, side and qty are required"));
  const Listing* listing;
  Side side;
  int64_t qty;
  if (auto e = validate(universe_, *listing_s, *side_s, *qty_s, listing, side, qty))
    return respond(std::move(*e));
  request_price(c, *listing, side, qty, false, std::move(respond));
}

void RfqService::handle_quote_body(const Client& c, const std::string& body,
                                   net::HttpServer::Respond respond) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object())
    return respond(error(http::status::bad_request, "malformed_request",
                         R"(body must be a JSON object {"listing":"BTC-USDT","side":"buy","qty":"0.5"})"));
  const auto& o = v.as_object();
  auto str = [&](const char* k) -> std::optional<std::string> {
    auto it = o.find(k);
    if (it == o.end() || !it->value().is_string()) return std::nullopt;
    return std::string(it->value().as_string());
  };
  auto listing_s = str("listing"), side_s = str("side"), qty_s = str("qty");
  if (!listing_s || !side_s || !qty_s)
    return respond(error(http::status::bad_request, "malformed_request",
                         "fields listing, side and qty are required, each a string (qty as a decimal string)"));
  const Listing* listing;
  Side side;
  int64_t qty;
  if (auto e = validate(universe_, *listing_s, *side_s, *qty_s, listing, side, qty))
    return respond(std::move(*e));
  request_price(c, *listing, side, qty, true, std::move(respond));
}

void RfqService::request_price(const Client& client, const Listing& listing, Side side,
                               int64_t qty, bool firm, net::HttpServer::Respond respond) {
  uint64_t id = next_request_id_++;
  auto p = std::make_unique<Pending>(io_);
  p->respond = std::move(respond);
  p->client_id = client.client_id;
  p->listing = &listing;
  p->side = side;
  p->qty = qty;
  p->firm = firm;
  bus::Envelope env;
  auto* q = env.mutable_quote_request();
  q->set_request_id(id);
  q->set_client_id(client.client_id);
  q->set_listing(listing.name);
  q->set_side(to_proto(side));
  to_proto(Decimal{qty, listing.qty_scale}, q->mutable_qty());
  q->set_firm(firm);
  q->set_client_tier(client.tier);
  q->set_zero_fee(client.zero_fee);
  send_to_pricer(id, std::move(p), env);
}

void RfqService::send_to_pricer(uint64_t id, std::unique_ptr<Pending> p, bus::Envelope& env) {
  p->timeout.expires_after(options_.pricer_timeout);
  p->timeout.async_wait([this, id, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    auto respond_cb = std::move(it->second->respond);
    pending_.erase(it);
    respond_cb(error(http::status::service_unavailable, "pricer_unavailable",
                     "the pricer did not answer within " +
                         std::to_string(options_.pricer_timeout.count()) + " ms; nothing was quoted"));
  });
  auto& ref = *p;
  pending_.emplace(id, std::move(p));
  if (!pricer_.send(env)) {
    ref.timeout.cancel();
    auto respond_cb = std::move(ref.respond);
    pending_.erase(id);
    respond_cb(error(http::status::service_unavailable, "pricer_unavailable",
                     "the pricer is not reachable; nothing was quoted"));
  }
}

void RfqService::handle_levels_query(const Client& c, std::string_view query, net::HttpServer::Respond respond) {
  auto params = net::parse_query(query);
  if (!params)
    return respond(error(http::status::bad_request, "malformed_request", "query string has a bad %-escape"));
  auto listing_s = net::param(*params, "listing");
  if (!listing_s)
    return respond(error(http::status::bad_request, "malformed_request", "query parameter listing is required"));
  const Listing* listing = universe_.listing(*listing_s);
  if (!listing) {
    std::string names;
    for (const auto& l : universe_.listings) names += (names.empty() ? "" : ", ") + l.name;
    return respond(error(http::status::unprocessable_entity, "unknown_listing",
                         "listing '" + std::string(*listing_s) + "' is not quoted; listings: " + names));
  }
  uint64_t id = next_request_id_++;
  auto p = std::make_unique<Pending>(io_);
  p->respond = std::move(respond);
  p->client_id = c.client_id;
  p->listing = listing;
  p->levels = true;
  bus::Envelope env;
  auto* q = env.mutable_levels_request();
  q->set_request_id(id);
  q->set_listing(listing->name);
  q->set_client_tier(c.tier);
  q->set_zero_fee(c.zero_fee);
  send_to_pricer(id, std::move(p), env);
}

void RfqService::on_pricer_reply(const bus::Envelope& env) {
  if (env.has_levels()) {
    auto it = pending_.find(env.levels().request_id());
    if (it == pending_.end()) return;
    auto p = std::move(it->second);
    pending_.erase(it);
    p->timeout.cancel();
    return p->respond(levels_response(env.levels(), clock_()));
  }
  if (env.body_case() != bus::Envelope::kQuoteResponse) return;
  const auto& r = env.quote_response();
  auto it = pending_.find(r.request_id());
  if (it == pending_.end()) return;  // timed out already
  auto p = std::move(it->second);
  pending_.erase(it);
  p->timeout.cancel();
  if (r.has_refusal()) {
    return p->respond(error(status_for(r.refusal().reason()), refusal_code(r.refusal().reason()),
                            r.refusal().detail()));
  }
  finish_quote(*p, r.quote());
}

void RfqService::finish_quote(Pending& p, const msg::FirmQuote& fq) {
  const Listing& l = *p.listing;
  int64_t now = clock_();
  int64_t price = units_at(fq.price(), l.price_scale);
  json::object b = breakdown_json(fq.breakdown());
  json::object o;
  o["listing"] = l.name;
  o["side"] = to_string(p.side);
  o["qty"] = Decimal{p.qty, l.qty_scale}.to_string();
  o["price"] = Decimal{price, l.price_scale}.to_string();
  if (!p.firm) {
    o["indicative"] = true;
    o["breakdown"] = std::move(b);
    return p.respond(net::json_response(http::status::ok, json::serialize(o)));
  }
  IssuedQuote q;
  q.quote_id = "q_" + net::random_hex(16);
  q.client_id = p.client_id;
  q.listing = l.name;
  q.side = p.side;
  q.price = price;
  q.qty = p.qty;
  q.created_ns = now;
  q.expiry_ns = now + l.quote_ttl_ms * 1'000'000;
  try {
    store_->record_quote(q, l, json::serialize(b));
  } catch (const std::exception& e) {
    spdlog::error("rfq: cannot record quote: {}", e.what());
    return p.respond(error(http::status::service_unavailable, "record_unavailable",
                           "the quote could not be recorded, so it was not issued; retry"));
  }
  quotes_.add(q);
  o["quote_id"] = q.quote_id;
  o["expires_at_ms"] = q.expiry_ns / 1'000'000;
  o["breakdown"] = std::move(b);
  p.respond(net::json_response(http::status::ok, json::serialize(o)));
}

net::HttpResponse RfqService::handle_accept(const Client& c, const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  const json::value* id = nullptr;
  if (!ec && v.is_object()) id = v.as_object().if_contains("quote_id");
  if (!id || !id->is_string() || id->as_string().empty())
    return error(http::status::bad_request, "malformed_request",
                 R"(body must be a JSON object {"quote_id":"q_..."})");
  std::string quote_id(id->as_string());
  int64_t now = clock_();
  IssuedQuote q;
  switch (quotes_.accept(quote_id, c.client_id, now, q)) {
    case AcceptError::None: break;
    case AcceptError::Unknown:
    case AcceptError::NotYours:
      return error(http::status::not_found, "unknown_quote", "no quote '" + quote_id + "' for this client");
    case AcceptError::Expired:
      return error(http::status::gone, "quote_expired", "quote '" + quote_id + "' has expired; request a new one");
    case AcceptError::AlreadyFilled:
      return error(http::status::conflict, "quote_already_filled", "quote '" + quote_id + "' was already filled");
  }
  const Listing& l = *universe_.listing(q.listing);
  FillRecord f{"f_" + net::random_hex(16), q, now};
  try {
    store_->record_fill(f, l);
  } catch (const std::exception& e) {
    quotes_.revert_accept(quote_id);
    spdlog::error("rfq: fill for {} not recorded: {}", quote_id, e.what());
    return error(http::status::service_unavailable, "record_unavailable",
                 "the fill could not be recorded, so the quote was not filled; it stays live until expiry");
  }
  // Durable: now hedging may hear about it, and then the taker.
  bus::Envelope env;
  auto* fm = env.mutable_fill();
  fm->set_fill_id(f.fill_id);
  fm->set_quote_id(q.quote_id);
  fm->set_client_id(q.client_id);
  fm->set_listing(l.name);
  fm->set_base(l.base);
  fm->set_quote_asset(l.quote);
  fm->set_taker_side(to_proto(q.side));
  to_proto(Decimal{q.price, l.price_scale}, fm->mutable_price());
  to_proto(Decimal{q.qty, l.qty_scale}, fm->mutable_qty());
  fm->set_filled_ts_ns(now);
  pub_.publish(bus::topic::kFill, env);

  json::object o;
  o["fill_id"] = f.fill_id;
  o["quote_id"] = q.quote_id;
  o["listing"] = l.name;
  o["side"] = to_string(q.side);
  o["qty"] = Decimal{q.qty, l.qty_scale}.to_string();
  o["price"] = Decimal{q.price, l.price_scale}.to_string();
  o["filled_at_ms"] = now / 1'000'000;
  return net::json_response(http::status::ok, json::serialize(o));
}

}  // namespace aq::rfq
