#pragma once
// Reads what the daily PnL report compares (pnl_report.hpp) from the record: each fill with
// its quote's breakdown and, when its hedges are final, its row in fill_pnl.
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "aqueduct/hedging/pnl_report.hpp"

namespace aq::hedging {

// Fills from the start of `from_day` to the end of `to_day` (UTC dates, YYYY-MM-DD,
// inclusive), oldest first. Throws std::invalid_argument for a date not in that form.
std::vector<FillRecord> load_fill_records(pqxx::connection& conn, const std::string& from_day,
                                          const std::string& to_day);

}  // namespace aq::hedging
