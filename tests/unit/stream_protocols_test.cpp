// The subscription-stream dispatchers (OKX, Bybit, BitMEX, Coinbase) with the documented
// messages of venues.md: frames they send, and what each received message becomes.
#include <doctest/doctest.h>

#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/connectors/bitmex/stream_protocol.hpp"
#include "aqueduct/connectors/bybit/stream_protocol.hpp"
#include "aqueduct/connectors/coinbase/stream_protocol.hpp"
#include "aqueduct/connectors/okx/stream_protocol.hpp"
#include "aqueduct/connectors/time_text.hpp"

using namespace aq;
using connectors::StreamEvent;
using Kind = StreamEvent::Kind;

namespace {
Instrument inst(const char* venue, const char* symbol, InstrumentKind kind, int ps, int qs) {
  Instrument i;
  i.venue = venue;
  i.symbol = symbol;
  i.kind = kind;
  i.price_scale = ps;
  i.qty_scale = qs;
  return i;
}

std::vector<StreamEvent> feed(connectors::StreamProtocol& p, std::string_view text) {
  std::vector<StreamEvent> out;
  p.on_message(text, out);
  return out;
}
}  // namespace

TEST_CASE("peek_string_field finds a key's string value, not a value that looks like the key") {
  using connectors::peek_string_field;
  CHECK(peek_string_field(R"({"arg":{"channel":"books","instId":"BTC-USDT"}})", "instId") == "BTC-USDT");
  CHECK(peek_string_field(R"({"types":{"symbol":"symbol"},"x":"symbol","data":[]})", "data").empty());
  CHECK(peek_string_field(R"({"keys":["symbol"], "symbol" : "XBTUSD"})", "symbol") == "XBTUSD");
  CHECK(peek_string_field(R"({"mysymbol":"A","symbol":"B"})", "symbol") == "B");
  CHECK(peek_string_field(R"({"n":1})", "symbol").empty());
}

