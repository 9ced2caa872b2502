#include "aqueduct/connectors/time_text.hpp"

namespace aq::connectors {

namespace {
// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
}  // namespace

std::optional<int64_t> parse_iso8601_ns(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.f+]Z
  if (t.size() < 20) return std::nullopt;
  auto digits = [&](size_t at, size_t n, int64_t& out) {
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  int64_t y, mo, d, h, mi, s;
  if (!digits(0, 4, y) || t[4] != '-' || !digits(5, 2, mo) || t[7] != '-' || !digits(8, 2, d) ||
      t[10] != 'T' || !digits(11, 2, h) || t[13] != ':' || !digits(14, 2, mi) || t[16] != ':' ||
      !digits(17, 2, s))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  // Nanoseconds since 1970 fit int64 until 2262; venues' times are well inside 1970..2200.
  if (y < 1970 || y > 2200) return std::nullopt;
  size_t p = 19;
  int64_t frac = 0;
  int frac_digits = 0;
  if (t[p] == '.') {
    ++p;
    size_t start = p;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
      if (frac_digits < 9) {
        frac = frac * 10 + (t[p] - '0');
        ++frac_digits;
      }
      ++p;
    }
    if (p == start) return std::nullopt;
  }
  if (p + 1 != t.size() || t[p] != 'Z') return std::nullopt;
  while (frac_digits < 9) {
    frac *= 10;
    ++frac_digits;
  }
  int64_t days = days_from_civil(y, mo, d);
  return ((days * 24 + h) * 60 + mi) * 60'000'000'000LL + s * 1'000'000'000LL + frac;
}

}  // namespace aq::connectors
