#include "aqueduct/bus/bus.hpp"

#include <spdlog/spdlog.h>

#include "aqueduct/bus/bus_security.hpp"
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

void stamp(Envelope& env, const std::string& origin, uint64_t seq, Nanos now) {
  auto* h = env.mutable_header();
  h->set_origin(origin);
  h->set_seq(seq);
  h->set_origin_ts_ns(now);
}

// Reads the last frame of a message as an envelope, or says why it was dropped.
bool read_envelope(std::vector<zmq::message_t>& frames, size_t expected_frames, const char* what,
                   Envelope& env) {
  if (frames.size() != expected_frames) {
    spdlog::warn("bus: dropped a {} with {} frames (expected {})", what, frames.size(), expected_frames);
    return false;
  }
  if (!from_message(frames.back(), env)) {
    spdlog::warn("bus: dropped an unparsable {}", what);
    return false;
  }
  return true;
}

}  // namespace

std::string Endpoints::names() {
  std::string out;
  for (const auto& [name, _] : Endpoints{}.named())
    out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

Endpoints Endpoints::ipc_in(const std::string& dir) {
  // Each socket's file is its config name with the last '_' a '.': connectors.pub, ...
  Endpoints e;
  for (auto& [name, ep] : e.named()) {
    std::string file(name);
    file[file.rfind('_')] = '.';
    *ep = "ipc://" + dir + "/" + file;
  }
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
  secure_bound(socket_, ctx, endpoint);
  socket_.bind(endpoint);
}

std::string Publisher::bound_endpoint() const {
  return socket_.get(zmq::sockopt::last_endpoint);
}

void Publisher::publish(std::string_view topic, Envelope& env) {
  auto it = seq_.find(topic);
  if (it == seq_.end()) it = seq_.emplace(std::string(topic), 0).first;
  auto ts = env.header().origin_ts_ns();
  stamp(env, origin_, ++it->second, ts != 0 ? ts : clock_());
  socket_.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  socket_.send(to_message(env), zmq::send_flags::dontwait);
}

// ---------------------------------------------------------------------------------------------
Subscriber::Subscriber(boost::asio::io_context& io, zmq::context_t& ctx, Handler handler)
    : ctx_(ctx),
      socket_(ctx, zmq::socket_type::sub),
      watcher_(io, socket_, [this](std::vector<zmq::message_t>& f) { on_frames(f); }),
      handler_(std::move(handler)) {
  socket_.set(zmq::sockopt::rcvhwm, kHighWaterMark);
  socket_.set(zmq::sockopt::linger, 0);
}

void Subscriber::connect(const std::string& endpoint) {
  secure_connecting(socket_, ctx_, endpoint);
  socket_.connect(endpoint);
}
void Subscriber::subscribe(const std::string& prefix) {
  socket_.set(zmq::sockopt::subscribe, prefix);
}

void Subscriber::on_frames(std::vector<zmq::message_t>& frames) {
  Envelope env;
  if (!read_envelope(frames, 2, "message", env)) return;
  std::string_view topic(static_cast<const char*>(frames[0].data()), frames[0].size());
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
  secure_bound(socket_, ctx, endpoint);
  socket_.bind(endpoint);
}

std::string RpcServer::bound_endpoint() const {
  return socket_.get(zmq::sockopt::last_endpoint);
}

void RpcServer::on_frames(std::vector<zmq::message_t>& frames) {
  // ROUTER frames: [peer identity][envelope] (DEALER sends no empty delimiter).
  Envelope req;
  if (!read_envelope(frames, 2, "request", req)) return;
  auto identity = std::make_shared<std::string>(static_cast<const char*>(frames[0].data()),
                                                frames[0].size());
  handler_(req, [this, identity](Envelope& resp) {
    stamp(resp, origin_, ++seq_, clock_());
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
  secure_connecting(socket_, ctx, endpoint);
  socket_.connect(endpoint);
}

bool RpcClient::send(Envelope& request) {
  stamp(request, origin_, ++seq_, clock_());
  auto sent = socket_.send(to_message(request), zmq::send_flags::dontwait);
  watcher_.after_send();
  return sent.has_value();
}

void RpcClient::on_frames(std::vector<zmq::message_t>& frames) {
  Envelope resp;
  if (!read_envelope(frames, 1, "reply", resp)) return;
  handler_(resp);
}

}  // namespace aq::bus
