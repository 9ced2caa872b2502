#pragma once
// Records the listings the network quotes, as configured at start: one row per listing with
// its configuration as JSON and a version that increases, with an audit entry, whenever the
// configuration differs from what was recorded.
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace aq::record {

struct ListingRow {
  std::string name;
  std::string base;
  std::string quote;
  std::string config_json;
};

// Returns how many listings were new or changed.
int record_listings(pqxx::connection& conn, const std::vector<ListingRow>& listings,
                    const std::string& actor);

}  // namespace aq::record
