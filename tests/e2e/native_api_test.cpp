// The native institutional API end to end (issue 5, deliverable 5): signed REST and WebSocket
// against the whole network on the simulator, with a real PostgreSQL. Operators' changes to a
// client (tier, zero fee, limits, deactivation, re-keying) reach the running gateway.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/record/database.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/testing/ws_test_client.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

json::object obj(const std::string& s) {
  return json::parse(s).as_object();
}
json::object obj(const testing::Reply& r) {
  return obj(r.body);
}
std::string str(const json::object& o, const char* k) {
  return std::string(o.at(k).as_string());
}

// The next frame of `type` (others, e.g. level updates, are skipped).
std::optional<json::object> next_of(testing::WsTestClient& ws, const std::string& type,
                                    std::chrono::milliseconds timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto f = ws.recv(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
    if (!f) return std::nullopt;
    auto o = obj(*f);
    if (str(o, "type") == type) return o;
  }
  return std::nullopt;
}

std::string config_with_tiers() {
  auto v = json::parse(testing::network_config_json());
  v.as_object()["pricer"].as_object()["tiers"] =
      json::parse(R"([{"name":"standard","markup_bps":"2"},{"name":"vip","markup_bps":"1"}])");
  return json::serialize(v);
}

}  // namespace

TEST_CASE("native API: signed REST and WebSocket, operators' changes applied while running") {
  testing::TestDatabase db;
  testing::set_takers_test_credentials("native");
  // A generous rate: the test polls while it waits for changes to take effect.
  auto creds = testing::add_native_client(db.url(), "inst-1", {.rate_limit_per_s = 1000});
  zmq::context_t zmq;
  app::Network net(app::parse_config(config_with_tiers()), app::parse_components("all"), zmq,
                   db.url());
  net.start();
  testing::NativeClient c{net.rfq_port(), creds};
  rfq::RfqStore ops(record::connect(db.url()));
  const std::string btc = R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})";
  testing::Reply q;
  REQUIRE(testing::wait_until([&] { return (q = c.post("/v1/quote", btc)).status == 200; }, 10s));

  // Quotes are written behind: wait for the first before counting.
  auto quotes_now = [&] { return db.scalar("SELECT count(*) FROM quotes"); };
  REQUIRE(testing::wait_until(
      [&] {
        return db.scalar("SELECT count(*) FROM quotes WHERE quote_id = '" +
                         str(obj(q), "quote_id") + "'") == "1";
      },
      5s));

  SUBCASE(
      "signatures: a replay, a stale or future timestamp, a wrong secret are refused, nothing "
      "recorded") {
    auto quotes = quotes_now();
    auto h = rfq::native_auth_headers(creds, "POST", "/v1/quote", btc, testing::unique_now_ms());
    h.emplace_back("Content-Type", "application/json");
    auto first = testing::http_call(c.port, "POST", "/v1/quote", btc, h);
    CHECK(first.status == 200);
    auto again = testing::http_call(c.port, "POST", "/v1/quote", btc, h);
    CHECK(again.status == 401);
    CHECK(str(obj(again), "error") == "replayed_request");
    for (int64_t skew : {-6000, 6000}) {
      auto s = rfq::native_auth_headers(creds, "POST", "/v1/quote", btc,
                                        testing::unique_now_ms() + skew);
      auto r = testing::http_call(c.port, "POST", "/v1/quote", btc, s);
      CHECK(r.status == 401);
      CHECK(str(obj(r), "error") == "stale_timestamp");
    }
    auto wrong = testing::NativeClient{c.port, {creds.key_id, "as_" + std::string(64, '0')}}.post(
        "/v1/quote", btc);
    CHECK(wrong.status == 401);
    CHECK(str(obj(wrong), "message").find("does not match") != std::string::npos);
    auto unknown =
        testing::NativeClient{c.port, {"ak_000000000000000000000000", creds.secret}}.post(
            "/v1/quote", btc);
    CHECK(unknown.status == 401);
    auto none = testing::http_call(c.port, "POST", "/v1/quote", btc);
    CHECK(none.status == 401);
    CHECK(str(obj(none), "message").find("X-AQ-SIGNATURE") != std::string::npos);
    // The body is part of the signature: a body changed in transit is refused.
    auto tampered =
        rfq::native_auth_headers(creds, "POST", "/v1/quote", btc, testing::unique_now_ms());
    CHECK(testing::http_call(c.port, "POST", "/v1/quote",
                             R"({"listing":"BTC-USDT","side":"buy","qty":"4.9"})", tampered)
              .status == 401);
    auto expected = std::to_string(std::stoi(quotes) + 1);  // the first only
    CHECK(testing::wait_until([&] { return quotes_now() == expected; }, 5s));
    std::this_thread::sleep_for(200ms);
    CHECK(quotes_now() == expected);
  }

  SUBCASE("WebSocket: signed upgrade, level stream, quote and accept over the socket") {
    testing::WsTestClient anon;
    CHECK_FALSE(anon.open(c.port, "/v1/ws"));
    CHECK(anon.refusal_status() == 401);
    CHECK(anon.refusal_body().find("X-AQ-KEY") != std::string::npos);

    testing::WsTestClient ws;
    REQUIRE(
        ws.open(c.port, "/v1/ws",
                rfq::native_auth_headers(creds, "GET", "/v1/ws", "", testing::unique_now_ms())));
    ws.send(R"({"op":"subscribe","listing":"BTC-USDT","id":1})");
    auto sub = next_of(ws, "subscribed");
    REQUIRE(sub);
    CHECK((*sub)["id"].as_int64() == 1);
    auto lv = next_of(ws, "levels");
    REQUIRE(lv);
    CHECK(str(*lv, "listing") == "BTC-USDT");
    CHECK((*lv)["asks"].as_array().size() > 1);
    CHECK((*lv)["bid_levels"].as_array().size() == (*lv)["bids"].as_array().size());
    // Updates follow as the simulated market moves, numbered, no faster than the interval.
    auto lv2 = next_of(ws, "levels", 8s);
    REQUIRE(lv2);
    CHECK((*lv2)["seq"].as_int64() > (*lv)["seq"].as_int64());
    CHECK((*lv2)["as_of_ms"].as_int64() - (*lv)["as_of_ms"].as_int64() >= 240);

    ws.send(R"({"op":"quote","id":"q-1","listing":"BTC-USDT","side":"sell","qty":"0.2"})");
    auto quote = next_of(ws, "quote");
    REQUIRE(quote);
    CHECK(str(*quote, "id") == "q-1");
    CHECK(str(*quote, "qty") == "0.20000");
    std::string quote_id = str(*quote, "quote_id");
    ws.send(R"({"op":"accept","id":"a-1","quote_id":")" + quote_id +
            R"(","accept_id":"ws-accept-1"})");
    auto fill = next_of(ws, "fill");
    REQUIRE(fill);
    CHECK(str(*fill, "quote_id") == quote_id);
    CHECK(db.scalar("SELECT count(*) FROM fills WHERE quote_id = '" + quote_id +
                    "' AND external_ref = 'ws-accept-1'") == "1");
    // The same accept again is the same fill; a second accept id is refused.
    ws.send(R"({"op":"accept","id":"a-2","quote_id":")" + quote_id +
            R"(","accept_id":"ws-accept-1"})");
    auto replay = next_of(ws, "fill");
    REQUIRE(replay);
    CHECK(str(*replay, "fill_id") == str(*fill, "fill_id"));
    CHECK((*replay)["replay"].as_bool());
    ws.send(R"({"op":"accept","id":"a-3","quote_id":")" + quote_id + R"("})");
    auto dup = next_of(ws, "error");
    REQUIRE(dup);
    CHECK(str(*dup, "id") == "a-3");
    CHECK(str(*dup, "error") == "quote_already_filled");

    for (auto [frame, code] :
         {std::pair{"not json", "malformed_request"},
          std::pair{R"({"op":"teleport"})", "unknown_op"},
          std::pair{R"({"op":"subscribe","listing":"DOGE-USDT"})", "unknown_listing"},
          std::pair{R"({"op":"quote","listing":"BTC-USDT","side":"buy","qty":"-1"})", "bad_qty"}}) {
      CAPTURE(frame);
      ws.send(frame);
      auto e = next_of(ws, "error");
      REQUIRE(e);
      CHECK(str(*e, "error") == code);
    }
    ws.send(R"({"op":"ping","id":7})");
    auto pong = next_of(ws, "pong");
    REQUIRE(pong);
    CHECK((*pong)["id"].as_int64() == 7);
    CHECK(db.scalar("SELECT count(*) FROM fills WHERE client_id = 'inst-1'") == "1");
  }

  SUBCASE("an accept_id reused on another quote is refused 409, and that quote stays live") {
    auto first = c.post("/v1/accept",
                        R"({"quote_id":")" + str(obj(q), "quote_id") + R"(","accept_id":"acc-1"})");
    REQUIRE(first.status == 200);
    testing::Reply q2;
    REQUIRE(testing::wait_until([&] { return (q2 = c.post("/v1/quote", btc)).status == 200; }, 5s));
    std::string q2_id = str(obj(q2), "quote_id");
    // Before the fix this answered 200 "replay": true with q2's size and price and the first
    // fill's id: the client was told it traded when nothing was recorded or hedged.
    auto reused = c.post("/v1/accept", R"({"quote_id":")" + q2_id + R"(","accept_id":"acc-1"})");
    CHECK(reused.status == 409);
    CHECK(str(obj(reused), "error") == "accept_id_reused");
    CHECK(str(obj(reused), "message").find(str(obj(q), "quote_id")) != std::string::npos);
    CHECK(db.scalar("SELECT count(*) FROM fills WHERE quote_id = '" + q2_id + "'") == "0");
    // The quote was not used up by the refused accept: a fresh accept id fills it.
    auto second = c.post("/v1/accept", R"({"quote_id":")" + q2_id + R"(","accept_id":"acc-2"})");
    CHECK(second.status == 200);
    CHECK(db.scalar("SELECT count(*) FROM fills WHERE quote_id = '" + q2_id +
                    "' AND external_ref = 'acc-2'") == "1");
    // The same accept again is still the same fill.
    auto again = c.post("/v1/accept",
                        R"({"quote_id":")" + str(obj(q), "quote_id") + R"(","accept_id":"acc-1"})");
    CHECK(again.status == 200);
    CHECK(str(obj(again), "fill_id") == str(obj(first), "fill_id"));
  }

  SUBCASE(
      "operators: tier and zero fee, limits, deactivation and re-keying take effect while "
      "running") {
    auto markup = [&](const testing::Reply& r) {
      return str(obj(r)["breakdown"].as_object(), "markup");
    };
    CHECK(markup(q) != "0");
    ops.change_client("inst-1", {.zero_fee = true}, "test");
    testing::Reply zq;
    CHECK(testing::wait_until(
        [&] {
          zq = c.post("/v1/quote", btc);
          return zq.status == 200 && markup(zq) == "0";
        },
        5s));
    CHECK(str(obj(zq)["breakdown"].as_object(), "tier").find("zero fee") != std::string::npos);

    rfq::ClientChange limit;
    limit.max_quote_notional = 1000 * 1'000'000LL;  // 1,000 USD; 0.1 BTC is ~3,000
    ops.change_client("inst-1", limit, "test");
    testing::Reply lq;
    CHECK(testing::wait_until([&] { return (lq = c.post("/v1/quote", btc)).status == 422; }, 5s));
    CHECK(str(obj(lq), "error") == "notional_too_large");
    CHECK(str(obj(lq), "message").find("1000") != std::string::npos);
    CHECK(c.post("/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.01"})").status == 200);
    CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'client.change' AND subject = "
                    "'inst-1'") == "2");

    // A WebSocket of a client being deactivated is told and closed; its key stops working.
    testing::WsTestClient ws;
    REQUIRE(
        ws.open(c.port, "/v1/ws",
                rfq::native_auth_headers(creds, "GET", "/v1/ws", "", testing::unique_now_ms())));
    ops.change_client("inst-1", {.active = false}, "test");
    auto told = next_of(ws, "error", 6s);
    REQUIRE(told);
    CHECK(str(*told, "error") == "client_inactive");
    CHECK(testing::wait_until([&] { return c.post("/v1/quote", btc).status == 401; }, 5s));

    // Re-keyed: the old key id is refused, the new one works.
    ops.change_client("inst-1", {.active = true}, "test");
    auto keys = rfq::ClientKeys::load("AQ_CLIENT_KEY_MASTER", "", false);
    rfq::NativeCredentials fresh{rfq::ClientKeys::new_key_id(), ""};
    fresh.secret = keys.secret(fresh.key_id);
    ops.rekey_client("inst-1", fresh.key_id, "test");
    testing::NativeClient c2{c.port, fresh};
    CHECK(testing::wait_until(
        [&] {
          return c2.post("/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.01"})")
                     .status == 200;
        },
        5s));
    CHECK(c.post("/v1/quote", btc).status == 401);
  }
  net.stop();
}
