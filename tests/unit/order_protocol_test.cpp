// Venue order protocols as pure functions: the exact signed requests (venues.md test vectors)
// and what each documented answer means for the order.
#include <doctest/doctest.h>

#include "aqueduct/connectors/binance/order_protocol.hpp"
#include "aqueduct/connectors/bitmex/order_protocol.hpp"
#include "aqueduct/connectors/bybit/order_protocol.hpp"
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

namespace {
std::string header_of(const connectors::RestRequest& r, const std::string& k) {
  for (const auto& [hk, hv] : r.headers)
    if (hk == k) return hv;
  return {};
}
}  // namespace

TEST_CASE("Bybit order protocol: TV-Y1 through the builder; acknowledgements, order states, executions") {
  bybit::OrderProtocol p({"XXXXXXXXXX", "yt5bXzRTKqVh2CDUS2LRcGk3SYpGBvZbP9Qw", ""});
  Instrument inst;
  inst.venue = "bybit";
  inst.symbol = "BTCUSDT";
  inst.kind = InstrumentKind::Linear;
  inst.price_scale = 1;
  inst.qty_scale = 3;
  auto r = p.place({"BTCUSDT", Side::Buy, 1, 300'000, "mm-0001"}, inst, 1658385579423);
  CHECK(r.body == R"({"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"30000","timeInForce":"IOC","orderLinkId":"mm-0001"})");
  CHECK(header_of(r, "X-BAPI-SIGN") == "002af8d7c0754bd97f9b7607e733b3805cd58ddfdafceb6193b4630918842bea");
  CHECK(header_of(r, "X-BAPI-TIMESTAMP") == "1658385579423");
  auto q = p.query({"BTCUSDT", Side::Buy, 1, 1, "mm-0001"}, inst, 1658385579423);
  CHECK(q.target == "/v5/order/realtime?category=linear&symbol=BTCUSDT&orderLinkId=mm-0001");

  auto a = p.read_place({200, R"({"retCode":0,"retMsg":"OK","result":{"orderId":"1321003749386327552","orderLinkId":"mm-0001"},"retExtInfo":{},"time":1717171717000})"}, inst);
  CHECK(a.verdict == Verdict::Accepted);
  CHECK(a.outcome.venue_order_id == "1321003749386327552");
  CHECK(p.read_place({200, R"({"retCode":10006,"retMsg":"Too many visits!"})"}, inst).verdict == Verdict::Unknown);
  CHECK(p.read_place({200, R"({"retCode":110072,"retMsg":"OrderLinkedID is duplicate"})"}, inst).verdict == Verdict::Unknown);
  auto rej = p.read_place({200, R"({"retCode":110007,"retMsg":"ab not enough for new order"})"}, inst);
  CHECK(rej.verdict == Verdict::Final);
  CHECK(rej.outcome.detail.find("110007") != std::string::npos);
  auto st = p.read_query({200, R"({"retCode":0,"retMsg":"OK","result":{"list":[{"orderId":"1","orderLinkId":"mm-0001","orderStatus":"PartiallyFilledCanceled","cumExecQty":"0.004","updatedTime":"1717171717001"}]}})"}, inst);
  CHECK(st.verdict == Verdict::Final);
  CHECK(st.outcome.status == msg::ORDER_EXPIRED);
  CHECK(st.outcome.filled_qty == 4);
  CHECK(p.read_query({200, R"({"retCode":0,"retMsg":"OK","result":{"list":[]}})"}, inst).verdict == Verdict::NotFound);
  auto f = p.read_fills({200, R"({"retCode":0,"result":{"list":[{"execId":"e1","execPrice":"30000.5","execQty":"0.004"}]}})"}, inst);
  REQUIRE(f);
  CHECK((*f)[0].price == 300'005);
}

TEST_CASE("BitMEX order protocol: TV-M4 through the builder; the order row is the answer") {
  bitmex::OrderProtocol p({"key", "chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO", ""});
  Instrument inst;
  inst.venue = "bitmex";
  inst.symbol = "XBTUSD";
  inst.kind = InstrumentKind::Inverse;
  inst.price_scale = 1;
  inst.qty_scale = 0;
  inst.tick = 5;
  inst.lot = 100;
  auto r = p.place({"XBTUSD", Side::Buy, 100, 300'000, "mm-0001"}, inst, 1'700'000'000'000);
  CHECK(r.body == R"({"symbol":"XBTUSD","side":"Buy","orderQty":100,"price":30000,"ordType":"Limit","timeInForce":"ImmediateOrCancel","clOrdID":"mm-0001"})");
  CHECK(header_of(r, "api-expires") == "1700000060");
  CHECK(header_of(r, "api-signature") == "e28d424a030ad4d5b488d1d10c507e8a174eb6099c4e99f71164775b2e9d0364");
  auto q = p.query({"XBTUSD", Side::Buy, 100, 1, "h_1"}, inst, 1'700'000'000'000);
  CHECK(q.target == "/api/v1/order?filter=%7B%22clOrdID%22%3A%22h_1%22%7D");

  auto a = p.read_place({200, R"({"orderID":"a1","clOrdID":"mm-0001","ordStatus":"Canceled","cumQty":200,"leavesQty":0,"transactTime":"2026-05-01T12:00:00.000Z"})"}, inst);
  CHECK(a.verdict == Verdict::Final);
  CHECK(a.outcome.status == msg::ORDER_EXPIRED);
  CHECK(a.outcome.filled_qty == 200);
  CHECK(p.read_place({200, R"({"orderID":"a1","ordStatus":"New","cumQty":0})"}, inst).verdict == Verdict::Accepted);
  CHECK(p.read_place({400, R"({"error":{"message":"Duplicate clOrdID","name":"HTTPError"}})"}, inst).verdict == Verdict::Unknown);
  auto rej = p.read_place({400, R"({"error":{"message":"Invalid orderQty","name":"HTTPError"}})"}, inst);
  CHECK(rej.verdict == Verdict::Final);
  CHECK(rej.outcome.detail.find("Invalid orderQty") != std::string::npos);
  CHECK(p.read_place({503, R"({"error":{"message":"The system is currently overloaded."}})"}, inst).verdict == Verdict::Unknown);
  CHECK(p.read_query({200, "[]"}, inst).verdict == Verdict::NotFound);
  auto f = p.read_fills({200, R"([{"execID":"x1","lastPx":30000.5,"lastQty":100},{"execID":"x2","lastPx":30001,"lastQty":100}])"}, inst);
  REQUIRE(f);
  CHECK((*f)[0].price == 300'005);
  CHECK((*f)[1].qty == 100);
}

TEST_CASE("cancel answers: cancelled, refused because done (the query decides), unknown") {
  Instrument inst;
  inst.symbol = "X";
  inst.price_scale = 1;
  inst.qty_scale = 0;
  okx::OrderProtocol o({"k", "s", "p"});
  CHECK(o.cancel({"BTC-USDT", Side::Buy, 1, 1, "h_1"}, inst, 0).body == R"({"instId":"X","clOrdId":"h1"})");
  CHECK(o.read_cancel({200, R"({"code":"0","msg":"","data":[{"clOrdId":"h1","ordId":"9","sCode":"0","sMsg":""}]})"}, inst).outcome.status ==
        msg::ORDER_CANCELED);
  CHECK(o.read_cancel({200, R"({"code":"1","data":[{"sCode":"51400","sMsg":"Cancellation failed as the order has been filled"}]})"}, inst).verdict ==
        Verdict::Accepted);
  CHECK(o.read_cancel({503, ""}, inst).verdict == Verdict::Unknown);
  bybit::OrderProtocol y({"k", "s", ""});
  CHECK(y.read_cancel({200, R"({"retCode":110001,"retMsg":"order not exists or too late to cancel"})"}, inst).verdict == Verdict::Accepted);
  CHECK(y.read_cancel({200, R"({"retCode":0,"retMsg":"OK","result":{}})"}, inst).outcome.status == msg::ORDER_CANCELED);
  bitmex::OrderProtocol x({"k", "s", ""});
  auto refused = x.read_cancel({200, R"([{"orderID":"a","ordStatus":"Filled","cumQty":100,"error":"Unable to cancel order due to existing state: Filled"}])"}, inst);
  CHECK(refused.verdict == Verdict::Accepted);
  CHECK(refused.outcome.filled_qty == 100);
  CHECK(x.read_cancel({404, R"({"error":{"message":"Not Found","name":"HTTPError"}})"}, inst).verdict == Verdict::NotFound);
}

namespace {
Instrument binance_btcusdt(int price_scale, int qty_scale) {
  Instrument i;
  i.venue = "binance";
  i.symbol = "BTCUSDT";
  i.price_scale = price_scale;
  i.qty_scale = qty_scale;
  i.tick = 1;
  i.lot = 1;
  return i;
}
std::string header(const connectors::RestRequest& r, const std::string& k) {
  for (const auto& [hk, hv] : r.headers)
    if (hk == k) return hv;
  return {};
}
}  // namespace

TEST_CASE("Binance order protocol: TV-B2 (spot) and TV-B3 (USD-M) through the builder, with their costs") {
  const connectors::VenueCredentials creds{"api-key", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", ""};
  binance::OrderProtocol spot(binance::Market::Spot, creds);
  auto r = spot.place({"BTCUSDT", Side::Buy, 100, 3000000, "mm-0001"}, binance_btcusdt(2, 5), 1700000000000);
  CHECK(r.verb == boost::beast::http::verb::post);
  CHECK(r.target ==
        "/api/v3/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=0.00100&price=30000.00"
        "&newClientOrderId=mm-0001&recvWindow=5000&timestamp=1700000000000"
        "&signature=b80d0318dfbdd678ede9b47d2c392bc4abe1fa9bffeebb1a36615410b9985842");
  CHECK(r.body.empty());
  CHECK(header(r, "X-MBX-APIKEY") == "api-key");
  CHECK(r.cost == std::vector<int64_t>{1, 1, 1});  // weight 1, one order in each order bucket

  binance::OrderProtocol fut(binance::Market::UsdmFutures, creds);
  auto f = fut.place({"BTCUSDT", Side::Sell, 2, 300001, "mm-0002"}, binance_btcusdt(1, 3), 1700000000000);
  CHECK(f.target ==
        "/fapi/v1/order?symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=IOC&quantity=0.002&price=30000.1"
        "&newClientOrderId=mm-0002&recvWindow=5000&timestamp=1700000000000"
        "&signature=a84824969b78668b4d98656656d7cc4b65d898b2f094da402ffc262e183af83f");
  CHECK(f.cost == std::vector<int64_t>{0, 1, 1});  // no IP weight on USD-M orders

  auto q = fut.query({"BTCUSDT", Side::Sell, 2, 300001, "h_1"}, binance_btcusdt(1, 3), 1700000000000);
  CHECK(q.target.rfind("/fapi/v1/order?symbol=BTCUSDT&origClientOrderId=h_1&recvWindow=5000&timestamp=1700000000000&signature=", 0) == 0);
  auto c = spot.cancel({"BTCUSDT", Side::Sell, 2, 300001, "h_1"}, binance_btcusdt(1, 3), 1700000000000);
  CHECK(c.verb == boost::beast::http::verb::delete_);
  CHECK(c.target.rfind("/api/v3/order?symbol=BTCUSDT&origClientOrderId=h_1&", 0) == 0);
  CHECK(spot.fills("77", binance_btcusdt(1, 3), 1)->target.rfind("/api/v3/myTrades?symbol=BTCUSDT&orderId=77&", 0) == 0);
  CHECK(spot.fills("77", binance_btcusdt(1, 3), 1)->cost == std::vector<int64_t>{20});
  CHECK(fut.fills("77", binance_btcusdt(1, 3), 1)->target.rfind("/fapi/v1/userTrades?symbol=BTCUSDT&orderId=77&", 0) == 0);
}

TEST_CASE("Binance order protocol: what each answer means") {
  binance::OrderProtocol spot(binance::Market::Spot, {"k", "s", ""});
  binance::OrderProtocol fut(binance::Market::UsdmFutures, {"k", "s", ""});
  auto inst = binance_btcusdt(2, 5);
  // Spot FULL: final at once, with its fills.
  auto full = spot.read_place({200, R"({"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"h_1","transactTime":1507725176595,"price":"30000.00","origQty":"0.00200","executedQty":"0.00150","cummulativeQuoteQty":"45.0000000","status":"EXPIRED","timeInForce":"IOC","type":"LIMIT","side":"BUY","fills":[{"price":"30000.00","qty":"0.00100","commission":"0","commissionAsset":"USDT","tradeId":56},{"price":"30000.00","qty":"0.00050","commission":"0","commissionAsset":"USDT","tradeId":57}]})"}, inst);
  CHECK(full.verdict == Verdict::Final);
  CHECK(full.outcome.status == msg::ORDER_EXPIRED);  // an IOC remainder expired, partly filled
  CHECK(full.outcome.venue_order_id == "28");
  CHECK(full.outcome.filled_qty == 150);
  CHECK(full.outcome.filled_quote == 45'0000000);
  REQUIRE(full.outcome.fills.size() == 2);
  CHECK(full.outcome.fills[1].trade_id == "57");
  CHECK(full.outcome.venue_ts_ms == 1507725176595);
  // Fills that do not add up are not trusted: the trades are fetched instead.
  auto short_fills = spot.read_place({200, R"({"orderId":28,"executedQty":"0.00150","cummulativeQuoteQty":"45.0000000","status":"EXPIRED","fills":[{"price":"30000.00","qty":"0.00100","tradeId":56}]})"}, inst);
  CHECK(short_fills.verdict == Verdict::Final);
  CHECK(short_fills.outcome.fills.empty());
  // Futures ACK: accepted, to be queried.
  auto ack = fut.read_place({200, R"({"orderId":4611875134427365377,"symbol":"BTCUSDT","status":"NEW","clientOrderId":"h_1","price":"30000.00","avgPrice":"0.00","origQty":"0.00200","executedQty":"0","cumQty":"0","cumQuote":"0","timeInForce":"IOC","type":"LIMIT","side":"SELL","updateTime":1566818724722})"}, inst);
  CHECK(ack.verdict == Verdict::Accepted);
  CHECK(ack.outcome.venue_order_id == "4611875134427365377");
  auto done = fut.read_query({200, R"({"orderId":9,"status":"FILLED","executedQty":"0.00200","cumQuote":"60.0000000","updateTime":1})"}, inst);
  CHECK(done.verdict == Verdict::Final);
  CHECK(done.outcome.status == msg::ORDER_FILLED);
  CHECK(done.outcome.filled_quote == 60'0000000);
  CHECK(fut.read_query({200, R"({"orderId":9,"status":"NEW","executedQty":"0","cumQuote":"0"})"}, inst).verdict == Verdict::Open);
  CHECK(spot.read_query({400, R"({"code":-2013,"msg":"Order does not exist."})"}, inst).verdict == Verdict::NotFound);
  CHECK(spot.read_query({400, R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})"}, inst).verdict == Verdict::Unknown);
  // Unknown: a 5xx, a rate limit, a duplicate client id, an engine timeout, an unreadable 200.
  CHECK(spot.read_place({503, "Service Unavailable"}, inst).verdict == Verdict::Unknown);
  CHECK(spot.read_place({429, R"({"code":-1003,"msg":"Too many requests"})"}, inst).verdict == Verdict::Unknown);
  CHECK(spot.read_place({418, R"({"code":-1003,"msg":"Way too many requests; IP banned"})"}, inst).verdict == Verdict::Unknown);
  CHECK(spot.read_place({400, R"({"code":-2010,"msg":"Duplicate order sent."})"}, inst).verdict == Verdict::Unknown);
  CHECK(spot.read_place({408, R"({"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."})"}, inst).verdict == Verdict::Unknown);
  CHECK(spot.read_place({200, R"({"orderId":28,"status":"WHATEVER","executedQty":"0","cummulativeQuoteQty":"0"})"}, inst).verdict == Verdict::Unknown);
  CHECK(spot.read_place({200, R"({"orderId":28,"status":"FILLED","executedQty":"0.000001","cummulativeQuoteQty":"0"})"}, inst).verdict == Verdict::Unknown);
  // Rejected before matching: final, with the venue's code and message.
  auto bad = spot.read_place({400, R"({"code":-1013,"msg":"Filter failure: LOT_SIZE"})"}, inst);
  CHECK(bad.verdict == Verdict::Final);
  CHECK(bad.outcome.status == msg::ORDER_REJECTED);
  CHECK(bad.outcome.detail == "binance -1013: Filter failure: LOT_SIZE");
  // Cancel: -2011 is also what Binance says of a filled order, so the query decides.
  CHECK(spot.read_cancel({400, R"({"code":-2011,"msg":"Unknown order sent."})"}, inst).verdict == Verdict::Accepted);
  auto cancelled = spot.read_cancel({200, R"({"orderId":28,"status":"CANCELED","executedQty":"0.00100","cummulativeQuoteQty":"30.0000000"})"}, inst);
  CHECK(cancelled.verdict == Verdict::Final);
  CHECK(cancelled.outcome.status == msg::ORDER_CANCELED);
  CHECK(cancelled.outcome.filled_qty == 100);
  // Trades.
  auto trades = fut.read_fills({200, R"([{"symbol":"BTCUSDT","id":698759,"orderId":25851813,"side":"SELL","price":"30000.10","qty":"0.00100","realizedPnl":"0","quoteQty":"30.0001","commission":"0","commissionAsset":"USDT","time":1569514978020,"buyer":false,"maker":false,"positionSide":"BOTH"}])"}, inst);
  REQUIRE(trades);
  REQUIRE(trades->size() == 1);
  CHECK((*trades)[0].price == 3000010);
  CHECK((*trades)[0].trade_id == "698759");
  CHECK_FALSE(fut.read_fills({200, R"([{"id":1,"price":"x","qty":"1"}])"}, inst));
  CHECK_FALSE(fut.read_fills({400, R"({"code":-1100})"}, inst));
}

TEST_CASE(
    "account reads: each venue's request, its documented answer, and answers that say nothing") {
  using connectors::RestAnswer;
  std::string why;
  // Binance USD-M: GET /fapi/v2/account, signed query, weight 5; spot has no margin account.
  binance::OrderProtocol usdm(binance::Market::UsdmFutures, {"key", "secret", ""});
  auto r = usdm.account(1'700'000'000'000);
  REQUIRE(r);
  CHECK(r->verb == boost::beast::http::verb::get);
  CHECK(r->target.rfind("/fapi/v2/account?recvWindow=5000&timestamp=1700000000000&signature=", 0) ==
        0);
  CHECK(r->cost == std::vector<int64_t>{5, 0, 0});
  auto a = usdm.read_account(
      {200,
       R"({"feeTier":0,"canTrade":true,"totalInitialMargin":"0.00000000","totalMaintMargin":"0.00000000","totalWalletBalance":"103.12345678","totalUnrealizedProfit":"0.00000000","totalMarginBalance":"103.12345678","availableBalance":"96.50000000","maxWithdrawAmount":"96.5","assets":[],"positions":[]})"},
      why);
  REQUIRE(a);
  CHECK(a->coin == "USDT");
  CHECK(a->equity.to_string() == "103.12345678");
  CHECK(a->available.to_string() == "96.50000000");
  CHECK_FALSE(usdm.read_account(
      {401, R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})"}, why));
  CHECK(why == "binance -2015: Invalid API-key, IP, or permissions for action.");
  CHECK_FALSE(usdm.read_account({200, R"({"totalMarginBalance":"1.0"})"}, why));
  CHECK(why.find("availableBalance") != std::string::npos);
  binance::OrderProtocol spot(binance::Market::Spot, {"key", "secret", ""});
  CHECK_FALSE(spot.account(1));
  CHECK_FALSE(spot.read_account({200, "{}"}, why));
  CHECK(why == "binance_spot reports no margin account");

  // Bybit: the unified account's USD totals.
  bybit::OrderProtocol by({"key", "secret", ""});
  r = by.account(1'700'000'000'000);
  REQUIRE(r);
  CHECK(r->target == "/v5/account/wallet-balance?accountType=UNIFIED");
  bool signed_ = false;
  for (const auto& [k, v] : r->headers) signed_ = signed_ || (k == "X-BAPI-SIGN" && v.size() == 64);
  CHECK(signed_);
  a = by.read_account(
      {200,
       R"({"retCode":0,"retMsg":"OK","result":{"list":[{"totalEquity":"3.31216591","accountIMRate":"0","totalMarginBalance":"3.00326056","totalInitialMargin":"0","accountType":"UNIFIED","totalAvailableBalance":"3.00326056","accountMMRate":"0","totalPerpUPL":"0","totalWalletBalance":"3.00326056","accountLTV":"0","totalMaintenanceMargin":"0","coin":[]}]},"retExtInfo":{},"time":1690872862481})"},
      why);
  REQUIRE(a);
  CHECK(a->coin == "USD");
  CHECK(a->equity.to_string() == "3.31216591");
  CHECK(a->available.to_string() == "3.00326056");
  CHECK_FALSE(by.read_account(
      {200, R"({"retCode":10003,"retMsg":"API key is invalid.","result":{}})"}, why));
  CHECK(why == "bybit wallet-balance: HTTP 200, retCode 10003: API key is invalid.");

  // OKX: the USDT detail; availEq, or availBal in the simple mode that leaves availEq empty.
  okx::OrderProtocol ok({"key", "secret", "pass"});
  r = ok.account(1'700'000'000'000);
  REQUIRE(r);
  CHECK(r->target == "/api/v5/account/balance?ccy=USDT");
  a = ok.read_account(
      {200,
       R"({"code":"0","msg":"","data":[{"adjEq":"55444.1","imr":"0","totalEq":"55837.43556134779","details":[{"ccy":"BTC","eq":"1","availEq":"1"},{"ccy":"USDT","eq":"4992.890093622894","cashBal":"4850.435693622894","availEq":"4834.3170492478229","availBal":"4834.317093622894","upl":"142.454400000000"}]}]})"},
      why);
  REQUIRE(a);
  CHECK(a->coin == "USDT");
  CHECK(a->equity.to_string() == "4992.89009362");  // finer digits rounded down
  CHECK(a->available.to_string() == "4834.31704924");
  a = ok.read_account(
      {200,
       R"({"code":"0","data":[{"details":[{"ccy":"USDT","eq":"10","availEq":"","availBal":"7.5"}]}]})"},
      why);
  REQUIRE(a);
  CHECK(a->available.to_string() == "7.50000000");
  CHECK_FALSE(ok.read_account(
      {200, R"({"code":"0","data":[{"details":[{"ccy":"BTC","eq":"1","availEq":"1"}]}]})"}, why));
  CHECK(why.find("USDT detail") != std::string::npos);
  CHECK_FALSE(ok.read_account({401, R"({"code":"50113","msg":"Invalid Sign","data":[]})"}, why));
  CHECK(why == "okx account/balance: HTTP 401, code 50113: Invalid Sign");

  // BitMEX: whole satoshis of the XBt account.
  bitmex::OrderProtocol bm({"key", "secret", ""});
  r = bm.account(1'700'000'000'000);
  REQUIRE(r);
  CHECK(r->target == "/api/v1/user/margin?currency=XBt");
  CHECK(r->cost == std::vector<int64_t>{1, 0});
  a = bm.read_account(
      {200,
       R"({"account":1,"currency":"XBt","walletBalance":150000000,"marginBalance":152345678,"availableMargin":120000001,"withdrawableMargin":120000001})"},
      why);
  REQUIRE(a);
  CHECK(a->coin == "BTC");
  CHECK(a->equity.to_string() == "1.52345678");
  CHECK(a->available.to_string() == "1.20000001");
  CHECK_FALSE(bm.read_account(
      {200, R"({"account":1,"currency":"USDt","marginBalance":1,"availableMargin":1})"}, why));
  CHECK_FALSE(bm.read_account(
      {200, R"({"currency":"XBt","marginBalance":"1.5","availableMargin":1})"}, why));
  CHECK_FALSE(bm.read_account(
      {401, R"({"error":{"message":"Signature not valid.","name":"HTTPError"}})"}, why));
  CHECK(why == "bitmex user/margin: HTTP 401: Signature not valid.");
}

TEST_CASE(
    "funding history: each venue's public request, its documented answer oldest first, and "
    "answers that say nothing") {
  using connectors::RestAnswer;
  std::string why;
  auto perp = [](const char* venue, const char* symbol, InstrumentKind kind) {
    Instrument i;
    i.venue = venue;
    i.symbol = symbol;
    i.kind = kind;
    i.price_scale = 2;
    i.qty_scale = 3;
    i.tick = 10;
    i.lot = 1;
    return i;
  };
  auto text_of = [](const connectors::FundingHistoryPage& p) {
    std::string out;
    for (const auto& s : p.settlements)
      out += std::to_string(s.at_ms) + "@" + s.rate.to_string() + " ";
    return out;
  };

  // Binance USD-M: GET /fapi/v1/fundingRate, public (no signature), oldest first.
  auto bn = perp("binance_usdm", "BTCUSDT", InstrumentKind::Linear);
  binance::OrderProtocol usdm(binance::Market::UsdmFutures, {"key", "secret", ""});
  auto r = usdm.funding_history(bn, 1'570'000'000'000, 1'570'608'000'000);
  REQUIRE(r);
  CHECK(r->target ==
        "/fapi/v1/"
        "fundingRate?symbol=BTCUSDT&startTime=1570000000000&endTime=1570608000000&limit=1000");
  CHECK(r->headers.empty());
  auto page = usdm.read_funding_history(
      {200,
       R"([{"symbol":"BTCUSDT","fundingRate":"-0.03750000","fundingTime":1570608000000,"markPrice":"34287.54619963"},{"symbol":"BTCUSDT","fundingRate":"0.00010000","fundingTime":1570636800000,"markPrice":"34287.54619963"}])"},
      bn, why);
  REQUIRE(page);
  CHECK(text_of(*page) == "1570608000000@-0.0375 1570636800000@0.0001 ");
  CHECK_FALSE(page->full);
  CHECK_FALSE(usdm.read_funding_history(
      {200, R"([{"symbol":"ETHUSDT","fundingRate":"0.0001","fundingTime":1570608000000}])"}, bn,
      why));
  CHECK(why.find("BTCUSDT") != std::string::npos);
  CHECK_FALSE(
      usdm.read_funding_history({200, R"([{"symbol":"BTCUSDT","fundingTime":1}])"}, bn, why));
  CHECK_FALSE(
      usdm.read_funding_history({400, R"({"code":-1121,"msg":"Invalid symbol."})"}, bn, why));
  CHECK(why == "binance -1121: Invalid symbol.");
  binance::OrderProtocol spot(binance::Market::Spot, {"key", "secret", ""});
  CHECK_FALSE(spot.funding_history(perp("binance", "BTCUSDT", InstrumentKind::Spot), 0, 1));

  // Bybit: GET /v5/market/funding/history, newest first on the wire.
  auto bb = perp("bybit", "BTCUSDT", InstrumentKind::Linear);
  bybit::OrderProtocol by({"key", "secret", ""});
  r = by.funding_history(bb, 1'672'000'000'000, 1'672'100'000'000);
  REQUIRE(r);
  CHECK(r->target ==
        "/v5/market/funding/history?category=linear&symbol=BTCUSDT&startTime=1672000000000&"
        "endTime=1672100000000&limit=200");
  page = by.read_funding_history(
      {200,
       R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT","fundingRate":"0.0001","fundingRateTimestamp":"1672070400000"},{"symbol":"BTCUSDT","fundingRate":"-0.000072","fundingRateTimestamp":"1672041600000"}]},"retExtInfo":{},"time":1672280219169})"},
      bb, why);
  REQUIRE(page);
  CHECK(text_of(*page) == "1672041600000@-0.000072 1672070400000@0.0001 ");
  CHECK_FALSE(by.read_funding_history(
      {200, R"({"retCode":10001,"retMsg":"Illegal category","result":{}})"}, bb, why));
  CHECK(why == "bybit funding/history: HTTP 200, retCode 10001: Illegal category");
  CHECK_FALSE(by.funding_history(perp("bybit", "BTCUSDT", InstrumentKind::Spot), 0, 1));

  // OKX: GET /api/v5/public/funding-rate-history, exclusive before/after bounds, newest first;
  // realizedRate is what settled.
  auto ox = perp("okx", "BTC-USDT-SWAP", InstrumentKind::Linear);
  okx::OrderProtocol ok({"key", "secret", "pass"});
  r = ok.funding_history(ox, 1'700'000'000'000, 1'700'100'000'000);
  REQUIRE(r);
  CHECK(r->target ==
        "/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&before=1699999999999&after="
        "1700100000001&limit=100");
  page = ok.read_funding_history(
      {200,
       R"({"code":"0","msg":"","data":[{"fundingRate":"0.0000746572464513","fundingTime":"1700035200000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","realizedRate":"0.0000746572464513"},{"fundingRate":"0.0001","fundingTime":"1700006400000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","realizedRate":"0.00009"}]})"},
      ox, why);
  REQUIRE(page);
  CHECK(text_of(*page) == "1700006400000@0.00009 1700035200000@0.0000746572464513 ");
  CHECK_FALSE(ok.read_funding_history(
      {200,
       R"({"code":"0","data":[{"fundingRate":"0.0001","fundingTime":"x","instId":"BTC-USDT-SWAP"}]})"},
      ox, why));
  CHECK_FALSE(ok.read_funding_history(
      {400, R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})"}, ox, why));
  CHECK(why == "okx funding-rate-history: HTTP 400, code 51001: Instrument ID does not exist");

  // BitMEX: GET /api/v1/funding, ISO times, fundingRate a JSON number read exactly.
  auto bx = perp("bitmex", "XBTUSD", InstrumentKind::Inverse);
  bitmex::OrderProtocol bm({"key", "secret", ""});
  r = bm.funding_history(bx, 1'700'000'000'000, 1'700'100'000'000);
  REQUIRE(r);
  CHECK(r->target ==
        "/api/v1/funding?symbol=XBTUSD&startTime=2023-11-14T22%3A13%3A20.000Z&endTime=2023-11-"
        "16T02%3A00%3A00.000Z&count=500&reverse=false");
  page = bm.read_funding_history(
      {200,
       R"([{"timestamp":"2023-11-15T04:00:00.000Z","symbol":"XBTUSD","fundingInterval":"2000-01-01T08:00:00.000Z","fundingRate":0.0001,"fundingRateDaily":0.0003},{"timestamp":"2023-11-15T12:00:00.000Z","symbol":"XBTUSD","fundingInterval":"2000-01-01T08:00:00.000Z","fundingRate":-0.000375,"fundingRateDaily":-0.001125}])"},
      bx, why);
  REQUIRE(page);
  CHECK(text_of(*page) == "1700020800000@0.0001 1700049600000@-0.000375 ");
  CHECK(bm.read_funding_history({200, "[]"}, bx, why)->settlements.empty());
  CHECK_FALSE(bm.read_funding_history(
      {200, R"([{"timestamp":"2023-11-15T04:00:00.000Z","symbol":"XBTUSD","fundingRate":1e-4}])"},
      bx, why));
  CHECK(why.find("exponent") != std::string::npos);
  CHECK_FALSE(bm.read_funding_history(
      {200, R"([{"timestamp":"2023-11-15T04:00:00.000Z","symbol":"ETHUSD","fundingRate":0.0001}])"},
      bx, why));
  CHECK_FALSE(bm.read_funding_history(
      {429, R"({"error":{"message":"Rate limit exceeded","name":"RateLimitError"}})"}, bx, why));
  CHECK(why == "bitmex funding: HTTP 429: Rate limit exceeded");
}
