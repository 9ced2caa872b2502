// The 0x RFQ maker server against a 0x-style taker (tests/standins), with the whole network in
// one process: the simulator's books, the pricer, the quote desk, real PostgreSQL, and the
// hedge a 0x last-look fill causes.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <set>

#include "aqueduct/app/network.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/standins/zeroex_taker.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

using testing::kUSDT;
using testing::kWBTC;
using testing::kWETH;
const char* kProxy = "0xDef1C0ded9bec7F1a1670819833240f027b25EfF";
eth::Address addr(const char* s) {
  return *eth::Address::parse(s);
}

std::string config_with_takers() {
  return testing::network_config_with_takers(
      std::string(R"("zeroex": {"listen": "127.0.0.1", "port": 0,
      "exchange_proxy": ")") +
      kProxy + R"(", "api_key_env": "AQ_TEST_ZEROEX_KEYS", "last_look_tolerance_bps": "50"})");
}

int64_t now_s() {
  return wall_now_ns() / 1'000'000'000;
}

}  // namespace

TEST_CASE("0x RFQ: indicative and signed firm quotes, last look, declines and schema errors") {
  testing::TestDatabase db;
  testing::set_takers_test_credentials("zeroex");
  setenv("AQ_TEST_ZEROEX_KEYS", "integrator-a,integrator-b", 1);
  zmq::context_t zmq;
  app::Network net(app::parse_config(config_with_takers()), app::parse_components("all"), zmq,
                   db.url());
  net.start();
  auto* rfq = net.rfq();
  REQUIRE(rfq);
  REQUIRE(rfq->zeroex_port() != 0);
  CHECK(rfq->maker_address() == addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
  standins::ZeroExTaker taker(
      {rfq->zeroex_port(), "integrator-b", rfq->maker_address(), 1, addr(kProxy), 120});
  const auto user = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

  standins::ZeroExAsk sell_btc{addr(kWBTC),  addr(kUSDT),    std::string("50000000"),
                               std::nullopt, eth::Address{}, user};
  // Books sync a few hundred ms after start; until then the maker declines with 204.
  standins::ZeroExQuote first;
  REQUIRE(testing::wait_until(
      [&] {
        first = taker.firm(sell_btc, now_s());
        return first.status == 200;
      },
      10'000ms));

  SUBCASE("a firm order passes every check 0x makes, and is recorded") {
    REQUIRE_MESSAGE(first.ok(), first.rejected_because);
    const auto& o = *first.order;
    CHECK(o.taker_amount.to_decimal() == "50000000");  // 0.5 WBTC echoed exactly
    // ~0.5 x 30000 USDT: within 2% of the simulator's start mid.
    auto usdt = static_cast<double>(o.maker_amount.limb(0));
    CHECK(usdt > 14'700e6);
    CHECK(usdt < 15'300e6);
    CHECK(o.expiry >= static_cast<uint64_t>(now_s() + 140));
    std::string hash = eth::to_hex0x(first.order_hash);
    CHECK(testing::wait_until(
        [&] {
          return db.scalar(
                     "SELECT protocol || ' ' || side || ' ' || qty FROM quotes WHERE quote_id = '" +
                     hash + "'") == "zeroex sell 0.50000";
        },
        2000ms));
    CHECK(db.scalar(
              "SELECT signed_order->'signature'->>'signatureType' FROM quotes WHERE quote_id = '" +
              hash + "'") == "2");
  }

  SUBCASE("the OpenAPI document is served and names every endpoint of both surfaces") {
    auto doc = testing::http_call(net.rfq_port(), "GET", "/openapi.yaml");
    CHECK(doc.status == 200);
    CHECK(doc.header("Content-Type") == "application/yaml");
    for (const char* path :
         {"/health:", "/openapi.yaml:", "/v1/price:", "/v1/levels:", "/v1/quote:", "/v1/accept:",
          "/v1/ws:", "/price:", "/quote:", "/submit:", "/rfqm/v2/price:", "/rfqm/v2/sign:",
          "/rfqt/v2/price:", "/rfqt/v2/sign:"})
      CHECK_MESSAGE(doc.body.find(std::string("\n  ") + path) != std::string::npos, path);
  }

  SUBCASE("each request gets its own salt and order") {
    auto second = taker.firm(sell_btc, now_s());
    REQUIRE(second.ok());
    CHECK(second.order->salt != first.order->salt);
    CHECK(second.order_hash != first.order_hash);
  }

  SUBCASE(
      "exact-output and the other direction: the fixed amount is echoed, the other rounded for "
      "us") {
    // Buy exactly 1000 USDT, selling WBTC.
    standins::ZeroExAsk a{addr(kWBTC),    addr(kUSDT), std::nullopt, std::string("1000000000"),
                          eth::Address{}, user};
    auto q = taker.firm(a, now_s());
    REQUIRE_MESSAGE(q.ok(), std::string(q.rejected_because + q.decline_reason));
    CHECK(q.order->maker_amount.to_decimal() == "1000000000");
    auto sats = static_cast<double>(q.order->taker_amount.limb(0));
    CHECK(sats > 3.2e6);  // ~1000/30000 BTC = 3.33e6 sats
    CHECK(sats < 3.5e6);
    // Sell exactly 3000 USDT for WETH (18 decimals).
    standins::ZeroExAsk e{addr(kUSDT),  addr(kWETH),    std::string("3000000000"),
                          std::nullopt, eth::Address{}, user};
    REQUIRE(testing::wait_until([&] { return taker.firm(e, now_s()).status == 200; }, 5000ms));
    auto qe = taker.firm(e, now_s());
    REQUIRE_MESSAGE(qe.ok(), qe.rejected_because);
    CHECK(qe.order->taker_amount.to_decimal() == "3000000000");
    CHECK(qe.order->maker_amount > *UInt256::from_decimal("1400000000000000000"));  // ~1.5 WETH
    CHECK(qe.order->maker_amount <
          *UInt256::from_decimal("1500000000000000000"));  // less than at mid
    // Indicative: same shape, no signature.
    auto ind = taker.indicative(sell_btc);
    REQUIRE(ind.status == 200);
    auto io = json::parse(ind.body).as_object();
    CHECK(io.at("takerAmount").as_string() == "50000000");
    CHECK(io.contains("expiry"));
    CHECK_FALSE(io.contains("signature"));
    // The same indicative ask again within rfq.indicative_cache_ms (50) is answered from the
    // desk's cache, with the same amounts; a firm quote is never answered from it.
    auto maker_amount = [&] {
      auto r = taker.indicative(sell_btc);
      return r.status == 200 ? std::string(json::parse(r.body).at("makerAmount").as_string()) : "";
    };
    CHECK(testing::wait_until(
        [&] {
          auto hits = rfq->desk().indicative_cache_hits();
          auto once = maker_amount(), again = maker_amount();
          return !once.empty() && once == again && rfq->desk().indicative_cache_hits() == hits + 1;
        },
        5000ms));
    auto hits = rfq->desk().indicative_cache_hits();
    auto small = sell_btc;
    small.sell_amount = "1000000";  // 0.01 WBTC: within what the listing may have outstanding
    for (int i = 0; i < 2; ++i) {
      auto fq = taker.firm(small, now_s());
      REQUIRE_MESSAGE(fq.ok(), std::string(fq.rejected_because + fq.decline_reason));
    }
    CHECK(rfq->desk().indicative_cache_hits() == hits);
  }

  SUBCASE("last look: /submit proceeds once for a live order, then the fill is hedged") {
    auto ll = sell_btc;
    ll.last_look = true;
    auto q = taker.firm(ll, now_s());
    REQUIRE_MESSAGE(q.ok(), q.rejected_because);
    auto r = taker.submit(q, "50000000", kWBTC);
    REQUIRE(r.status == 200);
    auto ro = json::parse(r.body).as_object();
    CHECK(ro.at("proceedWithFill").as_bool());
    CHECK(ro.at("signedOrderHash").as_string() == eth::to_hex0x(q.order_hash));
    std::string hash = eth::to_hex0x(q.order_hash);
    CHECK(db.scalar("SELECT protocol || ' ' || side || ' ' || qty FROM fills WHERE quote_id = '" +
                    hash + "'") == "zeroex sell 0.50000");
    // The same Fill message as any protocol: hedging buys back 0.5 BTC on the simulator.
    CHECK(db.one_filled_hedge("sell", "0.50000", 5000));
    // A second submit of the same order for the same amount (0x retrying a lost reply) gets
    // the same answer and does not fill again; any other amount is declined.
    auto again = json::parse(taker.submit(q, "50000000", kWBTC).body).as_object();
    CHECK(again.at("proceedWithFill").as_bool());
    auto other = json::parse(taker.submit(q, "10000000", kWBTC).body).as_object();
    CHECK_FALSE(other.at("proceedWithFill").as_bool());
    CHECK(std::string(other.at("reason").as_string()).find("last_look_answered") !=
          std::string::npos);
    CHECK(db.scalar("SELECT count(*) FROM fills WHERE quote_id = '" + hash + "'") == "1");
  }

  SUBCASE("last look is answered once: of two concurrent submits, half and whole, one proceeds") {
    auto ll = sell_btc;
    ll.last_look = true;
    auto q = taker.firm(ll, now_s());
    REQUIRE_MESSAGE(q.ok(), q.rejected_because);
    std::string hash = eth::to_hex0x(q.order_hash);
    // Before the fix both answered proceedWithFill: true and only the half was recorded, so a
    // settlement of the whole order left half of it unhedged.
    auto both = testing::http_calls_at_once(
        rfq->zeroex_port(),
        {taker.submit_call(q, "25000000", kWBTC), taker.submit_call(q, "50000000", kWBTC)});
    const auto& half = both[0];
    const auto& whole = both[1];
    REQUIRE(half.status == 200);
    REQUIRE(whole.status == 200);
    bool half_ok = json::parse(half.body).at("proceedWithFill").as_bool();
    bool whole_ok = json::parse(whole.body).at("proceedWithFill").as_bool();
    CHECK(half_ok != whole_ok);
    // What is recorded is exactly what was approved.
    CHECK(db.scalar("SELECT string_agg(qty::text, ',') FROM fills WHERE quote_id = '" + hash +
                    "'") == (half_ok ? "0.25000" : "0.50000"));
  }

  SUBCASE("/submit needs an integrator key, and each integrator has its own rate") {
    // A keyless flood of {} is refused before parsing or counting: integrators still quote.
    // Before the fix each one drew on the 0x client's shared 50/s and /price declined
    // rate_limited for everyone.
    for (int i = 0; i < 120; ++i) {
      auto r = testing::http_call(rfq->zeroex_port(), "POST", "/submit", "{}",
                                  {{"Content-Type", "application/json"}});
      REQUIRE(r.status == 401);
      CHECK(r.body == R"({"errors":["Invalid API key"]})");
    }
    CHECK(taker.indicative(sell_btc).status == 200);
    // Integrator a spends its own rate; b is untouched.
    standins::ZeroExTaker flood(
        {rfq->zeroex_port(), "integrator-a", rfq->maker_address(), 1, addr(kProxy), 120});
    bool limited = false;
    for (int i = 0; i < 200 && !limited; ++i) {
      auto r = flood.indicative(sell_btc);
      limited = r.status == 204 &&
                r.header("X-Aqueduct-Decline").find("rate_limited") != std::string::npos;
    }
    CHECK(limited);
    CHECK(taker.indicative(sell_btc).status == 200);
  }

  SUBCASE("a partial fill hedges its share; a tampered order is refused") {
    auto ll = sell_btc;
    ll.last_look = true;
    auto q = taker.firm(ll, now_s());
    REQUIRE(q.ok());
    auto tampered = q;
    tampered.order->maker_amount = *tampered.order->maker_amount.checked_add(1);
    auto bad = taker.submit(tampered, "20000000", kWBTC);
    CHECK(bad.status == 400);
    CHECK(bad.body.find("does not hash to orderHash") != std::string::npos);
    auto r = json::parse(taker.submit(q, "20000000", kWBTC).body).as_object();
    CHECK(r.at("proceedWithFill").as_bool());
    CHECK(db.scalar("SELECT qty FROM fills WHERE quote_id = '" + eth::to_hex0x(q.order_hash) +
                    "'") == "0.20000");
  }

  SUBCASE(
      "reservations: the listing's outstanding limit declines with 204 until quotes expire or "
      "fill") {
    // `first` holds 0.5 BTC on the taker-sell side; two more 0.5 BTC quotes would make 1.5 > 1.
    auto second = taker.firm(sell_btc, now_s());
    CHECK(second.ok());
    auto third = taker.firm(sell_btc, now_s());
    CHECK(third.status == 204);
    CHECK(third.decline_reason.find("listing_outstanding_limit") != std::string::npos);
    // The other side is not reserved.
    standins::ZeroExAsk buy_btc{addr(kUSDT),    addr(kWBTC), std::nullopt, std::string("50000000"),
                                eth::Address{}, user};
    CHECK(taker.firm(buy_btc, now_s()).ok());
  }

  SUBCASE("declines and schema errors") {
    auto big = sell_btc;
    big.sell_amount = "1000000000";  // 10 WBTC > max_qty 5
    auto r = taker.firm(big, now_s());
    CHECK(r.status == 204);
    CHECK(r.decline_reason.find("size_too_large") != std::string::npos);
    CHECK(testing::http_call(rfq->zeroex_port(), "GET", "/quote?" + taker.query(sell_btc)).status ==
          401);
    CHECK(testing::http_call(rfq->zeroex_port(), "GET", "/quote?" + taker.query(sell_btc), "",
                             {{"0x-api-key", "nope"}})
              .body == R"({"errors":["Invalid API key"]})");
    auto bad = [&](const std::string& q) {
      return testing::http_call(rfq->zeroex_port(), "GET", "/quote?" + q, "",
                                {{"0x-api-key", "integrator-a"}});
    };
    auto both = taker.query(sell_btc) + "&buyAmountBaseUnits=1";
    CHECK(bad(both).status == 400);
    CHECK(bad(both).body.find("exactly one of") != std::string::npos);
    auto zero_origin = sell_btc;
    zero_origin.tx_origin = eth::Address{};
    CHECK(bad(taker.query(zero_origin)).body.find("txOrigin") != std::string::npos);
    auto unknown = sell_btc;
    unknown.sell_token = addr("0x1111111111111111111111111111111111111111");
    CHECK(bad(taker.query(unknown)).body.find("is not traded") != std::string::npos);
    auto huge = sell_btc;
    huge.sell_amount = "340282366920938463463374607431768211456";  // 2^128
    CHECK(bad(taker.query(huge)).body.find("fit uint128") != std::string::npos);
    std::string v3 = taker.query(sell_btc);
    v3.replace(v3.find("protocolVersion=4"), 17, "protocolVersion=3");
    CHECK(bad(v3).body.find("protocolVersion") != std::string::npos);
    auto unknown_hash = json::parse(taker
                                        .submit(
                                            [&] {
                                              auto q = first;
                                              q.order->salt = 7;
                                              q.order_hash = eth::eip712_digest(
                                                  rfq::zeroex::domain(1, addr(kProxy)).separator(),
                                                  rfq::zeroex::struct_hash(*q.order));
                                              return q;
                                            }(),
                                            "1", kWBTC)
                                        .body)
                            .as_object();
    CHECK_FALSE(unknown_hash.at("proceedWithFill").as_bool());
    // Nothing recorded for any of these.
    CHECK(db.scalar("SELECT count(*) FROM fills") == "0");
  }
  net.stop();
}

TEST_CASE("0x RFQm/RFQt v2: indicative OtcOrder price, sign only within tolerance, one fill") {
  testing::TestDatabase db;
  testing::set_takers_test_credentials("zeroex-v2");
  setenv("AQ_TEST_ZEROEX_KEYS", "integrator-a", 1);
  zmq::context_t zmq;
  app::Network net(app::parse_config(config_with_takers()), app::parse_components("all"), zmq,
                   db.url());
  net.start();
  auto* rfq = net.rfq();
  REQUIRE(rfq);
  uint16_t port = rfq->zeroex_port();
  const auto maker = rfq->maker_address();
  // The taker: hardhat's account #1 (0x7099…79C8), which signs RFQm orders before we do.
  eth::Signer taker_key(
      eth::MakerKey::from_hex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));
  REQUIRE(taker_key.address() == addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
  auto call = [&](const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return testing::http_call(
        port, method, target, body,
        {{"0x-api-key", "integrator-a"}, {"0x-integrator-id", "integrator-a"}});
  };
  const std::string q = std::string("sellTokenAddress=") + kWBTC + "&buyTokenAddress=" + kUSDT +
                        "&takerAddress=" + taker_key.address().to_hex() +
                        "&sellAmountBaseUnits=50000000&chainId=1";
  testing::Reply price;
  REQUIRE(testing::wait_until(
      [&] { return (price = call("GET", "/rfqm/v2/price?" + q)).status == 200; }, 10s));
  auto p = json::parse(price.body).as_object();
  CHECK(p.at("maker").as_string() == maker.to_hex());
  CHECK(p.at("takerAmount").as_string() == "50000000");
  auto indicative = *UInt256::from_decimal(p.at("makerAmount").as_string());
  CHECK(db.scalar("SELECT count(*) FROM quotes") == "0");  // indicative: nothing recorded

  const auto domain = rfq::zeroex::domain(1, addr(kProxy)).separator();
  uint64_t nonce = 1;
  // An OtcOrder as 0x builds it from the indicative price, signed by the taker (RFQm).
  auto order_for = [&](const UInt256& maker_amount) {
    rfq::zeroex::OtcOrder o{
        addr(kUSDT),
        addr(kWBTC),
        maker_amount,
        *UInt256::from_decimal("50000000"),
        maker,
        taker_key.address(),
        taker_key.address(),
        rfq::zeroex::pack_expiry_and_nonce(static_cast<uint64_t>(now_s() + 120), 0, nonce++)};
    return o;
  };
  auto sign_body = [&](const rfq::zeroex::OtcOrder& o, bool with_taker_sig) {
    auto hash = eth::eip712_digest(domain, rfq::zeroex::struct_hash(o));
    json::object b{{"order", rfq::zeroex::to_json(o)},
                   {"orderHash", eth::to_hex0x(hash)},
                   {"expiry", std::to_string(rfq::zeroex::expiry_of(o.expiry_and_nonce))},
                   {"feeToken", std::string(kWBTC)},
                   {"feeAmount", "0"}};
    if (with_taker_sig)
      b["takerSignature"] =
          rfq::zeroex::signature_json(taker_key.sign(hash), rfq::zeroex::SignatureType::Eip712);
    return std::pair{json::serialize(b), eth::to_hex0x(hash)};
  };

  SUBCASE("an order at the indicative price is signed by the maker, and fills once") {
    auto o = order_for(indicative);
    auto [body, hash] = sign_body(o, true);
    auto r = call("POST", "/rfqm/v2/sign", body);
    REQUIRE(r.status == 200);
    auto a = json::parse(r.body).as_object();
    REQUIRE_MESSAGE(a.at("proceedWithFill").as_bool(), r.body);
    const auto& ms = a.at("makerSignature").as_object();
    CHECK(ms.at("signatureType").as_int64() == 2);
    eth::Signature sig{*eth::parse_bytes32(ms.at("r").as_string()),
                       *eth::parse_bytes32(ms.at("s").as_string()),
                       static_cast<uint8_t>(ms.at("v").as_int64())};
    CHECK(eth::recover(*eth::parse_bytes32(hash), sig) == maker);
    CHECK(db.scalar("SELECT protocol || ' ' || side || ' ' || qty FROM fills WHERE quote_id = '" +
                    hash + "'") == "zeroex sell 0.50000");
    // A retried sign (0x's 2 s timeout) is the same fill and the same signature.
    auto again = json::parse(call("POST", "/rfqm/v2/sign", body).body).as_object();
    CHECK(again.at("proceedWithFill").as_bool());
    CHECK(again.at("makerSignature").as_object().at("r") == ms.at("r"));
    CHECK(db.scalar("SELECT count(*) FROM fills") == "1");
    // Hedging takes the fill like any other.
    CHECK(testing::wait_until([&] { return db.scalar("SELECT count(*) FROM fill_intake") == "1"; },
                              5s));
  }

  SUBCASE(
      "orders beyond the tolerance, unsigned or foreign RFQm orders are refused, nothing "
      "recorded") {
    // 1% more USDT than our price: beyond the 50 bps tolerance.
    auto greedy = order_for(*indicative.checked_add(indicative.div_small(100)));
    auto g =
        json::parse(call("POST", "/rfqm/v2/sign", sign_body(greedy, true).first).body).as_object();
    CHECK_FALSE(g.at("proceedWithFill").as_bool());
    CHECK(std::string(g.at("reason").as_string()).find("above our firm amount") !=
          std::string::npos);
    CHECK_FALSE(g.contains("makerSignature"));
    auto unsigned_rfqm =
        call("POST", "/rfqm/v2/sign", sign_body(order_for(indicative), false).first);
    CHECK(unsigned_rfqm.status == 400);
    CHECK(unsigned_rfqm.body.find("takerSignature is required for RFQm") != std::string::npos);
    auto foreign = order_for(indicative);
    foreign.maker = addr("0x5555555555555555555555555555555555555555");
    CHECK(call("POST", "/rfqm/v2/sign", sign_body(foreign, true).first)
              .body.find("is not this maker") != std::string::npos);
    auto [tb, th] = sign_body(order_for(indicative), true);
    auto tampered = json::parse(tb).as_object();
    tampered["order"].as_object()["makerAmount"] = indicative.div_small(2).to_decimal();
    CHECK(call("POST", "/rfqm/v2/sign", json::serialize(tampered))
              .body.find("does not hash to orderHash") != std::string::npos);
    CHECK(call("GET", "/rfqm/v2/sign").status == 405);
    // An order living longer than zeroex.sign_max_expiry_s (600 s unless configured).
    auto lasting = order_for(indicative);
    lasting.expiry_and_nonce =
        rfq::zeroex::pack_expiry_and_nonce(static_cast<uint64_t>(now_s() + 700), 0, nonce++);
    auto l = json::parse(call("POST", "/rfqm/v2/sign", sign_body(lasting, true).first).body)
                 .as_object();
    CHECK_FALSE(l.at("proceedWithFill").as_bool());
    CHECK_MESSAGE(std::string(l.at("reason").as_string())
                          .find("between 5 s and 600 s from now (zeroex.sign_max_expiry_s)") !=
                      std::string::npos,
                  l);
    CHECK(db.scalar("SELECT count(*) FROM fills") == "0");
    CHECK(db.scalar("SELECT count(*) FROM quotes") == "0");
  }

  SUBCASE("RFQt v2: no taker signature needed") {
    REQUIRE(call("GET", "/rfqt/v2/price?" + q).status == 200);
    auto r = json::parse(
                 call("POST", "/rfqt/v2/sign", sign_body(order_for(indicative), false).first).body)
                 .as_object();
    CHECK(r.at("proceedWithFill").as_bool());
    CHECK(db.scalar("SELECT count(*) FROM fills") == "1");
  }
  net.stop();
}
