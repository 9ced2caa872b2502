// On-chain settlement against the aggregators' real contracts in a local EVM (anvil, with the
// 0x v4 Exchange Proxy deployed from its published artifacts): an order our 0x /quote signed
// and a taker filled on-chain becomes a recorded, hedged, confirmed fill; a tampered order
// reverts and records nothing; a reorg un-confirms a fill and, gone for good, unwinds it; a
// last-look fill whose transaction never lands is unwound; while the node is down, on-chain
// firm quotes stop with a clear reason and native quoting goes on.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "aqueduct/app/network.hpp"
#include "aqueduct/chain/abi.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/standins/hashflow_server.hpp"
#include "aqueduct/standins/zeroex_taker.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/chain_network.hpp"
#include "aqueduct/testing/local_chain.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

eth::Address addr(const std::string& s) {
  return *eth::Address::parse(s);
}
int64_t now_s() {
  return wall_now_ns() / 1'000'000'000;
}

}  // namespace

TEST_CASE(
    "0x orders settle on the real Exchange Proxy: recorded, hedged, confirmed; reorgs, "
    "unwinds and a node down") {
  testing::LocalChain chain;
  testing::TestDatabase db;
  testing::ChainEnv env(chain, "settlement");
  zmq::context_t zmq;
  app::Network net(app::parse_config(testing::chain_network_config(chain)), app::parse_components("all"), zmq,
                   db.url());
  net.start();
  auto* rfq = net.rfq();
  REQUIRE(rfq);
  const auto proxy = addr(chain.exchange_proxy());
  standins::ZeroExTaker taker(
      {rfq->zeroex_port(), "integrator-a", rfq->maker_address(), chain.chain_id(), proxy, 30});
  // Taker 0 sends the transaction itself (RFQ-T): txOrigin is its address.
  standins::ZeroExAsk sell_btc{addr(chain.token("WBTC")),
                               addr(chain.token("USDT")),
                               std::string("5000000") /* 0.05 WBTC */,
                               std::nullopt,
                               eth::Address{},
                               addr(chain.taker_address(0))};
  auto firm = [&](const standins::ZeroExAsk& a) {
    standins::ZeroExQuote q;
    REQUIRE(testing::wait_until([&] { return (q = taker.firm(a, now_s())).ok(); }, 15s));
    return q;
  };
  auto fills_of = [&](const std::string& quote_id) {
    return db.scalar("SELECT count(*) FROM fills WHERE quote_id = '" + quote_id + "'");
  };
  auto settlement_of = [&](const std::string& quote_id) {
    return db.scalar("SELECT settlement FROM fills WHERE quote_id = '" + quote_id +
                     "' AND kind = 'trade'");
  };

  SUBCASE("an RFQ-T order filled on-chain is recorded from its event, hedged and confirmed") {
    auto q = firm(sell_btc);
    std::string id = eth::to_hex0x(q.order_hash);
    CHECK(fills_of(id) == "0");  // signed is not filled
    auto t = chain.take_zeroex(q.body, 0);
    REQUIRE_MESSAGE(t.exit == 0, t.output);
    std::string tx(t.result.at("txHash").as_string());
    CHECK(testing::wait_until([&] { return fills_of(id) == "1"; }, 10s));
    CHECK(db.scalar("SELECT protocol || ' ' || side || ' ' || qty || ' ' || tx_hash FROM fills "
                    "WHERE quote_id = '" +
                    id + "'") == "zeroex sell 0.05000 " + tx);
    // Hedged like any fill: hedging claimed it and bought back 0.05 BTC.
    CHECK(testing::wait_until(
        [&] {
          return db.scalar(
                     "SELECT count(*) FROM fill_intake i JOIN fills f USING (fill_id) "
                     "WHERE f.quote_id = '" +
                     id + "'") == "1";
        },
        10s));
    CHECK(db.one_filled_hedge("sell", "0.05000", 10000));
    CHECK(testing::wait_until([&] { return settlement_of(id) == "confirmed"; }, 15s));
    CHECK(db.scalar("SELECT outcome FROM chain_events WHERE tx_hash = '" + tx + "'") ==
          "record_fill");
  }

  SUBCASE("an order filled while the network is down is recorded when it comes back") {
    auto q = firm(sell_btc);
    std::string id = eth::to_hex0x(q.order_hash);
    REQUIRE(testing::wait_until(
        [&] { return db.scalar("SELECT count(*) FROM chain_cursor") == "1"; }, 10s));
    net.stop();
    auto t = chain.take_zeroex(q.body, 0);
    REQUIRE_MESSAGE(t.exit == 0, t.output);
    std::string tx(t.result.at("txHash").as_string());
    chain.advance(1);  // more blocks on top while nobody watches
    CHECK(fills_of(id) == "0");
    // A new network on the same record reads the chain again from its cursor.
    app::Network again(app::parse_config(testing::chain_network_config(chain)), app::parse_components("all"), zmq,
                       db.url());
    again.start();
    CHECK(testing::wait_until([&] { return settlement_of(id) == "confirmed"; }, 15s));
    CHECK(db.scalar("SELECT count(*) || ' ' || max(tx_hash) FROM fills WHERE quote_id = '" + id +
                    "'") == "1 " + tx);
    again.stop();
  }

  SUBCASE("a tampered order reverts on-chain and records nothing") {
    auto q = firm(sell_btc);
    auto body = json::parse(q.body).as_object();
    auto& order = body["signedOrder"].as_object();
    auto maker_amount = *UInt256::from_decimal(order["makerAmount"].as_string());
    order["makerAmount"] = maker_amount.checked_add(1000000)->to_decimal();  // 1 USDT more
    auto t = chain.take_zeroex(json::serialize(body), 0);
    CHECK(t.exit == 3);
    CHECK(t.output.find("reverted") != std::string::npos);
    std::this_thread::sleep_for(1500ms);  // blocks come every second: nothing arrives
    CHECK(db.scalar("SELECT count(*) FROM fills") == "0");
    CHECK(db.scalar("SELECT count(*) FROM chain_events") == "0");
  }

  SUBCASE("a reorg un-confirms a fill; gone for good, it is unwound and hedged back") {
    auto q = firm(sell_btc);
    std::string id = eth::to_hex0x(q.order_hash);
    auto snap = chain.snapshot();
    auto t = chain.take_zeroex(q.body, 0);
    REQUIRE_MESSAGE(t.exit == 0, t.output);
    REQUIRE(testing::wait_until([&] { return fills_of(id) == "1"; }, 10s));
    std::string fill = db.scalar("SELECT fill_id FROM fills WHERE quote_id = '" + id + "'");
    // The block with the fill leaves the chain (and the chain's clock passes the order's
    // expiry): the fill is no longer seen, and can never settle.
    chain.revert(snap);
    chain.advance(120);
    CHECK(testing::wait_until([&] { return settlement_of(id) == "unsettled"; }, 20s));
    CHECK(db.scalar("SELECT side || ' ' || qty FROM fills WHERE unwinds = '" + fill + "'") ==
          "buy 0.05000");
    CHECK(
        db.scalar("SELECT count(*) FROM audit_log WHERE action = 'fill.unsettled' AND subject = '" +
                  fill + "'") == "1");
    // Hedging takes the unwind like any fill.
    CHECK(testing::wait_until(
        [&] {
          return db.scalar("SELECT count(*) FROM fill_intake WHERE fill_id = 'u_" + fill + "'") ==
                 "1";
        },
        10s));
  }

  SUBCASE("a last-look fill whose transaction never lands is unwound after expiry") {
    auto ll = sell_btc;
    ll.last_look = true;
    auto q = firm(ll);
    std::string id = eth::to_hex0x(q.order_hash);
    auto r = json::parse(taker.submit(q, "5000000", chain.token("WBTC")).body).as_object();
    REQUIRE(r.at("proceedWithFill").as_bool());
    CHECK(settlement_of(id) == "pending");
    std::this_thread::sleep_for(1500ms);
    CHECK(settlement_of(id) == "pending");  // not before the order expired on-chain
    chain.advance(120);
    CHECK(testing::wait_until([&] { return settlement_of(id) == "unsettled"; }, 20s));
    CHECK(db.scalar("SELECT count(*) FROM fills WHERE kind = 'unwind' AND quote_id = '" + id +
                    "'") == "1");
  }

  SUBCASE("while the node is down, 0x firm quotes stop with a reason and native quoting goes on") {
    auto creds = testing::add_native_client(db.url(), "inst-1", {.rate_limit_per_s = 1000});
    testing::NativeClient native{net.rfq_port(), creds};
    chain.stop_node();
    standins::ZeroExQuote q;
    CHECK(testing::wait_until(
        [&] {
          q = taker.firm(sell_btc, now_s());
          return q.status == 204 && q.decline_reason.find("chain_unavailable") != std::string::npos;
        },
        15s));
    CHECK(q.decline_reason.find("chain anvil") != std::string::npos);
    CHECK(testing::wait_until(
        [&] {
          return native.post("/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})")
                     .status == 200;
        },
        10s));
    chain.start_node();
    CHECK(testing::wait_until([&] { return taker.firm(sell_btc, now_s()).ok(); }, 20s));
  }
  net.stop();
}

