#include "aqueduct/rfq/zeroex/gateway.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <cstdlib>

#include "aqueduct/net/hmac.hpp"
#include "aqueduct/net/url.hpp"
#include "http_answers.hpp"

namespace aq::rfq::zeroex {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

UInt256 random_salt() {
  std::array<uint8_t, 32> b{};
  RAND_bytes(b.data(), static_cast<int>(b.size()));
  return UInt256::from_be_bytes(b);
}

}  // namespace

ZeroExGateway::ZeroExGateway(boost::asio::io_context& io, QuoteDesk& desk,
                             const TokenRegistry& tokens, SigningPool& signing, uint64_t chain_id,
                             ZeroExConfig config)
    : desk_(desk),
      tokens_(tokens),
      signing_(signing),
      signer_(signing.signer()),
      chain_id_(chain_id),
      config_(std::move(config)),
      domain_separator_(domain(chain_id_, config_.exchange_proxy).separator()),
      http_(io, config_.http,
            [this](const net::HttpRequest& r, net::HttpServer::Respond cb) {
              handle(r, std::move(cb));
            }),
      sweep_timer_(io) {
  if (const char* keys = std::getenv(config_.api_key_env.c_str())) {
    std::string all(keys);
    for (size_t at = 0; at <= all.size();) {
      size_t end = all.find(',', at);
      if (end == std::string::npos) end = all.size();
      if (end > at) api_key_hashes_.insert(net::sha256_hex(all.substr(at, end - at)));
      at = end + 1;
    }
  }
  if (api_key_hashes_.empty())
    spdlog::warn("rfq: 0x gateway has no integrator keys ({} is empty): every request will get 401",
                 config_.api_key_env);
}

void ZeroExGateway::pay_from(chain::WalletWatcher* wallet) {
  wallet_ = wallet;
  funds_ = {signer_.address(), config_.exchange_proxy, "the 0x Exchange Proxy"};
  if (wallet_) wallet_->follow(funds_, "zeroex");
}

void ZeroExGateway::start() {
  desk_.protocol_client(config_.client_id, Protocol::ZeroEx, config_.tier);
  http_.start();
  sweep();
}

void ZeroExGateway::stop() {
  *alive_ = false;
  http_.stop();
  sweep_timer_.cancel();
}

void ZeroExGateway::sweep() {
  // Orders are issued with a constant lifetime, so their expiries arrive in order: drop from
  // the front those the ledger has forgotten, and stop at the first it still holds.
  while (!issued_order_.empty() && desk_.ledger().find(issued_order_.front()) == nullptr) {
    issued_.erase(issued_order_.front());
    last_looks_.forget(issued_order_.front());
    issued_order_.pop_front();
  }
  sweep_timer_.expires_after(std::chrono::seconds(5));
  sweep_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) sweep();
  });
}

void ZeroExGateway::handle(const net::HttpRequest& req, net::HttpServer::Respond respond) {
  auto t = net::split_target(req.target());
  bool v2_price = t.path == "/rfqm/v2/price" || t.path == "/rfqt/v2/price";
  bool v2_sign = t.path == "/rfqm/v2/sign" || t.path == "/rfqt/v2/sign";
  bool known =
      t.path == "/price" || t.path == "/quote" || t.path == "/submit" || v2_price || v2_sign;
  if (!known)
    return respond(errors_response(
        http::status::not_found,
        {"no endpoint " + std::string(t.path) +
         "; this maker serves GET /price, GET /quote, POST /submit (v4 RfqOrder) and GET "
         "/rfqm/v2/price, POST /rfqm/v2/sign, GET /rfqt/v2/price, POST /rfqt/v2/sign (OtcOrder)"}));
  // Every endpoint, /submit included, needs an integrator key, checked before anything is
  // parsed or counted: a keyless flood must not draw on any integrator's rate.
  auto key = req["0x-api-key"];
  std::string key_hash = key.empty() ? std::string() : net::sha256_hex(key);
  if (key_hash.empty() || !api_key_hashes_.count(key_hash))
    return respond(errors_response(http::status::unauthorized, {"Invalid API key"}));
  const Client* client = desk_.client(config_.client_id);
  if (!client) return respond(decline("the 0x client is not set up"));
  // Each integrator has its own rate (the 0x client's limit, per key).
  if (auto r = desk_.admit(*client, key_hash.substr(0, 16)))
    return respond(decline(decline_reason(*r)));
  if (t.path == "/submit") {
    if (req.method() != http::verb::post)
      return respond(errors_response(http::status::method_not_allowed, {"/submit takes POST"}));
    return submit(req.body(), std::move(respond));
  }
  if (v2_sign) {
    if (req.method() != http::verb::post)
      return respond(
          errors_response(http::status::method_not_allowed, {std::string(t.path) + " takes POST"}));
    return sign(req.body(), t.path.rfind("/rfqm", 0) == 0, std::move(respond));
  }
  if (req.method() != http::verb::get)
    return respond(
        errors_response(http::status::method_not_allowed, {std::string(t.path) + " takes GET"}));
  auto params = net::parse_query(t.query);
  if (!params)
    return respond(errors_response(http::status::bad_request, {"query string has a bad %-escape"}));
  price_or_quote(*params, t.path == "/quote", v2_price, std::move(respond));
}