TEST_CASE("ISO-8601 timestamps to Unix nanoseconds") {
  using connectors::parse_iso8601_ns;
  CHECK(parse_iso8601_ns("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_iso8601_ns("2026-05-01T12:00:00.123456789Z") == 1'777'636'800'123'456'789LL);
  CHECK(parse_iso8601_ns("2026-05-01T12:00:00.1Z") == 1'777'636'800'100'000'000LL);
  CHECK(parse_iso8601_ns("2000-02-29T00:00:00Z") == 951'782'400'000'000'000LL);
  CHECK_FALSE(parse_iso8601_ns("2026-05-01 12:00:00Z"));
  CHECK_FALSE(parse_iso8601_ns("2026-05-01T12:00:00"));
  CHECK_FALSE(parse_iso8601_ns("2026-13-01T12:00:00Z"));
  CHECK_FALSE(parse_iso8601_ns("2026-05-01T12:00:00.Z"));
}

TEST_CASE("OKX: subscribe frames, snapshot, update, idle heartbeat, gap, notice, error, pong") {
  okx::StreamProtocol p({inst("okx", "BTC-USDT-SWAP", InstrumentKind::Linear, 1, 0),
                         inst("okx", "BTC-USDT", InstrumentKind::Spot, 1, 0)});
  CHECK(p.target() == "/ws/v5/public");
  auto sub = p.subscribe({0, 1});
  REQUIRE(sub.size() == 1);
  // The SWAP also gets its mark-price and funding-rate channels; the spot pair its book only.
  CHECK(sub[0] == R"({"id":"1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"},{"channel":"bbo-tbt","instId":"BTC-USDT-SWAP"},{"channel":"mark-price","instId":"BTC-USDT-SWAP"},{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},{"channel":"index-tickers","instId":"BTC-USDT"},{"channel":"books","instId":"BTC-USDT"},{"channel":"bbo-tbt","instId":"BTC-USDT"}]})");
  CHECK(p.unsubscribe(1)[0] == R"({"id":"2","op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
  CHECK(p.ping() == "ping");

  auto e = feed(p, R"({"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"connId":"a4d3ae55"})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Info);

  e = feed(p, R"({"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":"snapshot","data":[{"asks":[["65000","8","0","3"],["65000.4","1","0","1"]],"bids":[["64999.9","12","0","5"],["64999.5","3","0","2"]],"ts":"1717171717123","checksum":0,"prevSeqId":-1,"seqId":8931551220}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Snapshot);
  CHECK(e[0].index == 0);
  CHECK(e[0].seq == 8931551220ULL);
  CHECK(e[0].exchange_ts_ns == 1717171717123LL * 1'000'000);
  CHECK(p.live(0));
  CHECK_FALSE(p.live(1));

  e = feed(p, R"({"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":"update","data":[{"asks":[["65000","10","0","4"]],"bids":[["64999.9","0","0","0"],["64999.7","20","0","2"]],"ts":"1717171717223","checksum":0,"prevSeqId":8931551220,"seqId":8931551227}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Delta);
  CHECK(e[0].prev_seq == 8931551220ULL);
  CHECK(e[0].seq == 8931551227ULL);
  CHECK(e[0].bids == std::vector<Level>{{649999, 0}, {649997, 20}});
  CHECK(e[0].asks == std::vector<Level>{{650000, 10}});
  CHECK(p.book(0).best_bid()->price == 649997);

  e = feed(p, R"({"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1717171717323","checksum":0,"prevSeqId":8931551227,"seqId":8931551227}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Heartbeat);

  e = feed(p, R"({"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":"update","data":[{"asks":[],"bids":[["64999.7","1","0","1"]],"ts":"1717171717423","checksum":0,"prevSeqId":8931551300,"seqId":8931551301}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Resubscribe);
  CHECK(e[0].index == 0);
  CHECK(e[0].detail.find("gap") != std::string::npos);
  CHECK_FALSE(p.live(0));

  // A push for an instrument that is not ours is ignored; a malformed one for ours resubscribes it.
  CHECK(feed(p, R"({"arg":{"channel":"books","instId":"ETH-USDT"},"action":"update","data":[]})").empty());
  e = feed(p, R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"bids":[["x","1"]]}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Resubscribe);
  CHECK(e[0].index == 1);

  e = feed(p, R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade."})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Reconnect);
  CHECK(e[0].detail.find("64008") != std::string::npos);
  e = feed(p, R"({"id":"1512","event":"error","code":"60012","msg":"Invalid request","connId":"a4d3ae55"})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Refused);
  CHECK(e[0].detail.find("60012") != std::string::npos);
  CHECK(feed(p, "pong")[0].kind == Kind::Pong);
}

TEST_CASE("Bybit: at most 10 topics per frame, snapshot and delta, gap, both pong shapes, refusal") {
  std::vector<Instrument> many;
  for (int i = 0; i < 12; ++i)
    many.push_back(inst("bybit", ("S" + std::to_string(i) + "USDT").c_str(), InstrumentKind::Spot, 2, 3));
  bybit::StreamProtocol wide(many);
  std::vector<size_t> all(12);
  for (size_t i = 0; i < 12; ++i) all[i] = i;
  auto frames = wide.subscribe(all);
  CHECK(frames.size() == 3);  // 12 books and 12 orderbook.1 topics, 10 to a frame
  CHECK(wide.target() == "/v5/public/spot");

  bybit::StreamProtocol p({inst("bybit", "BTCUSDT", InstrumentKind::Linear, 2, 3)});
  CHECK(p.target() == "/v5/public/linear");
  CHECK(p.subscribe({0})[0] == R"({"req_id":"1","op":"subscribe","args":["orderbook.50.BTCUSDT","orderbook.1.BTCUSDT","tickers.BTCUSDT"]})");
  CHECK(p.ping() == R"({"req_id":"2","op":"ping"})");
  CHECK_THROWS_AS(bybit::StreamProtocol({inst("bybit", "A", InstrumentKind::Spot, 2, 3), inst("bybit", "B", InstrumentKind::Linear, 2, 3)}),
                  std::invalid_argument);

  auto e = feed(p, R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1717171717123,"data":{"s":"BTCUSDT","b":[["64999.90","1.204"],["64999.80","0.550"]],"a":[["65000.00","0.731"]],"u":18521288,"seq":7961638724},"cts":1717171717120})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Snapshot);
  CHECK(e[0].seq == 18521288);
  CHECK(e[0].exchange_ts_ns == 1717171717120LL * 1'000'000);
  e = feed(p, R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1717171717143,"data":{"s":"BTCUSDT","b":[["64999.90","0"]],"a":[["65000.00","0.912"],["65000.50","2.000"]],"u":18521289,"seq":7961638731},"cts":1717171717141})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Delta);
  CHECK(e[0].prev_seq == 18521288);
  CHECK(e[0].asks == std::vector<Level>{{6500000, 912}, {6500050, 2000}});
  e = feed(p, R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":18521300,"seq":1},"cts":1})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Resubscribe);

  CHECK(feed(p, R"({"success":true,"ret_msg":"pong","conn_id":"c","op":"ping"})")[0].kind == Kind::Pong);
  CHECK(feed(p, R"({"req_id":"9","op":"pong","args":["1757405570352"],"conn_id":"c"})")[0].kind == Kind::Pong);
  CHECK(feed(p, R"({"success":true,"ret_msg":"","conn_id":"c","req_id":"ob-1","op":"subscribe"})")[0].kind == Kind::Info);
  e = feed(p, R"({"success":false,"ret_msg":"error:handler not found","conn_id":"c","op":"subscribe"})");
  CHECK(e[0].kind == Kind::Refused);
  CHECK(e[0].detail.find("handler not found") != std::string::npos);
}

TEST_CASE("BitMEX: routing by row symbol, partial gating, contradictions resubscribe one symbol") {
  bitmex::StreamProtocol p({inst("bitmex", "XBTUSD", InstrumentKind::Inverse, 1, 0),
                            inst("bitmex", "ETHUSD", InstrumentKind::Quanto, 2, 0)});
  CHECK(p.target() == "/realtime");
  CHECK(p.subscribe({0, 1})[0] == R"({"op":"subscribe","args":["orderBookL2:XBTUSD","instrument:XBTUSD","orderBookL2:ETHUSD","instrument:ETHUSD"]})");
  CHECK(p.subscribe_book(1)[0] == R"({"op":"subscribe","args":["orderBookL2:ETHUSD"]})");
  CHECK(feed(p, R"({"info":"Welcome to the BitMEX Realtime API.","version":"x","limit":{"remaining":59}})")[0].kind == Kind::Info);
  CHECK(feed(p, R"({"success":true,"subscribe":"orderBookL2:XBTUSD","request":{"op":"subscribe","args":["orderBookL2:XBTUSD"]}})")[0].kind == Kind::Info);
  // Before the partial: discarded.
  CHECK(feed(p, R"({"table":"orderBookL2","action":"insert","data":[{"symbol":"XBTUSD","id":1,"side":"Buy","size":5,"price":1.0}]})").empty());
  auto e = feed(p, R"({"table":"orderBookL2","action":"partial","keys":["symbol","id","side"],"types":{"symbol":"symbol","id":"long","side":"symbol","size":"long","price":"float"},"filter":{"symbol":"XBTUSD"},"data":[{"symbol":"XBTUSD","id":92999963600,"side":"Sell","size":150000,"price":65000.5},{"symbol":"XBTUSD","id":92999963700,"side":"Buy","size":420000,"price":65000.0}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Snapshot);
  CHECK(e[0].index == 0);
  e = feed(p, R"({"table":"orderBookL2","action":"partial","filter":{"symbol":"ETHUSD"},"data":[{"symbol":"ETHUSD","id":5,"side":"Sell","size":10,"price":2000.05},{"symbol":"ETHUSD","id":6,"side":"Buy","size":10,"price":1999.95}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].index == 1);
  e = feed(p, R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","id":92999963700,"side":"Buy","size":410000,"price":65000.0,"timestamp":"2026-05-01T12:00:00.142Z"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Delta);
  CHECK(e[0].exchange_ts_ns == 1'777'636'800'142'000'000LL);
  CHECK(e[0].prev_seq == 1);
  CHECK(e[0].seq == 2);
  CHECK(e[0].bids == std::vector<Level>{{650000, 410000}});
  // A delete of a level we never had means a message was lost: resubscribe XBTUSD only.
  e = feed(p, R"({"table":"orderBookL2","action":"delete","data":[{"symbol":"XBTUSD","id":77,"side":"Sell","price":64000.0}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Resubscribe);
  CHECK(e[0].index == 0);
  CHECK_FALSE(p.live(0));
  CHECK(p.live(1));
  CHECK(feed(p, R"({"status":400,"error":"Unknown table: x","meta":{}})")[0].kind == Kind::Refused);
  CHECK(feed(p, "pong")[0].kind == Kind::Pong);
}

TEST_CASE("Coinbase: heartbeats once per connection, offer side, sequence_num gap resubscribes every product") {
  coinbase::StreamProtocol p({inst("coinbase", "BTC-USD", InstrumentKind::Spot, 2, 8),
                              inst("coinbase", "ETH-USD", InstrumentKind::Spot, 2, 8)});
  auto f = p.subscribe({0, 1});
  REQUIRE(f.size() == 2);
  CHECK(f[0] == R"({"type":"subscribe","channel":"heartbeats"})");
  CHECK(f[1] == R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})");
  CHECK(p.subscribe({1}).size() == 1);  // heartbeats already on this connection
  p.reset_connection();
  CHECK(p.subscribe({1}).size() == 2);

  CHECK(feed(p, R"({"channel":"subscriptions","client_id":"","timestamp":"2026-05-01T12:00:00.023Z","sequence_num":3,"events":[{"subscriptions":{"level2":["BTC-USD"]}}]})")[0].kind == Kind::Info);
  auto e = feed(p, R"({"channel":"l2_data","client_id":"","timestamp":"2026-05-01T12:00:00.123456789Z","sequence_num":4,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"64999.99","new_quantity":"0.51200000"},{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"65000.01","new_quantity":"1.00000000"}]}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Snapshot);
  CHECK(e[0].exchange_ts_ns == 1'777'636'800'123'456'789LL);
  CHECK(p.book(0).best_ask()->price == 6500001);
  CHECK(p.book(0).best_ask()->qty == 100'000'000);
  e = feed(p, R"({"channel":"l2_data","client_id":"","timestamp":"2026-05-01T12:00:00.223Z","sequence_num":5,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"offer","event_time":"2026-05-01T12:00:00.220111Z","price_level":"65000.01","new_quantity":"0"}]}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Delta);
  CHECK(e[0].asks == std::vector<Level>{{6500001, 0}});
  CHECK(feed(p, R"({"channel":"heartbeats","client_id":"","timestamp":"2026-05-01T12:00:01Z","sequence_num":6,"events":[{"current_time":"x","heartbeat_counter":"1"}]})")[0].kind == Kind::Pong);
  // sequence_num 8 after 6: something was lost, for a product we cannot name.
  e = feed(p, R"({"channel":"heartbeats","client_id":"","timestamp":"2026-05-01T12:00:02Z","sequence_num":8,"events":[]})");
  REQUIRE(e.size() == 2);
  CHECK(e[0].kind == Kind::Resubscribe);
  CHECK(e[1].kind == Kind::Resubscribe);
  CHECK(e[1].index == 1);
  CHECK_FALSE(p.live(0));
  // A side other than bid/offer is refused (cryptofeed's latent "ask" bug, venues.md §5.2).
  e = feed(p, R"({"channel":"l2_data","client_id":"","timestamp":"2026-05-01T12:00:03Z","sequence_num":9,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"ask","event_time":"x","price_level":"1.00","new_quantity":"1"}]}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Reconnect);
  CHECK(e[0].detail.find("neither bid nor offer") != std::string::npos);
}

TEST_CASE("perpetual stats: Binance markPriceUpdate, OKX mark-price and funding-rate, Bybit tickers, BitMEX instrument") {
  auto b = binance::parse_mark_price(
      R"({"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000})");
  CHECK(*b.mark == Decimal{1179415, 2});  // exact value; trailing zeros carry no information
  CHECK(*b.index == Decimal{1178462659091, 8});
  CHECK(*b.funding_rate == Decimal{38167, 8});
  CHECK(b.next_funding_ts_ns == 1562306400000LL * 1'000'000);
  CHECK(b.exchange_ts_ns == 1562305380000LL * 1'000'000);
  CHECK_THROWS_WITH(binance::parse_mark_price(R"({"e":"depthUpdate","E":1})"), doctest::Contains("not markPriceUpdate"));

  okx::StreamProtocol p({inst("okx", "BTC-USDT-SWAP", InstrumentKind::Linear, 1, 0)});
  auto sub = p.subscribe({0})[0];
  CHECK(sub.find(R"({"channel":"mark-price","instId":"BTC-USDT-SWAP"})") != std::string::npos);
  CHECK(sub.find(R"({"channel":"funding-rate","instId":"BTC-USDT-SWAP"})") != std::string::npos);
  // A book resync resubscribes the book only.
  CHECK(p.subscribe_book(0)[0].find("mark-price") == std::string::npos);
  auto e = feed(p, R"({"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","markPx":"65001.37","ts":"1717171717123"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::PerpStats);
  CHECK(e[0].perp.mark->to_string() == "65001.37");  // finer than the 0.1 tick: kept exact
  e = feed(p, R"({"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{"fundingRate":"0.0001","fundingTime":"1717200000000","instId":"BTC-USDT-SWAP","instType":"SWAP","nextFundingRate":"","ts":"1717171717123"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].perp.funding_rate->to_string() == "0.0001");
  CHECK(e[0].perp.next_funding_ts_ns == 1717200000000LL * 1'000'000);
  e = feed(p, R"({"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{"fundingRate":"x"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Unreadable);  // not book data: the book is not resubscribed

  // The index is named by the underlying, which a spot book may share: it goes to the
  // perpetual that follows it, never to the spot book.
  okx::StreamProtocol both({inst("okx", "BTC-USDT", InstrumentKind::Spot, 1, 8), inst("okx", "BTC-USDT-SWAP", InstrumentKind::Linear, 1, 0)});
  CHECK(both.subscribe({0, 1})[0].find(R"({"channel":"index-tickers","instId":"BTC-USDT"})") != std::string::npos);
  e = feed(both, R"({"arg":{"channel":"index-tickers","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","idxPx":"64998.12","high24h":"0","low24h":"0","open24h":"0","sodUtc0":"0","sodUtc8":"0","ts":"1717171717123"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::PerpStats);
  CHECK(e[0].index == 1);
  CHECK(e[0].perp.index->to_string() == "64998.12");
  CHECK_FALSE(e[0].perp.mark);
  CHECK_FALSE(both.live(0));
  e = feed(both, R"({"arg":{"channel":"index-tickers","instId":"BTC-USDT"},"data":[{"idxPx":"-"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Unreadable);

  bybit::StreamProtocol y({inst("bybit", "BTCUSDT", InstrumentKind::Linear, 2, 3)});
  CHECK(y.subscribe({0})[0].find(R"("tickers.BTCUSDT")") != std::string::npos);
  e = feed(y, R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","fundingRate":"-0.000212","nextFundingTime":"1673280000000"},"cs":24987956059,"ts":1673272861686})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::PerpStats);
  CHECK_FALSE(e[0].perp.mark);  // absent in a delta: unchanged, not zero
  CHECK(e[0].perp.funding_rate->units == -212);
  CHECK(e[0].perp.funding_rate->scale == 6);

  bitmex::StreamProtocol x({inst("bitmex", "XBTUSD", InstrumentKind::Inverse, 1, 0)});
  CHECK(x.subscribe({0})[0] == R"({"op":"subscribe","args":["orderBookL2:XBTUSD","instrument:XBTUSD"]})");
  e = feed(x, R"({"table":"instrument","action":"update","data":[{"symbol":"XBTUSD","markPrice":65001.37,"indicativeSettlePrice":65000.12,"fundingRate":0.0001,"fundingTimestamp":"2026-05-01T12:00:00.000Z","timestamp":"2026-05-01T11:59:59.500Z"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].perp.mark->to_string() == "65001.37");
  CHECK(e[0].perp.index->to_string() == "65000.12");
  CHECK(e[0].perp.next_funding_ts_ns == 1'777'636'800'000'000'000LL);
  // Rows for other symbols, or without the fields, say nothing.
  CHECK(feed(x, R"({"table":"instrument","action":"update","data":[{"symbol":"ETHUSD","markPrice":2000.1}]})").empty());
  CHECK(feed(x, R"({"table":"instrument","action":"update","data":[{"symbol":"XBTUSD","lastPrice":1}]})").empty());
}

TEST_CASE("best bid and offer: Binance bookTicker (spot and futures), OKX bbo-tbt, Bybit orderbook.1") {
  auto bi = inst("binance", "BTCUSDT", InstrumentKind::Spot, 2, 5);
  auto spot = binance::parse_book_ticker(R"({"u":48211006019,"s":"BTCUSDT","b":"67011.98000000","B":"0.41200000","a":"67012.00000000","A":"1.05210000"})", bi);
  CHECK(spot.venue_seq == 48211006019ULL);
  CHECK(spot.bid.price == 6701198);
  CHECK(spot.bid.qty == 41200);
  CHECK(spot.ask.price == 6701200);
  CHECK(spot.ask.qty == 105210);
  CHECK(spot.sane());
  CHECK(binance::is_book_ticker(R"({"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"})"));
  CHECK_FALSE(binance::is_book_ticker(R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[["1","0"]]})"));
  auto fi = inst("binance_usdm", "BTCUSDT", InstrumentKind::Linear, 2, 3);
  auto fut = binance::parse_book_ticker(R"({"e":"bookTicker","u":7012345600188,"E":1717171717202,"T":1717171717198,"s":"BTCUSDT","b":"67005.10","B":"1.212","a":"67005.20","A":"0.380"})", fi);
  CHECK(fut.exchange_ts_ns == 1717171717202LL * 1'000'000);
  CHECK(fut.ask.qty == 380);
  CHECK(binance::is_book_ticker(R"({"e":"bookTicker","u":1})"));
  const std::string off_grid = R"({"u":1,"s":"BTCUSDT","b":"67011.981","B":"1","a":"67012","A":"1"})";
  const std::string no_id = R"({"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"})";
  const std::string other_event = R"({"e":"depthUpdate","u":1,"b":"1","B":"1","a":"2","A":"1"})";
  CHECK_THROWS_AS(binance::parse_book_ticker(off_grid, bi), aq::connectors::ParseError);
  CHECK_THROWS_AS(binance::parse_book_ticker(no_id, bi), aq::connectors::ParseError);
  CHECK_THROWS_AS(binance::parse_book_ticker(other_event, bi), aq::connectors::ParseError);
  // Roundtrip through the simulator's writer.
  auto again = binance::parse_book_ticker(binance::format_book_ticker(fut, fi, true), fi);
  CHECK(again.bid.price == fut.bid.price);
  CHECK(again.venue_seq == fut.venue_seq);

  okx::StreamProtocol o({inst("okx", "BTC-USDT", InstrumentKind::Spot, 1, 8)});
  auto e = feed(o, R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["65000.1","0.52","0","3"]],"bids":[["65000","1.9","0","7"]],"ts":"1717171717123","seqId":123}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Top);
  CHECK(e[0].top.ask.price == 650001);
  CHECK(e[0].top.bid.qty == 190'000'000);
  CHECK(e[0].top.venue_seq == 123);
  CHECK(e[0].top.exchange_ts_ns == 1717171717123LL * 1'000'000);
  CHECK_FALSE(o.live(0));  // the top never touches the book
  e = feed(o, R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[],"bids":[["65000","1.9","0","7"]],"ts":"1","seqId":124}]})");
  REQUIRE(e.size() == 1);
  CHECK_FALSE(e[0].top.sane());  // one-sided: reported as such, never published
  e = feed(o, R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["x","1"]],"bids":[],"ts":"1","seqId":1}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Unreadable);  // not book data: the book stays as it was

  bybit::StreamProtocol y({inst("bybit", "BTCUSDT", InstrumentKind::Spot, 2, 3)});
  e = feed(y, R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1717171717123,"data":{"s":"BTCUSDT","b":[["64999.90","1.204"]],"a":[["65000.00","0.731"]],"u":18521288,"seq":7961638724},"cts":1717171717120})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Top);
  CHECK(e[0].top.bid.price == 6499990);
  CHECK(e[0].top.ask.qty == 731);
  CHECK(e[0].top.venue_seq == 18521288);
  // A level-1 delta replaces its side; a zero size at the best empties it.
  e = feed(y, R"({"topic":"orderbook.1.BTCUSDT","type":"delta","ts":1717171717200,"data":{"s":"BTCUSDT","b":[["64999.90","0"]],"a":[["64999.95","0.100"]],"u":18521289,"seq":7961638725},"cts":1717171717199})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].top.bid.qty == 0);
  CHECK(e[0].top.ask.price == 6499995);
  CHECK_FALSE(y.live(0));
}

TEST_CASE("times beyond what nanoseconds can hold are refused, never overflowed") {
  CHECK_FALSE(connectors::parse_iso8601_ns("9999-12-31T23:59:59Z"));
  CHECK_FALSE(connectors::parse_iso8601_ns("1969-12-31T23:59:59Z"));
  CHECK(connectors::parse_iso8601_ns("2200-01-01T00:00:00Z"));
  okx::StreamProtocol p({inst("okx", "BTC-USDT-SWAP", InstrumentKind::Linear, 1, 0)});
  auto e = feed(p, R"({"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"markPx":"1","ts":"999999999999999"}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Unreadable);
  bybit::StreamProtocol y({inst("bybit", "BTCUSDT", InstrumentKind::Linear, 2, 3)});
  e = feed(y, R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1,"seq":1},"cts":99999999999999999})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == Kind::Resubscribe);
  CHECK(e[0].detail.find("2255") != std::string::npos);
}
