#pragma once
// One hedging process per database: two would each hedge every fill, and each would book the
// other's orders as its own. The claim is a PostgreSQL session-level advisory lock held by the
// hedge store's own connection, so it ends with that connection: a crashed process's lock is
// freed as soon as its backend sees the socket close, and no lease needs renewing.
//
// libpqxx 6 reconnects a broken connection silently at the next transaction, without the lock.
// So every write transaction confirms it first: on a new backend the lock is taken again, and
// if another process holds it by then, the write is refused and this process stays refused.
#include <chrono>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>

namespace aq::hedging {

// The lock is held by another session; the message names it (its application_name, backend
// pid, client address and start) and what to do.
class HedgerLockHeld : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SoleHedgerLock {
 public:
  // Takes the lock, retrying for up to `wait`: a holder that just crashed lets go within
  // milliseconds, a live one does not. Sets this session's application_name to name this
  // process (pid, host) in the refusal another process would see. Throws HedgerLockHeld.
  SoleHedgerLock(pqxx::connection& conn, std::chrono::milliseconds wait);

  // First thing in every write transaction. Free when the connection is the one that took the
  // lock (a pid compared, no round trip); on a new backend takes the lock again inside `t`.
  // Throws HedgerLockHeld if another session has it; from then on lost() holds and every
  // later confirm throws too: a process that lost the database once does not write again.
  void confirm(pqxx::transaction_base& t);

  bool lost() const { return !lost_.empty(); }
  const std::string& lost_why() const { return lost_; }
  // Times the lock was taken again after a reconnect.
  int retaken() const { return retaken_; }

  // The lock's two keys (pg_try_advisory_lock(int, int)): aqueduct's class, hedging's object.
  static constexpr int kClass = 0x41510000;  // "AQ"
  static constexpr int kObject = 1;

 private:
  // Who holds the lock now, for a refusal.
  std::string holder(pqxx::transaction_base& t) const;

  pqxx::connection& conn_;
  int backend_ = 0;  // the backend that holds the lock for us
  std::string lost_;
  int retaken_ = 0;
};

}  // namespace aq::hedging
