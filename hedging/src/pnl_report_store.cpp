#include "aqueduct/hedging/pnl_report_store.hpp"

#include <stdexcept>

namespace aq::hedging {

namespace {
bool is_day(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}
}  // namespace

std::vector<FillRecord> load_fill_records(pqxx::connection& conn, const std::string& from_day,
                                          const std::string& to_day) {
  for (const auto* d : {&from_day, &to_day})
    if (!is_day(*d))
      throw std::invalid_argument("date '" + *d + "' is not a UTC date in the form YYYY-MM-DD");
  pqxx::read_transaction t(conn);
  // The date is checked by PostgreSQL too (2026-02-30 is refused there).
  auto rows = t.exec_params(
      "SELECT to_char(f.filled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), f.listing, f.side,"
      " f.price::text, f.qty::text,"
      " coalesce(q.breakdown->>'fair_value', ''), coalesce(q.breakdown->>'hedge_vwap', ''),"
      " coalesce(q.breakdown->>'fee', ''),"
      " p.fill_id IS NOT NULL, p.spread::text, p.hedge_slippage::text, p.fees::text,"
      " p.funding::text, p.revaluation::text, p.quanto::text"
      " FROM fills f JOIN quotes q ON q.quote_id = f.quote_id"
      " LEFT JOIN fill_pnl p ON p.fill_id = f.fill_id"
      " WHERE f.filled_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'"
      "   AND f.filled_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'"
      " ORDER BY f.filled_at, f.fill_id",
      from_day, to_day);
  std::vector<FillRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    FillRecord f;
    f.day = row[0].as<std::string>();
    f.listing = row[1].as<std::string>();
    f.taker_side = row[2].as<std::string>() == "buy" ? Side::Buy : Side::Sell;
    f.price = row[3].as<std::string>();
    f.qty = row[4].as<std::string>();
    f.quote_fair = row[5].as<std::string>();
    f.quote_hedge_vwap = row[6].as<std::string>();
    f.quote_fee = row[7].as<std::string>();
    if (row[8].as<bool>()) {
      auto part = [&](int col, const char* name) {
        auto v = parse_exact(row[col].as<std::string>(), kReportScale);
        if (!v)
          throw std::runtime_error("fill_pnl." + std::string(name) + " of a fill on " + f.day +
                                   " is finer than " + std::to_string(kReportScale) + " places");
        return *v;
      };
      ReportParts p;
      p.spread = part(9, "spread");
      p.hedge = part(10, "hedge_slippage");
      p.fees = part(11, "fees");
      p.funding = part(12, "funding");
      p.revaluation = part(13, "revaluation");
      p.quanto = part(14, "quanto");
      f.realized = p;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace aq::hedging
