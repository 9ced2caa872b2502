#include "aqueduct/hedging/sole_hedger_lock.hpp"

#include <unistd.h>

#include <thread>

#include <spdlog/spdlog.h>

namespace aq::hedging {
namespace {

constexpr const char* kTry = "SELECT pg_try_advisory_lock($1, $2)";

bool try_lock(pqxx::transaction_base& t) {
  return t.exec_params1(kTry, SoleHedgerLock::kClass, SoleHedgerLock::kObject)[0].as<bool>();
}

std::string this_process() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return "aqueduct hedging pid " + std::to_string(::getpid()) + " on " +
         (host[0] ? std::string(host) : std::string("an unnamed host"));
}

}  // namespace

SoleHedgerLock::SoleHedgerLock(pqxx::connection& conn, std::chrono::milliseconds wait)
    : conn_(conn) {
  // Quoted as a SQL literal; restored by libpqxx on a reconnect.
  conn_.set_variable("application_name", conn_.quote(this_process()));
  auto give_up = std::chrono::steady_clock::now() + wait;
  for (;;) {
    pqxx::nontransaction t(conn_);
    if (try_lock(t)) {
      backend_ = conn_.backendpid();
      return;
    }
    if (std::chrono::steady_clock::now() >= give_up)
      throw HedgerLockHeld("another hedging process is hedging this database: " + holder(t) +
                           ". Two would hedge every fill twice; stop that one first (or "
                           "point this one at another database)");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void SoleHedgerLock::confirm(pqxx::transaction_base& t) {
  if (!lost_.empty()) throw HedgerLockHeld(lost_);
  if (conn_.backendpid() == backend_) return;
  // A new backend: libpqxx reconnected, and the old one's lock ended with it.
  if (try_lock(t)) {
    backend_ = conn_.backendpid();
    ++retaken_;
    spdlog::warn("hedging: the database connection was renewed; the hedging lock is taken again");
    return;
  }
  lost_ =
      "this process lost its database connection, and another hedging process took the "
      "hedging lock meanwhile: " +
      holder(t) + ". This process writes and hedges nothing more; stop it (the other one hedges)";
  spdlog::error("hedging: {}", lost_);
  throw HedgerLockHeld(lost_);
}

std::string SoleHedgerLock::holder(pqxx::transaction_base& t) const {
  // Advisory locks are per database; objsubid 2 marks the two-key form.
  auto r = t.exec_params(
      "SELECT a.pid, coalesce(nullif(a.application_name, ''), 'an unnamed client'), "
      "coalesce(host(a.client_addr), 'a local socket'), "
      "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
      "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "AND l.classid = $1::int::oid AND l.objid = $2::int::oid",
      kClass, kObject);
  if (r.empty()) return "a session that has just let go (try again)";
  return "'" + r[0][1].as<std::string>() + "' (PostgreSQL backend " + r[0][0].as<std::string>() +
         ", connected from " + r[0][2].as<std::string>() + " since " + r[0][3].as<std::string>() +
         " UTC)";
}

}  // namespace aq::hedging
