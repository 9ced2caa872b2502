// Fill -> first hedge order at the venue (issue 6, deliverable 9; target p99 <= 200 us).
//
// In one process on inproc endpoints: the venue simulator (Binance spot over loopback HTTP),
// connectors (its books) on their own event loops, and hedging with the router on one loop
// (as the network runs them when both are in one process), with a real PostgreSQL
// (AQUEDUCT_DATABASE_URL; a scratch database is created and dropped). This program plays
// rfq: each fill is committed in PostgreSQL as rfq commits it, then published on the fill
// topic. Stamped per fill (monotonic clock):
//   t0    just before the fill is published (after its commit, as rfq publishes);
//   t_in  hedging's fill handler starts;
//   t_out the first hedge order's request has been handed to the venue connection: signed
//         and written to the socket (asio writes at once on an idle open connection);
//   t1    the simulator has read that request off its socket (before it authenticates or
//         matches it).
// t_out - t_in is hedging's own path: positions, the hedge intent, the venue plan, the risk
// check, the router's desk, signing the Binance request, the write. t0 -> t_in is the bus hop
// from rfq; t_out -> t1 is loopback TCP and the simulator's wake-up.
// Fills alternate sides (0.01 BTC) so exposure stays near flat; one fill at a time, each after
// the previous hedge has settled, within the venue's order rate limit.
// Usage: bench_hedge_latency [fills=1000] [warm_interval_us=1000] [hedging_cpu=-1]
// [busy_poll=0]  (about 0.1 s per fill: the venue's order rate limit; warm_interval_us 0 runs
// without the warm path, see HedgingOptions::warm_interval; hedging_cpu >= 0 keeps that CPU
// for the hedging loop and runs every other thread of the process, this one included, on the
// others: hedging.cpu; busy_poll 1 has that loop poll without sleeping: hedging.busy_poll)
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aqueduct/app/network.hpp"
#include "aqueduct/bus/bus.hpp"
#include "aqueduct/hedging/hedging_service.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/sim/binance_sim.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/types/convert.hpp"

using namespace aq;
using namespace std::chrono_literals;

namespace {

void print(const char* what, std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double p) {
    return v.empty() ? 0.0
                     : static_cast<double>(
                           v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))]) /
                           1e3;
  };
  std::printf(
      "%s: n=%zu\n  p50 %7.1f us  p90 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  max %7.1f us\n", what,
      v.size(), at(0.5), at(0.9), at(0.99), at(0.999), at(1.0));
}

// The floor under any path between event loops on this machine: one ZMQ inproc message to a
// thread asleep in a blocking receive, stamped on arrival (the fill path crosses two such
// thread boundaries: rfq -> hedging+router -> venue).
std::vector<int64_t> thread_hop(zmq::context_t& zmq, int n) {
  zmq::socket_t tx(zmq, zmq::socket_type::pair), rx(zmq, zmq::socket_type::pair);
  rx.bind("inproc://hop");
  tx.connect("inproc://hop");
  std::vector<int64_t> arrived(static_cast<size_t>(n));
  std::thread t([&] {
    for (int i = 0; i < n; ++i) {
      zmq::message_t m;
      (void)rx.recv(m);
      arrived[static_cast<size_t>(i)] = mono_now_ns();
    }
  });
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_for(2ms);  // the receiver is asleep, as a quiet loop is
    int64_t t0 = mono_now_ns();
    tx.send(zmq::buffer(&t0, sizeof t0));
    std::this_thread::sleep_for(1ms);
    out.push_back(arrived[static_cast<size_t>(i)] - t0);
  }
  t.join();
  return out;
}

// The floor under "written to the venue socket" here: one 450-byte send() over loopback TCP
// to a thread asleep in recv(), timed around the call. On loopback the sender's call also
// delivers the bytes and wakes the reader (another CPU: an inter-processor interrupt, costly
// on a virtual machine); to a remote venue the call ends when the NIC has the bytes.
std::vector<int64_t> loopback_send(int n, std::chrono::milliseconds gap) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  std::vector<int64_t> out;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::listen(listener, 1) != 0)
    return out;
  int tx = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(tx, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return out;
  int rx = ::accept(listener, nullptr, nullptr);
  int one = 1;
  ::setsockopt(tx, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::thread reader([rx] {
    char buf[4096];
    while (::recv(rx, buf, sizeof buf, 0) > 0) {
    }
  });
  char msg[450];
  std::fill(std::begin(msg), std::end(msg), 'x');
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_for(gap);  // the reader is asleep, as the venue's loop is
    int64_t t0 = mono_now_ns();
    if (::send(tx, msg, sizeof msg, 0) != static_cast<ssize_t>(sizeof msg)) break;
    out.push_back(mono_now_ns() - t0);
  }
  ::shutdown(tx, SHUT_RDWR);
  reader.join();
  ::close(tx);
  ::close(rx);
  ::close(listener);
  return out;
}

