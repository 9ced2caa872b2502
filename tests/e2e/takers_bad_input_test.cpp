// Hostile and malformed requests across every takers' protocol (issue 5, deliverable 8), over
// real sockets against the whole network: the native API (REST and WebSocket), 0x, Hashflow and
// Bebop through their stand-ins. Each case must get its specific error (Hashflow has no error
// message: the maker stays silent and records why) and nothing may be recorded: no quote, no
// fill, no reservation left behind.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <functional>
#include <regex>
#include <thread>

#include "aqueduct/app/network.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/standins/bebop_server.hpp"
#include "aqueduct/standins/hashflow_server.hpp"
#include "aqueduct/standins/zeroex_taker.hpp"
#include "aqueduct/testing/http.hpp"
#include "aqueduct/testing/native_client.hpp"
#include "aqueduct/testing/network_config.hpp"
#include "aqueduct/testing/test_database.hpp"
#include "aqueduct/testing/wait.hpp"
#include "aqueduct/testing/ws_test_client.hpp"

using namespace aq;
using namespace std::chrono_literals;
namespace json = boost::json;
using testing::kUSDT;
using testing::kWBTC;
using testing::kWETH;

namespace {

const char* kProxy = "0xDef1C0ded9bec7F1a1670819833240f027b25EfF";
const char* kPool = "0x1111111111111111111111111111111111111111";
const char* kSettlement = "0xbbbbbBB520d69a9775E85b458C58c648259FAD5F";
const char* kUser = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const char* kNobody = "0x5555555555555555555555555555555555555555";  // not a listed token
const std::string k2pow256 =
    "115792089237316195423570985008687907853269984665640564039457584007913129639936";

eth::Address addr(const char* s) {
  return *eth::Address::parse(s);
}
int64_t now_s() {
  return wall_now_ns() / 1'000'000'000;
}

// "STATUS error: message" of a native or 0x reply, the form the table's expectations match.
std::string outcome(const testing::Reply& r) {
  std::string s = std::to_string(r.status);
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    if (auto* e = o.if_contains("error")) s += " " + std::string(e->as_string());
    if (auto* m = o.if_contains("message")) s += ": " + std::string(m->as_string());
    if (auto* es = o.if_contains("errors"))
      for (const auto& e : es->as_array()) s += " | " + std::string(e.as_string());
    if (auto* p = o.if_contains("proceedWithFill")) s += p->as_bool() ? " proceed" : " no-proceed";
    if (auto* why = o.if_contains("reason")) s += " (" + std::string(why->as_string()) + ")";
  }
  if (auto d = r.header("X-Aqueduct-Decline"); !d.empty()) s += " decline: " + d;
  return s;
}

// A raw TCP client that sends `bytes` and then nothing: how long until the server hangs up.
int64_t ms_until_closed(uint16_t port, const std::string& bytes, std::chrono::milliseconds limit) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket s(io);
  // From before the connection exists: the server's read timer starts at its accept, so the
  // measured time is never shorter than its timeout (a loaded machine may run the accept
  // before this thread returns from write).
  auto t0 = std::chrono::steady_clock::now();
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::write(s, boost::asio::buffer(bytes));
  timeval tv{0, 100'000};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[4096];
  while (std::chrono::steady_clock::now() - t0 < limit) {
    ssize_t n = ::recv(s.native_handle(), buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - t0)
          .count();
  }
  return -1;
}

std::string hashflow_rfq_id(int n) {
  char buf[67];
  std::snprintf(buf, sizeof buf, "0x%064x", n);
  return buf;
}

struct Case {
  const char* protocol;
  std::string what;
  std::function<std::string()> run;  // what the requester saw
  std::string expect;                // must appear in it
};

}  // namespace

