#pragma once
// What hedging records: the fills it has taken (with the inventory they move), hedge orders
// (with the fill they answer, or before they are sent) with their final status, positions per venue instrument, and the net
// exposure per asset for observers. Each change is one transaction.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "aqueduct/hedging/sole_hedger_lock.hpp"
#include "aqueduct/msg/trading.pb.h"

namespace aq::hedging {

// A committed fill that hedging has not claimed yet.
struct UntakenFill {
  std::string fill_id;
  std::string listing;
  std::string side;   // taker's side: "buy" or "sell"
  std::string price;  // decimal text
  std::string qty;    // decimal text
  int64_t filled_ns = 0;
};

// A position row as recorded (decimal texts).
struct InstrumentPositionRow {
  std::string instrument;  // venue:symbol
  std::string qty, entry_value, realized, pnl_asset;
};

struct FundingRow {
  std::string instrument;
  int64_t settled_ns = 0;
  std::string position_qty, position_base, base_usd, rate, amount_usd;
  std::string fill_id;  // "" none
};

class HedgeStore {
 public:
  // How long a start waits for another hedger's lock to go (a crashed one's goes within ms).
  static constexpr std::chrono::milliseconds kLockWait{3000};

  // Takes the database's hedging lock (SoleHedgerLock) or throws HedgerLockHeld naming the
  // process that has it. Every write below confirms the lock first.
  explicit HedgeStore(std::unique_ptr<pqxx::connection> conn,
                      std::chrono::milliseconds lock_wait = kLockWait);
  // The lock went to another process after a reconnect: write and hedge nothing more.
  bool lock_lost() const { return lock_->lost(); }
  const std::string& lock_lost_why() const { return lock_->lost_why(); }
  int lock_retaken() const { return lock_->retaken(); }

  // Claims a fill for hedging and records the inventory and exposure it leads to, with the
  // hedge orders already sent for it, in one transaction. Returns false if the fill was
  // claimed before: then only the orders are recorded (they are at their venues).
  bool take_fill(const std::string& fill_id, const std::map<std::string, std::string>& inventory,
                 const std::map<std::string, std::string>& cash,
                 const std::map<std::string, std::string>& exposure,
                 const std::vector<aqueduct::msg::HedgeOrder>& sent, int64_t now_ns);
  // Oldest committed fills with no claim yet.
  std::vector<UntakenFill> untaken_fills(int limit);
  // When the newest claim was made (ns since the epoch), or 0 if none.
  int64_t last_claim_ns();
  // Hedge orders without a final status (sent, or unknown): at their venues, perhaps.
  std::vector<aqueduct::msg::HedgeOrder> open_orders();
  void record_order(const aqueduct::msg::HedgeOrder& o);
  void record_status(const std::string& hedge_id, const std::string& status);
  // A hedge's final status with the position and exposure it leaves, in one transaction.
  void record_outcome(const std::string& hedge_id, const std::string& status,
                      const InstrumentPositionRow* position,
                      const std::map<std::string, std::string>& exposure, int64_t now_ns);
  std::map<std::string, std::string> load_inventory();
  std::map<std::string, std::string> load_asset_cash();
  // A risk trip or re-arm, in audit_log.
  void record_risk(const std::string& action, const std::string& scope, const std::string& state,
                   const std::string& why, const std::string& actor);
  std::vector<InstrumentPositionRow> load_instrument_positions();
  // Unix ms through which `instrument`'s funding is accounted for: its last recorded
  // settlement, or the last change of its position if later (before that, it held another
  // position, whose settlements were booked then). nullopt: no position was ever recorded.
  std::optional<int64_t> funding_accounted_through_ms(const std::string& instrument);
  // A fill's attributed PnL, once (a repeat changes nothing).
  void record_fill_pnl(const aqueduct::msg::FillPnl& p);
  // A funding settlement and the asset's cash after it, in one transaction. False if that
  // instrument's settlement at that time was recorded before (nothing is changed then).
  bool record_funding(const FundingRow& f, const std::string& asset, const std::string& cash_total,
                      int64_t now_ns);

 private:
  void write_exposure(pqxx::work& w, const std::map<std::string, std::string>& exposure,
                      int64_t now_ns);
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<SoleHedgerLock> lock_;
};

}  // namespace aq::hedging
