#pragma once
// The Hashflow v3 market-maker connection: an outbound WebSocket (headers marketmaker and
// authorization) that publishes priceLevels for every listing each interval, answers rfqT
// with a signed rfqTQuote priced from the same pricer as the levels (fees honoured), and turns
// trade notifications into fills (durable first, then tradeAck). Reconnects with exponential
// backoff and jitter; an empty ladder withdraws a pair (the pricer refuses to quote it).
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "aqueduct/eth/signer.hpp"
#include "aqueduct/rfq/chain/settlement_watcher.hpp"
#include "aqueduct/rfq/chain/wallet_watcher.hpp"
#include "aqueduct/rfq/hashflow/messages.hpp"
#include "aqueduct/rfq/maker_socket.hpp"
#include "aqueduct/rfq/quote_desk.hpp"
#include "aqueduct/rfq/token_trade.hpp"

namespace aq::rfq::hashflow {

struct HashflowConfig {
  bool enabled = false;
  std::string host = "127.0.0.1";
  uint16_t port = 443;
  std::string target = "/v3";
  bool tls = false;
  std::string maker_name = "Aqueduct";
  std::string auth_env = "AQ_HASHFLOW_KEY";
  Address pool;
  Address external_account;  // zero: the pool holds the funds
  std::string client_id = "hashflow";
  std::string tier = "standard";
  int64_t quote_ttl_s = 30;
  int64_t levels_interval_ms = 1000;
  int64_t reconnect_min_ms = 250;
  int64_t reconnect_max_ms = 30'000;
};

struct HashflowStats {
  uint64_t levels_sent = 0, rfqs = 0, quotes_sent = 0, rfqs_declined = 0, trades = 0, acks = 0;
};

class HashflowMaker {
 public:
  HashflowMaker(boost::asio::io_context& io, QuoteDesk& desk, const TokenRegistry& tokens,
                const eth::Signer& signer, uint64_t chain_id, HashflowConfig config);
  ~HashflowMaker();
  void start();
  // The chain trades settle on: quotes are declined while it cannot be followed, every signed
  // quote is expected there, and a trade message's fill waits for the pool's Trade event.
  void settle_on(chain::SettlementWatcher* watcher) { settlement_ = watcher; }
  // The wallet that pays the trader: the external account (pulled by the pool) or the pool.
  void pay_from(chain::WalletWatcher* wallet);
  void stop();
  bool connected() const { return socket_.open(); }
  const HashflowStats& stats() const { return stats_; }
  uint64_t connects() const { return socket_.connects(); }
  // Why the last rfqT was not quoted (Hashflow has no decline message); any thread.
  std::string last_decline() const;

 private:
  void on_message(std::string_view frame);
  void publish_levels();
  void on_rfqt(const RfqT& r);
  void on_trade(const Trade& t);
  void declined(const std::string& rfq_id, const std::string& why);
  void cap_levels(aqueduct::msg::IndicativeLevels& lv, const Token& base, const Token& quote) const;

  QuoteDesk& desk_;
  const TokenRegistry& tokens_;
  const eth::Signer& signer_;
  uint64_t chain_id_;
  HashflowConfig config_;
  MakerSocket socket_;
  boost::asio::steady_timer levels_timer_;
  HashflowStats stats_;
  mutable std::mutex decline_m_;
  std::string last_decline_;
  chain::SettlementWatcher* settlement_ = nullptr;
  chain::WalletWatcher* wallet_ = nullptr;
  aq::chain::FundsSource funds_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq::hashflow
