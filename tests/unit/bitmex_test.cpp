#include <doctest/doctest.h>

#include "aqueduct/connectors/bitmex/book.hpp"

using namespace aq;
using namespace aq::bitmex;

namespace {
Instrument xbtusd() {
  Instrument i;
  i.venue = "bitmex";
  i.symbol = "XBTUSD";
  i.kind = InstrumentKind::Inverse;
  i.price_scale = 1;  // tick 0.5 on the venue; 0.1 is enough to represent it
  i.qty_scale = 0;    // whole contracts
  return i;
}
const char* kPartial =
    R"({"table":"orderBookL2","action":"partial","keys":["symbol","id","side"],
        "types":{"symbol":"symbol","id":"long","side":"symbol","size":"long","price":"float","timestamp":"timestamp"},
        "foreignKeys":{"symbol":"instrument","side":"side"},"attributes":{"symbol":"parted","id":"sorted"},
        "filter":{"symbol":"XBTUSD"},
        "data":[{"symbol":"XBTUSD","id":92999963600,"side":"Sell","size":150000,"price":65000.5,"timestamp":"2026-05-01T12:00:00.100Z"},
                {"symbol":"XBTUSD","id":92999963700,"side":"Buy","size":420000,"price":65000.0,"timestamp":"2026-05-01T12:00:00.100Z"}]})";
}  // namespace

TEST_CASE("BitMEX orderBookL2: the documented partial, update, insert and delete") {
  auto inst = xbtusd();
  BookSync s("XBTUSD");
  auto early = parse_l2_message(
      R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","id":1,"side":"Buy","size":5,"price":1.0}]})", inst);
  CHECK(s.on_message(early).event == SyncEvent::Ignored);  // before the partial
  auto partial = parse_l2_message(kPartial, inst);
  REQUIRE(partial.rows.size() == 2);
  CHECK(partial.rows[0].price == 650005);  // 65000.5 read exactly, not through a double
  CHECK(s.on_message(partial).event == SyncEvent::PartialApplied);
  CHECK(s.on_message(parse_l2_message(
            R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","id":92999963700,"side":"Buy","size":410000,"price":65000.0,"timestamp":"2026-05-01T12:00:00.142Z"}]})", inst))
            .event == SyncEvent::Applied);
  CHECK(s.book().best_bid()->qty == 410000);
  CHECK(s.on_message(parse_l2_message(
            R"({"table":"orderBookL2","action":"insert","data":[{"symbol":"XBTUSD","id":92999963650,"side":"Sell","size":5000,"price":65000.2,"timestamp":".."}]})", inst))
            .event == SyncEvent::Applied);
  CHECK(s.book().best_ask()->price == 650002);
  CHECK(s.on_message(parse_l2_message(
            R"({"table":"orderBookL2","action":"delete","data":[{"symbol":"XBTUSD","id":92999963600,"side":"Sell","price":65000.5,"timestamp":".."}]})", inst))
            .event == SyncEvent::Applied);
  CHECK(s.book().asks().size() == 1);
  // A delete without a price is resolved through the id it was inserted with.
  CHECK(s.on_message(parse_l2_message(
            R"({"table":"orderBookL2","action":"delete","data":[{"symbol":"XBTUSD","id":92999963650,"side":"Sell"}]})", inst))
            .event == SyncEvent::Applied);
  CHECK(s.book().asks().empty());
  // Empty data is legal and changes nothing.
  CHECK(s.on_message(parse_l2_message(R"({"table":"orderBookL2","action":"update","data":[]})", inst)).event ==
        SyncEvent::Ignored);
  CHECK(s.live());
}

TEST_CASE("BitMEX orderBookL2: unknown ids, crossed books and bad numbers are refused") {
  auto inst = xbtusd();
  BookSync s("XBTUSD");
  s.on_message(parse_l2_message(kPartial, inst));
  auto r = s.on_message(parse_l2_message(
      R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","id":7,"side":"Buy","size":1}]})", inst));
  CHECK(r.event == SyncEvent::Inconsistent);
  CHECK(r.needs_resubscribe());
  CHECK_FALSE(s.live());
  s.on_message(parse_l2_message(kPartial, inst));
  CHECK(s.on_message(parse_l2_message(
            R"({"table":"orderBookL2","action":"insert","data":[{"symbol":"XBTUSD","id":8,"side":"Buy","size":1,"price":65001.0}]})", inst))
            .event == SyncEvent::Crossed);
  struct Case { const char* json; const char* says; };
  Case cases[] = {
      {R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","id":1,"side":"Buy","size":1,"price":6.5e4}]})", "exponent"},
      {R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","id":1,"side":"Buy","size":1,"price":65000.25}]})", "at most 1 decimals"},
      {R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","id":1,"side":"Buy","size":1.5,"price":1}]})", "whole number"},
      {R"({"table":"orderBookL2","action":"update","data":[{"symbol":"XBTUSD","side":"Buy","size":1,"price":1}]})", "id and side"},
      {R"({"table":"trade","action":"insert","data":[]})", "is not orderBookL2"},
      {R"({"table":"orderBookL2","action":"upsert","data":[]})", "partial, insert, update or delete"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    CHECK_THROWS_WITH_AS(parse_l2_message(c.json, inst), doctest::Contains(c.says), bitmex::ParseError);
  }
}
