#pragma once
// Which of our fills the chain has settled, and what to do as it changes. Pure: the shell
// feeds it what it learns (orders we signed, fills recorded on a message, decoded events,
// heads, reorgs, receipts) and carries out the actions it returns (record a fill, mark one
// settled or confirmed, un-confirm, unwind, release a reservation, re-read a receipt).
//
// The rules:
// - An order that becomes a fill only on-chain (0x RFQ-T) is expected from the moment it is
//   signed. Its event makes a fill of the amounts the event carries (a partial fill is a fill
//   of that size); each later event for the same order is another fill.
// - A fill recorded on a message (0x last look and OTC, Hashflow trade, Bebop) is pending
//   until its event is seen.
// - Seen is not final: an event is confirmed `confirmations` blocks deep. A reorg or a
//   `removed` log un-confirms it and its receipt is read again; a receipt that is gone leaves
//   it vanished, and it may come back (mined again) under the same transaction.
// - Time is the chain's: an order cannot be mined into a block stamped after its expiry. So
//   once a head is stamped past expiry + grace, a pending or vanished fill never will settle
//   and is unwound, and an expected order with no event is released.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/chain/settlement_events.hpp"

namespace aq::chain {

struct ExpectedOrder {
  eth::Hash32 order_ref{};  // 0x order hash, Hashflow txid
  std::string quote_id;
  uint64_t expiry_s = 0;     // the order's own expiry (unix seconds)
  std::string pending_fill;  // set when the fill was recorded on a message, before settlement
  UInt256 maker_amount, taker_amount;  // the most the order moves
};

struct SettlementAction {
  enum class Kind {
    RecordFill,    // a new fill from `event` for `quote_id` (RFQ-T, or a second fill)
    Settled,       // `fill_id` (recorded on a message) is seen on-chain in `event`
    Confirmed,     // `fill_id`'s event is `confirmations` deep
    Unconfirmed,   // `fill_id`'s block left the chain; its receipt is read again
    CheckReceipt,  // read the receipt of `event.id.tx_hash`
    Unwind,        // `fill_id` did not settle (or its event is gone for good): undo its hedge
    Release,       // the order `quote_id` expired unfilled: release its reservation
    Mismatch,      // `event` moved other amounts or tokens than `quote_id` was signed for
    Unmatched,     // `event` is for an order this book does not know (look it up, then retry)
  } kind;
  std::string quote_id;
  std::string fill_id;
  SettlementEvent event;
  std::string reason;
};
const char* to_string(SettlementAction::Kind k);

struct SettlementParams {
  uint64_t confirmations = 2;  // 1: confirmed in the block it is mined in
  uint64_t grace_s = 60;       // chain seconds past expiry before an unsettled fill unwinds
};

class SettlementBook {
 public:
  explicit SettlementBook(SettlementParams p) : p_(p) {}

  // An order we signed whose fill the chain will tell (no pending_fill), or a fill recorded on
  // a message that waits for its event (pending_fill set). Again for the same order: the
  // pending fill is attached (a message that came after the order was expected).
  void expect(const ExpectedOrder& o);
  // A decoded event of ours, at most once per log: the same log again does nothing.
  std::vector<SettlementAction> on_event(const SettlementEvent& e);
  // The shell tells the fill id it recorded for a RecordFill.
  void recorded(const LogId& id, const std::string& fill_id);
  // A new canonical head: confirmations, and what expired on-chain by its timestamp.
  std::vector<SettlementAction> on_head(uint64_t number, uint64_t timestamp_s);
  // Blocks from `from` up left the chain.
  std::vector<SettlementAction> on_reorg(uint64_t from);
  // The receipt of `tx` was read again after a reorg and its logs (if it is mined and did not
  // revert) were fed back through on_event: an event of `tx` still unconfirmed is not on the
  // chain now. It is vanished; it may come back (mined again), or unwind at expiry + grace.
  void receipt_read(const eth::Hash32& tx);

  size_t expected() const { return orders_.size(); }
  size_t events() const { return events_.size(); }
  // The event of a fill, if one was seen and is still on the chain as far as we know.
  const SettlementEvent* event_of(const std::string& fill_id) const;

 private:
  enum class EventState { Seen, Confirmed, Unconfirmed, Vanished };
  struct Held {
    SettlementEvent event;
    std::string quote_id;
    std::string fill_id;
    EventState state = EventState::Seen;
  };
  struct Order {
    ExpectedOrder o;
    bool seen = false;  // an event matched it (settled, or filled on-chain)
  };
  void unwind_or_release(uint64_t timestamp_s, std::vector<SettlementAction>& out);

  SettlementParams p_;
  std::map<eth::Hash32, Order> orders_;  // by order_ref
  std::map<LogId, Held> events_;
  uint64_t head_ = 0;
};

}  // namespace aq::chain
