#pragma once
// A stand-in for Hashflow's maker WebSocket (wss://maker-ws.hashflow.com/v3): authenticates
// the handshake (marketmaker + authorization headers; 401 otherwise), keeps the latest
// priceLevels of each pair and checks their shape, sends rfqT and trade messages in the
// documented JSON, and checks each rfqTQuote as Hashflow's contracts and QA tool would: the
// provided amount echoed, the EIP-191 signature over the packed fields recovering to the
// maker's signer, and the firm amount's bias against the streamed levels. Runs its own loop.
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/standins/ws_listener.hpp"
#include "aqueduct/testing/loop_thread.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::standins {

struct HashflowLevel {
  double q = 0, p = 0;  // statistics only: the QA tool's bias check
};
struct HashflowPairLevels {
  std::vector<HashflowLevel> buy, sell;
  std::string problem;  // empty when the shape is right
};

struct HashflowRfq {
  std::string rfq_id;  // 0x + 64 hex
  uint64_t nonce = 1;
  eth::Address base_token, quote_token, trader, effective_trader;
  std::optional<std::string> base_amount, quote_amount;
  int fees_bps = 0;
  uint64_t chain_id = 1;
  unsigned base_decimals = 18, quote_decimals = 18;  // for the bias check in human units
};

struct HashflowQuoteCheck {
  bool received = false;
  std::string problem;  // empty when the quote passes every check
  std::string base_amount, quote_amount;
  uint64_t quote_expiry = 0;
  // Firm vs the streamed levels when the base amount was given (the QA tool's measure):
  // positive when the firm quote pays the trader more than the levels promised.
  std::optional<double> bias_bps;
  std::string raw;  // the rfqTQuote frame as received (for a trader to settle on-chain)
  bool ok() const { return received && problem.empty(); }
};

class HashflowServer {
 public:
  HashflowServer(std::string maker_name, std::string auth_key, eth::Address signer,
                 eth::Address pool);
  ~HashflowServer();
  uint16_t port() const { return port_; }
  int connections() const;
  int rejected_handshakes() const;
  void drop_connections();  // as a server restart would
  // The latest levels for base/quote, waiting up to `timeout_ms` for a publication.
  std::optional<HashflowPairLevels> levels(const eth::Address& base, const eth::Address& quote,
                                           int timeout_ms);
  int levels_messages() const;
  // Sends rfqT and waits for the matching rfqTQuote (or reports none within the timeout).
  HashflowQuoteCheck rfq(const HashflowRfq& r, int timeout_ms);
  // The rfqT frame for `r` (to send as it is, or altered, with rfq_raw).
  static std::string rfq_frame(const HashflowRfq& r);
  // Sends any frame to the maker; true if an rfqTQuote for `rfq_id` came back in time.
  bool rfq_raw(const std::string& rfq_id, std::string frame, int timeout_ms);
  // Sends a trade and waits for its tradeAck; true when acknowledged.
  bool trade(const std::string& trade_event_id, const std::string& rfq_id,
             const std::string& base_amount, const std::string& quote_amount, bool confirmed,
             int timeout_ms);

 private:
  void on_frame(std::string_view frame);
  void send_all(std::string text);

  std::string maker_name_, auth_;
  eth::Address signer_, pool_;
  testing::LoopThread loop_;
  std::unique_ptr<WsListener> ws_;
  uint16_t port_ = 0;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<net::WsSession>> sessions_;
  int rejected_ = 0;
  int levels_messages_ = 0;
  std::map<std::string, HashflowPairLevels> levels_;  // "base/quote"
  std::map<std::string, std::string> quotes_;         // rfqId -> raw rfqTQuote message
  std::map<std::string, bool> acks_;                  // tradeEventId
};

}  // namespace aq::standins
