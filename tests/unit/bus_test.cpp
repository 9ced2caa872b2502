#include <doctest/doctest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/testing/run_until.hpp"
#include "aqueduct/testing/temp_dir.hpp"

using namespace aq;
using namespace std::chrono_literals;
using testing::run_until;

namespace {

bus::Envelope fill_env(const std::string& id) {
  bus::Envelope e;
  e.mutable_fill()->set_fill_id(id);
  return e;
}
}  // namespace

TEST_CASE("publish and subscribe by topic prefix, in order, with stamped headers") {
  for (std::string transport : {"inproc", "ipc"}) {
    CAPTURE(transport);
    zmq::context_t ctx;
    boost::asio::io_context io;
    testing::TempDir dir("aq-bus-test");
    std::string ep = transport == "inproc" ? "inproc://t1" : "ipc://" + dir.file("bus");
    bus::Publisher pub(ctx, ep, "tester");
    std::vector<std::pair<uint64_t, std::string>> got;
    bus::Subscriber sub(io, ctx, [&](std::string_view topic, const bus::Envelope& e) {
      CHECK(topic.substr(0, 4) == "fill");
      CHECK(e.header().origin() == "tester");
      CHECK(e.header().origin_ts_ns() > 0);
      got.emplace_back(e.header().seq(), e.fill().fill_id());
    });
    sub.connect(ep);
    sub.subscribe("fill");
    sub.start();
    // Subscriptions propagate asynchronously: publish probes until one arrives.
    size_t probes = 0;
    REQUIRE(run_until(io, [&] {
      if (got.empty()) {
        bus::Envelope probe = fill_env("probe");
        pub.publish("fill", probe);
        ++probes;
      }
      return !got.empty();
    }));
    // Probes sent before the subscription took effect are lost; the rest arrive in order.
    REQUIRE(run_until(io, [&] { return got.back().first == probes; }));
    size_t start = got.size();
    uint64_t base_seq = got.back().first;
    for (int i = 0; i < 100; ++i) {
      auto e = fill_env("f" + std::to_string(i));
      pub.publish("fill", e);
      auto other = fill_env("x");
      pub.publish("hedge.order", other);  // not subscribed: never delivered
    }
    REQUIRE(run_until(io, [&] { return got.size() == start + 100; }));
    for (size_t i = 0; i < 100; ++i) {
      CHECK(got[start + i].first == base_seq + 1 + i);
      CHECK(got[start + i].second == "f" + std::to_string(i));
    }
    CHECK(sub.gaps() == 0);
  }
}

TEST_CASE("a subscriber counts sequence gaps") {
  zmq::context_t ctx;
  boost::asio::io_context io;
  zmq::socket_t raw(ctx, zmq::socket_type::pub);
  raw.bind("inproc://gaps");
  int n = 0;
  bus::Subscriber sub(io, ctx, [&](std::string_view, const bus::Envelope&) { ++n; });
  sub.connect("inproc://gaps");
  sub.subscribe("");
  sub.start();
  auto send = [&](uint64_t seq) {
    bus::Envelope e = fill_env("x");
    e.mutable_header()->set_origin("o");
    e.mutable_header()->set_seq(seq);
    std::string bytes = e.SerializeAsString();
    raw.send(zmq::buffer(std::string("fill")), zmq::send_flags::sndmore);
    raw.send(zmq::buffer(bytes));
  };
  REQUIRE(run_until(io, [&] {
    if (n == 0) send(1);
    return n > 0;
  }));
  uint64_t first = static_cast<uint64_t>(n);
  send(first + 1);
  send(first + 3);  // first + 2 lost
  send(first + 4);
  REQUIRE(run_until(io, [&] { return n == static_cast<int>(first) + 3; }));
  CHECK(sub.gaps() == 1);
}

TEST_CASE("request and reply over ROUTER/DEALER, including replies sent later") {
  zmq::context_t ctx;
  boost::asio::io_context io;
  std::vector<bus::RpcServer::Reply> deferred;
  bus::RpcServer server(
      io, ctx, "inproc://rpc", "server",
      [&](const bus::Envelope& req, bus::RpcServer::Reply reply) {
        bus::Envelope resp;
        resp.mutable_quote_response()->set_request_id(req.quote_request().request_id());
        if (req.quote_request().request_id() % 2 == 0) {
          reply(resp);
        } else {
          deferred.push_back([reply, resp](bus::Envelope&) mutable { reply(resp); });
        }
      });
  std::vector<uint64_t> answers;
  bus::RpcClient client(io, ctx, "inproc://rpc", "client", [&](const bus::Envelope& e) {
    answers.push_back(e.quote_response().request_id());
  });
  server.start();
  client.start();
  for (uint64_t id = 1; id <= 50; ++id) {
    bus::Envelope e;
    e.mutable_quote_request()->set_request_id(id);
    REQUIRE(client.send(e));
  }
  REQUIRE(run_until(io, [&] { return answers.size() == 25 && deferred.size() == 25; }));
  for (auto& d : deferred) {
    bus::Envelope unused;
    d(unused);
  }
  REQUIRE(run_until(io, [&] { return answers.size() == 50; }));
  std::sort(answers.begin(), answers.end());
  CHECK(answers.front() == 1);
  CHECK(answers.back() == 50);
}

