#pragma once
// The bus: topics carrying Protobuf envelopes over ZeroMQ.
//  - Publisher (PUB, binds): stamps each envelope's header (origin, per-topic seq, time).
//  - Subscriber (SUB, connects): delivers envelopes by topic prefix and counts sequence gaps.
//  - RpcServer (ROUTER, binds) / RpcClient (DEALER, connects): request and reply.
// Off the process (tcp://, ipc://) each socket is secured by its context's BusSecurity.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <zmq.hpp>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/bus/endpoints.hpp"
#include "aqueduct/bus/socket_watcher.hpp"
#include "aqueduct/msg/envelope.pb.h"

namespace aq::bus {

using Envelope = aqueduct::msg::Envelope;

class Publisher {
 public:
  Publisher(zmq::context_t& ctx, const std::string& endpoint, std::string origin,
            Clock clock = wall_clock());
  // Fills env's header and sends it on `topic`. Never blocks: a subscriber that falls past the
  // high-water mark loses messages and sees the gap in the sequence numbers.
  void publish(std::string_view topic, Envelope& env);
  const std::string& endpoint() const { return endpoint_; }
  // Where it listens, with a port ZeroMQ chose ("tcp://127.0.0.1:*") filled in.
  std::string bound_endpoint() const;

 private:
  zmq::socket_t socket_;
  std::string endpoint_;
  std::string origin_;
  Clock clock_;
  std::map<std::string, uint64_t, std::less<>> seq_;
};

class Subscriber {
 public:
  using Handler = std::function<void(std::string_view topic, const Envelope& env)>;

  Subscriber(boost::asio::io_context& io, zmq::context_t& ctx, Handler handler);
  void connect(const std::string& endpoint);
  void subscribe(const std::string& prefix);
  void start() { watcher_.start(); }
  // Handles the messages waiting now (see SocketWatcher::poll).
  void poll() { watcher_.poll(); }
  uint64_t gaps() const { return gaps_; }
  uint64_t received() const { return received_; }

 private:
  void on_frames(std::vector<zmq::message_t>& frames);

  const zmq::context_t& ctx_;  // whose bus key (BusSecurity) a connection uses
  zmq::socket_t socket_;
  SocketWatcher watcher_;
  Handler handler_;
  std::map<std::pair<std::string, std::string>, uint64_t> last_seq_;
  uint64_t gaps_ = 0;
  uint64_t received_ = 0;
};

class RpcServer {
 public:
  // `reply` may be called once, now or later, from the loop thread.
  using Reply = std::function<void(Envelope& response)>;
  using Handler = std::function<void(const Envelope& request, Reply reply)>;

  RpcServer(boost::asio::io_context& io, zmq::context_t& ctx, const std::string& endpoint,
            std::string origin, Handler handler, Clock clock = wall_clock());
  void start() { watcher_.start(); }
  // Where it listens, with a port ZeroMQ chose filled in.
  std::string bound_endpoint() const;

 private:
  void on_frames(std::vector<zmq::message_t>& frames);

  zmq::socket_t socket_;
  SocketWatcher watcher_;
  std::string origin_;
  Handler handler_;
  Clock clock_;
  uint64_t seq_ = 0;
};

class RpcClient {
 public:
  using Handler = std::function<void(const Envelope& response)>;

  RpcClient(boost::asio::io_context& io, zmq::context_t& ctx, const std::string& endpoint,
            std::string origin, Handler handler, Clock clock = wall_clock());
  void start() { watcher_.start(); }
  // Returns false if the request could not be queued (no server connected and queue full).
  bool send(Envelope& request);

 private:
  void on_frames(std::vector<zmq::message_t>& frames);

  zmq::socket_t socket_;
  SocketWatcher watcher_;
  std::string origin_;
  Handler handler_;
  Clock clock_;
  uint64_t seq_ = 0;
};

}  // namespace aq::bus
