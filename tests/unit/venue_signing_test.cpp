// Every signing test vector of shared/research/venues.md, reproduced through our request
// builders where the vector is an order or a cancel, so the bytes we send are the bytes signed.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aqueduct/connectors/binance/signing.hpp"
#include "aqueduct/connectors/bitmex/signing.hpp"
#include "aqueduct/connectors/bybit/signing.hpp"
#include "aqueduct/connectors/okx/signing.hpp"
#include "aqueduct/net/hmac.hpp"

using namespace aq;

namespace {
Instrument make(const std::string& symbol, int price_scale, int qty_scale) {
  Instrument i;
  i.symbol = symbol;
  i.price_scale = price_scale;
  i.qty_scale = qty_scale;
  return i;
}
}  // namespace

TEST_CASE("ISO-8601 timestamps with milliseconds") {
  CHECK(connectors::iso8601_ms(1607418537715) == "2020-12-08T09:08:57.715Z");
  CHECK(connectors::iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("OKX: TV-O1..O4") {
  const std::string secret = "22582BD0CFF14C41EDBF1AB98506286D";
  const std::string ts = connectors::iso8601_ms(1607418537715);
  auto spot = make("BTC-USDT", 2, 5);
  connectors::LimitOrder o{"BTC-USDT", Side::Buy, 1000, 3000000, "mm0001"};  // 0.01 @ 30000
  auto body = okx::new_order_body(o, spot, "cash");
  CHECK(body == R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"ioc","px":"30000","sz":"0.01","clOrdId":"mm0001"})");
  CHECK(okx::sign(secret, ts, "POST", "/api/v5/trade/order", body) == "MfazZ7vuYqLKf8JKMaLGYNqr3V2GxSqDeH4gdbjsVCA=");
  CHECK(okx::sign(secret, ts, "GET", "/api/v5/account/balance?ccy=BTC", "") ==
        "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=");
  CHECK(okx::sign(secret, ts, "POST", "/api/v5/trade/cancel-order",
                  okx::cancel_body("BTC-USDT-SWAP", "590908157585625111")) ==
        "OUWb1yVUoK9U9hc8IkcNU03WaGo+v1g69A1lGPVgQHA=");
  CHECK(okx::sign_ws_login(secret, "1538054050") == "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=");
}

TEST_CASE("Bybit: TV-Y1..Y4") {
  const std::string secret = "yt5bXzRTKqVh2CDUS2LRcGk3SYpGBvZbP9Qw", key = "XXXXXXXXXX";
  auto linear = make("BTCUSDT", 1, 3);
  connectors::LimitOrder o{"BTCUSDT", Side::Buy, 1, 300000, "mm-0001"};  // 0.001 @ 30000.0
  auto body = bybit::new_order_body(o, linear, "linear");
  CHECK(body == R"({"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"30000","timeInForce":"IOC","orderLinkId":"mm-0001"})");
  CHECK(bybit::sign(secret, 1658385579423, key, 5000, body) ==
        "002af8d7c0754bd97f9b7607e733b3805cd58ddfdafceb6193b4630918842bea");
  CHECK(bybit::sign(secret, 1658384314791, key, 5000, "category=option&symbol=BTC-29JUL22-25000-C") ==
        "d7c25d25d8706fe51ff9294ff7c08cd7e83a27ea5e0716e038685ec57a74ebb8");
  CHECK(bybit::sign(secret, 1658385579423, key, 5000, bybit::cancel_body("linear", "BTCUSDT", "mm-0001")) ==
        "7be461a9e8ad7d907b67f97bb29ec640e6f9dcf6dc23d3c7f9d019061ab12073");
  CHECK(bybit::sign_ws_auth(secret, 1662350400000) ==
        "5bad638e7926b61925fb78e765d4d04e9459e1f1827966e7fd20fdcaddd840b8");
}

TEST_CASE("BitMEX: TV-M1..M6") {
  const std::string secret = "chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO";
  CHECK(bitmex::sign(secret, "GET", "/api/v1/instrument", 1518064236, "") ==
        "c7682d435d0cfe87c16098df34ef2eb5a549d4c5a3c2b1f0f77b8af73423bf00");
  CHECK(bitmex::sign(secret, "GET", "/api/v1/instrument?filter=%7B%22symbol%22%3A+%22XBTM15%22%7D", 1518064237, "") ==
        "e2f422547eecb5b3cb29ade2127e21b858b235b386bfa45e1c1756eb3383919f");
  CHECK(bitmex::sign(secret, "POST", "/api/v1/order", 1518064238,
                     R"({"symbol":"XBTM15","price":219.0,"clOrdID":"mm_bitmex_1a/oemUeQ4CAJZgP3fjHsA","orderQty":98})") ==
        "1749cd2ccae4aa49048ae09f0b95110cee706e0944e6a14ad0b3a8cb45bd336b");
  auto xbtusd = make("XBTUSD", 1, 0);  // contracts are whole numbers
  connectors::LimitOrder o{"XBTUSD", Side::Buy, 100, 300000, "mm-0001"};
  auto body = bitmex::new_order_body(o, xbtusd);
  CHECK(body == R"({"symbol":"XBTUSD","side":"Buy","orderQty":100,"price":30000,"ordType":"Limit","timeInForce":"ImmediateOrCancel","clOrdID":"mm-0001"})");
  CHECK(bitmex::sign(secret, "POST", "/api/v1/order", 1700000060, body) ==
        "e28d424a030ad4d5b488d1d10c507e8a174eb6099c4e99f71164775b2e9d0364");
  CHECK(bitmex::sign(secret, "DELETE", "/api/v1/order", 1700000060, bitmex::cancel_body("mm-0001")) ==
        "0918181a4778dde842aa35a99055ae9185b492f1ff22f5688271a129b1681110");
  CHECK(bitmex::sign_ws_auth(secret, 1700000060) == "47b5fc7f84fd8dbeafeb0e0665e139890381bb2da3845a2a0088cd72d969990f");
}

