#pragma once
// An outbound WebSocket that a market maker keeps open to an aggregator (Hashflow's maker
// socket, Bebop's pricing/quote/trades sockets): authenticated handshake headers, reconnection
// with exponential backoff and full jitter (so a fleet of makers does not reconnect in step),
// and text or binary frames as the venue wants them.
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "aqueduct/net/ws_client.hpp"

namespace aq::rfq {

// A maker API key from the environment; throws naming the variable and `who` needs it.
std::string secret_from_env(const std::string& variable, const std::string& who);

struct MakerSocketOptions {
  std::string name;  // for log lines: "hashflow", "bebop pricing"
  std::string host;
  uint16_t port = 443;
  std::string target;
  bool tls = true;
  std::vector<std::pair<std::string, std::string>> headers;
  bool binary = false;  // send every frame binary
  int64_t reconnect_min_ms = 250;
  int64_t reconnect_max_ms = 30'000;
};

class MakerSocket {
 public:
  using OnMessage = std::function<void(std::string_view)>;
  MakerSocket(boost::asio::io_context& io, MakerSocketOptions options, OnMessage on_message);
  ~MakerSocket();
  void start();
  void stop();
  void send(std::string frame);
  // Called on each (re)connection, before any frame: to subscribe again.
  void set_on_open(std::function<void()> on_open) { on_open_ = std::move(on_open); }
  // Drops the connection (a link that went quiet); it reconnects with the usual backoff.
  void reconnect(const std::string& why);
  bool open() const { return open_; }
  uint64_t connects() const { return connects_; }

 private:
  void connect();
  void schedule_reconnect(const std::string& why);

  boost::asio::io_context& io_;
  MakerSocketOptions options_;
  OnMessage on_message_;
  std::function<void()> on_open_;
  std::shared_ptr<net::WsClient> ws_;
  bool open_ = false;
  bool stopped_ = false;
  uint64_t connects_ = 0;
  int64_t backoff_ms_;
  std::mt19937_64 rng_{std::random_device{}()};
  boost::asio::steady_timer reconnect_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq
