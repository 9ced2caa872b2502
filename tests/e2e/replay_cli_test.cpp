// The replay entry point as a user runs it: `aqueduct replay-binance FILE --symbol SYM`.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sys/wait.h>

#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/sim/sim_book.hpp"
#include "aqueduct/testing/fixtures.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/temp_dir.hpp"

using namespace aq;

namespace {
std::pair<int, std::string> run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}
}  // namespace

TEST_CASE("replay-binance prints the final top of book and the rate") {
  auto inst = testing::btcusdt();
  testing::TempDir dir("aq-replay");
  std::string file = dir.file("depth.jsonl"), config = dir.file("aqueduct.json");
  std::ofstream(config) << testing::network_config_json();
  sim::SimBook book({}, 3);
  book.refresh(3000000);
  book.publish();
  {
    std::ofstream out(file);
    out << binance::format_depth_snapshot({book.last_update_id(), book.published().bids(), book.published().asks()}, inst) << '\n';
    for (int i = 0; i < 200; ++i) {
      book.refresh(3000000 + (i % 7) * 40);
      auto d = book.publish();
      if (d.empty()) continue;
      out << binance::format_depth_update({.event_time_ms = i, .symbol = "BTCUSDT", .first_id = d.first_id, .final_id = d.final_id, .bids = d.bids, .asks = d.asks}, inst) << '\n';
    }
  }
  auto [code, out] = run(std::string(AQ_BINARY) + " replay-binance " + file + " --symbol BTCUSDT --config " + config);
  CAPTURE(out);
  CHECK(code == 0);
  auto bid = *book.published().best_bid();
  auto ask = *book.published().best_ask();
  std::string top = "BTCUSDT at update id " + std::to_string(book.last_update_id()) + ": best bid " +
                    inst.price(bid.price).to_string() + " x " + inst.qty(bid.qty).to_string() + ", best ask " +
                    inst.price(ask.price).to_string() + " x " + inst.qty(ask.qty).to_string();
  CHECK(out.find(top) != std::string::npos);
  CHECK(out.find("msgs/s") != std::string::npos);
  CHECK(out.find("0 gaps") != std::string::npos);

  auto [code2, out2] = run(std::string(AQ_BINARY) + " replay-binance " + file + " --symbol DOGEUSDT --config " + config);
  CHECK(code2 != 0);
  CHECK(out2.find("DOGEUSDT is not a binance instrument") != std::string::npos);
}
