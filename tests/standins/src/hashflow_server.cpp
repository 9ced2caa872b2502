#include "aqueduct/standins/hashflow_server.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "aqueduct/eth/signer.hpp"
#include "aqueduct/rfq/hashflow/quote_hash.hpp"

namespace aq::standins {

namespace json = boost::json;

namespace {

std::string key(const eth::Address& b, const eth::Address& q) {
  return b.to_hex() + "/" + q.to_hex();
}

std::vector<HashflowLevel> read_levels(const json::value* v, std::string& problem) {
  std::vector<HashflowLevel> out;
  if (!v || !v->is_array()) {
    problem = "levels must be an array";
    return out;
  }
  for (const auto& e : v->as_array()) {
    if (!e.is_object() || !e.as_object().if_contains("q") || !e.as_object().if_contains("p") ||
        !e.at("q").is_string() || !e.at("p").is_string()) {
      problem = "each level must be {q: string, p: string}";
      return out;
    }
    HashflowLevel l{std::stod(std::string(e.at("q").as_string())),
                    std::stod(std::string(e.at("p").as_string()))};
    if (l.p <= 0 || l.q < 0 || (!out.empty() && l.q <= 0))
      problem = "level with a non-positive price or size";
    out.push_back(l);
  }
  return out;
}

// Hashflow's incremental reading: level 0 is the minimum; then q more at p each.
std::optional<double> levels_quote(const std::vector<HashflowLevel>& lv, double base) {
  if (lv.empty() || base < lv[0].q) return std::nullopt;
  double left = base, out = 0;
  for (size_t i = 0; i < lv.size() && left > 1e-18; ++i) {
    double take = std::min(left, i == 0 ? lv[0].q : lv[i].q);
    out += take * lv[i].p;
    left -= take;
  }
  if (left > 1e-12) return std::nullopt;
  return out;
}

}  // namespace

HashflowServer::HashflowServer(std::string maker_name, std::string auth_key, eth::Address signer,
                               eth::Address pool)
    : maker_name_(std::move(maker_name)), auth_(std::move(auth_key)), signer_(signer), pool_(pool) {
  loop_.call([this] {
    ws_ = std::make_unique<WsListener>(
        loop_.io,
        [this](const net::HttpRequest& req) -> std::string {
          bool ok = req.target() == "/v3" && req["marketmaker"] == maker_name_ &&
                    req["authorization"] == auth_;
          return ok ? "maker" : "";
        },
        [this](const std::string&, std::shared_ptr<net::WsSession> s) {
          std::lock_guard l(m_);
          sessions_.push_back(std::move(s));
          cv_.notify_all();
        },
        [this](const std::string&, const std::shared_ptr<net::WsSession>&, std::string_view f) {
          on_frame(f);
        },
        [this] {
          std::lock_guard l(m_);
          ++rejected_;
        });
    port_ = ws_->port();
    return 0;
  });
}

HashflowServer::~HashflowServer() {
  loop_.call([this] {
    for (auto& s : sessions_) s->close();
    ws_->stop();
    return 0;
  });
  loop_.stop();
}

int HashflowServer::connections() const {
  std::lock_guard l(m_);
  int n = 0;
  for (const auto& s : sessions_) n += s->open();
  return n;
}

int HashflowServer::rejected_handshakes() const {
  std::lock_guard l(m_);
  return rejected_;
}

int HashflowServer::levels_messages() const {
  std::lock_guard l(m_);
  return levels_messages_;
}

void HashflowServer::drop_connections() {
  loop_.call([this] {
    std::lock_guard l(m_);
    for (auto& s : sessions_) s->close();
    sessions_.clear();
    return 0;
  });
}

void HashflowServer::send_all(std::string text) {
  loop_.call([this, &text] {
    std::lock_guard l(m_);
    for (auto& s : sessions_)
      if (s->open()) s->send(text);
    return 0;
  });
}

void HashflowServer::on_frame(std::string_view frame) {
  boost::system::error_code ec;
  auto v = json::parse(frame, ec);
  if (ec || !v.is_object() || !v.as_object().if_contains("messageType") ||
      !v.as_object().if_contains("message"))
    return;
  std::string type(v.at("messageType").as_string());
  const auto& m = v.at("message").as_object();
  std::lock_guard l(m_);
  if (type == "priceLevels") {
    ++levels_messages_;
    HashflowPairLevels p;
    auto base = eth::Address::parse(m.at("baseToken").at("address").as_string());
    auto quote = eth::Address::parse(m.at("quoteToken").at("address").as_string());
    p.buy = read_levels(m.if_contains("buyLevels"), p.problem);
    p.sell = read_levels(m.if_contains("sellLevels"), p.problem);
    if (p.problem.empty() && !p.buy.empty() && !p.sell.empty() && p.buy[0].p >= p.sell[0].p)
      p.problem = "crossed: best buy level at or above best sell level";
    if (base && quote) levels_[key(*base, *quote)] = std::move(p);
  } else if (type == "rfqTQuote") {
    quotes_[std::string(m.at("rfqId").as_string())] = std::string(frame);
  } else if (type == "tradeAck") {
    acks_[std::string(m.at("tradeEventId").as_string())] = true;
  }
  cv_.notify_all();
}

std::optional<HashflowPairLevels> HashflowServer::levels(const eth::Address& base,
                                                         const eth::Address& quote,
                                                         int timeout_ms) {
  std::unique_lock l(m_);
  cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
               [&] { return levels_.count(key(base, quote)) > 0; });
  auto it = levels_.find(key(base, quote));
  if (it == levels_.end()) return std::nullopt;
  return it->second;
}

