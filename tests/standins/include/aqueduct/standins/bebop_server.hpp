#pragma once
// A stand-in for Bebop's PMM maker endpoints for one chain: three WebSocket paths (pricing,
// quote, trades) behind "Authorization: Bearer <key>". It decodes the protobuf pricing stream
// and checks Bebop's rules (binary frames, at most one update per 400 ms, no duplicate or
// non-positive levels, bid < ask, spread under 1000 bps); sends taker_quote requests and
// checks each answer (the given amount echoed, the SingleOrder signature recovering to the
// maker, the firm amount against the streamed levels); sends trade status updates.
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

namespace aq::standins {

struct BebopPairStream {
  std::vector<std::pair<float, float>> bids, asks;  // (price, size), best first
  uint64_t updates = 0;
};

struct BebopAsk {
  std::string quote_id;
  eth::Address taker_token, maker_token, taker_address;
  std::optional<std::string> taker_amount, maker_amount;
  uint64_t expiry = 0;
  std::string fee_usd = "0";
  unsigned taker_decimals = 18, maker_decimals = 18;
  uint64_t chain_id = 1;
};

struct BebopAnswer {
  bool received = false;
  std::string error_type;  // set for an error reply
  std::string error_message;
  std::string raw;  // the reply as received
  std::string problem;     // empty when a quote passes every check
  std::string taker_amount, maker_amount;
  std::optional<double> bias_bps;  // firm vs levels when the taker amount was given
  bool ok() const { return received && error_type.empty() && problem.empty(); }
};

class BebopServer {
 public:
  BebopServer(std::string api_key, eth::Address maker, eth::Address settlement,
              std::string chain_slug = "ethereum");
  ~BebopServer();
  uint16_t port() const { return port_; }
  int connections() const;  // open sockets (3 when the maker is fully connected)
  int rejected_handshakes() const;
  int text_frames() const;  // frames the maker sent as text (Bebop closes on those)
  int rule_violations() const;
  std::vector<std::string> violations() const;
  std::optional<BebopPairStream> stream(const eth::Address& base, const eth::Address& quote,
                                        int timeout_ms);
  BebopAnswer quote(const BebopAsk& a, int timeout_ms);
  // The taker_quote request frame for `a` (to send as it is, or altered, with quote_raw).
  static std::string request_frame(const BebopAsk& a);
  // Sends any frame on the quote socket and reports the answer to `quote_id` without checking
  // it (for malformed requests: received, error_type, error_message).
  BebopAnswer quote_raw(const std::string& quote_id, std::string frame, int timeout_ms);
  void trade(const std::string& quote_id, const std::string& status,
             const std::string& filled_taker, const std::string& filled_maker);

 private:
  void on_pricing(std::string_view frame);
  void on_quote(std::string_view frame);
  void send_to(const std::string& kind, std::string text);
  std::optional<std::string> send_request(const std::string& quote_id, std::string frame,
                                          int timeout_ms);

  std::string auth_, slug_;
  eth::Address maker_, settlement_;
  testing::LoopThread loop_;
  std::unique_ptr<WsListener> ws_;
  uint16_t port_ = 0;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<std::shared_ptr<net::WsSession>>> sessions_;  // by kind
  int rejected_ = 0, text_frames_ = 0;
  std::vector<std::string> violations_;
  int64_t last_update_ms_ = 0;
  std::map<std::string, BebopPairStream> streams_;
  std::map<std::string, std::string> answers_;  // quote_id -> raw reply
};

}  // namespace aq::standins
