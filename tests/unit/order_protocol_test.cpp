// Venue order protocols as pure functions: the exact signed requests (venues.md test vectors)
// and what each documented answer means for the order.
#include <doctest/doctest.h>

#include "aqueduct/connectors/okx/order_protocol.hpp"
#include "aqueduct/connectors/time_text.hpp"

using namespace aq;
using connectors::Verdict;
namespace msg = aqueduct::msg;

namespace {
Instrument okx_spot() {
  Instrument i;
  i.venue = "okx";
  i.symbol = "BTC-USDT";
  i.price_scale = 1;
  i.qty_scale = 8;
  i.tick = 1;
  i.lot = 1;
  return i;
}
}  // namespace

TEST_CASE("OKX order protocol: the placed limit IOC is TV-O1 byte for byte, signed as documented") {
  okx::OrderProtocol p({"key", "22582BD0CFF14C41EDBF1AB98506286D", "pass"});
  auto now = *connectors::parse_iso8601_ns("2020-12-08T09:08:57.715Z") / 1'000'000;
  auto r = p.place({"BTC-USDT", Side::Buy, 1'000'000, 300'000, "mm0001"}, okx_spot(), now);
  CHECK(r.verb == boost::beast::http::verb::post);
  CHECK(r.target == "/api/v5/trade/order");
  CHECK(r.body == R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"ioc","px":"30000","sz":"0.01","clOrdId":"mm0001"})");
  auto header = [&](const std::string& k) {
    for (const auto& [hk, hv] : r.headers)
      if (hk == k) return hv;
    return std::string();
  };
  CHECK(header("OK-ACCESS-SIGN") == "MfazZ7vuYqLKf8JKMaLGYNqr3V2GxSqDeH4gdbjsVCA=");
  CHECK(header("OK-ACCESS-TIMESTAMP") == "2020-12-08T09:08:57.715Z");
  CHECK(header("OK-ACCESS-PASSPHRASE") == "pass");
  // Our hedge ids carry '_', which clOrdId does not allow: the same mapping places and finds.
  CHECK(p.venue_client_id("h_5f3a9c") == "h5f3a9c");
  CHECK(p.venue_client_id(std::string(40, 'a')).size() == 32);
  auto q = p.query({"BTC-USDT", Side::Buy, 1, 1, "h_5f3a9c"}, okx_spot(), now);
  CHECK(q.target == "/api/v5/trade/order?instId=BTC-USDT&clOrdId=h5f3a9c");
}

TEST_CASE("OKX order protocol: answers to placing and querying") {
  okx::OrderProtocol p({"k", "s", "p"});
  auto inst = okx_spot();
  auto a = p.read_place({200, R"({"code":"0","msg":"","data":[{"ordId":"590908157585625111","clOrdId":"mm0001","tag":"","ts":"1","sCode":"0","sMsg":"Order placed"}],"inTime":"1","outTime":"2"})"}, inst);
  CHECK(a.verdict == Verdict::Accepted);
  CHECK(a.outcome.venue_order_id == "590908157585625111");
  a = p.read_place({200, R"({"code":"1","msg":"Operation failed.","data":[{"ordId":"","clOrdId":"mm0001","sCode":"51008","sMsg":"Order failed. Insufficient USDT balance in account."}]})"}, inst);
  CHECK(a.verdict == Verdict::Final);
  CHECK(a.outcome.status == msg::ORDER_REJECTED);
  CHECK(a.outcome.detail.find("51008") != std::string::npos);
  CHECK(p.read_place({429, R"({"code":"50011","msg":"Too Many Requests","data":[]})"}, inst).verdict == Verdict::Unknown);
  CHECK(p.read_place({503, "Service Unavailable"}, inst).verdict == Verdict::Unknown);
  CHECK(p.read_place({200, R"({"code":"1","data":[{"sCode":"51016","sMsg":"Duplicated client order ID"}]})"}, inst).verdict == Verdict::Unknown);
  CHECK(p.read_place({200, "not json"}, inst).verdict == Verdict::Unknown);

  auto q = p.read_query({200, R"({"code":"0","msg":"","data":[{"instId":"BTC-USDT","ordId":"1","clOrdId":"mm0001","px":"30000","sz":"0.01","state":"canceled","accFillSz":"0.004","avgPx":"29999.9","uTime":"1597026383085"}]})"}, inst);
  CHECK(q.verdict == Verdict::Final);
  CHECK(q.outcome.status == msg::ORDER_EXPIRED);  // an IOC remainder, partly filled
  CHECK(q.outcome.filled_qty == 400'000);
  q = p.read_query({200, R"({"code":"0","msg":"","data":[{"ordId":"1","sz":"0.01","state":"filled","accFillSz":"0.01"}]})"}, inst);
  CHECK(q.outcome.status == msg::ORDER_FILLED);
  CHECK(p.read_query({200, R"({"code":"0","data":[{"ordId":"1","sz":"0.01","state":"live","accFillSz":"0"}]})"}, inst).verdict == Verdict::Open);
  CHECK(p.read_query({200, R"({"code":"51603","msg":"Order does not exist","data":[]})"}, inst).verdict == Verdict::NotFound);
  CHECK(p.read_query({200, R"({"code":"0","data":[{"ordId":"1","sz":"0.01","state":"exploded","accFillSz":"0"}]})"}, inst).verdict == Verdict::Unknown);
  CHECK(p.read_query({200, R"({"code":"0","data":[{"ordId":"1","sz":"0.01","state":"filled","accFillSz":"0.000000001"}]})"}, inst).verdict == Verdict::Unknown);

  auto f = p.read_fills({200, R"({"code":"0","msg":"","data":[{"tradeId":"7","fillPx":"29999.9","fillSz":"0.004"},{"tradeId":"8","fillPx":"30000","fillSz":"0.006"}]})"}, inst);
  REQUIRE(f);
  REQUIRE(f->size() == 2);
  CHECK((*f)[0].price == 299'999);
  CHECK((*f)[1].qty == 600'000);
  CHECK_FALSE(p.read_fills({200, R"({"code":"0","data":[{"tradeId":"7","fillPx":"29999.95","fillSz":"0.004"}]})"}, inst));
}