void ZeroExGateway::price_or_quote(const net::Params& params, bool firm, bool v2,
                                   net::HttpServer::Respond respond) {
  std::vector<std::string> errors;
  auto req = parse_taker_request(params, v2, errors);
  if (req.chain_id && *req.chain_id != chain_id_)
    errors.push_back("chainId " + std::to_string(*req.chain_id) +
                     " is not served; this maker signs for chain " + std::to_string(chain_id_));
  if (!errors.empty()) return respond(errors_response(http::status::bad_request, errors));
  std::string why;
  auto route = tokens_.route(req.sell_token, req.buy_token, why);
  if (!route) return respond(errors_response(http::status::bad_request, {why}));
  TokenAsk ask{*route, req.sell_amount.has_value(),
               req.sell_amount ? *req.sell_amount : *req.buy_amount};
  // RFQ-M fees are paid to 0x out of what we receive: only a fixed fee in the taker token
  // can be priced exactly.
  UInt256 fee;
  if (req.fee && !req.fee->amount.is_zero()) {
    if (req.fee->type != FeeType::Fixed || req.fee->token != req.sell_token)
      return respond(errors_response(
          http::status::bad_request,
          {"fee: only feeType \"fixed\" in the taker token (sellTokenAddress) is supported, "
           "or feeAmount 0"}));
    fee = req.fee->amount;
    if (ask.exact_sell) {
      auto net_amount = ask.amount.checked_sub(fee);
      if (!net_amount || net_amount->is_zero())
        return respond(
            errors_response(http::status::bad_request, {"feeAmount is not below the sell amount"}));
      ask.amount = *net_amount;
    }
  }
  auto plan = plan_pricing(ask, why);
  if (!plan) return respond(errors_response(http::status::bad_request, {why}));
  if (firm && settlement_)
    if (auto r = settlement_->refusal()) return respond(decline(decline_reason(*r)));
  const Client& client = *desk_.client(config_.client_id);
  PriceAsk pa{&client, route->listing, route->taker_side, plan->qty, plan->amount, firm};
  desk_.price(pa, [this, req, ask, fee, firm, v2, respond](PriceAnswer a) mutable {
    if (a.refusal) return respond(decline(decline_reason(*a.refusal)));
    std::string why2;
    auto amounts = amounts_at(ask, a.price, why2);
    if (!amounts) return respond(decline(why2));
    if (!fee.is_zero()) {
      // The taker pays the fee on top: what it sells covers our price plus the fee.
      if (ask.exact_sell)
        amounts->taker_amount = *amounts->taker_amount.checked_add(fee);
      else if (auto with_fee = amounts->taker_amount.checked_add(fee))
        amounts->taker_amount = *with_fee;
    }
    if (!valid_amount(amounts->taker_amount) || !valid_amount(amounts->maker_amount))
      return respond(decline("amounts do not fit uint128"));
    int64_t now = desk_.now();
    uint64_t expiry = static_cast<uint64_t>(now / 1'000'000'000 + config_.expiry_s);
    if (!firm) {
      if (wallet_)
        if (auto r = wallet_->check(funds_, req.buy_token, amounts->maker_amount))
          return respond(decline(decline_reason(*r)));
      json::object o{{"makerToken", req.buy_token.to_hex()},
                     {"takerToken", req.sell_token.to_hex()},
                     {"makerAmount", amounts->maker_amount.to_decimal()},
                     {"takerAmount", amounts->taker_amount.to_decimal()},
                     {"expiry", std::to_string(expiry)}};
      if (v2) o["maker"] = signer_.address().to_hex();  // IndicativeOtcQuote
      return respond(net::json_response(http::status::ok, json::serialize(o)));
    }
    RfqOrder order{req.buy_token,
                   req.sell_token,
                   amounts->maker_amount,
                   amounts->taker_amount,
                   signer_.address(),
                   req.taker,
                   req.tx_origin,
                   {},
                   expiry,
                   random_salt()};
    Hash32 hash = eth::eip712_digest(domain_separator_, struct_hash(order));
    std::string quote_id = eth::to_hex0x(hash);
    // The wallet must deliver it: what it pays out is held until the order can no longer settle.
    if (wallet_)
      if (auto r = wallet_->reserve(quote_id, funds_, order.maker_token, order.maker_amount, expiry))
        return respond(decline(decline_reason(*r)));
    // Signed off the loop; the quote is issued (reserved, recorded) when the signature is back.
    signing_.sign(
        hash, [this, quote_id, order, ask, amounts = *amounts, price = a.price,
               breakdown = breakdown_json(a.breakdown), now, expiry, respond,
               alive = alive_](std::optional<eth::Signature> sig, const std::string& error) {
          if (!*alive) return;
          if (!sig) {
            spdlog::error("rfq: 0x order not signed: {}", error);
            if (wallet_) wallet_->release(quote_id);
            return respond(decline("signer_error"));
          }
          const Listing& l = *ask.route.listing;
          IssuedQuote q = make_issued_quote(quote_id, config_.client_id, l, Protocol::ZeroEx,
                                            ask.route.taker_side, price, amounts.base_qty, now,
                                            static_cast<int64_t>(expiry) * 1'000'000'000);
          json::object signed_order = to_json(order);
          signed_order["chainId"] = chain_id_;
          signed_order["verifyingContract"] = config_.exchange_proxy.to_hex();
          signed_order["signature"] = signature_json(*sig, SignatureType::Eip712);
          std::string signed_json = json::serialize(signed_order);
          if (auto r = desk_.issue(q, breakdown, signed_json)) {
            if (wallet_) wallet_->release(quote_id);
            return respond(decline(decline_reason(*r)));
          }
          issued_[quote_id] = Issued{ask, amounts, order};
          issued_order_.push_back(quote_id);
          if (settlement_)
            settlement_->expect(quote_id, *eth::parse_bytes32(quote_id), order.maker_amount,
                                order.taker_amount, expiry);
          respond(net::json_response(http::status::ok, "{\"signedOrder\":" + signed_json + "}"));
        });
  });
}

void ZeroExGateway::submit(const std::string& body, net::HttpServer::Respond respond) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  std::vector<std::string> errors;
  if (ec || !v.is_object())
    return respond(errors_response(
        http::status::bad_request,
        {"body must be a JSON object {order, orderHash, fee, takerTokenFillAmount}"}));
  const auto& o = v.as_object();
  auto str = [&](const json::object& from, const char* k) -> std::optional<std::string> {
    auto* f = from.if_contains(k);
    if (!f || !f->is_string()) {
      errors.push_back(std::string(k) + " is required (a string)");
      return std::nullopt;
    }
    return std::string(f->as_string());
  };
  auto hash_s = str(o, "orderHash");
  auto fill_s = str(o, "takerTokenFillAmount");
  if (!o.if_contains("order") || !o.at("order").is_object())
    errors.push_back("order is required (the v4 RfqOrder)");
  if (!o.if_contains("fee") || !o.at("fee").is_object())
    errors.push_back("fee is required ({token, amount, type})");
  auto hash = hash_s ? eth::parse_bytes32(*hash_s) : std::nullopt;
  if (hash_s && !hash) errors.push_back("orderHash must be 0x + 64 hex digits");
  auto fill = fill_s ? UInt256::from_decimal(*fill_s) : std::nullopt;
  if (fill_s && (!fill || fill->is_zero()))
    errors.push_back("takerTokenFillAmount must be a whole number above zero");
  if (!errors.empty()) return respond(errors_response(http::status::bad_request, errors));
  std::string quote_id = eth::to_hex0x(*hash);
  auto it = issued_.find(quote_id);
  auto refuse = [&](const std::string& why) {
    json::object out{{"proceedWithFill", false},
                     {"fee", o.at("fee")},
                     {"signedOrderHash", quote_id},
                     {"takerTokenFillAmount", *fill_s},
                     {"reason", why}};
    respond(net::json_response(http::status::ok, json::serialize(out)));
  };
  if (it == issued_.end())
    return refuse("unknown_quote: no order with this hash was signed here (or it expired)");
  // Which submit decides is settled before any other check, so a retry or a racing submit
  // always hears the same answer as the one that decided.
  // The order sent must be the order signed: its own hash must be orderHash.
  std::string why_order;
  auto order = rfq_order_from_json(o.at("order").as_object(), why_order);
  if (!order) return respond(errors_response(http::status::bad_request, {why_order}));
  if (eth::eip712_digest(domain_separator_, struct_hash(*order)) != *hash)
    return respond(
        errors_response(http::status::bad_request, {"order does not hash to orderHash"}));
  if (*fill > it->second.amounts.taker_amount)
    return respond(errors_response(http::status::bad_request,
                                   {"takerTokenFillAmount is above the order's takerAmount " +
                                    it->second.amounts.taker_amount.to_decimal()}));
  auto look = last_looks_.submit(quote_id, *fill);
  switch (look.verdict) {
    case LastLookBook::Verdict::Decline:
      return refuse(look.reason);
    case LastLookBook::Verdict::Repeat:
      return answer_submit(quote_id, o.at("fee"), *fill, look.proceed, look.reason, respond);
    case LastLookBook::Verdict::Wait:
      waiting_[quote_id].push_back(std::move(respond));
      return;
    case LastLookBook::Verdict::Decide:
      break;
  }
  // From here every way out goes through decide(): it answers this submit and any waiting.
  auto decide = [this, quote_id, fee = o.at("fee"), amount = *fill, respond](
                    bool proceed, const std::string& reason) {
    last_looks_.decide(quote_id, proceed, reason);
    auto waiting = std::move(waiting_[quote_id]);
    waiting_.erase(quote_id);
    answer_submit(quote_id, fee, amount, proceed, reason, respond);
    for (auto& w : waiting) answer_submit(quote_id, fee, amount, proceed, reason, w);
  };
  const IssuedQuote* q = desk_.ledger().find(quote_id);
  if (!q || desk_.ledger().state(quote_id) != QuoteState::Live || q->expiry_ns <= desk_.now())
    return decide(false, std::string("quote_") + to_string(desk_.ledger().state(quote_id)) +
                             ": only a live, unused quote fills");
  // Last look: the quote must still be within risk — a fresh price for the same trade must
  // not have moved against us by more than the tolerance, and the pricer must still quote.
  Issued issued = it->second;
  IssuedQuote quote = *q;
  const Client& client = *desk_.client(config_.client_id);
  std::string why;
  auto plan = plan_pricing(issued.ask, why);
  PriceAsk pa{&client,
              issued.ask.route.listing,
              issued.ask.route.taker_side,
              plan ? plan->qty : quote.qty,
              plan ? plan->amount : std::nullopt,
              false};
  auto fill_amount = *fill;
  desk_.price(pa, [this, issued, quote, fill_amount, quote_id, answer = decide,
                   alive = alive_](PriceAnswer a) {
    if (!*alive) return;
    if (a.refusal) {
      desk_.decline(quote_id);
      if (wallet_) wallet_->release(quote_id);
      return answer(false, "last_look: " + decline_reason(*a.refusal));
    }
    // Taker buys: we sell at quote.price; declining if the market's ask now is above it by
    // more than the tolerance. Taker sells: the mirror.
    int64_t tol = config_.last_look_tolerance_ppm;
    int128 ours = int128{quote.price} * 1'000'000, fresh = int128{a.price} * 1'000'000;
    bool moved = quote.side == Side::Buy ? fresh > ours + int128{quote.price} * tol
                                         : fresh < ours - int128{quote.price} * tol;
    if (moved) {
      desk_.decline(quote_id);
      if (wallet_) wallet_->release(quote_id);
      return answer(false, "last_look: the market moved against the quote beyond " +
                               std::to_string(tol) + " ppm");
    }
    // Declined from here on, the order is never sent to the chain: its hold goes.
    auto qty = filled_base_qty(issued.ask, issued.amounts, fill_amount);
    if (!qty || *qty <= 0) {
      desk_.decline(quote_id);
      if (wallet_) wallet_->release(quote_id);
      return answer(false, "bad_fill_qty: the fill amount is below one listing unit");
    }
    FillAsk fa{quote_id,
               config_.client_id,
               std::min(*qty, quote.qty),
               FillCheck{},
               quote_id,
               settles(),
               settlement_ ? settlement_->options().chain_id : 0,
               {}};
    auto out = desk_.fill(fa);
    if (out.refusal) {
      if (wallet_) wallet_->release(quote_id);
      return answer(false, decline_reason(*out.refusal));
    }
    if (settlement_ && !out.replay)
      settlement_->pending_fill(*eth::parse_bytes32(quote_id), out.fill);
    answer(true, "");
  });
}

void ZeroExGateway::answer_submit(const std::string& quote_id, const json::value& fee,
                                  const UInt256& amount, bool proceed, const std::string& reason,
                                  const net::HttpServer::Respond& respond) {
  json::object out{{"proceedWithFill", proceed},
                   {"fee", fee},
                   {"signedOrderHash", quote_id},
                   {"takerTokenFillAmount", amount.to_decimal()}};
  if (!reason.empty()) out["reason"] = reason;
  respond(net::json_response(http::status::ok, json::serialize(out)));
}

}  // namespace aq::rfq::zeroex
