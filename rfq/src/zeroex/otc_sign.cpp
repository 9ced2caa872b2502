// The 0x gateway's OTC endpoints (/rfqm/v2/sign, /rfqt/v2/sign): an OtcOrder the taker built
// is signed only at our firm price within the tolerance, and signing is the fill.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "aqueduct/rfq/zeroex/gateway.hpp"
#include "http_answers.hpp"

namespace aq::rfq::zeroex {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// {signatureType, v, r, s} as 0x sends a taker's signature; nullopt with `why`.
std::optional<std::pair<eth::Signature, int>> signature_from_json(const json::value& v,
                                                                  std::string& why) {
  const json::object* o = v.is_object() ? &v.as_object() : nullptr;
  auto* type = o ? o->if_contains("signatureType") : nullptr;
  auto* vv = o ? o->if_contains("v") : nullptr;
  auto* r = o ? o->if_contains("r") : nullptr;
  auto* s = o ? o->if_contains("s") : nullptr;
  if (!type || !type->is_int64() || !vv || !vv->is_int64() || !r || !r->is_string() || !s ||
      !s->is_string()) {
    why = "takerSignature must be {signatureType, v, r, s}";
    return std::nullopt;
  }
  auto rb = eth::parse_bytes32(r->as_string()), sb = eth::parse_bytes32(s->as_string());
  int64_t t = type->as_int64(), vn = vv->as_int64();
  if (!rb || !sb || (vn != 27 && vn != 28) || (t != 2 && t != 3)) {
    why = "takerSignature: signatureType 2 (EIP712) or 3 (EthSign), v 27 or 28, r and s 32 bytes";
    return std::nullopt;
  }
  return std::pair{eth::Signature{*rb, *sb, static_cast<uint8_t>(vn)}, static_cast<int>(t)};
}

}  // namespace

