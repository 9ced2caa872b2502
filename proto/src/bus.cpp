#include "aqueduct/bus/bus.hpp"

#include <spdlog/spdlog.h>

#include "aqueduct/bus/endpoints.hpp"

namespace aq::bus {

namespace {

constexpr int kHighWaterMark = 1'000'000;

zmq::message_t to_message(const Envelope& env) {
  zmq::message_t msg(env.ByteSizeLong());
  env.SerializeToArray(msg.data(), static_cast<int>(msg.size()));
  return msg;
}

bool from_message(const zmq::message_t& msg, Envelope& env) {
  return env.ParseFromArray(msg.data(), static_cast<int>(msg.size()));
}

}  // namespace

Endpoints Endpoints::ipc_in(const std::string& dir) {
  Endpoints e;
  e.connectors_pub = "ipc://" + dir + "/connectors.pub";
  e.pricer_rpc = "ipc://" + dir + "/pricer.rpc";
  e.rfq_pub = "ipc://" + dir + "/rfq.pub";
  e.hedging_pub = "ipc://" + dir + "/hedging.pub";
  e.router_pub = "ipc://" + dir + "/router.pub";
  return e;
}

// ---------------------------------------------------------------------------------------------
Publisher::Publisher(zmq::context_t& ctx, const std::string& endpoint, std::string origin,
                     Clock clock)
    : socket_(ctx, zmq::socket_type::pub),
      endpoint_(endpoint),
      origin_(std::move(origin)),
      clock_(std::move(clock)) {
  socket_.set(zmq::sockopt::sndhwm, kHighWaterMark);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind(endpoint);
}

void Publisher::publish(std::string_view topic, Envelope& env) {
  auto it = seq_.find(topic);
  if (it == seq_.end()) it = seq_.emplace(std::string(topic), 0).first;
  auto* h = env.mutable_header();
  h->set_origin(origin_);
  h->set_seq(++it->second);
  if (h->origin_ts_ns() == 0) h->set_origin_ts_ns(clock_());
  socket_.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  socket_.send(to_message(env), zmq::send_flags::dontwait);
}

// ---------------------------------------------------------------------------------------------
Subscriber::Subscriber(boost::asio::io_context& io, zmq::context_t& ctx, Handler handler)
    : socket_(ctx, zmq::socket_type::sub),
      watcher_(io, socket_, [this](std::vector<zmq::message_t>& f) { on_frames(f); }),
      handler_(std::move(handler)) {
  socket_.set(zmq::sockopt::rcvhwm, kHighWaterMark);
  socket_.set(zmq::sockopt::linger, 0);
}

void Subscriber::connect(const std::string& endpoint) { socket_.connect(endpoint); }
void Subscriber::subscribe(const std::string& prefix) {
  socket_.set(zmq::sockopt::subscribe, prefix);
}

void Subscriber::on_frames(std::vector<zmq::message_t>& frames) {
  if (frames.size() != 2) {
    spdlog::warn("bus: dropped a message with {} frames (expected topic + envelope)",
                 frames.size());
    return;
  }
  std::string_view topic(static_cast<const char*>(frames[0].data()), frames[0].size());
  Envelope env;
  if (!from_message(frames[1], env)) {
    spdlog::warn("bus: dropped an unparsable envelope on topic '{}'", topic);
    return;
  }
  ++received_;
  auto key = std::make_pair(env.header().origin(), std::string(topic));
  auto& last = last_seq_[key];
  uint64_t seq = env.header().seq();
  if (last != 0 && seq != last + 1) {
    if (seq > last + 1) {
      ++gaps_;
      spdlog::error("bus: gap on topic '{}' from '{}': expected seq {}, got {} ({} lost)", topic,
                    key.first, last + 1, seq, seq - last - 1);
    } else {
      spdlog::warn("bus: '{}' restarted its sequence on topic '{}' ({} after {})", key.first,
                   topic, seq, last);
    }
  }
  last = seq;
  handler_(topic, env);
}

// ---------------------------------------------------------------------------------------------
RpcServer::RpcServer(boost::asio::io_context& io, zmq::context_t& ctx, const std::string& endpoint,
                     std::string origin, Handler handler, Clock clock)
    : socket_(ctx, zmq::socket_type::router),
      watcher_(io, socket_, [this](std::vector<zmq::message_t>& f) { on_frames(f); }),
      origin_(std::move(origin)),
      handler_(std::move(handler)),
      clock_(std::move(clock)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::sndhwm, kHighWaterMark);
  socket_.set(zmq::sockopt::rcvhwm, kHighWaterMark);
  socket_.bind(endpoint);
}

void RpcServer::on_frames(std::vector<zmq::message_t>& frames) {
  // ROUTER frames: [peer identity][envelope] (DEALER sends no empty delimiter).
  if (frames.size() != 2) {
    spdlog::warn("bus rpc: dropped a request with {} frames", frames.size());
    return;
  }
  Envelope req;
  if (!from_message(frames[1], req)) {
    spdlog::warn("bus rpc: dropped an unparsable request");
    return;
  }
  auto identity = std::make_shared<std::string>(static_cast<const char*>(frames[0].data()),
                                                frames[0].size());
  handler_(req, [this, identity](Envelope& resp) {
    auto* h = resp.mutable_header();
    h->set_origin(origin_);
    h->set_seq(++seq_);
    h->set_origin_ts_ns(clock_());
    socket_.send(zmq::buffer(*identity), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    socket_.send(to_message(resp), zmq::send_flags::dontwait);
    watcher_.after_send();
  });
}

// ---------------------------------------------------------------------------------------------
RpcClient::RpcClient(boost::asio::io_context& io, zmq::context_t& ctx, const std::string& endpoint,
                     std::string origin, Handler handler, Clock clock)
    : socket_(ctx, zmq::socket_type::dealer),
      watcher_(io, socket_, [this](std::vector<zmq::message_t>& f) { on_frames(f); }),
      origin_(std::move(origin)),
      handler_(std::move(handler)),
      clock_(std::move(clock)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::sndhwm, kHighWaterMark);
  socket_.connect(endpoint);
}

bool RpcClient::send(Envelope& request) {
  auto* h = request.mutable_header();
  h->set_origin(origin_);
  h->set_seq(++seq_);
  h->set_origin_ts_ns(clock_());
  auto sent = socket_.send(to_message(request), zmq::send_flags::dontwait);
  watcher_.after_send();
  return sent.has_value();
}

void RpcClient::on_frames(std::vector<zmq::message_t>& frames) {
  if (frames.size() != 1) {
    spdlog::warn("bus rpc: dropped a reply with {} frames", frames.size());
    return;
  }
  Envelope resp;
  if (!from_message(frames[0], resp)) {
    spdlog::warn("bus rpc: dropped an unparsable reply");
    return;
  }
  handler_(resp);
}

}  // namespace aq::bus
