// hedging.busy_poll end to end: the whole network in one process against the Binance
// simulator, with one CPU kept for the hedging loop and that loop polling without sleeping.
// Fills are hedged exactly as with a sleeping loop; the loop thread really does not sleep
// (its voluntary context switches stay flat while a sleeping loop's climb with every timer);
// and the network still stops.
#include <doctest/doctest.h>

#include <sched.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "aqueduct/app/cpu_isolation.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/network_under_test.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string config_with(int cpu, bool busy_poll) {
  auto v = json::parse(testing::network_config_json());
  auto& h = v.as_object()["hedging"].as_object();
  h["cpu"] = cpu;
  h["busy_poll"] = busy_poll;
  return json::serialize(v);
}

// This process's thread named `name` (pthread_setname_np), or 0.
pid_t thread_named(const std::string& name) {
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(e.path() / "comm");
    std::string line;
    std::getline(comm, line);
    if (line == name) return static_cast<pid_t>(std::stoi(e.path().filename().string()));
  }
  return 0;
}

// How many times thread `tid` has given up its CPU of its own accord (slept).
long voluntary_switches(pid_t tid) {
  std::ifstream status("/proc/self/task/" + std::to_string(tid) + "/status");
  std::string line;
  const std::string key = "voluntary_ctxt_switches:";
  while (std::getline(status, line))
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
  return -1;
}

// The hedging loop's thread, once it has named itself (it does so as it starts).
pid_t hedging_thread() {
  pid_t tid = 0;
  testing::wait_until([&] { return (tid = thread_named("aq-hedging")) != 0; }, 5000ms);
  return tid;
}

// Voluntary switches of the hedging loop over `span` with no fill arriving.
long switches_while_idle(std::chrono::milliseconds span) {
  pid_t tid = hedging_thread();
  REQUIRE(tid != 0);
  long before = voluntary_switches(tid);
  std::this_thread::sleep_for(span);
  return voluntary_switches(tid) - before;
}

}  // namespace

TEST_CASE("hedging.busy_poll: fills hedged once from a loop that never sleeps on its kept CPU") {
  auto cpus = app::allowed_cpus();
  if (cpus.size() < 2) {
    // Keeping a CPU needs another for everything else; the start refuses and says so.
    MESSAGE("this machine lets the test use one CPU only; checking the refusal instead");
    testing::TestDatabase db;
    zmq::context_t zmq;
    app::Network net(app::parse_config(config_with(cpus.at(0), true)), app::parse_components("all"),
                     zmq, db.url());
    CHECK_THROWS_WITH(net.start(), doctest::Contains("is the only one this process may run on"));
    return;
  }
  int kept = cpus.back();
  testing::NetworkUnderTest t(config_with(kept, true), "taker-spin");
  auto& takers = t.takers;
  sim::BinanceSim& sim = *t.net.simulator();

  // Pinned to the kept CPU, and polling: over 300 ms idle, with the warm path's 2 ms timer
  // firing ~150 times, a sleeping loop would block in epoll_wait each time.
  pid_t tid = hedging_thread();
  REQUIRE(tid != 0);
  cpu_set_t on;
  CPU_ZERO(&on);
  REQUIRE(::sched_getaffinity(tid, sizeof on, &on) == 0);
  CHECK(CPU_COUNT(&on) == 1);
  CHECK(CPU_ISSET(static_cast<size_t>(kept), &on));
  CHECK(switches_while_idle(300ms) < 20);

  auto hedged = [&] {
    return std::llabs(t.account(sim, "BTCUSDT").net_qty - takers.taker_net) < 10 &&
           t.db.scalar("SELECT count(*) FROM fill_pnl") == std::to_string(takers.fills);
  };
  for (int i = 0; i < 3; ++i) {
    REQUIRE(takers.fill(i % 2 == 0, 2000 + 1000 * i));
    CHECK(testing::wait_until(hedged, 15'000ms));
  }
  // One order per fill, each filled in full (0.02-0.04 BTC against a deep book), and the
  // simulator's account offsets the takers' net: no fill hedged twice, none left.
  CHECK(t.db.scalar("SELECT count(*) FROM hedge_orders") == "3");
  CHECK(t.db.scalar("SELECT count(*) FROM hedge_orders WHERE status <> 'ORDER_FILLED'") == "0");
  t.net.stop();  // returns: the polling loop sees its io_context stopped
}

TEST_CASE("hedging.busy_poll: without it, the kept CPU's loop sleeps between events") {
  // The contrast that makes the check above mean something: same network, busy_poll off.
  auto cpus = app::allowed_cpus();
  if (cpus.size() < 2) return;  // covered by the refusal in the case above
  testing::NetworkUnderTest t(config_with(cpus.back(), false), "taker-sleep");
  CHECK(switches_while_idle(300ms) >= 50);
}
