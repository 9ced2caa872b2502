#include "aqueduct/hedging/venue_margin.hpp"

#include <algorithm>

#include "aqueduct/hedging/contract_math.hpp"

namespace aq::hedging {

namespace {
std::string seconds_text(int64_t ms) {
  return Decimal{ms, 3}.to_trimmed_string() + " s";
}
}  // namespace

MarginVerdict venue_free_margin(const std::string& venue, const VenueMarginRead* read,
                                int64_t initial_margin_ppm, int64_t max_age_ms,
                                const std::optional<Decimal>& coin_usd,
                                const std::optional<int64_t>& gross_usd_now, int64_t now_ns) {
  MarginVerdict v;
  if (!read) {
    v.why = "no account read from " + venue + " yet";
    return v;
  }
  if (!read->error.empty()) {
    v.why = "the last account read from " + venue + " failed: " + read->error;
    return v;
  }
  int64_t age_ms = (now_ns - read->read_at_ns) / 1'000'000;
  if (age_ms > max_age_ms) {
    v.why = "the account read from " + venue + " is " + seconds_text(age_ms) + " old; at most " +
            seconds_text(max_age_ms) + " is allowed";
    return v;
  }
  if (!coin_usd || coin_usd->units <= 0) {
    v.why = "no USD price for " + venue + "'s margin coin " + read->coin;
    return v;
  }
  if (!read->gross_usd_at_read || !gross_usd_now) {
    v.why = "a mark of " + venue + "'s perp positions is missing";
    return v;
  }
  int64_t available_usd = ratio_at({read->available, *coin_usd}, {}, kUsdScale, Rounding::Down);
  int64_t added = std::max<int64_t>(0, *gross_usd_now - *read->gross_usd_at_read);
  int64_t held =
      div_round(static_cast<int128>(added) * initial_margin_ppm, 1'000'000, Rounding::Up);
  v.free_usd = std::max<int64_t>(0, available_usd - held);
  return v;
}

}  // namespace aq::hedging
