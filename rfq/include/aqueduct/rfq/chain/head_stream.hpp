#pragma once
// A node's pushed heads and logs over WebSocket (eth_subscribe "newHeads" and "logs" for our
// settlement contracts), resubscribed on every reconnection. A link that stays quiet past
// `idle_ms` is dropped and reconnected: a half-open socket is never trusted. What a
// subscription misses while down is the watcher's to backfill with eth_getLogs.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "aqueduct/chain/rpc_codec.hpp"
#include "aqueduct/rfq/chain/eth_rpc.hpp"
#include "aqueduct/rfq/maker_socket.hpp"

namespace aq::rfq::chain {

class HeadStream {
 public:
  struct Handlers {
    std::function<void(const aq::chain::BlockHeader&)> head;
    std::function<void(const aq::chain::Log&)> log;
    std::function<void(bool up, const std::string& why)> state;
  };
  // `log_filter`: the eth_subscribe "logs" filter object ({address, topics}).
  HeadStream(boost::asio::io_context& io, const NodeEndpoint& ws, boost::json::object log_filter,
             int64_t idle_ms, Handlers handlers);
  ~HeadStream();
  void start();
  void stop();
  bool up() const { return up_; }
  uint64_t malformed() const { return malformed_; }

 private:
  void on_open();
  void on_frame(std::string_view text);
  void arm_idle();
  void set_up(bool up, const std::string& why);

  boost::json::object log_filter_;
  int64_t idle_ms_;
  Handlers h_;
  MakerSocket socket_;
  boost::asio::steady_timer idle_;
  std::string heads_sub_, logs_sub_;
  bool up_ = false;
  uint64_t malformed_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq::chain
