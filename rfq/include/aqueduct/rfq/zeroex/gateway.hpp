#pragma once
// The 0x RFQ maker server (0x's quote-server API), on its own HTTP listener:
//   GET  /price   v4 indicative quote {makerToken, takerToken, makerAmount, takerAmount, expiry}
//   GET  /quote   v4 firm quote {"signedOrder": RfqOrder + chainId, verifyingContract, signature}
//   POST /submit  RFQ-M last look: {proceedWithFill, fee, signedOrderHash, takerTokenFillAmount}
// 204 with no body declines (market conditions, limits, kill switch); 400 {"errors": [...]}
// for a request that breaks the schema; 401 {"errors": ["Invalid API key"]} without a known
// 0x-api-key. Every firm order gets a unique random salt, an expiry far enough ahead for 0x
// (120 s by default), taker and txOrigin exactly as requested, and a signature checked by
// recovery before it leaves.
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>

#include "aqueduct/eth/signer.hpp"
#include "aqueduct/net/http_server.hpp"
#include "aqueduct/rfq/chain/settlement_watcher.hpp"
#include "aqueduct/rfq/chain/wallet_watcher.hpp"
#include "aqueduct/rfq/quote_desk.hpp"
#include "aqueduct/rfq/signing_pool.hpp"
#include "aqueduct/rfq/token_trade.hpp"
#include "aqueduct/rfq/zeroex/last_look.hpp"
#include "aqueduct/rfq/zeroex/orders.hpp"
#include "aqueduct/rfq/zeroex/request.hpp"

namespace aq::rfq::zeroex {

struct ZeroExConfig {
  bool enabled = false;
  net::HttpServerOptions http;
  eth::Address exchange_proxy;                    // the domain's verifyingContract
  std::string api_key_env = "AQ_ZEROEX_API_KEY";  // integrator keys, comma-separated
  std::string client_id = "zeroex";
  std::string tier = "standard";
  int64_t expiry_s = 150;                  // 0x drops orders expiring within its 120 s buffer
  // OTC /sign: the longest an order we sign may live (the taker chose its expiry; what we
  // sign past it we cannot take back while the market moves).
  int64_t sign_max_expiry_s = 600;
  int64_t last_look_tolerance_ppm = 1000;  // /submit declines if the market moved more against us
};

class ZeroExGateway {
 public:
  ZeroExGateway(boost::asio::io_context& io, QuoteDesk& desk, const TokenRegistry& tokens,
                SigningPool& signing, uint64_t chain_id, ZeroExConfig config);
  void start();
  void stop();
  // The chain these orders settle on: firm orders are refused while it cannot be followed,
  // every signed order is expected there, and last-look and OTC fills wait for their event.
  void settle_on(chain::SettlementWatcher* watcher) { settlement_ = watcher; }
  // The maker's wallet: every firm order reserves what it pays out; indicative prices are
  // checked against what is left.
  void pay_from(chain::WalletWatcher* wallet);
  uint16_t port() const { return http_.port(); }

 private:
  struct Issued {  // what /submit needs to know about a firm order
    TokenAsk ask;
    TradeAmounts amounts;
    RfqOrder order;
  };
  void handle(const net::HttpRequest& req, net::HttpServer::Respond respond);
  void price_or_quote(const net::Params& params, bool firm, bool v2,
                      net::HttpServer::Respond respond);
  // RFQm/RFQt v2: an OtcOrder 0x built from our indicative price; we sign it (and it fills)
  // only if it is still within the tolerance of our firm price now.
  void sign(const std::string& body, bool rfqm, net::HttpServer::Respond respond);
  void submit(const std::string& body, net::HttpServer::Respond respond);
  void answer_submit(const std::string& quote_id, const boost::json::value& fee,
                     const UInt256& amount, bool proceed, const std::string& reason,
                     const net::HttpServer::Respond& respond);
  void sweep();
  // A fill recorded before its settlement is Pending while a chain is watched.
  Settlement settles() const { return settlement_ ? Settlement::Pending : Settlement::Native; }

  QuoteDesk& desk_;
  const TokenRegistry& tokens_;
  SigningPool& signing_;
  const eth::Signer& signer_;
  uint64_t chain_id_;
  ZeroExConfig config_;
  Hash32 domain_separator_;
  std::set<std::string> api_key_hashes_;
  std::unordered_map<std::string, Issued> issued_;  // by order hash
  std::deque<std::string> issued_order_;            // the same, in the order issued
  LastLookBook last_looks_;                         // /submit's one answer per order
  std::unordered_map<std::string, std::vector<net::HttpServer::Respond>> waiting_;
  net::HttpServer http_;
  boost::asio::steady_timer sweep_timer_;
  chain::SettlementWatcher* settlement_ = nullptr;
  chain::WalletWatcher* wallet_ = nullptr;
  aq::chain::FundsSource funds_;  // the maker's wallet, pulled by the Exchange Proxy
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq::zeroex