TEST_CASE("Coinbase Exchange (legacy) HMAC: TV-CB1 over base64 keys") {
  // Secret = base64 of bytes 0x00..0x3f; the decoded bytes are the HMAC key.
  std::string key;
  for (int i = 0; i < 64; ++i) key.push_back(static_cast<char>(i));
  uint8_t raw[64];
  for (int i = 0; i < 64; ++i) raw[i] = static_cast<uint8_t>(i);
  CHECK(net::base64(raw, 64) == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==");
  CHECK(net::hmac_sha256_base64(key,
                                R"(1700000000POST/orders{"product_id":"BTC-USD","side":"buy","type":"limit","price":"30000.00","size":"0.001","time_in_force":"IOC","client_oid":"8f1b2c3d-0000-4000-8000-000000000001"})") ==
        "oTNGqvrsKDWLtc6Hhlff1pyI4NVSQQpbYrFLr5cyiKo=");
}

TEST_CASE("HMAC-SHA256: RFC 4231 vectors, keys interleaved and more keys than the keyed cache holds") {
  struct Vector {
    std::string key, data, mac;
  };
  const std::vector<Vector> rfc = {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      // A key longer than SHA-256's block is hashed first.
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"}};
  for (int round = 0; round < 3; ++round)
    for (const auto& v : rfc) CHECK(net::hmac_sha256_hex(v.key, v.data) == v.mac);
  // Twelve other keys push the vectors' keys out of the cache; each answer must still be the
  // one for its own key (a stale context would sign with the wrong secret).
  std::vector<std::string> first;
  for (int k = 0; k < 12; ++k) first.push_back(net::hmac_sha256_hex("key-" + std::to_string(k), "payload"));
  for (int k = 0; k < 12; ++k)
    for (int j = k + 1; j < 12; ++j) CHECK(first[static_cast<size_t>(k)] != first[static_cast<size_t>(j)]);
  for (int k = 11; k >= 0; --k)
    CHECK(net::hmac_sha256_hex("key-" + std::to_string(k), "payload") == first[static_cast<size_t>(k)]);
  for (const auto& v : rfc) CHECK(net::hmac_sha256_hex(v.key, v.data) == v.mac);
}

TEST_CASE("SHA-256: FIPS 180-2 vectors (hedge order ids derive from it)") {
  CHECK(net::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(net::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(net::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("post-only orders in each venue's own words") {
  const auto post_only = connectors::TimeInForce::PostOnly;
  connectors::LimitOrder okx_o{"BTC-USDT", Side::Buy, 1000, 3000000, "mm0001", post_only};
  CHECK(okx::new_order_body(okx_o, make("BTC-USDT", 2, 5), "cash") ==
        R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"post_only","px":"30000","sz":"0.01","clOrdId":"mm0001"})");
  connectors::LimitOrder bybit_o{"BTCUSDT", Side::Sell, 1, 300000, "mm-0001", post_only};
  CHECK(bybit::new_order_body(bybit_o, make("BTCUSDT", 1, 3), "linear") ==
        R"({"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.001","price":"30000","timeInForce":"PostOnly","orderLinkId":"mm-0001"})");
  connectors::LimitOrder bitmex_o{"XBTUSD", Side::Buy, 100, 300000, "mm-0001", post_only};
  CHECK(bitmex::new_order_body(bitmex_o, make("XBTUSD", 1, 0)) ==
        R"({"symbol":"XBTUSD","side":"Buy","orderQty":100,"price":30000,"ordType":"Limit","timeInForce":"GoodTillCancel","execInst":"ParticipateDoNotInitiate","clOrdID":"mm-0001"})");
  // Binance: spot has its own order type; futures a time in force.
  Instrument spot = make("BTCUSDT", 2, 5);
  spot.kind = InstrumentKind::Spot;
  Instrument usdm = make("BTCUSDT", 1, 3);
  usdm.kind = InstrumentKind::Linear;
  binance::NewOrder b{"BTCUSDT", Side::Buy, 100, 3000000, "mm-0001", post_only};
  CHECK(binance::new_order_query(b, spot, 5000, 1700000000000) ==
        "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.00100&price=30000.00"
        "&newClientOrderId=mm-0001&recvWindow=5000&timestamp=1700000000000");
  binance::NewOrder f{"BTCUSDT", Side::Sell, 2, 300001, "mm-0002", post_only};
  CHECK(binance::new_order_query(f, usdm, 5000, 1700000000000) ==
        "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.002&price=30000.1"
        "&newClientOrderId=mm-0002&recvWindow=5000&timestamp=1700000000000");
}