TEST_CASE(
    "a Hashflow rfqTQuote settled through the real HashflowRouter.tradeRFQT is matched to "
    "its trade message") {
  testing::LocalChain chain;
  testing::TestDatabase db;
  testing::ChainEnv env(chain, "settlement-hf");
  setenv("AQ_TEST_HASHFLOW_KEY", "hf-maker-secret", 1);
  standins::HashflowServer hf("Aqueduct", "hf-maker-secret", addr(chain.maker_address()),
                              addr(chain.hashflow_pool()));
  zmq::context_t zmq;
  app::Network net(app::parse_config(testing::chain_network_config(chain, hf.port())), app::parse_components("all"),
                   zmq, db.url());
  net.start();
  REQUIRE(testing::wait_until([&] { return hf.connections() == 1; }, 10s));
  uint64_t nonce = static_cast<uint64_t>(wall_now_ns() / 1'000'000);
  standins::HashflowRfq r;
  r.rfq_id = "0x" + net::random_hex(32);
  r.nonce = nonce;
  r.base_token = addr(chain.token("WBTC"));
  r.quote_token = addr(chain.token("USDT"));
  r.trader = r.effective_trader = addr(chain.taker_address(0));
  r.base_amount = "5000000";  // 0.05 WBTC
  r.chain_id = chain.chain_id();
  r.base_decimals = 8;
  r.quote_decimals = 6;
  standins::HashflowQuoteCheck quote;
  REQUIRE(testing::wait_until(
      [&] {
        r.rfq_id = "0x" + net::random_hex(32);  // a declined rfq's id is not asked again
        quote = hf.rfq(r, 2000);
        return quote.received;
      },
      15s));
  REQUIRE_MESSAGE(quote.ok(), quote.problem);
  auto settlement = [&] {
    return db.scalar("SELECT settlement FROM fills WHERE quote_id = '" + r.rfq_id + "'");
  };
  // Hashflow's trade message may come before the transaction is mined: a promise, pending.
  REQUIRE(hf.trade("trade-1", r.rfq_id, "5000000", quote.quote_amount, true, 5000));
  CHECK(settlement() == "pending");
  auto t = chain.take_hashflow(quote.raw, 0, nonce);
  REQUIRE_MESSAGE(t.exit == 0, t.output);
  std::string tx(t.result.at("txHash").as_string());
  CHECK(testing::wait_until([&] { return settlement() == "confirmed"; }, 15s));
  CHECK(db.scalar("SELECT count(*) || ' ' || max(tx_hash) || ' ' || max(external_ref) FROM fills "
                  "WHERE quote_id = '" +
                  r.rfq_id + "'") == "1 " + tx + " trade-1");
  CHECK(db.scalar("SELECT event || ' ' || outcome FROM chain_events WHERE tx_hash = '" + tx +
                  "'") == "Hashflow Trade settled");
  net.stop();
}

