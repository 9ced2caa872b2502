#include <spdlog/spdlog.h>

#include "aqueduct/record/migrations.hpp"

namespace aq::record {

namespace {
constexpr long kLockKey = 0x41515545;  // "AQUE": one migrator at a time per database

void ensure_table(pqxx::connection& conn) {
  pqxx::work w(conn);
  w.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version integer PRIMARY KEY, name text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  w.commit();
}
}  // namespace

int schema_version(pqxx::connection& conn) {
  ensure_table(conn);
  pqxx::work w(conn);
  auto r = w.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  return r[0][0].as<int>();
}

int migrate(pqxx::connection& conn) {
  ensure_table(conn);
  {
    pqxx::nontransaction n(conn);
    n.exec("SELECT pg_advisory_lock(" + std::to_string(kLockKey) + ")");
  }
  int applied = 0;
  try {
    conn.prepare("record_migration", "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)");
    int current = schema_version(conn);
    for (const auto& m : migrations()) {
      if (m.version <= current) continue;
      pqxx::work w(conn);
      w.exec(m.sql);  // the migration's own DDL, from the binary, never from input
      w.exec_prepared("record_migration", m.version, std::string(m.name));
      w.commit();
      spdlog::info("record: applied migration {}", m.name);
      ++applied;
    }
  } catch (...) {
    pqxx::nontransaction n(conn);
    n.exec("SELECT pg_advisory_unlock(" + std::to_string(kLockKey) + ")");
    throw;
  }
  pqxx::nontransaction n(conn);
  n.exec("SELECT pg_advisory_unlock(" + std::to_string(kLockKey) + ")");
  return applied;
}

}  // namespace aq::record
