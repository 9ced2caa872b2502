#pragma once
// The one quote desk behind every takers' protocol. Gateways (native HTTP/WS, 0x, Hashflow,
// Bebop) translate their wire formats into four calls:
//   price()   a price for a size or an amount, indicative or firm (a pricer round trip);
//   levels()  the indicative ladder;
//   issue()   a firm quote enters the lifecycle: reserved against the listing's and the
//             client's limits, recorded (written behind), live until expiry;
//   fill()    a quote fills at most once: durable in PostgreSQL first, then the same Fill
//             message to hedging whatever the protocol, then the caller answers the taker.
// All on one event loop, like every component.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/connectors/rate_limiter.hpp"
#include "aqueduct/rfq/indicative_cache.hpp"
#include "aqueduct/rfq/quote_ledger.hpp"
#include "aqueduct/rfq/refusal.hpp"
#include "aqueduct/rfq/rfq_store.hpp"

namespace aq::rfq {

struct PriceAsk {
  const Client* client = nullptr;
  const Listing* listing = nullptr;
  Side side = Side::Buy;          // the taker's
  int64_t qty = 0;                // listing qty units, or
  std::optional<Decimal> amount;  // an amount of the listing's quote asset
  bool firm = false;
};

struct PriceAnswer {
  std::optional<Refusal> refusal;
  int64_t price = 0;  // listing price units
  int64_t qty = 0;    // listing qty units priced
  aqueduct::msg::PriceBreakdown breakdown;
};

struct LevelsAnswer {
  std::optional<Refusal> refusal;
  aqueduct::msg::IndicativeLevels levels;
};

struct FillAsk {
  std::string quote_id;
  std::string client_id;
  int64_t qty = 0;  // 0: the whole quote
  FillCheck check;
  std::string external_ref;  // the protocol's trade id / the client's accept id (idempotency)
  // Where it settles: Native; Pending (on a message, until the chain shows it); Seen (made by
  // the chain's event, `proof`; the order may have filled before, in another transaction).
  Settlement settlement = Settlement::Native;
  uint64_t chain_id = 0;
  std::optional<ChainProof> proof;
};

struct FillOutcome {
  std::optional<Refusal> refusal;
  FillRecord fill;
  bool replay = false;  // the same external_ref was filled before: `fill.fill_id` is that fill
};

struct DeskOptions {
  std::chrono::milliseconds pricer_timeout{250};
  int default_rate_limit_per_s = 50;
  std::string database_url;  // for the quote writer
  int client_reload_s = 2;   // how often operators' changes to clients take effect; 0: never
  // An indicative price for the same ask is answered from the last one for this long
  // (0: every ask goes to the pricer). Firm prices are always fresh.
  std::chrono::milliseconds indicative_cache{0};
};

class QuoteDesk {
 public:
  QuoteDesk(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
            const Universe& universe, std::unique_ptr<RfqStore> store, DeskOptions options,
            Clock clock = wall_clock());
  ~QuoteDesk();
  void start();
  void stop();

  int64_t now() const { return clock_(); }
  const Universe& universe() const { return universe_; }
  // Re-reads the clients from the record (operators change tiers, limits, keys while it runs).
  void reload_clients();
  // The active native client signing under `key_id`, if any.
  const Client* client_by_key_id(std::string_view key_id) const;
  const Client* client(const std::string& client_id) const;
  // The client row for an aggregator connection (created in the record if missing).
  const Client& protocol_client(const std::string& client_id, Protocol protocol,
                                const std::string& tier);
  // Admission under the client's request rate; a refusal says the limit and when to retry.
  std::optional<Refusal> admit(const Client& c) { return admit(c, {}); }
  // The same, counted apart for each `caller` of one client (a 0x integrator's key): one
  // caller's flood does not use up the others' rate.
  std::optional<Refusal> admit(const Client& c, const std::string& caller);

  // `done` is called later with the pricer's answer, or before this returns when an
  // indicative answer for the same ask is kept (DeskOptions::indicative_cache).
  void price(const PriceAsk& ask, std::function<void(PriceAnswer)> done);
  void levels(const Client& c, const Listing& l, std::function<void(LevelsAnswer)> done);
  // Reserves and records a firm quote; on refusal nothing is kept.
  std::optional<Refusal> issue(const IssuedQuote& q, std::string breakdown_json,
                               std::string signed_order_json = {});
  FillOutcome fill(const FillAsk& ask);
  // An unwind the record already holds (a fill that did not settle, the other way round):
  // published to hedging like any fill.
  void publish_fill(const FillRecord& f);
  // Anything else the takers' side tells the network (the maker's wallet holdings).
  void publish(std::string_view topic, bus::Envelope& env) { pub_.publish(topic, env); }
  // The quote, from the ledger or else from the record (a settlement reported after the desk
  // forgot it, or across a restart); nullptr if neither has it or it was declined.
  const IssuedQuote* recall(const std::string& quote_id);
  bool decline(const std::string& quote_id);
  const QuoteLedger& ledger() const { return ledger_; }
  // Indicative asks answered without a pricer round trip, since start.
  uint64_t indicative_cache_hits() const { return indicative_.hits(); }
  QuoteRecorder& recorder() { return *recorder_; }

 private:
  struct Pending;
  void on_pricer_reply(const bus::Envelope& env);
  void send_to_pricer(uint64_t id, std::unique_ptr<Pending> p, bus::Envelope& env);
  void sweep();

  boost::asio::io_context& io_;
  const Universe& universe_;
  std::unique_ptr<RfqStore> store_;
  std::unique_ptr<QuoteRecorder> recorder_;
  DeskOptions options_;
  Clock clock_;
  bus::RpcClient pricer_;
  bus::Publisher pub_;
  QuoteLedger ledger_;
  std::unordered_map<std::string, QuoteRow> rows_;  // live quotes' rows, for the fill transaction
  std::unordered_map<std::string, FillRecord>
      fills_by_quote_;                                // recent fills, for idempotent replays
  std::map<std::string, Client> clients_;             // by id
  std::map<std::string, std::string> client_by_key_;  // api key id -> client id
  std::map<std::string, connectors::RateLimiter> limiters_;
  std::map<uint64_t, std::unique_ptr<Pending>> pending_;
  IndicativeCache<PriceAnswer> indicative_;
  uint64_t next_request_id_ = 1;
  uint64_t sweeps_ = 0;
  boost::asio::steady_timer sweep_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The refusal for a pricer RefusalReason: its code ("insufficient_depth") and whether it is
// retryable (market conditions) or the request's fault.
Refusal refusal_from(aqueduct::msg::RefusalReason r, std::string detail);
// Every term of a price as exact decimal strings (they add up; see PriceBreakdown).
std::string breakdown_json(const aqueduct::msg::PriceBreakdown& bd);

}  // namespace aq::rfq
