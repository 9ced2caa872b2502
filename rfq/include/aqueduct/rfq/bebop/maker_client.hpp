#pragma once
// The Bebop PMM maker connections for one chain: three outbound WebSockets (pricing, quote,
// trades; "Authorization: Bearer <key>"; every frame binary). The pricing socket streams all
// listings' levels in one protobuf update per interval (never faster than 400 ms); quote
// requests are priced from the same pricer, answered with a signed SingleOrder or a Bebop
// error_type; settled trades become durable fills (once per quote).
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "aqueduct/rfq/chain/wallet_watcher.hpp"
#include "aqueduct/eth/signer.hpp"
#include "aqueduct/rfq/bebop/messages.hpp"
#include "aqueduct/rfq/maker_socket.hpp"
#include "aqueduct/rfq/quote_desk.hpp"
#include "aqueduct/rfq/token_trade.hpp"

namespace aq::rfq::bebop {

struct BebopConfig {
  bool enabled = false;
  std::string host = "api.bebop.xyz";
  uint16_t port = 443;
  bool tls = true;
  std::string chain_slug = "ethereum";
  std::string auth_env = "AQ_BEBOP_KEY";
  Address settlement;  // BebopSettlement, the domain's verifyingContract
  std::string client_id = "bebop";
  std::string tier = "standard";
  int64_t pricing_interval_ms = 500;  // Bebop ignores updates faster than every 400 ms
  int64_t max_expiry_s = 300;         // requests asking us to commit longer are refused
  int64_t reconnect_min_ms = 250;
  int64_t reconnect_max_ms = 30'000;
};

struct BebopStats {
  uint64_t pricing_sent = 0, requests = 0, quotes_sent = 0, errors_sent = 0, trades = 0, fills = 0;
};

class BebopMaker {
 public:
  BebopMaker(boost::asio::io_context& io, QuoteDesk& desk, const TokenRegistry& tokens,
             const eth::Signer& signer, uint64_t chain_id, BebopConfig config);
  ~BebopMaker();
  void start();
  void stop();
  bool connected() const { return pricing_.open() && quote_.open() && trades_.open(); }
  const BebopStats& stats() const { return stats_; }
  // The maker's wallet, pulled by Bebop's settlement contract: every quote reserves what it
  // pays out, the ladder shows no more than is left.
  void pay_from(chain::WalletWatcher* wallet);

 private:
  void publish_pricing();
  void send_pricing(std::string update);
  void on_quote_request(std::string_view frame);
  void on_trade(std::string_view frame);

  QuoteDesk& desk_;
  const TokenRegistry& tokens_;
  const eth::Signer& signer_;
  uint64_t chain_id_;
  BebopConfig config_;
  Hash32 domain_separator_;
  MakerSocket pricing_, quote_, trades_;
  boost::asio::steady_timer pricing_timer_, pricing_hold_timer_;
  std::chrono::steady_clock::time_point last_pricing_sent_{};
  std::string held_pricing_;
  uint64_t next_nonce_;
  BebopStats stats_;
  chain::WalletWatcher* wallet_ = nullptr;
  aq::chain::FundsSource funds_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq::bebop
