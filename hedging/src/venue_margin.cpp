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
                                const std::optional<Decimal>& coin_usd, int64_t now_ns) {
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
  if (!read->added_usd) {
    v.why = "a trade on " + venue + " since its account read could not be valued";
    return v;
  }
  int64_t available_usd = ratio_at({read->available, *coin_usd}, {}, kUsdScale, Rounding::Down);
  int64_t held = div_round(static_cast<int128>(*read->added_usd) * initial_margin_ppm, 1'000'000,
                           Rounding::Up);
  v.free_usd = std::max<int64_t>(0, available_usd - held);
  return v;
}

std::optional<int64_t> MarginTradeLog::added_since(int64_t asked_ns) {
  std::erase_if(trades_, [&](const Trade& t) { return t.at_ns < asked_ns; });
  int64_t sum = 0;
  for (const auto& t : trades_) {
    if (!t.added_usd) return std::nullopt;
    sum = checked_add(sum, *t.added_usd);
  }
  return sum;
}

int64_t added_notional_usd(int64_t base_before, int64_t base_after, const Decimal& base_usd) {
  auto mag = [](int64_t x) { return x < 0 ? -x : x; };
  int64_t grown = std::max<int64_t>(0, mag(base_after) - mag(base_before));
  if (base_before != 0 && base_after != 0 && (base_before < 0) != (base_after < 0))
    grown = mag(base_after);  // flipped: the whole new side is added
  if (grown == 0) return 0;
  return ratio_at({Decimal{grown, kAssetScale}, base_usd}, {}, kUsdScale, Rounding::Up);
}

}  // namespace aq::hedging
