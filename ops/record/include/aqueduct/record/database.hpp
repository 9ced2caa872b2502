#pragma once
// Shared PostgreSQL plumbing: where the database is, and SQL helpers every store uses.
// Stores themselves live with their components; all statements are prepared.
#include <cstdint>
#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace aq::record {

// AQUEDUCT_DATABASE_URL, or throws with what to set.
std::string database_url_from_env();

// Opens a connection; the error names the URL (without its password) and what failed.
std::unique_ptr<pqxx::connection> connect(const std::string& url);

// URL with any password masked, for logs.
std::string redact(const std::string& url);

// SQL expression turning a bigint parameter of microseconds since the epoch into timestamptz.
inline std::string ts_from_micros(int n) {
  return "(timestamptz 'epoch' + $" + std::to_string(n) + "::bigint * interval '1 microsecond')";
}
inline int64_t ns_to_micros(int64_t ns) { return ns / 1000; }

}  // namespace aq::record
