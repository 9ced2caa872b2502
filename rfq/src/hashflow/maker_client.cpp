#include "aqueduct/rfq/hashflow/maker_client.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "aqueduct/rfq/wallet_caps.hpp"

namespace aq::rfq::hashflow {

HashflowMaker::HashflowMaker(boost::asio::io_context& io, QuoteDesk& desk,
                             const TokenRegistry& tokens, const eth::Signer& signer,
                             uint64_t chain_id, HashflowConfig config)
    : desk_(desk),
      tokens_(tokens),
      signer_(signer),
      chain_id_(chain_id),
      config_(std::move(config)),
      socket_(io,
              MakerSocketOptions{"hashflow",
                                 config_.host,
                                 config_.port,
                                 config_.target,
                                 config_.tls,
                                 {{"marketmaker", config_.maker_name},
                                  {"authorization", secret_from_env(config_.auth_env, "hashflow")}},
                                 false,
                                 config_.reconnect_min_ms,
                                 config_.reconnect_max_ms},
              [this](std::string_view frame) { on_message(frame); }),
      levels_timer_(io) {}

HashflowMaker::~HashflowMaker() {
  *alive_ = false;
}

void HashflowMaker::start() {
  desk_.protocol_client(config_.client_id, Protocol::Hashflow, config_.tier);
  socket_.start();
  publish_levels();
}

void HashflowMaker::pay_from(chain::WalletWatcher* wallet) {
  wallet_ = wallet;
  if (config_.external_account.is_zero())
    funds_ = {config_.pool, std::nullopt, {}};
  else
    funds_ = {config_.external_account, config_.pool, "the Hashflow pool"};
  if (wallet_) wallet_->follow(funds_, "hashflow");
}

// Levels no larger than the wallet can pay: base on the asks, quote on the bids; none while
// the wallet is not (freshly) read.
void HashflowMaker::cap_levels(aqueduct::msg::IndicativeLevels& lv, const Token& base,
                               const Token& quote) const {
  auto base_left = wallet_->available(funds_, base.address);
  auto quote_left = wallet_->available(funds_, quote.address);
  cap_ask_increments(*lv.mutable_ask_increments(), base_left ? *base_left : UInt256(0), base);
  cap_bid_increments(*lv.mutable_bid_increments(), quote_left ? *quote_left : UInt256(0), base,
                     quote);
}

void HashflowMaker::stop() {
  *alive_ = false;
  levels_timer_.cancel();
  socket_.stop();
}

void HashflowMaker::publish_levels() {
  if (socket_.open()) {
    const Client* c = desk_.client(config_.client_id);
    for (const auto& l : desk_.universe().listings) {
      const Token* base = tokens_.by_asset(l.base);
      const Token* quote = tokens_.by_asset(l.quote);
      if (!c || !base || !quote) continue;
      desk_.levels(*c, l, [this, base, quote, &l, alive = alive_](LevelsAnswer a) {
        if (!*alive || !socket_.open()) return;
        // A refusal publishes empty levels: Hashflow stops routing to us for that pair.
        if (a.refusal) a.levels = aqueduct::msg::IndicativeLevels{};
        if (wallet_) cap_levels(a.levels, *base, *quote);
        socket_.send(price_levels_message(*base, *quote, chain_id_, a.levels, l));
        ++stats_.levels_sent;
      });
    }
  }
  levels_timer_.expires_after(std::chrono::milliseconds(config_.levels_interval_ms));
  levels_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!ec && *alive) publish_levels();
  });
}

void HashflowMaker::on_message(std::string_view frame) {
  auto type = message_type(frame);
  std::string why;
  if (type == "rfqT") {
    ++stats_.rfqs;
    auto r = parse_rfqt(frame, why);
    if (!r) return declined("(malformed)", "malformed rfqT: " + why);
    return on_rfqt(*r);
  }
  if (type == "trade") {
    auto t = parse_trade(frame, why);
    if (!t) {
      spdlog::error("hashflow: malformed trade message, not acknowledged: {}: {}", why,
                    frame.substr(0, 300));
      return;
    }
    return on_trade(*t);
  }
  if (type == "error") spdlog::warn("hashflow: server error: {}", frame.substr(0, 300));
}

