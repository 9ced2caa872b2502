#include "aqueduct/types/decimal.hpp"

#include <limits>

namespace aq {

const char* to_string(ParseError e) {
  switch (e) {
    case ParseError::Empty:
      return "empty number";
    case ParseError::BadCharacter:
      return "not a plain decimal number (digits, one '.', optional leading '-')";
    case ParseError::TooManyDecimals:
      return "more decimal places than allowed";
    case ParseError::Overflow:
      return "number too large";
    case ParseError::Negative:
      return "negative number not allowed";
  }
  return "unknown parse error";
}

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Shared digit walker: fills units at `scale`, or when natural, picks the scale from the input.
std::optional<Decimal> parse_impl(std::string_view s, int scale, bool natural, ParseError* why) {
  auto fail = [why](ParseError e) -> std::optional<Decimal> {
    if (why) *why = e;
    return std::nullopt;
  };
  if (s.empty()) return fail(ParseError::Empty);
  bool neg = false;
  size_t i = 0;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return fail(ParseError::Empty);
  size_t dot = s.find('.', i);
  std::string_view int_part = s.substr(i, dot == std::string_view::npos ? s.npos : dot - i);
  std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (int_part.empty() && frac_part.empty()) return fail(ParseError::BadCharacter);
  if (dot != std::string_view::npos && frac_part.empty() && int_part.empty())
    return fail(ParseError::BadCharacter);
  for (char c : int_part)
    if (!is_digit(c)) return fail(ParseError::BadCharacter);
  for (char c : frac_part)
    if (!is_digit(c)) return fail(ParseError::BadCharacter);

  if (natural) {
    size_t n = frac_part.size();
    while (n > 0 && frac_part[n - 1] == '0') --n;
    if (n > static_cast<size_t>(kMaxScale)) return fail(ParseError::TooManyDecimals);
    scale = static_cast<int>(n);
  }
  if (scale < 0 || scale > kMaxScale) return fail(ParseError::TooManyDecimals);

  int128 acc = 0;
  for (char c : int_part) {
    acc = acc * 10 + (c - '0');
    if (acc > kMax) return fail(ParseError::Overflow);
  }
  for (size_t k = 0; k < frac_part.size(); ++k) {
    int d = frac_part[k] - '0';
    if (k < static_cast<size_t>(scale)) {
      acc = acc * 10 + d;
    } else if (d != 0) {
      return fail(ParseError::TooManyDecimals);
    }
  }
  for (size_t k = frac_part.size(); k < static_cast<size_t>(scale); ++k) acc *= 10;
  if (acc > kMax) return fail(ParseError::Overflow);
  int64_t units = static_cast<int64_t>(acc);
  return Decimal{neg ? -units : units, scale};
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view s, int scale, ParseError* why) {
  return parse_impl(s, scale, false, why);
}

std::optional<Decimal> Decimal::parse_natural(std::string_view s, ParseError* why) {
  return parse_impl(s, 0, true, why);
}

Decimal Decimal::parse_or_throw(std::string_view s, int scale, std::string_view what) {
  ParseError why{};
  auto d = parse(s, scale, &why);
  if (!d) {
    throw DecimalError(std::string(what) + " '" + std::string(s) + "': " + aq::to_string(why) +
                       "; expected a decimal number with at most " + std::to_string(scale) +
                       " decimal places");
  }
  return *d;
}

std::string Decimal::to_string() const {
  // Work on the unsigned magnitude so INT64_MIN formats correctly.
  uint64_t mag = units < 0 ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string digits = std::to_string(mag);
  auto sc = static_cast<size_t>(scale);
  if (digits.size() <= sc) digits.insert(0, sc + 1 - digits.size(), '0');
  std::string out = units < 0 ? "-" : "";
  out += digits.substr(0, digits.size() - sc);
  if (sc > 0) {
    out += '.';
    out += digits.substr(digits.size() - sc);
  }
  return out;
}

std::string Decimal::to_trimmed_string() const {
  std::string s = to_string();
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

int64_t div_round(int128 num, int128 den, Rounding mode) {
  if (den == 0) throw DecimalError("division by zero");
  if (den < 0) {
    num = -num;
    den = -den;
  }
  int128 q, r;  // r has the sign of num
  if (num >= std::numeric_limits<int64_t>::min() && num <= kMax && den <= kMax) {
    // Most ratios fit in 64 bits: one hardware division instead of two calls to the
    // 128-bit software routine (this runs many times on a fill's hedge path).
    auto n = static_cast<int64_t>(num), d = static_cast<int64_t>(den);
    q = n / d;
    r = n % d;
  } else {
    q = num / den;
    r = num % den;
  }
  if (r != 0) {
    switch (mode) {
      case Rounding::Exact:
        throw DecimalError("value cannot be represented exactly at the requested scale");
      case Rounding::Down:  // toward negative infinity
        if (num < 0) q -= 1;
        break;
      case Rounding::Up:  // toward positive infinity
        if (num > 0) q += 1;
        break;
      case Rounding::HalfEven: {
        int128 twice = (r < 0 ? -r : r) * 2;
        bool away = twice > den || (twice == den && (q % 2 != 0));
        if (away) q += (num < 0 ? -1 : 1);
        break;
      }
    }
  }
  if (q > kMax || q < std::numeric_limits<int64_t>::min())
    throw DecimalError("result out of the 64-bit range");
  return static_cast<int64_t>(q);
}

Decimal Decimal::rescaled(int new_scale, Rounding mode) const {
  if (new_scale < 0 || new_scale > kMaxScale)
    throw DecimalError("scale " + std::to_string(new_scale) + " outside 0..18");
  if (new_scale >= scale) {
    int128 v = static_cast<int128>(units) * pow10(new_scale - scale);
    if (v > kMax || v < std::numeric_limits<int64_t>::min())
      throw DecimalError("value " + to_string() + " overflows at scale " +
                         std::to_string(new_scale));
    return {static_cast<int64_t>(v), new_scale};
  }
  return {div_round(units, pow10(scale - new_scale), mode), new_scale};
}

int compare(const Decimal& a, const Decimal& b) {
  int s = a.scale > b.scale ? a.scale : b.scale;
  int128 x = static_cast<int128>(a.units) * pow10(s - a.scale);
  int128 y = static_cast<int128>(b.units) * pow10(s - b.scale);
  return x < y ? -1 : (x > y ? 1 : 0);
}

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw DecimalError("integer overflow in addition");
  return r;
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw DecimalError("integer overflow in multiplication");
  return r;
}

int64_t mul_div(int64_t a, int64_t b, int64_t d, Rounding mode) {
  return div_round(static_cast<int128>(a) * b, d, mode);
}

}  // namespace aq
