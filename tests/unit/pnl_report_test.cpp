// The daily expected-vs-realized report (hedging/pnl_report.hpp): exact parsing, the quote's
// expected parts per side, grouping, and which fills are compared.
#include <doctest/doctest.h>

#include "aqueduct/hedging/pnl_attribution.hpp"
#include "aqueduct/hedging/pnl_report.hpp"

using namespace aq;
using namespace aq::hedging;

namespace {
int128 at16(const char* text) {
  return *parse_exact(text, kReportScale);
}

FillRecord fill(const std::string& day, const std::string& listing, Side side, const char* price,
                const char* qty, const char* fair, const char* vwap, const char* fee) {
  FillRecord f;
  f.day = day;
  f.listing = listing;
  f.taker_side = side;
  f.price = price;
  f.qty = qty;
  f.quote_fair = fair;
  f.quote_hedge_vwap = vwap;
  f.quote_fee = fee;
  return f;
}
}  // namespace

TEST_CASE("parse_exact: decimal text at a fixed scale, exactly or not at all") {
  CHECK(parse_exact("12.5", 2) == int128{1250});
  CHECK(parse_exact("-0.01", 4) == int128{-100});
  CHECK(parse_exact("+3", 0) == int128{3});
  CHECK(parse_exact("1.2300", 2) == int128{123});  // trailing zeros beyond the scale are exact
  CHECK_FALSE(parse_exact("1.235", 2));            // finer than the scale: refused, not rounded
  CHECK_FALSE(parse_exact("", 2));
  CHECK_FALSE(parse_exact("-", 2));
  CHECK_FALSE(parse_exact("1.2.3", 2));
  CHECK_FALSE(parse_exact("1e5", 2));
  CHECK_FALSE(parse_exact("99999999999999999999999999999999999999", 16));  // beyond 128 bits
  CHECK(exact_text(at16("-30000.0000000000000001"), kReportScale) == "-30000.0000000000000001");
}

TEST_CASE("expected parts: what the quote's breakdown priced in, per taker side") {
  // Taker buys 0.5 at 30010 with fair 30000, hedge VWAP 30004 and fee 3 per unit: we capture
  // (30010 - 30000) x 0.5 = 5 vs fair, pay (30004 - 30000) x 0.5 = 2 to hedge, 1.5 in fees.
  auto buy = expected_parts(
      fill("2026-11-23", "BTC-USDT", Side::Buy, "30010", "0.5", "30000", "30004", "3"));
  CHECK(buy.spread == at16("5"));
  CHECK(buy.hedge == at16("-2"));
  CHECK(buy.fees == at16("-1.5"));
  CHECK(buy.total() == at16("1.5"));  // = (price - vwap - fee) x qty
  // Taker sells 0.5 at 29990: we buy at 29990 and sell the hedge at 29996 (VWAP below fair by 4).
  auto sell = expected_parts(
      fill("2026-11-23", "BTC-USDT", Side::Sell, "29990", "0.5", "30000", "29996", "3"));
  CHECK(sell.spread == at16("5"));
  CHECK(sell.hedge == at16("-2"));
  CHECK(sell.fees == at16("-1.5"));
  CHECK(sell.funding == 0);
  CHECK(sell.revaluation == 0);
  // Exact to the smallest unit: 0.00001 x 0.00000001 stays 1e-13.
  auto tiny =
      expected_parts(fill("d", "l", Side::Buy, "30000.00000001", "0.00001", "30000", "30000", "0"));
  CHECK(tiny.spread == at16("0.0000000000001"));
  CHECK_THROWS_WITH_AS(expected_parts(fill("d", "l", Side::Buy, "1", "1", "abc", "1", "0")),
                       "the quote's fair_value 'abc' is not a decimal with at most 16 places",
                       std::invalid_argument);
}

TEST_CASE("daily_pnl: by day and listing; expected and realized over the same attributed fills") {
  std::vector<FillRecord> fills;
  auto a = fill("2026-11-22", "BTC-USDT", Side::Buy, "30010", "0.5", "30000", "30004", "3");
  ReportParts ra;
  ra.spread = at16("4.9");
  ra.hedge = at16("-2.25");
  ra.fees = at16("-1.5");
  ra.revaluation = at16("0.1");
  a.realized = ra;
  fills.push_back(a);
  auto b = fill("2026-11-22", "BTC-USDT", Side::Sell, "29990", "1", "30000", "29996",
                "3");  // not attributed yet
  fills.push_back(b);
  auto c = fill("2026-11-23", "BTC-USDT", Side::Sell, "29990", "1", "", "", "");  // no breakdown
  c.realized = ra;
  fills.push_back(c);
  auto d = fill("2026-11-22", "ETH-USDT", Side::Buy, "2001", "2", "2000", "2000.5", "0.2");
  ReportParts rd;
  rd.spread = at16("2");
  rd.hedge = at16("-1");
  rd.fees = at16("-0.4");
  rd.funding = at16("-0.01");
  rd.quanto = at16("0.03");
  d.realized = rd;
  fills.push_back(d);

  auto rows = daily_pnl(fills);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].day == "2026-11-22");
  CHECK(rows[0].listing == "BTC-USDT");
  CHECK(rows[0].fills == 2);
  CHECK(rows[0].attributed == 1);
  CHECK(rows[0].volume == at16("1.5"));
  // Only fill a is compared: b's hedges are not final.
  CHECK(rows[0].expected.total() == at16("1.5"));
  CHECK(rows[0].realized.total() == at16("1.25"));
  CHECK(rows[1].listing == "ETH-USDT");
  CHECK(rows[1].expected.total() == at16("0.6"));  // (2001 - 2000.5 - 0.2) x 2
  CHECK(rows[1].realized.funding == at16("-0.01"));
  CHECK(rows[1].realized.quanto == at16("0.03"));
  CHECK(rows[1].realized.total() == at16("0.62"));  // 2 - 1 - 0.4 - 0.01 + 0.03
  CHECK(rows[2].day == "2026-11-23");
  CHECK(rows[2].unpriced == 1);
  CHECK(rows[2].attributed == 0);
  CHECK(rows[2].realized.total() == 0);

  auto text = format_daily_pnl(rows);
  CHECK(text.find("variance") != std::string::npos);
  CHECK(text.find("revaluation  quanto") != std::string::npos);
  // BTC on the 22nd: realized - expected = 1.25 - 1.5, at 2 places.
  CHECK(text.find("-0.25") != std::string::npos);
  CHECK(text.find("1 (1 unpriced)") == std::string::npos);
  CHECK(text.find("0 (1 unpriced)") != std::string::npos);
}