TEST_CASE("bad input across the takers' protocols: each refused specifically, nothing recorded") {
  testing::TestDatabase db;
  testing::set_takers_test_credentials("badinput");
  setenv("AQ_TEST_ZEROEX_KEYS", "integrator-a", 1);
  setenv("AQ_TEST_HASHFLOW_KEY", "hf-maker-secret", 1);
  setenv("AQ_TEST_BEBOP_KEY", "bebop-test-key", 1);
  standins::HashflowServer hf("Aqueduct", "hf-maker-secret", addr(testing::kTestMakerAddress),
                              addr(kPool));
  standins::BebopServer bebop("bebop-test-key", addr(testing::kTestMakerAddress),
                              addr(kSettlement));
  auto cfg = json::parse(testing::network_config_with_takers(
      std::string(R"("zeroex": {"listen": "127.0.0.1", "port": 0, "exchange_proxy": ")") + kProxy +
          R"(", "api_key_env": "AQ_TEST_ZEROEX_KEYS", "last_look_tolerance_bps": "50"},
          "hashflow": {"host": "127.0.0.1", "port": )" +
          std::to_string(hf.port()) +
          R"(, "tls": false, "maker_name": "Aqueduct", "auth_env": "AQ_TEST_HASHFLOW_KEY", "pool": ")" +
          kPool +
          R"(", "levels_interval_ms": 200},
          "bebop": {"host": "127.0.0.1", "port": )" +
          std::to_string(bebop.port()) +
          R"(, "tls": false, "chain": "ethereum", "auth_env": "AQ_TEST_BEBOP_KEY", "settlement": ")" +
          kSettlement + R"(", "pricing_interval_ms": 400})",
      "3"));
  cfg.as_object()["rfq"].as_object()["read_timeout_ms"] = 1000;
  // BTC quotes outlive the table, so the one it aims at is still live at the end.
  cfg.as_object()["listings"].as_array()[0].as_object()["quote_ttl_ms"] = 120'000;
  zmq::context_t zmq;
  app::Network net(app::parse_config(json::serialize(cfg)), app::parse_components("all"), zmq,
                   db.url());
  net.start();
  auto* rfq = net.rfq();
  REQUIRE(rfq);
  REQUIRE(
      testing::wait_until([&] { return hf.connections() == 1 && bebop.connections() == 3; }, 5s));

  auto creds = testing::add_native_client(db.url(), "inst-a", {.rate_limit_per_s = 1000});
  auto other = testing::add_native_client(db.url(), "inst-b", {.rate_limit_per_s = 1000});
  testing::NativeClient c{net.rfq_port(), creds}, c_other{net.rfq_port(), other};
  standins::ZeroExTaker zx(
      {rfq->zeroex_port(), "integrator-a", rfq->maker_address(), 1, addr(kProxy), 120});

  // Legitimate business first, whose quotes the hostile requests then aim at.
  auto quote_of = [](const testing::Reply& r) {
    return std::string(json::parse(r.body).at("quote_id").as_string());
  };
  testing::Reply filled_q, live_q, eth_q;
  REQUIRE(testing::wait_until(
      [&] {
        return (filled_q =
                    c.post("/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})"))
                   .status == 200;
      },
      10s));
  REQUIRE(
      c.post("/v1/accept", R"({"quote_id":")" + quote_of(filled_q) + R"(","accept_id":"legit-1"})")
          .status == 200);
  live_q = c.post("/v1/quote", R"({"listing":"BTC-USDT","side":"sell","qty":"0.1"})");
  REQUIRE(live_q.status == 200);
  eth_q =
      c.post("/v1/quote", R"({"listing":"ETH-USDT","side":"sell","qty":"0.5"})");  // lives 300 ms
  REQUIRE(eth_q.status == 200);
  standins::ZeroExAsk sell_btc{
      addr(kWBTC), addr(kUSDT), std::string("10000000"), std::nullopt, eth::Address{}, addr(kUser),
      true,        "0"};
  standins::ZeroExQuote zq;
  REQUIRE(testing::wait_until([&] { return (zq = zx.firm(sell_btc, now_s())).ok(); }, 10s));
  REQUIRE(json::parse(zx.submit(zq, "10000000", kWBTC).body).at("proceedWithFill").as_bool());
  std::this_thread::sleep_for(350ms);  // the ETH quote expires

  const std::string filled = quote_of(filled_q), live = quote_of(live_q), expired = quote_of(eth_q);
  auto count = [&](const char* table) {
    return db.scalar(std::string("SELECT count(*) FROM ") + table);
  };
  REQUIRE(testing::wait_until([&] { return count("quotes") == "4" && count("fills") == "2"; }, 5s));
  auto hf_quotes = rfq->hashflow()->stats().quotes_sent;
  auto bebop_quotes = rfq->bebop()->stats().quotes_sent;

  auto native = [&](std::string method, std::string target, std::string body) {
    return [&c, method, target, body] { return outcome(c.call(method, target, body)); };
  };
  auto zeroex = [&](std::string target) {
    return [&, target] {
      return outcome(testing::http_call(rfq->zeroex_port(), "GET", target, "",
                                        {{"0x-api-key", "integrator-a"}}));
    };
  };
  auto zx_query = [&](auto alter) {
    auto a = sell_btc;
    a.last_look = false;
    alter(a);
    return "/quote?" + zx.query(a);
  };
  int next_rfq = 100;
  auto hashflow = [&](std::function<void(standins::HashflowRfq&, json::object&)> alter) {
    return [&, alter] {
      standins::HashflowRfq r;
      r.rfq_id = hashflow_rfq_id(next_rfq++);
      r.nonce = 1700000000000 + static_cast<uint64_t>(next_rfq);
      r.base_token = addr(kWBTC);
      r.quote_token = addr(kUSDT);
      r.trader = r.effective_trader = addr(kUser);
      r.base_amount = "10000000";
      json::value frame = json::parse(standins::HashflowServer::rfq_frame(r));
      alter(r, frame.as_object()["message"].as_object());
      if (hf.rfq_raw(r.rfq_id, json::serialize(frame), 600)) return std::string("quoted");
      return "no quote: " + rfq->hashflow()->last_decline();
    };
  };
  int next_bebop = 100;
  auto bebop_case = [&](std::function<void(json::object & msg, json::object & leg)> alter) {
    return [&, alter] {
      standins::BebopAsk a;
      a.quote_id = "121-bad" + std::to_string(next_bebop++);
      a.taker_token = addr(kWBTC);
      a.maker_token = addr(kUSDT);
      a.taker_address = addr(kUser);
      a.taker_amount = "10000000";
      a.expiry = static_cast<uint64_t>(now_s() + 60);
      json::value frame = json::parse(standins::BebopServer::request_frame(a));
      auto& msg = frame.as_object()["msg"].as_object();
      alter(msg, msg["quotes"].as_array()[0].as_object());
      auto ans = bebop.quote_raw(a.quote_id, json::serialize(frame), 2000);
      if (!ans.received) return std::string("no answer");
      return ans.error_type.empty() ? std::string("quoted")
                                    : "error " + ans.error_type + ": " + ans.error_message;
    };
  };
  auto ws_frame = [&](std::string frame) {
    return [&, frame] {
      testing::WsTestClient ws;
      if (!ws.open(c.port, "/v1/ws",
                   rfq::native_auth_headers(creds, "GET", "/v1/ws", "", testing::unique_now_ms())))
        return std::string("upgrade refused");
      ws.send(frame);
      auto f = ws.recv(3s);
      if (!f) return std::string(ws.closed() ? "closed" : "silent");
      auto o = json::parse(*f).as_object();
      return std::string(o.at("type").as_string()) + " " +
             (o.contains("error") ? std::string(o.at("error").as_string()) + ": " +
                                        std::string(o.at("message").as_string())
                                  : std::string());
    };
  };
  const std::string btc1 = R"({"listing":"BTC-USDT","side":"buy","qty":"0.1"})";

  std::vector<Case> cases = {
      // --- native REST: the request itself ---
      {"native", "unknown listing",
       native("POST", "/v1/quote", R"({"listing":"DOGE-USDT","side":"buy","qty":"1"})"),
       "422 unknown_listing: listing 'DOGE-USDT' is not quoted; listings: BTC-USDT, ETH-USDT"},
      {"native", "zero qty",
       native("POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0"})"),
       "400 bad_qty: qty must be greater than zero"},
      {"native", "negative qty",
       native("POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"-1"})"),
       "400 bad_qty"},
      {"native", "overflowing qty",
       native("POST", "/v1/quote",
              R"({"listing":"BTC-USDT","side":"buy","qty":"99999999999999999999"})"),
       "400 bad_qty"},
      {"native", "too many decimals",
       native("POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"0.000001"})"),
       "at most 5 decimals"},
      {"native", "qty as a JSON number",
       native("POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":0.1})"),
       "400 malformed_request: fields listing, side and qty are required"},
      {"native", "bad side",
       native("POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"long","qty":"1"})"),
       "400 bad_side: side 'long' is invalid"},
      {"native", "body not JSON", native("POST", "/v1/quote", "listing=BTC-USDT"),
       "400 malformed_request: body must be a JSON object"},
      {"native", "size above the listing's max",
       native("POST", "/v1/quote", R"({"listing":"BTC-USDT","side":"buy","qty":"6"})"),
       "422 size_too_large"},
      {"native", "wrong method", native("GET", "/v1/quote", ""),
       "405 method_not_allowed: /v1/quote takes POST"},
      {"native", "a query parameter given twice",
       native("GET", "/v1/price?listing=BTC-USDT&side=buy&qty=0.1&qty=900", ""),
       "400 malformed_request: query parameter qty is given more than once"},
      {"native", "unknown endpoint", native("GET", "/v1/admin", ""), "404 not_found"},
      // --- native REST: accepts ---
      {"native", "accept an unknown quote",
       native("POST", "/v1/accept", R"({"quote_id":"q_0000"})"), "404 unknown_quote"},
      {"native", "accept an expired quote",
       native("POST", "/v1/accept", R"({"quote_id":")" + expired + R"("})"), "410 quote_expired"},
      {"native", "accept a filled quote again",
       native("POST", "/v1/accept", R"({"quote_id":")" + filled + R"(","accept_id":"legit-2"})"),
       "409 quote_already_filled"},
      {"native", "accept more than quoted",
       native("POST", "/v1/accept", R"({"quote_id":")" + live + R"(","qty":"0.2"})"),
       "422 bad_fill_qty: fill size must be above zero and at most the quote's size"},
      {"native", "accept another client's quote",
       [&] { return outcome(c_other.post("/v1/accept", R"({"quote_id":")" + live + R"("})")); },
       "404 unknown_quote"},
      {"native", "accept id too long",
       native("POST", "/v1/accept",
              R"({"quote_id":")" + live + R"(","accept_id":")" + std::string(65, 'x') + R"("})"),
       "400 bad_accept_id: accept_id must be a string of 1 to 64 characters"},
      {"native", "accept without quote id", native("POST", "/v1/accept", R"({"accept_id":"x"})"),
       "400 malformed_request: quote_id is required"},
      // --- native: authentication ---
      {"native", "bad HMAC",
       [&] {
         return outcome(
             testing::NativeClient{c.port, {creds.key_id, "as_00"}}.post("/v1/quote", btc1));
       },
       "401 unauthorized: X-AQ-SIGNATURE does not match this request"},
      {"native", "replayed request",
       [&] {
         auto h = rfq::native_auth_headers(creds, "POST", "/v1/quote",
                                           R"({"listing":"BTC-USDT","side":"buy","qty":"9"})",
                                           testing::unique_now_ms());
         testing::http_call(c.port, "POST", "/v1/quote",
                            R"({"listing":"BTC-USDT","side":"buy","qty":"9"})",
                            h);  // size_too_large: records nothing
         return outcome(testing::http_call(c.port, "POST", "/v1/quote",
                                           R"({"listing":"BTC-USDT","side":"buy","qty":"9"})", h));
       },
       "401 replayed_request"},
      {"native", "timestamp 1 min old",
       [&] {
         return outcome(
             testing::http_call(c.port, "POST", "/v1/quote", btc1,
                                rfq::native_auth_headers(creds, "POST", "/v1/quote", btc1,
                                                         testing::unique_now_ms() - 60'000)));
       },
       "401 stale_timestamp"},
      {"native", "no signature headers",
       [&] { return outcome(testing::http_call(c.port, "POST", "/v1/quote", btc1)); },
       "401 unauthorized: missing authentication"},
      {"native", "unknown key id",
       [&] {
         return outcome(
             testing::NativeClient{c.port, {"ak_ffffffffffffffffffffffff", creds.secret}}.post(
                 "/v1/quote", btc1));
       },
       "is not the key id of an active client"},
      {"native", "oversized body",
       native("POST", "/v1/quote",
              R"({"listing":"BTC-USDT","side":"buy","qty":"0.1","pad":")" +
                  std::string(70'000, 'x') + R"("})"),
       "413"},
      {"native", "slow client (headers never finished)",
       [&] {
         // Closed by the 1 s read timeout: not before it, and not long after (a loaded
         // machine may be late by a little).
         auto ms = ms_until_closed(c.port, "POST /v1/quote HTTP/1.1\r\nHost: x\r\n", 4s);
         if (ms < 0) return std::string("still open after 4 s");
         if (ms >= 1000 && ms < 3000) return std::string("closed after the read timeout");
         return "closed after " + std::to_string(ms) + " ms";
       },
       "closed after the read timeout"},
      {"native", "slow client (body never finished)",
       [&] {
         auto ms = ms_until_closed(
             c.port,
             "POST /v1/quote HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"listing\"", 4s);
         return ms < 0 ? std::string("still open after 4 s") : std::string("closed");
       },
       "closed"},
      // --- native WebSocket ---
      {"native ws", "unsigned upgrade",
       [&] {
         testing::WsTestClient ws;
         return ws.open(c.port, "/v1/ws") ? std::string("open")
                                          : std::to_string(ws.refusal_status());
       },
       "401"},
      {"native ws", "frame not JSON", ws_frame("hello"), "error malformed_request"},
      {"native ws", "unknown op", ws_frame(R"({"op":"withdraw","id":1})"),
       "error unknown_op: op 'withdraw' is unknown; allowed: subscribe, unsubscribe, quote, "
       "accept, ping"},
      {"native ws", "quote with overflowing qty",
       ws_frame(R"({"op":"quote","listing":"BTC-USDT","side":"sell","qty":"1e400"})"),
       "error bad_qty"},
      {"native ws", "double accept", ws_frame(R"({"op":"accept","quote_id":")" + filled + R"("})"),
       "error quote_already_filled"},
      {"native ws", "frame above 16 KiB",
       ws_frame(R"({"op":"ping","pad":")" + std::string(20'000, 'x') + R"("})"), "closed"},
      // --- 0x ---
      {"0x", "unknown sell token", zeroex(zx_query([](auto& a) { a.sell_token = addr(kNobody); })),
       "is not traded"},
      {"0x", "both amounts", zeroex(zx_query([](auto& a) { a.buy_amount = "1"; })),
       "400 | exactly one of sellAmountBaseUnits and buyAmountBaseUnits is required"},
      {"0x", "neither amount", zeroex(zx_query([](auto& a) { a.sell_amount.reset(); })),
       "exactly one of"},
      {"0x", "zero amount", zeroex(zx_query([](auto& a) { a.sell_amount = "0"; })),
       "must be above zero and fit uint128"},
      {"0x", "negative amount", zeroex(zx_query([](auto& a) { a.sell_amount = "-5"; })),
       "400 | sellAmountBaseUnits '-5'"},
      {"0x", "amount 2^256", zeroex(zx_query([&](auto& a) { a.sell_amount = k2pow256; })),
       "400 | sellAmountBaseUnits"},
      {"0x", "same token both sides", zeroex(zx_query([](auto& a) { a.buy_token = a.sell_token; })),
       "must differ"},
      {"0x", "short taker address",
       zeroex("/quote?sellTokenAddress=" + std::string(kWBTC) + "&buyTokenAddress=" + kUSDT +
              "&takerAddress=0x1234&txOrigin=" + kUser +
              "&protocolVersion=4&chainId=1&sellAmountBaseUnits=1000"),
       "takerAddress '0x1234'"},
      {"0x", "bad EIP-55 checksum",
       zeroex(
           "/quote?sellTokenAddress=0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C59A&buyTokenAddress=" +
           std::string(kUSDT) +
           "&takerAddress=0x0000000000000000000000000000000000000000&txOrigin=" + kUser +
           "&protocolVersion=4&chainId=1&sellAmountBaseUnits=1000"),
       "sellTokenAddress"},
      {"0x", "wrong chain",
       zeroex(std::regex_replace(zx_query([](auto&) {}), std::regex("chainId=1"), "chainId=137")),
       "400 | chainId"},
      {"0x", "a parameter given twice", zeroex(zx_query([](auto&) {}) + "&chainId=137"),
       "400 | chainId is given more than once"},
      {"0x", "no API key",
       [&] {
         return outcome(testing::http_call(rfq->zeroex_port(), "GET", zx_query([](auto&) {})));
       },
       "401"},
      // Last look is answered once per order: the same ask again hears the same answer (and
      // records nothing new, checked below); another amount is declined.
      {"0x", "submit of a filled order, same amount", [&] { return outcome(zx.submit(zq, "10000000", kWBTC)); },
       "200 proceed"},
      {"0x", "submit of a filled order, another amount",
       [&] { return outcome(zx.submit(zq, "5000000", kWBTC)); }, "no-proceed (last_look_answered"},
      {"0x", "submit of a tampered order",
       [&] {
         auto t = zq;
         t.order->maker_amount = *t.order->maker_amount.checked_add(1);
         return outcome(zx.submit(t, "10000000", kWBTC));
       },
       "does not hash to orderHash"},
      {"0x", "oversized submit body",
       [&] {
         return outcome(testing::http_call(rfq->zeroex_port(), "POST", "/submit",
                                           std::string(70'000, ' '),
                                           {{"0x-api-key", "integrator-a"}}));
       },
       "413"},
      {"0x", "slow client",
       [&] {
         return ms_until_closed(rfq->zeroex_port(), "GET /quote HTTP/1.1\r\n", 4s) < 0 ? "open"
                                                                                       : "closed";
       },
       "closed"},
      // --- Hashflow (no decline message: silence, and the reason recorded) ---
      {"hashflow", "unknown base token", hashflow([](auto&, json::object& m) {
         m["baseToken"] = json::string(eth::Address(addr(kNobody)).to_hex());
       }),
       "no quote: "},
      {"hashflow", "both amounts",
       hashflow([](auto&, json::object& m) { m["quoteTokenAmount"] = "1000"; }), "no quote: "},
      {"hashflow", "zero amount",
       hashflow([](auto&, json::object& m) { m["baseTokenAmount"] = "0"; }), "no quote: "},
      {"hashflow", "amount 2^256",
       hashflow([&](auto&, json::object& m) { m["baseTokenAmount"] = k2pow256; }),
       "no quote: malformed rfqT: baseTokenAmount is not a whole number of base units"},
      {"hashflow", "bad trader address",
       hashflow([](auto&, json::object& m) { m["trader"] = "0x1234"; }),
       "no quote: malformed rfqT: trader is not an address"},
      {"hashflow", "cross-chain request",
       hashflow([](auto&, json::object& m) { m["quoteChain"].as_object()["chainId"] = 137; }),
       "no quote: chain 1->137 is not served"},
      // --- Bebop ---
      {"bebop", "unknown taker token", bebop_case([](json::object&, json::object& leg) {
         leg["taker_token"] = json::string(addr(kNobody).to_hex());
       }),
       "error unavailable: "},
      {"bebop", "both amounts",
       bebop_case([](json::object&, json::object& leg) { leg["maker_amount"] = "1000"; }),
       "error rejected: exactly one of taker_amount and maker_amount"},
      {"bebop", "zero amount",
       bebop_case([](json::object&, json::object& leg) { leg["taker_amount"] = "0"; }),
       "error rejected: taker_amount must be a whole number of base units above zero"},
      {"bebop", "amount 2^256",
       bebop_case([&](json::object&, json::object& leg) { leg["taker_amount"] = k2pow256; }),
       "error rejected: taker_amount must be a whole number"},
      {"bebop", "bad taker address",
       bebop_case([](json::object& m, json::object&) { m["taker_address"] = "0xnothex"; }),
       "error rejected: taker_address is missing or not an address"},
      {"bebop", "expiry in the past",
       bebop_case([](json::object& m, json::object&) { m["expiry"] = now_s() - 10; }),
       "error rejected: expiry must be in the future"},
  };
  CHECK(cases.size() >= 40);
  for (auto& k : cases) {
    CAPTURE(k.protocol);
    CAPTURE(k.what);
    auto saw = k.run();
    CAPTURE(saw);
    CHECK(saw.find(k.expect) != std::string::npos);
  }

  // Nothing recorded by any of them: no quote row (written behind: give the writer time), no
  // fill, no quote signed for Hashflow or Bebop; the live quote is still live and its
  // reservation intact, so it still fills.
  std::this_thread::sleep_for(300ms);
  CHECK(count("quotes") == "4");
  CHECK(count("fills") == "2");
  CHECK(rfq->hashflow()->stats().quotes_sent == hf_quotes);
  CHECK(rfq->bebop()->stats().quotes_sent == bebop_quotes);
  CHECK(c.post("/v1/accept", R"({"quote_id":")" + live + R"("})").status == 200);
  net.stop();
}
