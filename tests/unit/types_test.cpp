#include <doctest/doctest.h>

#include <limits>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/l2_book.hpp"
#include "aqueduct/types/uint256.hpp"

using namespace aq;

TEST_CASE("decimal strings round-trip exactly at their scale") {
  struct Case { const char* in; int scale; int64_t units; const char* out; };
  Case cases[] = {
      {"0", 2, 0, "0.00"},
      {"1.5", 2, 150, "1.50"},
      {"-1.5", 2, -150, "-1.50"},
      {"67011.98000000", 2, 6701198, "67011.98"},  // venue strings carry trailing zeros
      {"0.00100", 5, 100, "0.00100"},
      {".5", 1, 5, "0.5"},
      {"7.", 0, 7, "7"},
      {"+3.25", 2, 325, "3.25"},
      {"9223372036854775807", 0, std::numeric_limits<int64_t>::max(), "9223372036854775807"},
      {"-0.000000000000000001", 18, -1, "-0.000000000000000001"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    auto d = Decimal::parse(c.in, c.scale);
    REQUIRE(d.has_value());
    CHECK(d->units == c.units);
    CHECK(d->to_string() == c.out);
    CHECK(Decimal::parse(d->to_string(), c.scale)->units == c.units);
  }
}

TEST_CASE("decimal parsing refuses what it cannot represent, saying why") {
  struct Case { const char* in; int scale; ParseError why; };
  Case cases[] = {
      {"", 2, ParseError::Empty},
      {"-", 2, ParseError::Empty},
      {"1.234", 2, ParseError::TooManyDecimals},  // never rounded silently
      {"1e5", 2, ParseError::BadCharacter},
      {"1,5", 2, ParseError::BadCharacter},
      {"0x10", 2, ParseError::BadCharacter},
      {" 1", 2, ParseError::BadCharacter},
      {"1.2.3", 2, ParseError::BadCharacter},
      {".", 2, ParseError::BadCharacter},
      {"NaN", 2, ParseError::BadCharacter},
      {"9223372036854775808", 0, ParseError::Overflow},
      {"92233720368547758.08", 2, ParseError::Overflow},
      {"99999999999999999999999", 0, ParseError::Overflow},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    ParseError why{};
    CHECK_FALSE(Decimal::parse(c.in, c.scale, &why).has_value());
    CHECK(why == c.why);
  }
  CHECK_THROWS_WITH_AS(Decimal::parse_or_throw("1.234", 2, "price"),
                       doctest::Contains("at most 2 decimal places"), DecimalError);
}

TEST_CASE("trimmed and natural forms") {
  CHECK(Decimal::parse_natural("1.2300")->scale == 2);
  CHECK(Decimal::parse_natural("1.2300")->units == 123);
  CHECK(Decimal{150, 2}.to_trimmed_string() == "1.5");
  CHECK(Decimal{-100, 2}.to_trimmed_string() == "-1");
  CHECK(Decimal{0, 4}.to_trimmed_string() == "0");
  CHECK(Decimal{std::numeric_limits<int64_t>::min(), 0}.to_string() == "-9223372036854775808");
}

TEST_CASE("rescaling rounds as asked and detects overflow") {
  Decimal d{12345, 3};  // 12.345
  CHECK(d.rescaled(2, Rounding::Down).units == 1234);
  CHECK(d.rescaled(2, Rounding::Up).units == 1235);
  CHECK(d.rescaled(2, Rounding::HalfEven).units == 1234);  // .345 -> .34 (4 is even)
  CHECK(Decimal{12355, 3}.rescaled(2, Rounding::HalfEven).units == 1236);
  CHECK(Decimal{-12345, 3}.rescaled(2, Rounding::Down).units == -1235);  // toward -inf
  CHECK(Decimal{-12345, 3}.rescaled(2, Rounding::Up).units == -1234);
  CHECK_THROWS_AS(d.rescaled(2, Rounding::Exact), DecimalError);
  CHECK(Decimal{12340, 3}.rescaled(2, Rounding::Exact).units == 1234);
  CHECK(d.rescaled(5, Rounding::Exact).units == 1234500);
  Decimal big{std::numeric_limits<int64_t>::max() / 10 + 1, 0};
  CHECK_THROWS_AS(big.rescaled(1, Rounding::Exact), DecimalError);
  CHECK(compare(Decimal{150, 2}, Decimal{15, 1}) == 0);
  CHECK(Decimal{149, 2} < Decimal{15, 1});
}

TEST_CASE("integer helpers detect overflow") {
  CHECK_THROWS_AS(checked_add(std::numeric_limits<int64_t>::max(), 1), DecimalError);
  CHECK_THROWS_AS(checked_mul(std::numeric_limits<int64_t>::max(), 2), DecimalError);
  CHECK(mul_div(3'000'000'000'000, 3'000'000'000, 9'000'000'000, Rounding::Exact) == 1'000'000'000'000);
  CHECK(mul_div(10, 1, 3, Rounding::Down) == 3);
  CHECK(mul_div(10, 1, 3, Rounding::Up) == 4);
  CHECK(mul_div(-10, 1, 3, Rounding::Down) == -4);
  CHECK_THROWS_AS(mul_div(std::numeric_limits<int64_t>::max(), 4, 2, Rounding::Exact), DecimalError);
}

TEST_CASE("uint256 arithmetic, conversions and overflow") {
  auto max = UInt256::max();
  CHECK(max.to_decimal() ==
        "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  CHECK(UInt256::from_decimal(max.to_decimal()) == max);
  CHECK_FALSE(UInt256::from_decimal(
      "115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  CHECK_FALSE(max.checked_add(UInt256(1)));
  CHECK_FALSE(UInt256(0).checked_sub(UInt256(1)));
  CHECK_FALSE(UInt256::pow10(40).checked_mul(UInt256::pow10(40)));
  CHECK(UInt256::pow10(18).to_decimal() == "1000000000000000000");
  CHECK(UInt256::from_hex("0xde0b6b3a7640000") == UInt256::pow10(18));
  CHECK(UInt256::pow10(18).to_hex() == "0xde0b6b3a7640000");
  CHECK(UInt256(0).to_hex() == "0x0");
  CHECK_FALSE(UInt256::from_hex("0xzz"));
  CHECK_FALSE(UInt256::from_decimal("-1"));
  auto big = *UInt256::from_decimal("340282366920938463463374607431768211456");  // 2^128
  CHECK(big.limb(2) == 1);
  CHECK(big.limb(0) == 0);
  uint64_t rem = 0;
  CHECK(big.div_small(10, &rem).to_decimal() == "34028236692093846346337460743176821145");
  CHECK(rem == 6);
  auto bytes = UInt256(0x0102).to_be_bytes();
  CHECK(bytes[31] == 0x02);
  CHECK(bytes[30] == 0x01);
  CHECK(bytes[0] == 0);
  CHECK(UInt256(5) < UInt256(7));
  CHECK(big > UInt256(~0ULL));
  // Division by a 256-bit divisor: 2^255 / (10^40 + 7) against its product back.
  auto top = *UInt256::from_decimal("57896044618658097711785492504343953926634992332820282019728792003956564819968");
  auto d = *UInt256::pow10(40).checked_add(7);
  UInt256 r;
  auto q = top.checked_div(d, &r);
  REQUIRE(q);
  CHECK(q->to_decimal() == "5789604461865809771178549250434395392");
  CHECK(q->checked_mul(d)->checked_add(r) == top);
  CHECK(r < d);
  CHECK(UInt256(7).checked_div(UInt256(7)) == UInt256(1));
  CHECK(UInt256(6).checked_div(UInt256(7)) == UInt256(0));
  CHECK_FALSE(UInt256(6).checked_div(UInt256(0)));
}

TEST_CASE("token amounts convert to base units exactly") {
  CHECK(to_base_units(*Decimal::parse("1.5", 1), 6)->to_decimal() == "1500000");
  CHECK(to_base_units(*Decimal::parse("1.5", 1), 18)->to_decimal() == "1500000000000000000");
  CHECK(to_base_units(*Decimal::parse("1.50", 2), 1)->to_decimal() == "15");
  CHECK_FALSE(to_base_units(*Decimal::parse("1.55", 2), 1));  // finer than the token
  CHECK_FALSE(to_base_units(*Decimal::parse("-1", 0), 6));
}

TEST_CASE("L2 book keeps sides sorted and detects crossing") {
  L2Book b;
  b.set(Side::Buy, 100, 5);
  b.set(Side::Buy, 102, 1);
  b.set(Side::Buy, 101, 2);
  b.set(Side::Sell, 105, 3);
  b.set(Side::Sell, 104, 4);
  CHECK(b.best_bid()->price == 102);
  CHECK(b.best_ask()->price == 104);
  CHECK(b.bids()[2].price == 100);
  b.set(Side::Buy, 101, 0);
  CHECK(b.bids().size() == 2);
  b.set(Side::Buy, 999, 0);  // deleting an absent level is legal
  CHECK(b.bids().size() == 2);
  b.set(Side::Buy, 100, 9);
  CHECK(b.bids()[1].qty == 9);
  CHECK_FALSE(b.crossed());
  b.set(Side::Buy, 104, 1);
  CHECK(b.crossed());
}
