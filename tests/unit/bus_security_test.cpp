// The bus off the process: CURVE with the deployment's one key over real tcp:// and ipc://
// sockets. Two ZeroMQ contexts stand in for two processes.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/bus/bus_security.hpp"
#include "aqueduct/testing/run_until.hpp"
#include "aqueduct/testing/temp_dir.hpp"

using namespace aq;
using namespace std::chrono_literals;
using testing::run_until;

namespace {

bus::Envelope control(const std::string& actor) {
  bus::Envelope e;
  e.mutable_hedging_control()->set_actor(actor);
  return e;
}

// An operator's request from `client_ctx` to a server in `server_ctx` on `ep`; whether the
// server's handler saw it and the reply came back within `limit`.
struct Exchange {
  int handled = 0;
  bool replied = false;
};
Exchange ask(zmq::context_t& server_ctx, zmq::context_t& client_ctx, const std::string& ep,
             std::chrono::milliseconds limit) {
  boost::asio::io_context io;
  Exchange x;
  bus::RpcServer server(
      io, server_ctx, ep, "hedging", [&](const bus::Envelope& req, bus::RpcServer::Reply reply) {
        ++x.handled;
        bus::Envelope r;
        r.mutable_hedging_control_reply()->set_detail(req.hedging_control().actor());
        reply(r);
      });
  server.start();
  std::string at = server.bound_endpoint();
  bus::RpcClient client(io, client_ctx, at, "operator", [&](const bus::Envelope& r) {
    x.replied = r.hedging_control_reply().detail() == "ops";
  });
  client.start();
  auto req = control("ops");
  client.send(req);
  run_until(
      io, [&] { return x.replied; }, limit);
  return x;
}

}  // namespace

TEST_CASE("bus key: a secret's public half, and secrets that are refused without being quoted") {
  auto k = bus::new_curve_key();
  CHECK(k.public_key.size() == 40);
  CHECK(k.secret_key.size() == 40);
  CHECK(bus::curve_key_from_secret(k.secret_key).public_key == k.public_key);
  CHECK(bus::curve_key_from_secret(bus::new_curve_key().secret_key).public_key != k.public_key);
  CHECK_THROWS_WITH(bus::curve_key_from_secret("short"),
                    doctest::Contains("must be 40 characters of Z85 (it has 5)"));
  std::string bad = k.secret_key;
  bad[7] = '"';  // not in Z85's alphabet
  try {
    bus::curve_key_from_secret(bad);
    FAIL("a secret outside Z85's alphabet was taken");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("not Z85 text") != std::string::npos);
    CHECK(std::string(e.what()).find(bad) == std::string::npos);
  }
}

