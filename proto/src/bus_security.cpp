#include "aqueduct/bus/bus_security.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace aq::bus {

namespace {

constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";  // fixed by ZeroMQ (RFC 27)
constexpr const char* kZapDomain = "aqueduct";
constexpr size_t kZ85KeyLength = 40;

// The keys installed per context (by its handle).
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<const void*, std::shared_ptr<const CurveKey>>& registry() {
  static std::map<const void*, std::shared_ptr<const CurveKey>> r;
  return r;
}
const void* handle_of(const zmq::context_t& ctx) {
  return static_cast<const void*>(ctx);
}

bool is_tcp(const std::string& ep) {
  return ep.rfind("tcp://", 0) == 0;
}
bool leaves_process(const std::string& ep) {
  return is_tcp(ep) || ep.rfind("ipc://", 0) == 0;
}

std::string unsecured(const std::string& endpoint) {
  return "bus: " + endpoint +
         " would carry orders and operator commands with no authentication: a tcp:// bus "
         "needs the deployment's CURVE key (bus.curve_secret_env names the environment variable "
         "that holds its secret; 'aqueduct bus-key' makes one), or use inproc:// or ipc://";
}

// The key a socket to `endpoint` uses: none inside the process, or on ipc without a key (the
// directory's permissions guard it); a tcp endpoint without a key is refused.
std::shared_ptr<const CurveKey> key_for_endpoint(const zmq::context_t& ctx,
                                                 const std::string& endpoint) {
  if (!leaves_process(endpoint)) return nullptr;
  auto key = BusSecurity::key_for(ctx);
  if (!key && is_tcp(endpoint)) throw std::runtime_error(unsecured(endpoint));
  return key;
}
}  // namespace

CurveKey new_curve_key() {
  std::array<char, kZ85KeyLength + 1> pub{}, sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0)
    throw std::runtime_error("bus: this ZeroMQ cannot make CURVE keys (built without CURVE)");
  return {pub.data(), sec.data()};
}

CurveKey curve_key_from_secret(const std::string& secret_z85) {
  if (secret_z85.size() != kZ85KeyLength)
    throw std::invalid_argument("the bus's CURVE secret key must be 40 characters of Z85 (it has " +
                                std::to_string(secret_z85.size()) +
                                "); make one with 'aqueduct bus-key'");
  std::array<uint8_t, 32> raw{};
  if (!zmq_z85_decode(raw.data(), secret_z85.c_str()))
    throw std::invalid_argument(
        "the bus's CURVE secret key is not Z85 text (a character outside Z85's alphabet); make "
        "one with 'aqueduct bus-key'");
  std::array<char, kZ85KeyLength + 1> pub{};
  if (zmq_curve_public(pub.data(), secret_z85.c_str()) != 0)
    throw std::runtime_error("bus: this ZeroMQ cannot derive CURVE keys (built without CURVE)");
  return {pub.data(), secret_z85};
}

BusSecurity::BusSecurity(zmq::context_t& ctx, CurveKey key)
    : ctx_(ctx),
      key_(std::make_shared<const CurveKey>(std::move(key))),
      handler_(ctx, zmq::socket_type::rep) {
  if (!zmq_has("curve")) throw std::runtime_error("bus: this ZeroMQ was built without CURVE");
  public_binary_.resize(32);
  if (key_->public_key.size() != kZ85KeyLength ||
      !zmq_z85_decode(reinterpret_cast<uint8_t*>(public_binary_.data()), key_->public_key.c_str()))
    throw std::invalid_argument("bus: the CURVE public key must be 40 characters of Z85");
  {
    std::lock_guard l(registry_mutex());
    if (!registry().emplace(handle_of(ctx), key_).second)
      throw std::logic_error("bus: this ZeroMQ context already has a CURVE key installed");
  }
  try {
    handler_.set(zmq::sockopt::linger, 0);
    handler_.bind(kZapEndpoint);
  } catch (...) {
    std::lock_guard l(registry_mutex());
    registry().erase(handle_of(ctx));
    throw;
  }
  thread_ = std::thread([this] { serve(); });
}

BusSecurity::~BusSecurity() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  handler_.close();
  std::lock_guard l(registry_mutex());
  registry().erase(handle_of(ctx_));
}

std::shared_ptr<const CurveKey> BusSecurity::key_for(const zmq::context_t& ctx) {
  std::lock_guard l(registry_mutex());
  auto it = registry().find(handle_of(ctx));
  return it == registry().end() ? nullptr : it->second;
}

// ZAP (RFC 27): a request is [version, request id, domain, address, routing id, mechanism,
// credentials...]; the reply is [version, request id, status code, status text, user id,
// metadata]. For CURVE the one credential is the peer's 32-byte public key.
void BusSecurity::serve() {
  while (!stop_) {
    zmq::pollitem_t item{handler_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(100)) <= 0) continue;
    std::vector<zmq::message_t> frames;
    while (true) {
      zmq::message_t m;
      if (!handler_.recv(m, zmq::recv_flags::dontwait)) break;
      bool more = m.more();
      frames.push_back(std::move(m));
      if (!more) break;
    }
    auto text = [&](size_t i) { return i < frames.size() ? frames[i].to_string() : std::string(); };
    bool ok = frames.size() >= 7 && text(0) == "1.0" && text(2) == kZapDomain &&
              text(5) == "CURVE" && frames[6].size() == 32 &&
              std::memcmp(frames[6].data(), public_binary_.data(), 32) == 0;
    if (ok) {
      ++admitted_;
    } else {
      ++refused_;
      spdlog::warn("bus: refused a {} connection from {}: {}", text(5).empty() ? "bus" : text(5),
                   text(3).empty() ? "an unknown address" : text(3),
                   text(5) == "CURVE" ? "its key is not this deployment's bus key"
                                      : "not a CURVE handshake in the aqueduct domain");
    }
    const std::string status = ok ? "200" : "400";
    const std::string why = ok ? "OK" : "not this deployment's bus key";
    handler_.send(zmq::buffer(std::string("1.0")), zmq::send_flags::sndmore);
    handler_.send(zmq::buffer(text(1)), zmq::send_flags::sndmore);
    handler_.send(zmq::buffer(status), zmq::send_flags::sndmore);
    handler_.send(zmq::buffer(why), zmq::send_flags::sndmore);
    handler_.send(zmq::buffer(std::string(ok ? "bus" : "")), zmq::send_flags::sndmore);
    handler_.send(zmq::message_t(), zmq::send_flags::none);
  }
}

void secure_bound(zmq::socket_t& socket, const zmq::context_t& ctx, const std::string& endpoint) {
  auto key = key_for_endpoint(ctx, endpoint);
  if (!key) return;
  socket.set(zmq::sockopt::curve_server, true);
  socket.set(zmq::sockopt::curve_secretkey, key->secret_key);
  socket.set(zmq::sockopt::zap_domain, kZapDomain);
}

void secure_connecting(zmq::socket_t& socket, const zmq::context_t& ctx,
                       const std::string& endpoint) {
  auto key = key_for_endpoint(ctx, endpoint);
  if (!key) return;
  // One deployment, one key: the server's public key is ours.
  socket.set(zmq::sockopt::curve_serverkey, key->public_key);
  socket.set(zmq::sockopt::curve_publickey, key->public_key);
  socket.set(zmq::sockopt::curve_secretkey, key->secret_key);
}

}  // namespace aq::bus