std::string HashflowServer::rfq_frame(const HashflowRfq& r) {
  json::object m{{"rfqId", r.rfq_id},
                 {"source", "standin"},
                 {"nonce", r.nonce},
                 {"baseChain", json::object{{"chainType", "evm"}, {"chainId", r.chain_id}}},
                 {"quoteChain", json::object{{"chainType", "evm"}, {"chainId", r.chain_id}}},
                 {"baseToken", r.base_token.to_hex()},
                 {"quoteToken", r.quote_token.to_hex()},
                 {"trader", r.trader.to_hex()},
                 {"effectiveTrader", r.effective_trader.to_hex()},
                 {"feesBps", r.fees_bps},
                 {"baseTokenPriceUsd", "1"}};
  if (r.base_amount) m["baseTokenAmount"] = *r.base_amount;
  if (r.quote_amount) m["quoteTokenAmount"] = *r.quote_amount;
  return json::serialize(json::object{{"messageType", "rfqT"}, {"message", m}});
}

bool HashflowServer::rfq_raw(const std::string& rfq_id, std::string frame, int timeout_ms) {
  send_all(std::move(frame));
  std::unique_lock l(m_);
  return cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
                      [&] { return quotes_.count(rfq_id) > 0; });
}

HashflowQuoteCheck HashflowServer::rfq(const HashflowRfq& r, int timeout_ms) {
  send_all(rfq_frame(r));
  std::string raw;
  {
    std::unique_lock l(m_);
    cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
                 [&] { return quotes_.count(r.rfq_id) > 0; });
    if (!quotes_.count(r.rfq_id)) return {};
    raw = quotes_[r.rfq_id];
  }
  HashflowQuoteCheck c;
  c.received = true;
  c.raw = raw;
  json::value parsed = json::parse(raw);
  const auto& q = parsed.at("message").as_object();
  auto str = [&](const char* k) {
    return q.if_contains(k) && q.at(k).is_string() ? std::string(q.at(k).as_string())
                                                   : std::string();
  };
  c.base_amount = str("baseTokenAmount");
  c.quote_amount = str("quoteTokenAmount");
  c.quote_expiry = q.if_contains("quoteExpiry") ? q.at("quoteExpiry").to_number<uint64_t>() : 0;
  if ((r.base_amount && c.base_amount != *r.base_amount) ||
      (r.quote_amount && c.quote_amount != *r.quote_amount))
    c.problem = "the provided amount was not echoed unchanged";
  auto pool = eth::Address::parse(str("pool"));
  if (!pool || *pool != pool_) c.problem = "pool is not the maker's pool";
  // The contract's hash, from the trader's request and the quote's amounts.
  rfq::hashflow::RfqTQuoteFields f;
  f.pool = pool_;
  f.trader = r.trader;
  f.effective_trader = r.effective_trader;
  // The pool pays from the maker's external account when the quote names one; it is signed.
  if (q.if_contains("externalAccount")) {
    auto ext = eth::Address::parse(str("externalAccount"));
    if (!ext) c.problem = "externalAccount is not an address";
    f.external_account = ext.value_or(eth::Address{});
  }
  f.base_token = r.base_token;
  f.quote_token = r.quote_token;
  auto b = UInt256::from_decimal(c.base_amount), qa = UInt256::from_decimal(c.quote_amount);
  if (!b || !qa) {
    c.problem = "amounts are not whole numbers";
    return c;
  }
  f.base_token_amount = *b;
  f.quote_token_amount = *qa;
  f.nonce = r.nonce;
  f.quote_expiry = c.quote_expiry;
  f.txid = *eth::parse_bytes32(r.rfq_id);
  f.chain_id = r.chain_id;
  auto sig = eth::Signature::parse_rsv(str("signature"));
  auto who = sig ? eth::recover(rfq::hashflow::digest(f), *sig) : std::nullopt;
  if (!who || *who != signer_) c.problem = "signature does not recover to the pool's signer";
  // Bias against the levels (the QA tool's measure), when the base amount was given.
  std::lock_guard l(m_);
  auto it = levels_.find(key(r.base_token, r.quote_token));
  if (r.base_amount && it != levels_.end()) {
    // The trader sells base: the maker buys along its buyLevels, less the fee.
    double base_h = std::stod(*r.base_amount) / std::pow(10.0, r.base_decimals);
    double firm_h = std::stod(c.quote_amount) / std::pow(10.0, r.quote_decimals);
    if (auto expect = levels_quote(it->second.buy, base_h)) {
      double after_fee = *expect * (1.0 - r.fees_bps / 10'000.0);
      c.bias_bps = (firm_h - after_fee) / after_fee * 10'000.0;
    }
  }
  return c;
}

bool HashflowServer::trade(const std::string& trade_event_id, const std::string& rfq_id,
                           const std::string& base_amount, const std::string& quote_amount,
                           bool confirmed, int timeout_ms) {
  json::object m{{"tradeEventId", trade_event_id},
                 {"baseChain", json::object{{"chainType", "evm"}, {"chainId", 1}}},
                 {"quoteChain", json::object{{"chainType", "evm"}, {"chainId", 1}}},
                 {"rfqId", rfq_id},
                 {"blockNumber", 19000000},
                 {"transactionHash", "0x" + std::string(64, 'a')},
                 {"blockTimestamp", 1700000000},
                 {"baseTokenAmount", base_amount},
                 {"quoteTokenAmount", quote_amount},
                 {"feesBps", 0},
                 {"pool", pool_.to_hex()},
                 {"tradeStatus", confirmed ? "confirmed" : "canceled"}};
  send_all(json::serialize(json::object{{"messageType", "trade"}, {"message", m}}));
  std::unique_lock l(m_);
  return cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
                      [&] { return acks_.count(trade_event_id) > 0; });
}

}  // namespace aq::standins