// The floor this machine puts under any path on `cpu`: a thread pinned there reads the clock
// in a loop for `span`, and every gap between two reads over 20 us is time the CPU was taken
// from it (an interrupt, or the hypervisor running something else). A path of length L is hit
// by a gap of at least X with probability about (gaps >= X per second) * L.
void cpu_stalls(int cpu, std::chrono::seconds span) {
  std::thread([cpu, span] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(static_cast<size_t>(cpu), &one);
    if (::sched_setaffinity(0, sizeof one, &one) != 0) return;
    const int64_t bounds[] = {20'000, 50'000, 100'000, 1'000'000};
    int64_t over[4] = {0, 0, 0, 0}, lost = 0;
    int64_t last = mono_now_ns(), end = last + std::chrono::nanoseconds(span).count();
    while (last < end) {
      int64_t t = mono_now_ns(), gap = t - last;
      last = t;
      if (gap < bounds[0]) continue;
      lost += gap;
      for (size_t i = 0; i < 4; ++i)
        if (gap >= bounds[i]) ++over[i];
    }
    auto per_s = [&](int64_t c) {
      return static_cast<double>(c) / static_cast<double>(span.count());
    };
    std::printf(
        "reference: a thread spinning on CPU %d for %lld s, network stopped: gaps >= 20 us %.0f/s, "
        ">= 50 us %.0f/s, >= 100 us %.1f/s, >= 1 ms %.1f/s; %.1f%% of the time lost\n",
        cpu, static_cast<long long>(span.count()), per_s(over[0]), per_s(over[1]), per_s(over[2]),
        per_s(over[3]),
        100.0 * static_cast<double>(lost) /
            static_cast<double>(std::chrono::nanoseconds(span).count()));
  }).join();
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  int warm_us = argc > 2 ? std::atoi(argv[2]) : 1000;
  int hedging_cpu = argc > 3 ? std::atoi(argv[3]) : -1;
  bool busy_poll = argc > 4 && std::atoi(argv[4]) != 0;
  std::printf("hedging.warm_interval_us = %d, hedging.cpu = %d, hedging.busy_poll = %s\n", warm_us,
              hedging_cpu, busy_poll ? "true" : "false");
  const int warmup = 20;
  testing::TestDatabase db;
  testing::add_native_client(db.url(), "bench");
  setenv("AQ_TEST_BINANCE_KEY", "bench-key", 1);
  setenv("AQ_TEST_BINANCE_SECRET", "bench-secret", 1);
  zmq::context_t zmq;
  auto config = app::parse_config(testing::network_config_json());
  config.hedging.warm_interval = std::chrono::microseconds(warm_us);
  config.hedging_cpu = hedging_cpu;
  config.hedging_busy_poll = busy_poll && hedging_cpu >= 0;
  app::Network net(config, app::parse_components("sim,connectors,hedging,router"), zmq, db.url());
  bus::Publisher fills(zmq, config.endpoints.rfq_pub, "rfq");  // this program plays rfq
  net.start();

  std::atomic<int64_t> seen_ns{0}, in_ns{0}, out_ns{0};
  net.run_on(app::Component::Hedging, [&] {
    net.hedging()->set_fast_path_observer([&](const std::string&, int64_t in, int64_t out) {
      int64_t none = 0;
      if (out_ns.compare_exchange_strong(none, out)) in_ns = in;
    });
  });
  std::mutex seen_mutex;
  std::condition_variable seen_cv;
  net.run_on(app::Component::Simulator, [&] {
    net.simulator()->set_order_observer([&](std::string_view) {
      int64_t none = 0;
      if (seen_ns.compare_exchange_strong(none, mono_now_ns())) {
        std::lock_guard l(seen_mutex);
        seen_cv.notify_one();
      }
    });
  });
  rfq::RfqStore store(record::connect(db.url()));
  const Listing& btc = *net.config().universe.listing("BTC-USDT");
  std::vector<int64_t> samples, own, to_wire;
  int sent = 0, missed = 0;
  std::this_thread::sleep_for(1500ms);  // books live, subscriptions joined
  for (int i = 0; i < n + warmup; ++i) {
    rfq::IssuedQuote q;
    q.quote_id = "q_bench_" + std::to_string(i);
    q.client_id = "bench";
    q.listing = "BTC-USDT";
    q.side = i % 2 ? Side::Buy : Side::Sell;
    q.price = 3000000;  // 30000.00
    q.qty = 1000;       // 0.01 BTC
    q.created_ns = wall_now_ns();
    q.expiry_ns = q.created_ns + 1'000'000'000;
    std::string fill_id = "f_bench_" + std::to_string(i);
    store.record_fill(
        {fill_id, q, q.qty, q.created_ns, "", rfq::Settlement::Native, 0, std::nullopt},
        rfq::make_quote_row(q, btc, "{}"), btc);
    bus::Envelope env;
    auto* f = env.mutable_fill();
    f->set_fill_id(fill_id);
    f->set_quote_id(q.quote_id);
    f->set_client_id(q.client_id);
    f->set_listing(q.listing);
    f->set_base(btc.base);
    f->set_quote_asset(btc.quote);
    f->set_taker_side(to_proto(q.side));
    to_proto(Decimal{q.price, btc.price_scale}, f->mutable_price());
    to_proto(Decimal{q.qty, btc.qty_scale}, f->mutable_qty());
    f->set_filled_ts_ns(wall_now_ns());
    seen_ns = 0;
    out_ns = 0;
    int64_t t0 = mono_now_ns();
    fills.publish(bus::topic::kFill, env);
    ++sent;
    // Waited for without polling (a polling thread would take the CPU the path needs); the
    // time measured is the simulator's own stamp.
    {
      std::unique_lock l(seen_mutex);
      seen_cv.wait_for(l, 2s, [&] { return seen_ns.load() != 0; });
    }
    if (seen_ns.load() == 0) {
      ++missed;  // no market yet, or the hedge was held back: reported, not measured
      continue;
    }
    if (i >= warmup) {
      samples.push_back(seen_ns.load() - t0);
      if (out_ns.load() != 0) {
        own.push_back(out_ns.load() - in_ns.load());
        to_wire.push_back(out_ns.load() - t0);
      }
    }
    // Binance allows 100 orders per 10 s per account, and the router keeps to it (an order
    // over the limit is refused, not sent): one fill every 105 ms stays inside it, and lets
    // each hedge settle (report, record) so the next fill starts on an idle network.
    std::this_thread::sleep_until(
        std::chrono::steady_clock::time_point(std::chrono::nanoseconds(t0)) + 105ms);
  }
  std::printf("%d fills, %d without an order in 2 s (not measured)\n", sent, missed);
  print("fill at hedging -> first hedge order written to the venue socket", own);
  print("fill published -> first hedge order written to the venue socket", to_wire);
  print("fill published -> first hedge order read by the venue", samples);
  // The same send while the network runs, after a short and after a long idle spell: what
  // a cold kernel send path costs on this machine.
  print("reference: one loopback TCP send() 2 ms after the last, network running",
        loopback_send(300, 2ms));
  print("reference: one loopback TCP send() 100 ms after the last, network running",
        loopback_send(100, 100ms));
  net.stop();
  print("reference: one inproc message to a sleeping thread", thread_hop(zmq, 1000));
  print("reference: one loopback TCP send() to a sleeping reader", loopback_send(1000, 2ms));
  if (hedging_cpu >= 0) cpu_stalls(hedging_cpu, 10s);
  return 0;
}
