// Takers' throughput (issue 5, deliverable 10): the network serves the 0x maker API in this
// process (simulator, connectors, pricer, quote desk with its PostgreSQL record) and wrk, a
// second process, loads it over loopback: indicative GET /price for one size again and again
// (answered from the desk's indicative cache, as 0x's polling of a few sizes is), then for a
// new size on every request (a pricer round trip each), then signed GET /quote.
// Prints wrk's requests/s and latency percentiles for each. Needs AQUEDUCT_DATABASE_URL
// (ops/bench provides one) and wrk on the PATH.
// Usage: bench_takers [seconds per run=10] [connections=32]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/rfq/quote_desk.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;

namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  return out;
}

// The figures from wrk's report: "Requests/sec:" and the --latency distribution.
void report(const char* what, const std::string& wrk) {
  auto grab = [&](const std::string& key) {
    auto at = wrk.find(key);
    if (at == std::string::npos) return std::string("?");
    at += key.size();
    while (at < wrk.size() && wrk[at] == ' ') ++at;
    auto end = wrk.find_first_of(" \n", at);
    return wrk.substr(at, end - at);
  };
  std::printf(
      "%-34s %10s req/s   p50 %8s  p90 %8s  p99 %8s   non-2xx: %s\n", what,
      grab("Requests/sec:").c_str(), grab("50%").c_str(), grab("90%").c_str(), grab("99%").c_str(),
      wrk.find("Non-2xx") == std::string::npos ? "0" : grab("Non-2xx or 3xx responses:").c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  int connections = argc > 2 ? std::atoi(argv[2]) : 32;
  testing::set_takers_test_credentials("bench");
  ::setenv("AQ_TEST_ZEROEX_KEYS", "bench", 1);
  testing::TestDatabase db;
  auto config = app::parse_config(testing::network_config_with_takers(
      R"("zeroex": {"listen": "127.0.0.1", "port": 0, "exchange_proxy": "0xDef1C0ded9bec7F1a1670819833240f027b25EfF",
                    "api_key_env": "AQ_TEST_ZEROEX_KEYS", "expiry_s": 60})",
      "0"));
  config.rfq_rate_limit_per_s = 1'000'000;
  zmq::context_t zmq;
  app::Network net(std::move(config), app::parse_components("sim,connectors,pricer,rfq"), zmq,
                   db.url());
  net.start();
  uint16_t port = net.rfq()->zeroex_port();
  std::string query =
      "sellTokenAddress=0x2260fac5e5542a773aa44fbcfedf7c193bc2c599&buyTokenAddress="
      "0xdac17f958d2ee523a2206206994597c13d831ec7"
      "&takerAddress=0x0000000000000000000000000000000000000000&txOrigin="
      "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
      "&protocolVersion=4&sellAmountBaseUnits=";
  std::string size = "10000000";  // 0.1 WBTC
  if (!testing::wait_until(
          [&] {
            return testing::http_call(port, "GET", "/price?" + query + size, "", {{"0x-api-key", "bench"}})
                       .status == 200;
          },
          15'000ms)) {
    std::fprintf(stderr, "bench_takers: the books did not come live\n");
    return 1;
  }
  std::string base = "wrk -t1 -c" + std::to_string(connections) + " -d" + std::to_string(seconds) +
                     "s --latency -H '0x-api-key: bench' 'http://127.0.0.1:" + std::to_string(port);
  std::printf(
      "wrk: 1 thread, %d connections, %d s each; server: this process (all components but "
      "hedging)\n",
      connections, seconds);
  // A new size every request: 0.1 WBTC plus n x 0.00001 (the listing's size step).
  std::string script = "/tmp/aq_bench_takers_sizes.lua";
  std::ofstream(script) << "n = 0\nrequest = function()\n  n = n + 1\n"
                        << "  return wrk.format(nil, \"/price?" << query
                        << "\" .. (10000000 + n * 1000))\nend\n";
  auto hits_before = net.rfq()->desk().indicative_cache_hits();
  report("indicative GET /price, one size", run(base + "/price?" + query + size + "'"));
  auto hits_same = net.rfq()->desk().indicative_cache_hits() - hits_before;
  report("indicative GET /price, new sizes", run(base + "/' -s " + script));
  auto hits_new = net.rfq()->desk().indicative_cache_hits() - hits_before - hits_same;
  report("signed GET /quote (0x v4, EIP-712)", run(base + "/quote?" + query + size + "'"));
  std::printf("indicative answers from the cache: %llu in the one-size run, %llu in the new-sizes run\n",
              static_cast<unsigned long long>(hits_same), static_cast<unsigned long long>(hits_new));
  std::remove(script.c_str());
  net.stop();
  return 0;
}
