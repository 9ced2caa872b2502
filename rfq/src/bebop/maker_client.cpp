#include "aqueduct/rfq/bebop/maker_client.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "aqueduct/rfq/wallet_caps.hpp"

namespace aq::rfq::bebop {

namespace {

std::string bearer(const std::string& env) {
  return "Bearer " + secret_from_env(env, "bebop");
}

MakerSocketOptions socket_options(const BebopConfig& c, const std::string& kind,
                                  const std::string& auth) {
  std::string target =
      "/pmm/" + c.chain_slug + "/v3/maker/" + kind + (kind == "pricing" ? "?format=protobuf" : "");
  return {"bebop " + kind,
          c.host,
          c.port,
          target,
          c.tls,
          {{"Authorization", auth}},
          true,
          c.reconnect_min_ms,
          c.reconnect_max_ms};
}

// Bebop's error_type for a refusal: whether it counts against the maker is Bebop's call.
std::string error_type_for(const Refusal& r) {
  if (r.code == "size_too_small") return "min_size";
  if (r.code == "size_too_large" || r.code == "notional_too_large" ||
      r.code == "insufficient_depth" || r.code == "listing_outstanding_limit" ||
      r.code == "client_open_notional_limit" || r.code == "insufficient_wallet_balance" ||
      r.code == "insufficient_allowance")
    return "liquidity";
  return "unavailable";
}

}  // namespace

BebopMaker::BebopMaker(boost::asio::io_context& io, QuoteDesk& desk, const TokenRegistry& tokens,
                       const eth::Signer& signer, uint64_t chain_id, BebopConfig config)
    : desk_(desk),
      tokens_(tokens),
      signer_(signer),
      chain_id_(chain_id),
      config_(std::move(config)),
      domain_separator_(domain(chain_id_, config_.settlement).separator()),
      pricing_(io, socket_options(config_, "pricing", bearer(config_.auth_env)),
               [](std::string_view) {}),
      quote_(io, socket_options(config_, "quote", bearer(config_.auth_env)),
             [this](std::string_view f) { on_quote_request(f); }),
      trades_(io, socket_options(config_, "trades", bearer(config_.auth_env)),
              [this](std::string_view f) { on_trade(f); }),
      pricing_timer_(io),
      pricing_hold_timer_(io),
      // Unique across restarts without storage: nanoseconds at start, then counting.
      next_nonce_(static_cast<uint64_t>(desk.now())) {}

BebopMaker::~BebopMaker() {
  *alive_ = false;
}

void BebopMaker::start() {
  desk_.protocol_client(config_.client_id, Protocol::Bebop, config_.tier);
  pricing_.start();
  quote_.start();
  trades_.start();
  publish_pricing();
}

void BebopMaker::stop() {
  *alive_ = false;
  pricing_timer_.cancel();
  pricing_hold_timer_.cancel();
  pricing_.stop();
  quote_.stop();
  trades_.stop();
}

void BebopMaker::pay_from(chain::WalletWatcher* wallet) {
  wallet_ = wallet;
  funds_ = {signer_.address(), config_.settlement, "Bebop's settlement contract"};
  if (wallet_) wallet_->follow(funds_, "bebop");
}

void BebopMaker::publish_pricing() {
  const Client* c = desk_.client(config_.client_id);
  if (pricing_.open() && c) {
    // Gather every pair's ladder, then send them in one update.
    auto pairs = std::make_shared<std::vector<PairLevels>>();
    auto waiting = std::make_shared<size_t>(0);
    std::vector<const Listing*> listed;
    for (const auto& l : desk_.universe().listings)
      if (tokens_.by_asset(l.base) && tokens_.by_asset(l.quote)) listed.push_back(&l);
    *waiting = listed.size();
    for (const Listing* l : listed) {
      desk_.levels(*c, *l, [this, l, pairs, waiting, alive = alive_](LevelsAnswer a) {
        if (!*alive) return;
        const Token* base = tokens_.by_asset(l->base);
        const Token* quote = tokens_.by_asset(l->quote);
        if (a.refusal) a.levels = aqueduct::msg::IndicativeLevels{};
        if (wallet_) {
          // No more than the wallet can pay: base on the asks, quote on the bids.
          auto base_left = wallet_->available(funds_, base->address);
          auto quote_left = wallet_->available(funds_, quote->address);
          cap_ask_increments(*a.levels.mutable_ask_increments(),
                             base_left ? *base_left : UInt256(0), *base);
          cap_bid_increments(*a.levels.mutable_bid_increments(),
                             quote_left ? *quote_left : UInt256(0), *base, *quote);
        }
        pairs->push_back({base, quote, l, a.levels});
        if (--*waiting == 0 && pricing_.open()) {
          send_pricing(pricing_update(*pairs, static_cast<uint64_t>(desk_.now() / 1'000'000'000)));
        }
      });
    }
  }
  pricing_timer_.expires_after(
      std::chrono::milliseconds(std::max<int64_t>(config_.pricing_interval_ms, 400)));
  pricing_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) publish_pricing();
  });
}

void BebopMaker::send_pricing(std::string update) {
  // The ladders come back from the pricer with jitter: keep the sends themselves at least
  // kMinSpacing apart (Bebop ignores faster updates), holding a too-early one until then.
  constexpr auto kMinSpacing = std::chrono::milliseconds(420);
  auto now = std::chrono::steady_clock::now();
  auto due = last_pricing_sent_ + kMinSpacing;
  if (now >= due) {
    pricing_.send(std::move(update));
    last_pricing_sent_ = now;
    ++stats_.pricing_sent;
    return;
  }
  held_pricing_ = std::move(update);
  pricing_hold_timer_.expires_at(due);
  pricing_hold_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive || held_pricing_.empty()) return;
    auto held = std::move(held_pricing_);
    held_pricing_.clear();
    send_pricing(std::move(held));
  });
}