TEST_CASE(
    "bus over tcp: the same deployment key talks; another key, or none, never reaches the "
    "handler") {
  auto key = bus::new_curve_key();
  zmq::context_t server_ctx, same_ctx, other_ctx, bare_ctx;
  bus::BusSecurity server_sec(server_ctx, key);
  bus::BusSecurity same_sec(same_ctx, key);
  bus::BusSecurity other_sec(other_ctx, bus::new_curve_key());

  auto same = ask(server_ctx, same_ctx, "tcp://127.0.0.1:*", 5000ms);
  CHECK(same.handled == 1);
  CHECK(same.replied);
  CHECK(server_sec.admitted() >= 1);  // the handshake went through our ZAP handler
  CHECK(server_sec.refused() == 0);

  // Another deployment's key: it takes our server for another (its server key is its own), so
  // the handshake cannot complete and nothing reaches the handler.
  auto other = ask(server_ctx, other_ctx, "tcp://127.0.0.1:*", 700ms);
  CHECK(other.handled == 0);
  CHECK_FALSE(other.replied);

  // A peer that knows our public key (public keys are not secret) but holds its own pair:
  // the CURVE handshake completes, and the ZAP handler refuses it.
  {
    boost::asio::io_context io;
    int handled = 0;
    bus::RpcServer server(io, server_ctx, "tcp://127.0.0.1:*", "hedging",
                          [&](const bus::Envelope&, bus::RpcServer::Reply) { ++handled; });
    server.start();
    auto own = bus::new_curve_key();
    zmq::socket_t raw(bare_ctx, zmq::socket_type::dealer);
    raw.set(zmq::sockopt::linger, 0);
    raw.set(zmq::sockopt::curve_serverkey, key.public_key);
    raw.set(zmq::sockopt::curve_publickey, own.public_key);
    raw.set(zmq::sockopt::curve_secretkey, own.secret_key);
    raw.connect(server.bound_endpoint());
    std::string bytes = control("impostor").SerializeAsString();
    (void)raw.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    run_until(
        io, [&] { return server_sec.refused() > 0 && handled > 0; }, 700ms);
    CHECK(server_sec.refused() >= 1);
    CHECK(handled == 0);
  }

  // A plain ZeroMQ peer with no CURVE at all, as an attacker's script would be.
  {
    boost::asio::io_context io;
    int handled = 0;
    bus::RpcServer server(io, server_ctx, "tcp://127.0.0.1:*", "hedging",
                          [&](const bus::Envelope&, bus::RpcServer::Reply) { ++handled; });
    server.start();
    zmq::socket_t raw(bare_ctx, zmq::socket_type::dealer);
    raw.set(zmq::sockopt::linger, 0);
    raw.connect(server.bound_endpoint());
    auto req = control("intruder");
    std::string bytes = req.SerializeAsString();
    (void)raw.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    run_until(
        io, [&] { return handled > 0; }, 700ms);
    CHECK(handled == 0);
  }

  // Our own side refuses to open a tcp:// bus socket without the key, naming what to set.
  CHECK_THROWS_WITH(bus::Publisher(bare_ctx, "tcp://127.0.0.1:*", "rfq"),
                    doctest::Contains("bus.curve_secret_env"));
  boost::asio::io_context io;
  CHECK_THROWS_WITH(
      bus::RpcClient(io, bare_ctx, "tcp://127.0.0.1:1", "operator", [](const bus::Envelope&) {}),
      doctest::Contains("no authentication"));
}

TEST_CASE(
    "bus over tcp and ipc with the key: published messages arrive, for a subscriber with the key "
    "only") {
  auto key = bus::new_curve_key();
  zmq::context_t pub_ctx, sub_ctx, other_ctx;
  bus::BusSecurity pub_sec(pub_ctx, key);
  bus::BusSecurity sub_sec(sub_ctx, key);
  bus::BusSecurity other_sec(other_ctx, bus::new_curve_key());
  testing::TempDir dir("aq-bus-curve");
  for (std::string ep : {std::string("tcp://127.0.0.1:*"), "ipc://" + dir.file("bus")}) {
    CAPTURE(ep);
    bus::Publisher pub(pub_ctx, ep, "rfq");
    boost::asio::io_context io;
    int ours = 0, theirs = 0;
    bus::Subscriber sub(io, sub_ctx, [&](std::string_view, const bus::Envelope&) { ++ours; });
    bus::Subscriber spy(io, other_ctx, [&](std::string_view, const bus::Envelope&) { ++theirs; });
    for (auto* s : {&sub, &spy}) {
      s->connect(pub.bound_endpoint());
      s->subscribe("fill");
      s->start();
    }
    REQUIRE(run_until(
        io,
        [&] {
          bus::Envelope e;
          e.mutable_fill()->set_fill_id("f1");
          pub.publish("fill", e);
          return ours > 0;
        },
        5000ms));
    // Keep publishing a while: the spy, with another key, never gets one.
    run_until(
        io,
        [&] {
          bus::Envelope e;
          e.mutable_fill()->set_fill_id("f2");
          pub.publish("fill", e);
          return false;
        },
        300ms);
    CHECK(ours > 1);
    CHECK(theirs == 0);
  }
  CHECK(pub_sec.admitted() >= 2);  // tcp and ipc, each through the ZAP handler
  // One key per context.
  CHECK_THROWS_WITH(bus::BusSecurity(pub_ctx, key), doctest::Contains("already has a CURVE key"));
}
