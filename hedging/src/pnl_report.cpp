#include "aqueduct/hedging/pnl_report.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "aqueduct/hedging/pnl_attribution.hpp"

namespace aq::hedging {

namespace {

int128 field(const std::string& text, const char* name) {
  auto v = parse_exact(text, kReportScale);
  if (!v)
    throw std::invalid_argument(std::string(name) + " '" + text +
                                "' is not a decimal with at most " + std::to_string(kReportScale) +
                                " places");
  return *v;
}

// a (kReportScale) x b (kReportScale), at kReportScale: b is first reduced to its shortest
// exact scale so the product stays within 128 bits.
int128 times(int128 a, int128 b) {
  int scale = kReportScale;
  while (scale > 0 && b % 10 == 0) {
    b /= 10;
    --scale;
  }
  return shift_half_even(a * b, scale);
}

std::string money(int128 v, int decimals) {
  return exact_text(shift_half_even(v, kReportScale - decimals), decimals);
}

}  // namespace

std::optional<int128> parse_exact(std::string_view text, int scale) {
  size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
  int128 units = 0;
  int digits = 0, decimals = 0;
  bool point = false;
  const int128 limit = (static_cast<int128>(1) << 124);
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    ++digits;
    if (point) {
      if (decimals == scale) {
        if (c != '0') return std::nullopt;  // finer than the scale allows
        continue;
      }
      ++decimals;
    }
    if (units > limit / 10) return std::nullopt;
    units = units * 10 + (c - '0');
  }
  if (digits == 0) return std::nullopt;
  for (; decimals < scale; ++decimals) {
    if (units > limit / 10) return std::nullopt;
    units *= 10;
  }
  return neg ? -units : units;
}

ReportParts& ReportParts::operator+=(const ReportParts& o) {
  spread += o.spread;
  hedge += o.hedge;
  fees += o.fees;
  funding += o.funding;
  revaluation += o.revaluation;
  quanto += o.quanto;
  return *this;
}

ReportParts expected_parts(const FillRecord& f) {
  int128 price = field(f.price, "price"), qty = field(f.qty, "qty");
  int128 fair = field(f.quote_fair, "the quote's fair_value");
  int128 vwap = field(f.quote_hedge_vwap, "the quote's hedge_vwap");
  int128 fee = field(f.quote_fee, "the quote's fee");
  // The taker buys: we sell at the price and buy the hedge at its VWAP (d = +1).
  int128 d = f.taker_side == Side::Buy ? 1 : -1;
  ReportParts p;
  p.spread = times(d * (price - fair), qty);
  p.hedge = -times(d * (vwap - fair), qty);
  p.fees = -times(fee, qty);
  return p;
}

std::vector<DailyPnlRow> daily_pnl(const std::vector<FillRecord>& fills) {
  std::map<std::pair<std::string, std::string>, DailyPnlRow> rows;
  for (const auto& f : fills) {
    auto& r = rows[{f.day, f.listing}];
    r.day = f.day;
    r.listing = f.listing;
    ++r.fills;
    r.volume += field(f.qty, "qty");
    if (f.quote_fair.empty() || f.quote_hedge_vwap.empty() || f.quote_fee.empty()) {
      ++r.unpriced;
      continue;
    }
    if (!f.realized) continue;  // hedges not final yet: compared once they are
    ++r.attributed;
    r.expected += expected_parts(f);
    r.realized += *f.realized;
  }
  std::vector<DailyPnlRow> out;
  for (auto& [_, r] : rows) out.push_back(std::move(r));
  return out;
}

std::string format_daily_pnl(const std::vector<DailyPnlRow>& rows, int decimals) {
  decimals = std::clamp(decimals, 0, kReportScale);
  std::vector<std::vector<std::string>> cells = {{"day", "listing", "fills", "attributed", "volume",
                                                  "", "spread", "hedge", "fees", "funding",
                                                  "revaluation", "quanto", "total"}};
  for (const auto& r : rows) {
    auto base = [&](const char* what) {
      return std::vector<std::string>{
          r.day,
          r.listing,
          std::to_string(r.fills),
          std::to_string(r.attributed) +
              (r.unpriced ? " (" + std::to_string(r.unpriced) + " unpriced)" : ""),
          money(r.volume, 8),
          what};
    };
    auto add = [&](const char* what, const ReportParts& p) {
      auto line = base(what);
      for (int128 v : {p.spread, p.hedge, p.fees, p.funding, p.revaluation, p.quanto, p.total()})
        line.push_back(money(v, decimals));
      cells.push_back(std::move(line));
    };
    ReportParts variance = r.realized;
    variance.spread -= r.expected.spread;
    variance.hedge -= r.expected.hedge;
    variance.fees -= r.expected.fees;
    variance.funding -= r.expected.funding;
    variance.revaluation -= r.expected.revaluation;
    variance.quanto -= r.expected.quanto;
    add("expected", r.expected);
    add("realized", r.realized);
    add("variance", variance);
  }
  std::vector<size_t> width(cells.front().size(), 0);
  for (const auto& line : cells)
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  std::string out;
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) {
      bool right = i >= 6 || i == 2 || i == 4;  // numbers align right
      std::string pad(width[i] - line[i].size(), ' ');
      out += (i ? "  " : "") + (right ? pad + line[i] : line[i] + (i + 1 < line.size() ? pad : ""));
    }
    out += "\n";
  }
  return out;
}

}  // namespace aq::hedging
