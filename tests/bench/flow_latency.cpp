// Quote -> fill -> hedge latency of the whole network in one process (inproc bus), against the
// venue simulator over loopback and a real PostgreSQL (AQUEDUCT_DATABASE_URL; a scratch
// database is created and dropped). A taker on this thread does N sequential round trips:
//   quote:  POST /v1/quote until its reply (bus round trip to the pricer, quote recorded)
//   accept: POST /v1/accept until its reply (fill committed in PostgreSQL)
//   hedge:  accept reply -> execution report seen on the bus (hedge order recorded, signed
//           IOC over HTTP to the simulator, matched, execution recorded)
// Usage: bench_flow_latency [trades=200]
#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/bus/bus.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/testing/bus_tap.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {
struct Stats {
  std::vector<int64_t> ns;
  void print(const char* name) {
    std::sort(ns.begin(), ns.end());
    auto at = [&](double q) { return static_cast<double>(ns[static_cast<size_t>(q * static_cast<double>(ns.size() - 1))]) / 1e3; };
    std::printf("%-8s n=%zu  p50 %8.1f us  p90 %8.1f us  p99 %8.1f us  max %8.1f us\n", name, ns.size(),
                at(0.5), at(0.9), at(0.99), static_cast<double>(ns.back()) / 1e3);
  }
};
}  // namespace

int main(int argc, char** argv) {
  int trades = argc > 1 ? std::atoi(argv[1]) : 200;
  testing::TestDatabase db;
  auto key = testing::add_native_client(db.url(), "bench");
  setenv("AQ_TEST_BINANCE_KEY", "bench-key", 1);
  setenv("AQ_TEST_BINANCE_SECRET", "bench-secret", 1);
  zmq::context_t zmq;
  app::Network net(app::parse_config(testing::network_config_json()), app::parse_components("all"), zmq, db.url());
  net.start();

  std::map<std::string, int64_t> exec_at;  // hedge id -> mono ns when its report was seen
  testing::BusTap tap(zmq, net.config().endpoints.router_pub, bus::topic::kExecution,
                      [&](std::string_view, const bus::Envelope& e, int64_t at) {
                        if (e.has_execution()) exec_at[e.execution().hedge_id()] = at;
                      });
  auto& m = tap.mutex;

  testing::NativeClient client{net.rfq_port(), key};
  testing::wait_until([&] {
    return client.post("/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.01"})").status == 200;
  }, 10s);
  Stats quote, accept, hedge;
  for (int i = 0; i < trades; ++i) {
    std::string body = std::string(R"({"listing":"BTC-USDT","side":")") + (i % 2 ? "buy" : "sell") + R"(","qty":"0.01"})";
    int64_t t0 = mono_now_ns();
    auto q = client.post("/v1/quote", body);
    int64_t t1 = mono_now_ns();
    if (q.status != 200) {
      std::fprintf(stderr, "quote failed: %d %s\n", q.status, q.body.c_str());
      return 1;
    }
    size_t before;
    {
      std::lock_guard l(m);
      before = exec_at.size();
    }
    auto id = std::string(json::parse(q.body).as_object()["quote_id"].as_string());
    auto a = client.post("/v1/accept", R"({"quote_id":")" + id + R"("})");
    int64_t t2 = mono_now_ns();
    if (a.status != 200) {
      std::fprintf(stderr, "accept failed: %d %s\n", a.status, a.body.c_str());
      return 1;
    }
    if (!testing::wait_until([&] { std::lock_guard l(m); return exec_at.size() > before; }, 5s)) {
      std::fprintf(stderr, "no execution for trade %d\n", i);
      return 1;
    }
    int64_t t3;
    {
      std::lock_guard l(m);
      t3 = 0;
      for (auto& [_, t] : exec_at) t3 = std::max(t3, t);
    }
    if (i >= 5) {  // the first trades warm connections and prepared statements
      quote.ns.push_back(t1 - t0);
      accept.ns.push_back(t2 - t1);
      hedge.ns.push_back(t3 - t2);
    }
  }
  quote.print("quote");
  accept.print("accept");
  hedge.print("hedge");
  tap.stop();
  net.stop();
  return 0;
}
