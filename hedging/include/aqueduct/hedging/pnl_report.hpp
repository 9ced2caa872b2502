#pragma once
// The daily expected-vs-realized PnL report, as desks keep it: for each day and listing, what
// the quotes' own breakdown predicted for the fills (spread captured against the quote's fair
// value, the hedge cost it priced in, the fees it priced in) next to what hedging realized for
// the same fills (fill_pnl: spread, hedge slippage, fees, funding, revaluation, quanto).
//
// Pure: records in, rows out. Everything is exact at kReportScale (16 decimal places, the
// scale fill_pnl is written at) in 128-bit integers; a product finer than that is rounded half
// to even once, per fill.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aqueduct/types/decimal.hpp"
#include "aqueduct/types/instrument.hpp"

namespace aq::hedging {

inline constexpr int kReportScale = 16;

// Exact decimal text ("-12.5", "0.0100") at `scale`; nullopt if it is not a number or needs
// more than `scale` decimal places or 128 bits.
std::optional<int128> parse_exact(std::string_view text, int scale);

struct ReportParts {
  int128 spread = 0;  // captured vs fair value
  int128 hedge = 0;   // hedge cost vs fair value (slippage when realized)
  int128 fees = 0;
  int128 funding = 0;      // realized only: the quote does not price it
  int128 revaluation = 0;  // realized only: inventory moving before it was hedged
  int128 quanto = 0;       // realized only: the settle coin's move on quanto hedges
  int128 total() const { return spread + hedge + fees + funding + revaluation + quanto; }
  ReportParts& operator+=(const ReportParts& o);
};

// One fill as its quote priced it and, once its hedges are final, as hedging realized it.
// Decimal texts as recorded (prices per unit of base in the listing's quote asset).
struct FillRecord {
  std::string day;  // the fill's UTC date, YYYY-MM-DD
  std::string listing;
  Side taker_side = Side::Buy;
  std::string price, qty;
  std::string quote_fair, quote_hedge_vwap, quote_fee;  // the quote's breakdown ("" = absent)
  std::optional<ReportParts> realized;                  // none: not attributed yet
};

// What the quote's breakdown predicted for one fill: spread = d·(price − fair)·qty,
// hedge = −d·(hedge_vwap − fair)·qty, fees = −fee·qty (d = +1 when the taker bought). Throws
// std::invalid_argument naming the field that cannot be read.
ReportParts expected_parts(const FillRecord& f);

struct DailyPnlRow {
  std::string day, listing;
  int fills = 0;       // all fills of the day
  int attributed = 0;  // those with realized PnL; expected and realized cover only these
  int unpriced = 0;    // fills whose quote has no breakdown (not in expected or realized)
  int128 volume = 0;   // base, all fills, kReportScale
  ReportParts expected, realized;
};

// Rows by day, then listing. Fills not yet attributed count in `fills` only, so expected and
// realized always cover the same fills.
std::vector<DailyPnlRow> daily_pnl(const std::vector<FillRecord>& fills);

// The report as an aligned text table, with a line per row and the variance (realized −
// expected) per part.
std::string format_daily_pnl(const std::vector<DailyPnlRow>& rows, int decimals = 2);

}  // namespace aq::hedging