TEST_CASE("a node on another chain than configured is not used: on-chain quotes say which") {
  testing::LocalChain chain(31338);
  testing::TestDatabase db;
  testing::ChainEnv env(chain, "settlement-wrong-chain");
  // Configured for 31337; the node is on 31338.
  auto cfg = json::parse(testing::chain_network_config(chain));
  cfg.as_object()["takers"].as_object()["chain_id"] = 31337;
  cfg.as_object()["takers"].as_object()["chains"].as_array()[0].as_object()["chain_id"] = 31337;
  zmq::context_t zmq;
  app::Network net(app::parse_config(json::serialize(cfg)), app::parse_components("all"), zmq,
                   db.url());
  net.start();
  auto* rfq = net.rfq();
  REQUIRE(rfq);
  standins::ZeroExTaker taker({rfq->zeroex_port(), "integrator-a", rfq->maker_address(), 31337,
                               addr(chain.exchange_proxy()), 30});
  standins::ZeroExAsk ask{addr(chain.token("WBTC")),
                          addr(chain.token("USDT")),
                          std::string("5000000"),
                          std::nullopt,
                          eth::Address{},
                          addr(chain.taker_address(0))};
  standins::ZeroExQuote q;
  CHECK(testing::wait_until(
      [&] {
        q = taker.firm(ask, now_s());
        return q.decline_reason.find("is on chain 31338, not 31337") != std::string::npos;
      },
      10s));
  CHECK(q.status == 204);
  CHECK(q.decline_reason.find("chain_unavailable") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM quotes") == "0");
  net.stop();
}

namespace {

// A transaction from `from` (impersonated on anvil, no key needed), mined before this returns.
void send_as(testing::LocalChain& chain, const std::string& from, const std::string& to,
             const std::string& data) {
  REQUIRE(chain.rpc("anvil_impersonateAccount", {json::string(from)}));
  auto tx = chain.rpc("eth_sendTransaction",
                      {json::object{{"from", from}, {"to", to}, {"data", data}}});
  REQUIRE(tx);
  REQUIRE(tx->is_string());
  json::value hash = *tx;
  REQUIRE(testing::wait_until(
      [&] {
        auto r = chain.rpc("eth_getTransactionReceipt", {hash});
        return r && r->is_object() && r->as_object().at("status") == "0x1";
      },
      10s));
}

// ERC-20 call data: approve(spender, amount) and transfer(to, amount).
std::string erc20_call(const char* signature, const std::string& who, uint64_t amount) {
  std::string word = addr(who).to_hex().substr(2);
  std::string amt = UInt256(amount).to_hex().substr(2);
  auto sel = chain::selector(signature);
  return eth::to_hex0x(std::span<const uint8_t>(sel.data(), sel.size())) +
         std::string(24, '0') + word + std::string(64 - amt.size(), '0') + amt;
}

}  // namespace

TEST_CASE(
    "the maker's wallet is a venue: a firm quote beyond its balance or allowance is refused, "
    "live quotes reserve what they pay out") {
  testing::LocalChain chain;
  testing::TestDatabase db;
  testing::ChainEnv env(chain, "settlement-wallet");
  auto cfg = json::parse(testing::chain_network_config(chain));
  cfg.as_object()["takers"].as_object()["chains"].as_array()[0].as_object()["wallet_refresh_ms"] =
      300;
  cfg.as_object()["hedging"].as_object()["metrics"] = json::object{{"port", 0}};
  // The first quote's hold must outlast the case on a busy machine.
  cfg.as_object()["takers"].as_object()["zeroex"].as_object()["expiry_s"] = 600;
  cfg.as_object()["takers"].as_object()["tokens"].as_array()[0].as_object()["floor"] = "0.5";
  zmq::context_t zmq;
  app::Network net(app::parse_config(json::serialize(cfg)), app::parse_components("all"), zmq,
                   db.url());
  net.start();
  auto* rfq = net.rfq();
  REQUIRE(rfq);
  const auto* wallet = rfq->wallet();
  REQUIRE(wallet);
  const std::string maker = chain.maker_address(), wbtc = chain.token("WBTC");
  const auto proxy = addr(chain.exchange_proxy());
  const chain::FundsSource zeroex_funds{addr(maker), proxy, {}};
  auto wbtc_left = [&] {
    auto v = wallet->available(zeroex_funds, addr(wbtc));
    return v ? v->to_decimal() : std::string("unread");
  };
  REQUIRE(testing::wait_until([&] { return wbtc_left() == "100000000000"; }, 15s));  // 1000 WBTC

  standins::ZeroExTaker taker(
      {rfq->zeroex_port(), "integrator-a", rfq->maker_address(), chain.chain_id(), proxy, 30});
  // The taker buys 0.02 WBTC: the maker pays WBTC out of its wallet through the proxy.
  standins::ZeroExAsk buy_btc{addr(chain.token("USDT")), addr(wbtc), std::nullopt,
                              std::string("2000000"),    eth::Address{}, addr(chain.taker_address(0))};
  auto firm_ok = [&] {
    standins::ZeroExQuote q;
    REQUIRE(testing::wait_until([&] { return (q = taker.firm(buy_btc, now_s())).ok(); }, 15s));
    return q;
  };
  firm_ok();  // quotes while the wallet can pay (and reserves 0.02 WBTC until expiry)
  CHECK(wbtc_left() == "99998000000");

  // The proxy may pull only 0.01 WBTC now.
  send_as(chain, maker, wbtc, erc20_call("approve(address,uint256)", proxy.to_hex(), 1'000'000));
  REQUIRE(testing::wait_until([&] { return wbtc_left() == "0"; }, 10s));  // 0.02 already held
  auto q = taker.firm(buy_btc, now_s());
  CHECK(q.status == 204);
  CHECK_MESSAGE(q.decline_reason.find("insufficient_allowance") != std::string::npos,
                q.decline_reason);
  CHECK_MESSAGE(q.decline_reason.find("the 0x Exchange Proxy may pull 0.01 WBTC") !=
                    std::string::npos,
                q.decline_reason);
  auto indicative = taker.indicative(buy_btc);
  CHECK(indicative.status == 204);
  CHECK(db.scalar("SELECT count(*) FROM quotes WHERE protocol = 'zeroex'") == "1");

  // Approved again, but the wallet holds only 0.03 WBTC: one more 0.02 fits beside the live one
  // only after it expires; the balance is what refuses now.
  send_as(chain, maker, wbtc,
          erc20_call("approve(address,uint256)", proxy.to_hex(), 1'000'000'000'000ULL));
  send_as(chain, maker, wbtc,
          erc20_call("transfer(address,uint256)", chain.taker_address(1), 99'997'000'000ULL));
  REQUIRE(testing::wait_until([&] { return wbtc_left() == "1000000"; }, 10s));
  q = taker.firm(buy_btc, now_s());
  CHECK(q.status == 204);
  CHECK_MESSAGE(q.decline_reason.find("insufficient_wallet_balance") != std::string::npos,
                q.decline_reason);
  CHECK_MESSAGE(q.decline_reason.find("holds 0.03 WBTC, live quotes reserve 0.02 WBTC, this "
                                      "quote pays out 0.02 WBTC: at most 0.01 WBTC") !=
                    std::string::npos,
                q.decline_reason);
  CHECK(db.scalar("SELECT count(*) FROM quotes WHERE protocol = 'zeroex'") == "1");
  CHECK(wallet->stats().refused_allowance >= 2);
  CHECK(wallet->stats().refused_balance >= 1);
  // Hedging counts the wallet beside the venues: what it holds and what live quotes reserve.
  auto* hedging = net.hedging();
  REQUIRE(hedging);
  std::string labels = "{chain=\"anvil\",holder=\"" + addr(maker).to_checksum() + "\",token=\"WBTC\"}";
  std::string scrape;
  CHECK_MESSAGE(testing::wait_until(
                    [&] {
                      scrape = testing::http_call(hedging->metrics_port(), "GET", "/metrics").body;
                      return scrape.find("aqueduct_wallet_balance" + labels + " 0.03") !=
                             std::string::npos;
                    },
                    10s),
                scrape);
  CHECK(scrape.find("aqueduct_wallet_reserved" + labels + " 0.02") != std::string::npos);
  CHECK(scrape.find("aqueduct_wallet_below_floor" + labels + " 1") != std::string::npos);  // 0.5
  net.stop();

  // After a restart the order signed first may still settle: it is held again from the record
  // before anything new is quoted against the same tokens.
  app::Network again(app::parse_config(json::serialize(cfg)), app::parse_components("all"), zmq,
                     db.url());
  again.start();
  const auto* wallet2 = again.rfq()->wallet();
  REQUIRE(wallet2);
  CHECK(testing::wait_until(
      [&] {
        auto v = wallet2->available(zeroex_funds, addr(wbtc));
        return v && v->to_decimal() == "1000000";  // 0.03 held, 0.02 of it promised
      },
      15s));
  CHECK(wallet2->book().reserved(addr(maker), addr(wbtc)) == UInt256(2'000'000));
  again.stop();
}