void BebopMaker::on_quote_request(std::string_view frame) {
  ++stats_.requests;
  std::string why;
  auto r = parse_quote_request(frame, why);
  auto error = [&](const std::string& quote_id, const std::string& type,
                   const std::string& message) {
    quote_.send(quote_error(chain_id_, quote_id, type, message));
    ++stats_.errors_sent;
  };
  if (!r) {
    spdlog::warn("bebop: quote request refused: {}", why);
    // Answer with the id when there is one, so Bebop does not wait for its timeout.
    if (auto id = quote_id_of(frame); !id.empty()) error(id, "rejected", why);
    return;
  }
  if (r->chain_id != chain_id_)
    return error(r->quote_id, "unavailable",
                 "chain " + std::to_string(r->chain_id) + " is not served");
  int64_t now_s = desk_.now() / 1'000'000'000;
  if (static_cast<int64_t>(r->expiry) <= now_s ||
      static_cast<int64_t>(r->expiry) > now_s + config_.max_expiry_s)
    return error(r->quote_id, "rejected",
                 "expiry must be in the future and at most " +
                     std::to_string(config_.max_expiry_s) + " s ahead");
  const Client* c = desk_.client(config_.client_id);
  if (!c) return error(r->quote_id, "unavailable", "bebop client missing");
  if (auto refusal = desk_.admit(*c)) return error(r->quote_id, "unavailable", refusal->message);
  auto route = tokens_.route(r->taker_token, r->maker_token, why);
  if (!route) return error(r->quote_id, "unavailable", why);
  TokenAsk ask{*route, r->taker_amount.has_value(),
               r->taker_amount ? *r->taker_amount : *r->maker_amount};
  auto plan = plan_pricing(ask, why);
  if (!plan) return error(r->quote_id, "rejected", why);
  PriceAsk pa{c, route->listing, route->taker_side, plan->qty, plan->amount, true};
  desk_.price(pa, [this, req = *r, ask, alive = alive_](PriceAnswer a) {
    if (!*alive) return;
    auto fail = [&](const std::string& type, const std::string& message) {
      quote_.send(quote_error(chain_id_, req.quote_id, type, message));
      ++stats_.errors_sent;
    };
    if (a.refusal)
      return fail(error_type_for(*a.refusal), a.refusal->code + ": " + a.refusal->message);
    std::string why2;
    auto t = amounts_at(ask, a.price, why2);
    if (!t) return fail("rejected", why2);
    // fee_usd comes off the trade, valued in the listing's quote token (a USD stablecoin).
    if (req.fee_usd && req.fee_usd->units > 0) {
      const Token& quote_token = *ask.route.quote;
      auto fee = to_base_units(*req.fee_usd, quote_token.decimals);
      if (!fee) return fail("rejected", "fee_usd has more precision than the quote token");
      bool maker_gives_quote = ask.route.taker_side == Side::Sell;
      std::optional<UInt256> fee_in_kind =
          maker_gives_quote
              ? fee
              : base_for_quote(*fee, quote_token.decimals, a.price, ask.route.listing->price_scale,
                               ask.route.base->decimals, Rounding::Up);
      if (ask.exact_sell) {
        auto less = fee_in_kind ? t->maker_amount.checked_sub(*fee_in_kind) : std::nullopt;
        if (!less || less->is_zero()) return fail("min_size", "the trade is smaller than its fee");
        t->maker_amount = *less;
      } else {
        std::optional<UInt256> fee_taker_kind =
            maker_gives_quote ? base_for_quote(*fee, quote_token.decimals, a.price,
                                               ask.route.listing->price_scale,
                                               ask.route.base->decimals, Rounding::Up)
                              : fee;
        auto more = fee_taker_kind ? t->taker_amount.checked_add(*fee_taker_kind) : std::nullopt;
        if (!more) return fail("rejected", "amount too large");
        t->taker_amount = *more;
      }
    }
    SingleOrder o;
    o.partner_id = req.partner_id;
    o.expiry = req.expiry;
    o.taker_address = req.taker_address;
    o.maker_address = signer_.address();
    o.maker_nonce = UInt256(next_nonce_++);
    o.taker_token = req.taker_token;
    o.maker_token = req.maker_token;
    o.taker_amount = t->taker_amount;
    o.maker_amount = t->maker_amount;
    o.receiver = req.receiver;
    std::string quote_id = "bebop:" + req.quote_id;
    if (wallet_)
      if (auto refusal = wallet_->reserve(quote_id, funds_, o.maker_token, o.maker_amount, o.expiry))
        return fail(error_type_for(*refusal), refusal->code + ": " + refusal->message);
    eth::Signature sig;
    try {
      sig = signer_.sign(eth::eip712_digest(domain_separator_, struct_hash(o)));
    } catch (const std::exception& e) {
      if (wallet_) wallet_->release(quote_id);
      return fail("unavailable", std::string("signer_error: ") + e.what());
    }
    const Listing& l = *ask.route.listing;
    IssuedQuote q = make_issued_quote(
        quote_id, config_.client_id, l, Protocol::Bebop, ask.route.taker_side,
        a.price, t->base_qty, desk_.now(), static_cast<int64_t>(req.expiry) * 1'000'000'000);
    std::string message = quote_response(req, o, sig.rsv_hex());
    if (auto refusal = desk_.issue(q, breakdown_json(a.breakdown), message)) {
      if (wallet_) wallet_->release(quote_id);
      return fail(error_type_for(*refusal), refusal->code + ": " + refusal->message);
    }
    quote_.send(std::move(message));
    ++stats_.quotes_sent;
  });
}

void BebopMaker::on_trade(std::string_view frame) {
  ++stats_.trades;
  std::string why;
  auto t = parse_trade(frame, why);
  if (!t) {
    spdlog::error("bebop: malformed trade update: {}: {}", why, frame.substr(0, 300));
    return;
  }
  if (!t->settled()) return;  // sent, or failed on-chain: nothing to hedge
  std::string quote_id = "bebop:" + t->quote_id;
  // Paid from the wallet: its hold ends once a read shows the tokens gone.
  if (wallet_) wallet_->settled(quote_id);
  // The ledger, or the record for a quote it has forgotten (older, or before a restart).
  const IssuedQuote* q = desk_.recall(quote_id);
  if (!q) {
    spdlog::error(
        "bebop: trade for quote {} settled ({}, tx {}) but the quote is not in the ledger or the "
        "record; reconcile from Bebop's trade history",
        t->quote_id, t->status, t->tx_hash);
    return;
  }
  const Listing& l = *desk_.universe().listing(q->listing);
  const Token* base = tokens_.by_asset(l.base);
  // The taker sold base when the quote's taker side is Sell: then the taker amount is base.
  const UInt256& base_amount =
      q->side == Side::Sell ? t->filled_taker_amount : t->filled_maker_amount;
  auto qty =
      base ? to_qty_units(base_amount, base->decimals, l.qty_scale, Rounding::Down) : std::nullopt;
  if (!qty || *qty <= 0 || *qty > q->qty) {
    spdlog::error("bebop: settled trade for {} has base amount {} outside the quote", t->quote_id,
                  base_amount.to_decimal());
    return;
  }
  // SETTLED then CONFIRMED arrive for one trade: the quote id makes the second a replay.
  auto out = desk_.fill(
      {quote_id, config_.client_id, *qty, FillCheck{false, false}, t->quote_id, {}, 0, {}});
  if (out.refusal && out.refusal->code != "quote_already_filled") {
    spdlog::error("bebop: settled trade for {} not recorded: {}: {}", t->quote_id,
                  out.refusal->code, out.refusal->message);
    return;
  }
  if (!out.refusal && !out.replay) ++stats_.fills;
}

}  // namespace aq::rfq::bebop