void HashflowMaker::declined(const std::string& rfq_id, const std::string& why) {
  // Hashflow's protocol has no decline message: the maker stays silent, and says why here.
  ++stats_.rfqs_declined;
  spdlog::info("hashflow: rfq {} not quoted: {}", rfq_id, why);
  std::lock_guard l(decline_m_);
  last_decline_ = why;
}

std::string HashflowMaker::last_decline() const {
  std::lock_guard l(decline_m_);
  return last_decline_;
}

void HashflowMaker::on_rfqt(const RfqT& r) {
  auto decline = [&](const std::string& why) { declined(r.rfq_id, why); };
  if (r.base_chain_id != chain_id_ || r.quote_chain_id != chain_id_)
    return decline("chain " + std::to_string(r.base_chain_id) + "->" +
                   std::to_string(r.quote_chain_id) + " is not served (same-chain " +
                   std::to_string(chain_id_) + " only)");
  const Client* c = desk_.client(config_.client_id);
  if (!c) return decline("hashflow client missing");
  if (auto refusal = desk_.admit(*c)) return decline(refusal->message);
  std::string why;
  auto route = tokens_.route(r.base_token, r.quote_token, why);  // the trader sells base
  if (!route) return decline(why);
  TokenAsk ask{*route, r.base_amount.has_value(), r.base_amount ? *r.base_amount : *r.quote_amount};
  auto plan = plan_pricing(ask, why);
  if (!plan) return decline(why);
  if (settlement_)
    if (auto refusal = settlement_->refusal())
      return decline(refusal->code + ": " + refusal->message);
  PriceAsk pa{c, route->listing, route->taker_side, plan->qty, plan->amount, true};
  desk_.price(pa, [this, r, ask, alive = alive_](PriceAnswer a) {
    if (!*alive) return;
    auto decline2 = [&](const std::string& why2) { declined(r.rfq_id, why2); };
    if (a.refusal) return decline2(a.refusal->code + ": " + a.refusal->message);
    std::string why2;
    auto t = amounts_at(ask, a.price, why2);
    if (!t) return decline2(why2);
    // Hashflow's fee comes out of what the trader receives (exact input) or is added to what
    // it pays (exact output), as its SDK computes it.
    uint64_t keep = static_cast<uint64_t>(10'000 - r.fees_bps);
    if (r.fees_bps > 0) {
      if (ask.exact_sell) {
        t->maker_amount = t->maker_amount.checked_mul(keep)->div_small(10'000);
      } else {
        UInt256 rem;
        auto n = t->taker_amount.checked_mul(10'000);
        if (!n) return decline2("amount too large");
        auto q = n->checked_div(UInt256(keep), &rem);
        t->taker_amount = rem.is_zero() ? *q : *q->checked_add(1);
      }
    }
    if (t->maker_amount.is_zero()) return decline2("the amount is too small after fees");
    int64_t now = desk_.now();
    RfqTQuoteFields f;
    f.pool = config_.pool;
    f.trader = r.trader;
    f.effective_trader = r.effective_trader;
    f.external_account = config_.external_account;
    f.base_token = r.base_token;
    f.quote_token = r.quote_token;
    f.base_token_amount = t->taker_amount;   // the trader gives base
    f.quote_token_amount = t->maker_amount;  // and receives quote
    f.nonce = r.nonce;
    f.quote_expiry = static_cast<uint64_t>(now / 1'000'000'000 + config_.quote_ttl_s);
    f.txid = r.txid;
    f.chain_id = chain_id_;
    // The wallet must deliver the quote token it pays out, beyond what live quotes hold.
    if (wallet_)
      if (auto refusal = wallet_->reserve(r.rfq_id, funds_, f.quote_token, f.quote_token_amount,
                                          f.quote_expiry))
        return decline2(refusal->code + ": " + refusal->message);
    eth::Signature sig;
    try {
      sig = signer_.sign(digest(f));
    } catch (const std::exception& e) {
      if (wallet_) wallet_->release(r.rfq_id);
      return decline2(std::string("signer_error: ") + e.what());
    }
    const Listing& l = *ask.route.listing;
    IssuedQuote q = make_issued_quote(r.rfq_id, config_.client_id, l, Protocol::Hashflow,
                                      ask.route.taker_side, a.price, t->base_qty, now,
                                      static_cast<int64_t>(f.quote_expiry) * 1'000'000'000);
    std::string message = rfqt_quote_message(f, r.rfq_id, sig.rsv_hex());
    if (auto refusal = desk_.issue(q, breakdown_json(a.breakdown), message)) {
      if (wallet_) wallet_->release(r.rfq_id);
      return decline2(refusal->code + ": " + refusal->message);
    }
    if (settlement_)
      settlement_->expect(r.rfq_id, f.txid, f.quote_token_amount, f.base_token_amount,
                          f.quote_expiry);
    if (!socket_.open()) {
      // Never sent: it cannot settle.
      desk_.decline(r.rfq_id);
      if (wallet_) wallet_->release(r.rfq_id);
      return decline2("connection lost before the quote could be sent");
    }
    socket_.send(std::move(message));
    ++stats_.quotes_sent;
  });
}

void HashflowMaker::on_trade(const Trade& t) {
  ++stats_.trades;
  if (!t.confirmed) {
    // Not settled: nothing to hedge; the quote stays reserved until it expires.
    spdlog::info("hashflow: trade {} for rfq {} canceled", t.trade_event_id, t.rfq_id);
    socket_.send(trade_ack_message(t.trade_event_id));
    ++stats_.acks;
    return;
  }
  // The ledger, or the record for a quote it has forgotten (older, or before a restart).
  const IssuedQuote* q = desk_.recall(t.rfq_id);
  if (!q) {
    // Settled on-chain against a quote neither holds: never drop it silently.
    spdlog::error(
        "hashflow: trade {} settled rfq {} ({} base units) that is not in the ledger or the "
        "record; NOT acknowledged so that Hashflow reports it again; reconcile by hand",
        t.trade_event_id, t.rfq_id, t.base_amount.to_decimal());
    return;
  }
  const Listing& l = *desk_.universe().listing(q->listing);
  const Token* base = tokens_.by_asset(l.base);
  auto qty = base ? to_qty_units(t.base_amount, base->decimals, l.qty_scale, Rounding::Down)
                  : std::nullopt;
  if (!qty || *qty <= 0 || *qty > q->qty) {
    spdlog::error(
        "hashflow: trade {} for rfq {} has base amount {} outside the quote; not acknowledged",
        t.trade_event_id, t.rfq_id, t.base_amount.to_decimal());
    return;
  }
  // Settled on-chain before the quote's expiry (the contract enforces it): taken even if the
  // report arrives later, once per trade event id.
  // The message is a promise until the pool's Trade event is seen: pending while a chain is
  // watched.
  FillAsk fa{t.rfq_id,
             config_.client_id,
             *qty,
             FillCheck{false, false},
             t.trade_event_id,
             settlement_ ? Settlement::Pending : Settlement::Native,
             settlement_ ? settlement_->options().chain_id : 0,
             {}};
  auto out = desk_.fill(fa);
  if (settlement_ && !out.refusal && !out.replay)
    if (auto ref = eth::parse_bytes32(t.rfq_id)) settlement_->pending_fill(*ref, out.fill);
  if (out.refusal && out.refusal->code != "quote_already_filled") {
    spdlog::error("hashflow: trade {} for rfq {} not recorded ({}: {}); not acknowledged",
                  t.trade_event_id, t.rfq_id, out.refusal->code, out.refusal->message);
    return;
  }
  socket_.send(trade_ack_message(t.trade_event_id));
  ++stats_.acks;
}

}  // namespace aq::rfq::hashflow
