#pragma once
// Fixed-point decimal numbers for money: value = units * 10^-scale.
//
// Prices and quantities are never doubles. Each instrument fixes a price scale and a quantity
// scale; values of one instrument are plain int64 "units" at those scales, and Decimal is the
// exact bridge to and from the decimal strings that venues and takers put on the wire.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aq {

inline constexpr int kMaxScale = 18;

// 128-bit intermediates for exact products of two 64-bit amounts (a GCC/Clang extension).
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

enum class Rounding { Down, Up, HalfEven, Exact };

class DecimalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 10^n for n in [0, 18].
constexpr int64_t pow10(int n) {
  int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// Why parsing failed, so callers can say exactly what was wrong with the input.
enum class ParseError { Empty, BadCharacter, TooManyDecimals, Overflow, Negative };
const char* to_string(ParseError e);

struct Decimal {
  int64_t units = 0;
  int scale = 0;

  // Parses a plain decimal string ("-12.3400", "0.5", "7") at exactly `scale` decimals.
  // Trailing zeros beyond the scale are accepted; any non-zero digit beyond it is an error
  // (TooManyDecimals): money is never rounded silently on input.
  static std::optional<Decimal> parse(std::string_view s, int scale, ParseError* why = nullptr);
  // Same, throwing DecimalError with a message naming the input and the allowed form.
  static Decimal parse_or_throw(std::string_view s, int scale, std::string_view what = "value");
  // Parses with as many decimals as the string has (up to 18).
  static std::optional<Decimal> parse_natural(std::string_view s, ParseError* why = nullptr);

  // Canonical string with exactly `scale` decimals ("1.50" at scale 2).
  std::string to_string() const;
  // String with trailing fractional zeros removed ("1.5").
  std::string to_trimmed_string() const;

  // Converts to another scale. Scaling up is exact or throws on overflow; scaling down rounds
  // as asked, and Rounding::Exact throws if digits would be lost.
  Decimal rescaled(int new_scale, Rounding mode) const;
};

// Compares values exactly even when scales differ.
int compare(const Decimal& a, const Decimal& b);
inline bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
inline bool operator<(const Decimal& a, const Decimal& b) { return compare(a, b) < 0; }

// Integer helpers used across the pricing and hedging cores. All detect overflow.
int64_t checked_add(int64_t a, int64_t b);
int64_t checked_mul(int64_t a, int64_t b);
// (a * b) / d with the intermediate in 128 bits and the stated rounding (sign-aware).
int64_t mul_div(int64_t a, int64_t b, int64_t d, Rounding mode);
// Divides a 128-bit numerator with the stated rounding; throws when the result leaves int64.
int64_t div_round(int128 num, int128 den, Rounding mode);

}  // namespace aq
