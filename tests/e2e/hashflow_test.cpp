// The Hashflow v3 maker connection against a Hashflow-style server (tests/standins), with the
// whole network in one process: levels every interval, signed rfqTQuotes that agree with the
// levels, trades that become durable fills and hedges, acknowledgements, reconnection.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "aqueduct/app/network.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/standins/hashflow_server.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;

namespace {
eth::Address addr(const char* s) {
  return *eth::Address::parse(s);
}
const char* kPool = "0x1111111111111111111111111111111111111111";
std::string rfq_id(int n) {
  char buf[67];
  std::snprintf(buf, sizeof buf, "0x%064x", n);
  return buf;
}
}  // namespace

TEST_CASE("Hashflow v3: levels, signed quotes that match them, trades to hedges, acks, reconnect") {
  testing::TestDatabase db;
  testing::set_takers_test_credentials("hashflow");
  setenv("AQ_TEST_HASHFLOW_KEY", "hf-maker-secret", 1);
  standins::HashflowServer hf("Aqueduct", "hf-maker-secret", addr(testing::kTestMakerAddress),
                              addr(kPool));
  auto config = testing::network_config_with_takers(
      R"("hashflow": {"host": "127.0.0.1", "port": )" + std::to_string(hf.port()) +
          R"(, "tls": false, "maker_name": "Aqueduct", "auth_env": "AQ_TEST_HASHFLOW_KEY", "pool": ")" +
          kPool + R"(", "levels_interval_ms": 200, "quote_ttl_s": 30})",
      "3");
  zmq::context_t zmq;
  app::Network net(app::parse_config(config), app::parse_components("all"), zmq, db.url());
  net.start();
  REQUIRE(testing::wait_until([&] { return hf.connections() == 1; }, 5000ms));
  CHECK(hf.rejected_handshakes() == 0);

  // Levels arrive every interval; once the books are live both sides have depth.
  std::optional<standins::HashflowPairLevels> lv;
  REQUIRE(testing::wait_until(
      [&] {
        lv = hf.levels(addr(testing::kWBTC), addr(testing::kUSDT), 500);
        return lv && !lv->buy.empty() && !lv->sell.empty();
      },
      10'000ms));
  CHECK(lv->problem == "");
  CHECK(lv->buy[0].q == doctest::Approx(0.0001));  // level 0 is the listing's minimum
  CHECK(lv->buy[0].p < lv->sell[0].p);
  double max_buy = 0;
  for (const auto& l : lv->buy) max_buy += l.q;
  CHECK(max_buy <= 5.0 + 1e-9);  // up to the listing's max size
  CHECK(max_buy > 1.0);

  standins::HashflowRfq sell;  // the trader sells 0.5 WBTC for USDT
  sell.rfq_id = rfq_id(1);
  sell.nonce = 1700000000001;
  sell.base_token = addr(testing::kWBTC);
  sell.quote_token = addr(testing::kUSDT);
  sell.trader = addr("0x3333333333333333333333333333333333333333");
  sell.effective_trader = addr("0x4444444444444444444444444444444444444444");
  sell.base_amount = "50000000";
  sell.base_decimals = 8;
  sell.quote_decimals = 6;

  SUBCASE(
      "an rfqT gets a signed quote consistent with the levels; its trade fills once and is "
      "hedged") {
    auto q = hf.rfq(sell, 3000);
    REQUIRE_MESSAGE(q.ok(), q.problem);
    CHECK(q.base_amount == "50000000");
    REQUIRE(q.bias_bps);
    MESSAGE("firm vs levels bias: " << *q.bias_bps << " bps");
    CHECK(std::abs(*q.bias_bps) < 5.0);  // levels are at most one interval old
    CHECK(q.quote_expiry >= static_cast<uint64_t>(wall_now_ns() / 1'000'000'000 + 25));
    CHECK(testing::wait_until(
        [&] {
          return db.scalar(
                     "SELECT protocol || ' ' || side || ' ' || qty FROM quotes WHERE quote_id = '" +
                     sell.rfq_id + "'") == "hashflow sell 0.50000";
        },
        2000ms));

    REQUIRE(hf.trade("trade-1", sell.rfq_id, "50000000", q.quote_amount, true, 3000));
    CHECK(db.scalar(
              "SELECT protocol || ' ' || external_ref || ' ' || qty FROM fills WHERE quote_id = '" +
              sell.rfq_id + "'") == "hashflow trade-1 0.50000");
    CHECK(db.one_filled_hedge("sell", "0.50000", 5000));
    // Hashflow re-sends a trade it did not see acknowledged: the same event is acked again,
    // not filled again.
    CHECK(hf.trade("trade-1", sell.rfq_id, "50000000", q.quote_amount, true, 3000));
    CHECK(db.scalar("SELECT count(*) FROM fills") == "1");
  }

  SUBCASE(
      "fees are honoured, exact-output requests echo the quote amount, partial trades fill their "
      "share") {
    auto fee = sell;
    fee.rfq_id = rfq_id(2);
    fee.fees_bps = 10;
    auto q = hf.rfq(fee, 3000);
    REQUIRE_MESSAGE(q.ok(), q.problem);
    REQUIRE(q.bias_bps);
    CHECK(std::abs(*q.bias_bps) < 5.0);  // the stand-in takes the fee off the levels too

    standins::HashflowRfq out = sell;  // the trader wants exactly 1000 USDT
    out.rfq_id = rfq_id(3);
    out.base_amount.reset();
    out.quote_amount = "1000000000";
    auto q2 = hf.rfq(out, 3000);
    REQUIRE_MESSAGE(q2.ok(), q2.problem);
    CHECK(q2.quote_amount == "1000000000");
    // A partial settlement: 40% of the base.
    auto base = std::stoll(q2.base_amount);
    REQUIRE(
        hf.trade("trade-3", out.rfq_id, std::to_string(base * 4 / 10), "400000000", true, 3000));
    CHECK(db.scalar("SELECT qty FROM fills WHERE external_ref = 'trade-3'") ==
          Decimal{base * 4 / 10 / 1000, 5}.to_string());
  }

  SUBCASE("a trade reported after a restart is filled from the record, once") {
    auto q = hf.rfq(sell, 3000);
    REQUIRE(q.ok());
    REQUIRE(testing::wait_until(
        [&] {
          return db.scalar("SELECT count(*) FROM quotes WHERE quote_id = '" + sell.rfq_id + "'") ==
                 "1";
        },
        2000ms));
    net.stop();  // the desk that issued the quote is gone, and its ledger with it
    REQUIRE(testing::wait_until([&] { return hf.connections() == 0; }, 5000ms));
    app::Network again(app::parse_config(config), app::parse_components("all"), zmq, db.url());
    again.start();
    REQUIRE(testing::wait_until([&] { return hf.connections() == 1; }, 5000ms));
    REQUIRE(hf.trade("trade-after-restart", sell.rfq_id, "50000000", q.quote_amount, true, 3000));
    CHECK(db.scalar("SELECT protocol || ' ' || external_ref || ' ' || qty || ' ' || price FROM "
                    "fills WHERE quote_id = '" +
                    sell.rfq_id + "'") ==
          "hashflow trade-after-restart 0.50000 " +
              db.scalar("SELECT price FROM quotes WHERE quote_id = '" + sell.rfq_id + "'"));
    CHECK(db.scalar("SELECT status FROM quotes WHERE quote_id = '" + sell.rfq_id + "'") ==
          "filled");
    // Reported again (the ack was lost): acknowledged, not filled twice.
    CHECK(hf.trade("trade-after-restart", sell.rfq_id, "50000000", q.quote_amount, true, 3000));
    CHECK(db.scalar("SELECT count(*) FROM fills") == "1");
    CHECK(testing::wait_until([&] { return db.scalar("SELECT count(*) FROM fill_intake") == "1"; },
                              5000ms));
    again.stop();
  }

  SUBCASE("canceled trades are acknowledged without a fill; unknown ones are not acknowledged") {
    auto q = hf.rfq(sell, 3000);
    REQUIRE(q.ok());
    CHECK(hf.trade("trade-x", sell.rfq_id, "50000000", q.quote_amount, false, 3000));
    CHECK(db.scalar("SELECT count(*) FROM fills") == "0");
    CHECK_FALSE(hf.trade("trade-y", rfq_id(999), "50000000", "1", true, 500));
    CHECK(db.scalar("SELECT count(*) FROM fills") == "0");
  }

  SUBCASE("requests we cannot serve get no quote; the connection comes back after a drop") {
    auto big = sell;
    big.rfq_id = rfq_id(4);
    big.base_amount = "1000000000";  // 10 WBTC > max 5
    CHECK_FALSE(hf.rfq(big, 500).received);
    auto other_chain = sell;
    other_chain.rfq_id = rfq_id(5);
    other_chain.chain_id = 137;
    CHECK_FALSE(hf.rfq(other_chain, 500).received);
    hf.drop_connections();
    REQUIRE(testing::wait_until([&] { return hf.connections() == 1; }, 5000ms));
    auto again = sell;
    again.rfq_id = rfq_id(6);
    CHECK(hf.rfq(again, 3000).ok());
    CHECK(net.rfq()->hashflow()->connects() >= 2);
  }
  net.stop();
}