TEST_CASE("a burst from another thread is delivered completely (no lost wake-ups)") {
  zmq::context_t ctx;
  boost::asio::io_context io;
  bus::Publisher pub(ctx, "inproc://burst", "burster");
  uint64_t n = 0;
  bus::Subscriber sub(io, ctx, [&](std::string_view t, const bus::Envelope&) {
    if (t == "data") ++n;
  });
  sub.connect("inproc://burst");
  sub.subscribe("");
  sub.start();
  std::atomic<bool> ready{false};
  uint64_t probes = 0;
  bus::Subscriber probe_sub(io, ctx, [&](std::string_view t, const bus::Envelope&) {
    if (t == "probe") ready = true;
  });
  probe_sub.connect("inproc://burst");
  probe_sub.subscribe("probe");
  probe_sub.start();
  // The publisher lives on this thread until subscriptions are up, then moves to a worker.
  REQUIRE(run_until(io, [&] {
    if (!ready) {
      auto e = fill_env("p");
      pub.publish("probe", e);
      ++probes;
    }
    return ready.load();
  }));
  constexpr uint64_t kCount = 20'000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kCount; ++i) {
      auto e = fill_env("d");
      pub.publish("data", e);
      if (i % 1000 == 0) std::this_thread::sleep_for(1ms);
    }
  });
  bool all = run_until(
      io, [&] { return n == kCount; }, 20'000ms);
  producer.join();
  CHECK(all);
  CHECK(sub.gaps() == 0);
  CHECK(probes >= 1);
}

TEST_CASE("poll: an urgent subscriber is served from within a busy one's run, once, in order") {
  zmq::context_t ctx;
  boost::asio::io_context io;
  bus::Publisher market_pub(ctx, "inproc://poll-market", "connectors");
  bus::Publisher fill_pub(ctx, "inproc://poll-fills", "rfq");
  std::vector<std::string> order;  // what was handled, in order
  int depth = 0, max_depth = 0;
  bus::Subscriber* fills_ptr = nullptr;
  bus::Subscriber fills(io, ctx, [&](std::string_view, const bus::Envelope& e) {
    ++depth;
    max_depth = std::max(max_depth, depth);
    fills_ptr->poll();  // from its own handler: does nothing (no recursion)
    order.push_back(e.fill().fill_id());
    --depth;
  });
  fills_ptr = &fills;
  bus::Subscriber market(io, ctx, [&](std::string_view, const bus::Envelope& e) {
    fills.poll();  // fills waiting go first
    order.push_back(e.fill().fill_id());
    if (e.fill().fill_id() == "m10") {  // a fill arrives in the middle of the run
      auto f = fill_env("fill-1");
      fill_pub.publish("fill", f);
    }
  });
  fills.connect("inproc://poll-fills");
  fills.subscribe("fill");
  market.connect("inproc://poll-market");
  market.subscribe("md.");
  fills.start();
  market.start();
  // Both subscriptions live (probes until each delivers).
  REQUIRE(run_until(io, [&] {
    auto f = fill_env("probe-f");
    fill_pub.publish("fill", f);
    auto m = fill_env("probe-m");
    market_pub.publish("md.book", m);
    bool both = std::count(order.begin(), order.end(), "probe-f") > 0 &&
                std::count(order.begin(), order.end(), "probe-m") > 0;
    return both;
  }));
  run_until(
      io, [] { return false; }, 50ms);  // late probes drained
  order.clear();
  // A run of market data is queued; a fill arrives while the 11th is handled.
  for (int i = 0; i < 50; ++i) {
    auto m = fill_env("m" + std::to_string(i));
    market_pub.publish("md.book", m);
  }
  REQUIRE(run_until(io, [&] { return order.size() == 51; }));
  auto at = std::find(order.begin(), order.end(), "fill-1") - order.begin();
  // Handled before the next market message, not after the rest of the run.
  CHECK(at == 11);
  CHECK(std::count(order.begin(), order.end(), "fill-1") == 1);
  for (int i = 1; i < 50; ++i) {  // market data keeps its own order
    auto a = std::find(order.begin(), order.end(), "m" + std::to_string(i - 1));
    auto b = std::find(order.begin(), order.end(), "m" + std::to_string(i));
    CHECK(a < b);
  }
  CHECK(max_depth == 1);
}
