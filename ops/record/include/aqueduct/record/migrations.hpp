#pragma once
// Versioned schema migrations (ops/migrations/NNNN_name.sql, embedded at build time), applied
// in order at start and recorded in schema_migrations.
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace aq::record {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& migrations();

// Applies every migration newer than the database's version, each in its own transaction,
// under an advisory lock so concurrent starters do not race. Returns how many were applied.
int migrate(pqxx::connection& conn);
// The highest applied version (0 for an empty database).
int schema_version(pqxx::connection& conn);

}  // namespace aq::record
