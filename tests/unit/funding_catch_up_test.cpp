// FundingCatchUp: the windows hedging asks each venue's funding history for after a restart,
// and what comes of the answers (hedging/funding_catch_up.hpp).
#include <doctest/doctest.h>

#include "aqueduct/hedging/funding_catch_up.hpp"

using namespace aq;
using hedging::FundingCatchUp;

namespace {
Decimal rate(int64_t ppm) {
  return Decimal{ppm, 6};
}
std::string missed_text(const FundingCatchUp& c) {
  std::string out;
  for (const auto& m : c.missed())
    out += m.instrument + "@" + std::to_string(m.at_ms) + "x" + std::to_string(m.qty) + " ";
  return out;
}
}  // namespace

TEST_CASE("funding catch-up: a window is asked once, its settlements inside it are missed ones") {
  FundingCatchUp c(10'000);
  c.open({"binance_usdm:BTCUSDT", 50, 1001, 9000});
  c.open({"bybit:BTCUSDT", 0, 1001, 9000});       // no position: nothing to ask
  c.open({"okx:BTC-USDT-SWAP", -3, 9001, 9000});  // no time passed
  auto due = c.due(9000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].instrument == "binance_usdm:BTCUSDT");
  CHECK(due[0].from_ms == 1001);
  CHECK(due[0].to_ms == 9000);
  CHECK(c.due(9001).empty());  // waiting for its answer
  // 1000 was booked before the window; 10000 is after it: both ignored.
  auto said = c.on_answer(
      "binance_usdm:BTCUSDT", 1001, 9000,
      {{1000, rate(100)}, {2000, rate(100)}, {4000, rate(-50)}, {10000, rate(1)}}, false, "", 9100);
  CHECK(said.find("2 funding settlements") != std::string::npos);
  CHECK(missed_text(c) == "binance_usdm:BTCUSDT@2000x50 binance_usdm:BTCUSDT@4000x50 ");
  CHECK(c.missed()[1].rate == rate(-50));
  CHECK(c.due(1'000'000).empty());  // answered: not asked again
  CHECK_FALSE(c.idle());
  c.booked("binance_usdm:BTCUSDT", 2000);
  c.booked("binance_usdm:BTCUSDT", 4000);
  CHECK(c.idle());
}

TEST_CASE("funding catch-up: a venue error asks again later; an answer nothing asked for is said") {
  FundingCatchUp c(10'000);
  c.open({"bitmex:XBTUSD", 100, 1, 50'000});
  REQUIRE(c.due(50'000).size() == 1);
  auto said = c.on_answer("bitmex:XBTUSD", 1, 50'000, {}, false, "HTTP 503", 50'000);
  CHECK(said.find("not read (HTTP 503); asking again in 10 s") != std::string::npos);
  CHECK(c.due(59'999).empty());
  CHECK(c.due(60'000).size() == 1);
  said = c.on_answer("bitmex:XBTUSD", 2, 50'000, {}, false, "", 60'000);
  CHECK(said.find("not asked for") != std::string::npos);
  c.on_answer("bitmex:XBTUSD", 1, 50'000, {}, false, "", 60'001);
  CHECK(c.idle());  // nothing settled in it
}

TEST_CASE(
    "funding catch-up: a full page asks for the rest on both sides, whichever end the venue pages "
    "from") {
  // Oldest first (Binance, BitMEX): the rest is after the page.
  FundingCatchUp c;
  c.open({"binance_usdm:BTCUSDT", 7, 1, 100});
  REQUIRE(c.due(0).size() == 1);
  c.on_answer("binance_usdm:BTCUSDT", 1, 100, {{10, rate(1)}, {20, rate(2)}}, true, "", 0);
  auto due = c.due(0);
  REQUIRE(due.size() == 2);
  CHECK(due[0].from_ms == 1);
  CHECK(due[0].to_ms == 9);
  CHECK(due[1].from_ms == 21);
  CHECK(due[1].to_ms == 100);
  c.on_answer("binance_usdm:BTCUSDT", 1, 9, {}, false, "", 0);
  c.on_answer("binance_usdm:BTCUSDT", 21, 100, {{30, rate(3)}, {20, rate(2)}}, false, "", 0);
  CHECK(missed_text(c) ==
        "binance_usdm:BTCUSDT@10x7 binance_usdm:BTCUSDT@20x7 binance_usdm:BTCUSDT@30x7 ");
  CHECK(c.due(0).empty());

  // Newest first (Bybit, OKX): the rest is before the page; a repeat is not missed twice.
  FundingCatchUp n;
  n.open({"okx:BTC-USDT-SWAP", -2, 1, 100});
  REQUIRE(n.due(0).size() == 1);
  n.on_answer("okx:BTC-USDT-SWAP", 1, 100, {{90, rate(1)}, {80, rate(1)}}, true, "", 0);
  due = n.due(0);
  REQUIRE(due.size() == 2);  // the venue's own end of the window is asked too: it is empty
  CHECK(due[0].from_ms == 1);
  CHECK(due[0].to_ms == 79);
  CHECK(due[1].from_ms == 91);
  n.on_answer("okx:BTC-USDT-SWAP", 91, 100, {}, false, "", 0);
  n.on_answer("okx:BTC-USDT-SWAP", 1, 79, {{70, rate(1)}, {80, rate(1)}}, false, "", 0);
  CHECK(missed_text(n) ==
        "okx:BTC-USDT-SWAP@70x-2 okx:BTC-USDT-SWAP@80x-2 okx:BTC-USDT-SWAP@90x-2 ");
}