void ZeroExGateway::sign(const std::string& body, bool rfqm, net::HttpServer::Respond respond) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object())
    return respond(errors_response(
        http::status::bad_request,
        {"body must be a JSON object {order, orderHash, expiry, takerSignature, feeToken, "
         "feeAmount}"}));
  const auto& o = v.as_object();
  std::vector<std::string> errors;
  std::string why;
  const json::value* order_v = o.if_contains("order");
  std::optional<OtcOrder> order;
  if (!order_v || !order_v->is_object())
    errors.push_back("order is required (the OtcOrder)");
  else if (!(order = otc_order_from_json(order_v->as_object(), why)))
    errors.push_back(why);
  const json::value* hash_v = o.if_contains("orderHash");
  auto hash =
      hash_v && hash_v->is_string() ? eth::parse_bytes32(hash_v->as_string()) : std::nullopt;
  if (!hash) errors.push_back("orderHash is required (0x + 64 hex digits)");
  // Fees: 0x's client sends feeToken/feeAmount; quote-server's schema a nested fee.
  const json::object* fee_o =
      o.if_contains("fee") && o.at("fee").is_object() ? &o.at("fee").as_object() : nullptr;
  auto fee_text = [&](const char* flat, const char* nested) -> std::optional<std::string> {
    const json::value* f = o.if_contains(flat);
    if (!f && fee_o) f = fee_o->if_contains(nested);
    if (f && f->is_string()) return std::string(f->as_string());
    return std::nullopt;
  };
  auto fee_token_s = fee_text("feeToken", "token"), fee_amount_s = fee_text("feeAmount", "amount");
  UInt256 fee_amount;
  eth::Address fee_token;
  if (fee_amount_s) {
    auto f = UInt256::from_decimal(*fee_amount_s);
    if (!f)
      errors.push_back("feeAmount must be a whole number of base units");
    else
      fee_amount = *f;
  }
  if (fee_token_s) {
    auto t = eth::Address::parse(*fee_token_s);
    if (!t)
      errors.push_back("feeToken must be an address");
    else
      fee_token = *t;
  }
  if (!errors.empty()) return respond(errors_response(http::status::bad_request, errors));
  if (eth::eip712_digest(domain_separator_, struct_hash(*order)) != *hash)
    return respond(
        errors_response(http::status::bad_request, {"order does not hash to orderHash"}));
  if (order->maker != signer_.address())
    return respond(errors_response(http::status::bad_request,
                                   {"order.maker " + order->maker.to_hex() +
                                    " is not this maker (" + signer_.address().to_hex() + ")"}));
  if (rfqm) {
    // RFQm: the taker signed first; sign only an order the taker is bound to.
    const json::value* ts = o.if_contains("takerSignature");
    auto sig = ts ? signature_from_json(*ts, why) : std::nullopt;
    if (!ts) why = "takerSignature is required for RFQm";
    auto digest = sig && sig->second == 3 ? eth::eip191_digest(*hash) : *hash;
    auto who = sig ? eth::recover(digest, sig->first) : std::nullopt;
    if (!sig) return respond(errors_response(http::status::bad_request, {why}));
    if (!who || *who != order->taker)
      return respond(errors_response(
          http::status::bad_request,
          {"takerSignature does not recover to order.taker " + order->taker.to_hex()}));
  }
  std::string quote_id = eth::to_hex0x(*hash);
  // proceedWithFill with our signature, or not with the reason.
  auto answer = [respond, fee_amount, fee_token](const eth::Signature* sig,
                                                 const std::string& reason) {
    json::object out{{"proceedWithFill", sig != nullptr},
                     {"feeAmount", fee_amount.to_decimal()},
                     {"feeToken", fee_token.to_hex()}};
    if (sig)
      out["makerSignature"] = signature_json(*sig, SignatureType::Eip712);
    else
      out["reason"] = reason;
    respond(net::json_response(http::status::ok, json::serialize(out)));
  };
  int64_t now_s = desk_.now() / 1'000'000'000;
  auto expiry = static_cast<int64_t>(expiry_of(order->expiry_and_nonce));
  if (expiry <= now_s + 5 || expiry > now_s + config_.sign_max_expiry_s)
    return answer(nullptr, "expiry: the order must expire between 5 s and " +
                               std::to_string(config_.sign_max_expiry_s) +
                               " s from now (zeroex.sign_max_expiry_s); it expires in " +
                               std::to_string(expiry - now_s) + " s");
  auto route = tokens_.route(order->taker_token, order->maker_token, why);
  if (!route) return answer(nullptr, why);
  if (!fee_amount.is_zero() && fee_token != order->taker_token)
    return answer(nullptr, "fee: only a fee in the taker token, or none, is supported");
  // What we receive net of 0x's fee, priced firm now.
  auto net_taker = order->taker_amount.checked_sub(fee_amount);
  if (!net_taker || net_taker->is_zero())
    return answer(nullptr, "feeAmount is not below takerAmount");
  TokenAsk ask{*route, true, *net_taker};
  auto plan = plan_pricing(ask, why);
  if (!plan) return answer(nullptr, why);
  if (settlement_)
    if (auto r = settlement_->refusal()) return answer(nullptr, decline_reason(*r));
  const Client& client = *desk_.client(config_.client_id);
  PriceAsk pa{&client, route->listing, route->taker_side, plan->qty, plan->amount, true};
  OtcOrder otc = *order;
  desk_.price(pa, [this, otc, ask, quote_id, answer, alive = alive_](PriceAnswer a) {
    if (!*alive) return;
    if (a.refusal) return answer(nullptr, decline_reason(*a.refusal));
    std::string why2;
    auto fresh = amounts_at(ask, a.price, why2);
    if (!fresh) return answer(nullptr, why2);
    // The order may give the taker at most the tolerance more than our firm price does now.
    auto slack =
        fresh->maker_amount.checked_mul(static_cast<uint64_t>(config_.last_look_tolerance_ppm));
    auto limit =
        slack ? fresh->maker_amount.checked_add(slack->div_small(1'000'000)) : std::nullopt;
    if (!limit || otc.maker_amount > *limit)
      return answer(nullptr, "price: the order's makerAmount " + otc.maker_amount.to_decimal() +
                                 " is above our firm amount " + fresh->maker_amount.to_decimal() +
                                 " plus the tolerance of " +
                                 std::to_string(config_.last_look_tolerance_ppm) + " ppm");
    const Listing& l = *ask.route.listing;
    TradeAmounts traded{otc.taker_amount, otc.maker_amount, fresh->base_qty};
    // We trade at the order's price, rounded against us for the record.
    auto price = implied_price(ask.route, traded,
                               ask.route.taker_side == Side::Sell ? Rounding::Up : Rounding::Down);
    auto base =
        ask.route.taker_side == Side::Sell
            ? to_qty_units(otc.taker_amount, ask.route.base->decimals, l.qty_scale, Rounding::Down)
            : to_qty_units(otc.maker_amount, ask.route.base->decimals, l.qty_scale, Rounding::Up);
    if (!price || !base || *base <= 0)
      return answer(nullptr, "the order's amounts give no listing price or size");
    int64_t now = desk_.now();
    int64_t expiry_ns = static_cast<int64_t>(expiry_of(otc.expiry_and_nonce)) * 1'000'000'000;
    if (!desk_.ledger().find(quote_id)) {
      if (wallet_)
        if (auto r = wallet_->reserve(quote_id, funds_, otc.maker_token, otc.maker_amount,
                                      expiry_of(otc.expiry_and_nonce)))
          return answer(nullptr, decline_reason(*r));
      IssuedQuote q = make_issued_quote(quote_id, config_.client_id, l, Protocol::ZeroEx,
                                        ask.route.taker_side, *price, *base, now, expiry_ns);
      json::object signed_order = to_json(otc);
      signed_order["chainId"] = chain_id_;
      signed_order["verifyingContract"] = config_.exchange_proxy.to_hex();
      if (auto r = desk_.issue(q, breakdown_json(a.breakdown), json::serialize(signed_order))) {
        if (wallet_) wallet_->release(quote_id);
        return answer(nullptr, decline_reason(*r));
      }
    }
    // Signing commits us: the fill is durable before the signature leaves. A retried sign
    // of the same order is the same fill (and the same deterministic signature).
    eth::Signature sig;
    try {
      sig = signer_.sign(*eth::parse_bytes32(quote_id));
    } catch (const std::exception& e) {
      spdlog::error("rfq: 0x OtcOrder not signed: {}", e.what());
      desk_.decline(quote_id);
      if (wallet_) wallet_->release(quote_id);
      return answer(nullptr, "signer_error");
    }
    if (settlement_)
      settlement_->expect(quote_id, *eth::parse_bytes32(quote_id), otc.maker_amount,
                          otc.taker_amount, expiry_of(otc.expiry_and_nonce));
    FillAsk fa{quote_id,
               config_.client_id,
               0,
               FillCheck{},
               quote_id,
               settles(),
               settlement_ ? settlement_->options().chain_id : 0,
               {}};
    auto out = desk_.fill(fa);
    // Refused (the record did not answer): no signature leaves, but 0x retries the same
    // order, and the retry finds the quote issued and its hold in place.
    if (out.refusal) return answer(nullptr, decline_reason(*out.refusal));
    if (settlement_ && !out.replay)
      settlement_->pending_fill(*eth::parse_bytes32(quote_id), out.fill);
    answer(&sig, "");
  });
}

}  // namespace aq::rfq::zeroex
