// On-chain settlement latency: a 0x RFQ-T order filled on the real Exchange Proxy in a local
// anvil (a block a second) becomes a fill only when its event is seen. Measured per fill:
//   seen -> durable:  the event reaches the settlement watcher -> its fill is committed in
//                     PostgreSQL (and published to hedging);
//   durable -> hedge: -> the first hedge order for that fill is handed to the router;
//   seen -> hedge:    the two together.
// The whole network in one process (inproc bus, venue simulator, real PostgreSQL from
// AQUEDUCT_DATABASE_URL); the takers' transactions are sent by tests/chain/take.mjs, one at a
// time (node's start-up, ~1 s each, is outside every measured span).
// Usage: bench_settlement [orders=40]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/bus/bus.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/standins/zeroex_taker.hpp"
#include "aqueduct/hedging/hedging_service.hpp"
#include "aqueduct/testing/chain_network.hpp"
#include "aqueduct/testing/local_chain.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;

namespace {

void print(const char* name, std::vector<int64_t> ns) {
  if (ns.empty()) {
    std::printf("%-16s no samples\n", name);
    return;
  }
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) {
    return static_cast<double>(ns[static_cast<size_t>(q * static_cast<double>(ns.size() - 1))]) / 1e3;
  };
  std::printf("%-16s n=%zu  p50 %9.1f us  p90 %9.1f us  p99 %9.1f us  max %9.1f us\n", name,
              ns.size(), at(0.5), at(0.9), at(0.99), static_cast<double>(ns.back()) / 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  int orders = argc > 1 ? std::atoi(argv[1]) : 40;
  testing::LocalChain chain;
  testing::TestDatabase db;
  testing::ChainEnv env(chain, "bench-settlement");
  zmq::context_t zmq;
  app::Network net(app::parse_config(testing::chain_network_config(chain)),
                   app::parse_components("all"), zmq, db.url());
  net.start();
  auto* rfq = net.rfq();

  // fill id -> when its first hedge order was handed to the router (wall ns, the watcher's
  // clock), told by hedging on its own loop.
  std::mutex m;
  std::map<std::string, int64_t> hedge_at;
  net.run_on(app::Component::Hedging, [&] {
    net.hedging()->set_fast_path_observer([&](const std::string& fill, int64_t, int64_t) {
      int64_t now = wall_now_ns();
      std::lock_guard l(m);
      hedge_at.try_emplace(fill, now);
    });
  });

  standins::ZeroExTaker taker({rfq->zeroex_port(), "integrator-a", rfq->maker_address(),
                               chain.chain_id(), *eth::Address::parse(chain.exchange_proxy()), 30});
  auto wbtc = *eth::Address::parse(chain.token("WBTC")), usdt = *eth::Address::parse(chain.token("USDT"));
  int sent = 0;
  for (int i = 0; i < orders; ++i) {
    bool sells = i % 2 == 0;  // alternate, so the position stays near flat
    standins::ZeroExAsk ask{sells ? wbtc : usdt,
                            sells ? usdt : wbtc,
                            sells ? std::optional<std::string>("2000000") : std::nullopt,
                            sells ? std::nullopt : std::optional<std::string>("2000000"),
                            eth::Address{},
                            *eth::Address::parse(chain.taker_address(0))};
    standins::ZeroExQuote q;
    if (!testing::wait_until([&] { return (q = taker.firm(ask, wall_now_ns() / 1'000'000'000)).ok(); },
                             15s)) {
      std::fprintf(stderr, "bench_settlement: no firm quote: %d %s\n", q.status,
                   q.decline_reason.c_str());
      return 1;
    }
    auto t = chain.take_zeroex(q.body, 0);
    if (t.exit != 0) {
      std::fprintf(stderr, "bench_settlement: take.mjs failed: %s\n", t.output.c_str());
      return 1;
    }
    ++sent;
  }
  const auto* watcher = rfq->watcher(chain.chain_id());
  bool all = testing::wait_until(
      [&] {
        std::lock_guard l(m);
        return watcher->stats().fills_recorded >= static_cast<uint64_t>(sent);
      },
      30s);
  // A fill that offsets one still being hedged needs no order of its own: not every fill
  // gets one. Those that do have had their turn by now.
  std::this_thread::sleep_for(2s);
  std::vector<int64_t> seen_durable, durable_hedge, seen_hedge;
  {
    std::lock_guard l(m);
    for (const auto& f : watcher->stats().recent_fills) {
      seen_durable.push_back(f.durable_ns - f.seen_ns);
      auto h = hedge_at.find(f.fill_id);
      if (h == hedge_at.end()) continue;
      durable_hedge.push_back(h->second - f.durable_ns);
      seen_hedge.push_back(h->second - f.seen_ns);
    }
  }
  std::printf("bench_settlement: %d RFQ-T orders filled on-chain, %zu fills recorded from events, "
              "%zu hedged by an order of their own%s\n",
              sent, seen_durable.size(), seen_hedge.size(),
              all ? "" : " (NOT all recorded within 30 s)");
  print("seen->durable", seen_durable);
  print("durable->hedge", durable_hedge);
  print("seen->hedge", seen_hedge);
  net.stop();
  return all ? 0 : 1;
}
