// Bebop PMM maker connections against a Bebop-style server (tests/standins), with the whole
// network in one process: the protobuf pricing stream within Bebop's rules, signed
// SingleOrders that agree with it, error types, and settled trades to fills and hedges.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "aqueduct/app/network.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/standins/bebop_server.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;

namespace {
eth::Address addr(const char* s) {
  return *eth::Address::parse(s);
}
const char* kSettlement = "0xbbbbbBB520d69a9775E85b458C58c648259FAD5F";
uint64_t in_s(int64_t s) {
  return static_cast<uint64_t>(wall_now_ns() / 1'000'000'000 + s);
}
}  // namespace

TEST_CASE("Bebop PMM: pricing stream, signed SingleOrders, error types, settled trades") {
  testing::TestDatabase db;
  testing::set_takers_test_credentials("bebop");
  setenv("AQ_TEST_BEBOP_KEY", "0b7e1f0c-bebop-test-key", 1);
  standins::BebopServer bebop("0b7e1f0c-bebop-test-key", addr(testing::kTestMakerAddress),
                              addr(kSettlement));
  auto config = testing::network_config_with_takers(
      R"("bebop": {"host": "127.0.0.1", "port": )" + std::to_string(bebop.port()) +
          R"(, "tls": false, "chain": "ethereum", "auth_env": "AQ_TEST_BEBOP_KEY", "settlement": ")" +
          kSettlement + R"(", "pricing_interval_ms": 400})",
      "3");
  zmq::context_t zmq;
  app::Network net(app::parse_config(config), app::parse_components("all"), zmq, db.url());
  net.start();
  REQUIRE(testing::wait_until([&] { return bebop.connections() == 3; }, 5000ms));
  CHECK(bebop.rejected_handshakes() == 0);

  std::optional<standins::BebopPairStream> s;
  REQUIRE(testing::wait_until(
      [&] {
        s = bebop.stream(addr(testing::kWBTC), addr(testing::kUSDT), 500);
        return s && !s->bids.empty() && !s->asks.empty();
      },
      10'000ms));
  CHECK(s->bids[0].first < s->asks[0].first);

  standins::BebopAsk sell;  // the taker sells 0.5 WBTC for USDT
  sell.quote_id = "121-aaaa0001";
  sell.taker_token = addr(testing::kWBTC);
  sell.maker_token = addr(testing::kUSDT);
  sell.taker_address = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  sell.taker_amount = "50000000";
  sell.expiry = in_s(30);
  sell.taker_decimals = 8;
  sell.maker_decimals = 6;

  SUBCASE("a quote request gets a SingleOrder signed for the maker, consistent with the stream") {
    auto a = bebop.quote(sell, 3000);
    REQUIRE_MESSAGE(a.ok(), std::string(a.problem + a.error_type));
    CHECK(a.taker_amount == "50000000");
    REQUIRE(a.bias_bps);
    MESSAGE("firm vs stream bias: " << *a.bias_bps << " bps");
    CHECK(std::abs(*a.bias_bps) < 5.0);
    // A fee in USD comes off what the taker receives.
    auto fee = sell;
    fee.quote_id = "121-aaaa0002";
    fee.fee_usd = "2.5";
    auto af = bebop.quote(fee, 3000);
    REQUIRE(af.ok());
    auto diff = std::stoll(a.maker_amount) - std::stoll(af.maker_amount);
    CHECK(diff > 2'000'000);  // ~2.5 USDT less (the market may move a little between the two)
    CHECK(diff < 3'000'000);

    bebop.trade("121-aaaa0001", "TX_SENT_TO_CHAIN", "50000000", a.maker_amount);
    bebop.trade("121-aaaa0001", "SETTLED", "50000000", a.maker_amount);
    bebop.trade("121-aaaa0001", "CONFIRMED", "50000000", a.maker_amount);
    CHECK(testing::wait_until(
        [&] {
          return db.scalar(
                     "SELECT protocol || ' ' || qty FROM fills WHERE quote_id = "
                     "'bebop:121-aaaa0001'") == "bebop 0.50000";
        },
        3000ms));
    CHECK(db.one_filled_hedge("sell", "0.50000", 5000));
    std::this_thread::sleep_for(200ms);
    CHECK(db.scalar("SELECT count(*) FROM fills") == "1");  // SETTLED then CONFIRMED: one fill
    bebop.trade("121-aaaa0002", "FAILED_ONCHAIN", "0", "0");
    std::this_thread::sleep_for(200ms);
    CHECK(db.scalar("SELECT count(*) FROM fills") == "1");
  }

  SUBCASE("exact maker amount, and the Bebop error types") {
    standins::BebopAsk buy = sell;  // the taker wants exactly 0.1 WBTC, paying USDT
    buy.quote_id = "121-bbbb0001";
    buy.taker_token = addr(testing::kUSDT);
    buy.maker_token = addr(testing::kWBTC);
    buy.taker_amount.reset();
    buy.maker_amount = "10000000";
    auto a = bebop.quote(buy, 3000);
    REQUIRE_MESSAGE(a.ok(), std::string(a.problem + a.error_type));
    CHECK(a.maker_amount == "10000000");
    auto usdt = std::stoll(a.taker_amount);
    CHECK(usdt > 2'900'000'000);  // ~0.1 x 30000 USDT
    CHECK(usdt < 3'100'000'000);

    auto big = sell;
    big.quote_id = "121-bbbb0002";
    big.taker_amount = "1000000000";  // 10 WBTC > max 5
    CHECK(bebop.quote(big, 3000).error_type == "liquidity");
    auto tiny = sell;
    tiny.quote_id = "121-bbbb0003";
    tiny.taker_amount = "1000";  // 0.00001 WBTC < min 0.0001
    CHECK(bebop.quote(tiny, 3000).error_type == "min_size");
    auto stale = sell;
    stale.quote_id = "121-bbbb0004";
    stale.expiry = in_s(-5);
    CHECK(bebop.quote(stale, 3000).error_type == "rejected");
    auto unknown = sell;
    unknown.quote_id = "121-bbbb0005";
    unknown.taker_token = addr("0x1111111111111111111111111111111111111111");
    CHECK(bebop.quote(unknown, 3000).error_type == "unavailable");
    CHECK(db.scalar("SELECT count(*) FROM fills") == "0");
  }

  // Over the whole run: every frame binary, no pricing rule broken.
  std::this_thread::sleep_for(1000ms);
  CHECK(bebop.text_frames() == 0);
  for (const auto& v : bebop.violations()) MESSAGE("pricing rule broken: " << v);
  CHECK(bebop.rule_violations() == 0);
  net.stop();
}
