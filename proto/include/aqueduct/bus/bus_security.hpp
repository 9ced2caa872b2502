#pragma once
// Who may talk on the bus when it leaves the process. The bus carries hedge orders into the
// router and operator commands into the pricer and hedging: over tcp:// (another host) or
// ipc:// (another process) it must not take a connection from whoever can reach the port.
//
// One deployment shares one CURVE key pair (ZeroMQ's CurveZMQ: Curve25519 key exchange, every
// message encrypted and authenticated). With BusSecurity installed on a ZeroMQ context, every
// socket of that context bound or connected on tcp:// or ipc:// uses that pair, and the
// context's ZAP handler lets a peer in only if it proves the same public key, i.e. holds the
// secret. A bus socket on tcp:// of a context without it is refused when it binds or
// connects; inproc:// (one process) never uses it. ipc:// without a key is left to the socket
// file's permissions (its directory should be the service user's alone).
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <zmq.hpp>

namespace aq::bus {

// A CURVE key pair in Z85 text (40 characters each).
struct CurveKey {
  std::string public_key;
  std::string secret_key;
};

// A fresh key pair from the system's randomness.
CurveKey new_curve_key();

// The pair of a Z85 secret key. Throws std::invalid_argument saying what is wrong with it (its
// length, or a character outside Z85's alphabet) without quoting it.
CurveKey curve_key_from_secret(const std::string& secret_z85);

class BusSecurity {
 public:
  // Installs `key` on `ctx` and starts its ZAP handler (a thread answering the context's
  // authentication requests). One per context; throws if `ctx` has one already, or if this
  // build of ZeroMQ has no CURVE.
  BusSecurity(zmq::context_t& ctx, CurveKey key);
  // Uninstalls and stops the handler. Destroy it after the context's sockets are closed and
  // before the context: without a handler, ZeroMQ would let a CURVE peer in unchecked.
  ~BusSecurity();
  BusSecurity(const BusSecurity&) = delete;
  BusSecurity& operator=(const BusSecurity&) = delete;

  // The key installed on `ctx`, or null.
  static std::shared_ptr<const CurveKey> key_for(const zmq::context_t& ctx);
  // Handshakes the handler let in (the deployment's key) and refused (a peer that knows the
  // public key but holds another pair).
  uint64_t admitted() const { return admitted_; }
  uint64_t refused() const { return refused_; }

 private:
  void serve();

  zmq::context_t& ctx_;
  std::shared_ptr<const CurveKey> key_;
  std::string public_binary_;  // 32 bytes, as ZAP presents a peer's key
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> admitted_{0};
  std::atomic<uint64_t> refused_{0};
  zmq::socket_t handler_;
  std::thread thread_;
};

// How a bus socket on `endpoint` is secured: a bound one (PUB, ROUTER) as the CURVE server, a
// connecting one (SUB, DEALER) as a client. Called before bind or connect. Throws naming the
// endpoint and what to set when it is tcp:// and the context has no key.
void secure_bound(zmq::socket_t& socket, const zmq::context_t& ctx, const std::string& endpoint);
void secure_connecting(zmq::socket_t& socket, const zmq::context_t& ctx,
                       const std::string& endpoint);

}  // namespace aq::bus
