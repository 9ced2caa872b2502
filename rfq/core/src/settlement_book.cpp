#include "aqueduct/chain/settlement_book.hpp"

namespace aq::chain {

using Kind = SettlementAction::Kind;

const char* to_string(SettlementAction::Kind k) {
  switch (k) {
    case Kind::RecordFill:
      return "record_fill";
    case Kind::Settled:
      return "settled";
    case Kind::Confirmed:
      return "confirmed";
    case Kind::Unconfirmed:
      return "unconfirmed";
    case Kind::CheckReceipt:
      return "check_receipt";
    case Kind::Unwind:
      return "unwind";
    case Kind::Release:
      return "release";
    case Kind::Mismatch:
      return "mismatch";
    case Kind::Unmatched:
      return "unmatched";
  }
  return "?";
}

void SettlementBook::expect(const ExpectedOrder& o) {
  auto [it, fresh] = orders_.try_emplace(o.order_ref, Order{o, false});
  if (!fresh && !o.pending_fill.empty() && it->second.o.pending_fill.empty())
    it->second.o.pending_fill = o.pending_fill;
}

const SettlementEvent* SettlementBook::event_of(const std::string& fill_id) const {
  for (const auto& [id, h] : events_)
    if (h.fill_id == fill_id && h.state != EventState::Vanished) return &h.event;
  return nullptr;
}

std::vector<SettlementAction> SettlementBook::on_event(const SettlementEvent& e) {
  std::vector<SettlementAction> out;
  if (auto it = events_.find(e.id); it != events_.end()) {
    Held& h = it->second;
    if (e.removed) {
      if (h.state == EventState::Seen || h.state == EventState::Confirmed) {
        h.state = EventState::Unconfirmed;
        out.push_back({Kind::Unconfirmed, h.quote_id, h.fill_id, h.event, "its log was removed"});
        out.push_back({Kind::CheckReceipt, h.quote_id, h.fill_id, h.event, {}});
      }
      return out;
    }
    if (h.state == EventState::Unconfirmed || h.state == EventState::Vanished) {
      h.event = e;  // back on the chain, perhaps in another block
      h.state = EventState::Seen;
    }
    return out;  // the same log again
  }
  if (e.removed) return out;  // never seen: nothing to undo
  // The same transaction's event for the same order at another log index (re-mined after a
  // reorg): the same fill.
  for (auto it = events_.begin(); it != events_.end(); ++it) {
    Held& h = it->second;
    if ((h.state == EventState::Unconfirmed || h.state == EventState::Vanished) &&
        h.event.id.tx_hash == e.id.tx_hash && h.event.order_ref == e.order_ref) {
      Held moved = h;
      moved.event = e;
      moved.state = EventState::Seen;
      events_.erase(it);
      events_.emplace(e.id, std::move(moved));
      return out;
    }
  }
  auto oit = orders_.find(e.order_ref);
  if (oit == orders_.end()) {
    out.push_back({Kind::Unmatched, {}, {}, e, "no order signed here has this reference"});
    return out;
  }
  Order& o = oit->second;
  if (e.maker_amount > o.o.maker_amount || e.taker_amount > o.o.taker_amount) {
    out.push_back({Kind::Mismatch,
                   o.o.quote_id,
                   {},
                   e,
                   "the event moved " + e.maker_amount.to_decimal() + " / " +
                       e.taker_amount.to_decimal() + " (maker / taker); the order allows at most " +
                       o.o.maker_amount.to_decimal() + " / " + o.o.taker_amount.to_decimal()});
    return out;
  }
  // A fill whose transaction vanished and which another transaction now settles.
  for (auto it = events_.begin(); it != events_.end(); ++it) {
    Held& h = it->second;
    if (h.state == EventState::Vanished && h.event.order_ref == e.order_ref &&
        h.event.maker_amount == e.maker_amount && h.event.taker_amount == e.taker_amount) {
      Held moved = h;
      moved.event = e;
      moved.state = EventState::Seen;
      events_.erase(it);
      out.push_back(
          {Kind::Settled, moved.quote_id, moved.fill_id, e, "settled by another transaction"});
      events_.emplace(e.id, std::move(moved));
      return out;
    }
  }
  Held h{e, o.o.quote_id, {}, EventState::Seen};
  if (!o.seen && !o.o.pending_fill.empty()) {
    h.fill_id = o.o.pending_fill;
    out.push_back({Kind::Settled, o.o.quote_id, h.fill_id, e, {}});
  } else {
    out.push_back({Kind::RecordFill, o.o.quote_id, {}, e, {}});
  }
  o.seen = true;
  events_.emplace(e.id, std::move(h));
  return out;
}

void SettlementBook::recorded(const LogId& id, const std::string& fill_id) {
  if (auto it = events_.find(id); it != events_.end()) it->second.fill_id = fill_id;
}

std::vector<SettlementAction> SettlementBook::on_head(uint64_t number, uint64_t timestamp_s) {
  std::vector<SettlementAction> out;
  head_ = number;
  for (auto& [id, h] : events_) {
    if (h.state != EventState::Seen || h.fill_id.empty()) continue;
    if (number + 1 >= h.event.block_number + p_.confirmations) {
      h.state = EventState::Confirmed;
      out.push_back({Kind::Confirmed, h.quote_id, h.fill_id, h.event, {}});
    }
  }
  unwind_or_release(timestamp_s, out);
  return out;
}

void SettlementBook::unwind_or_release(uint64_t timestamp_s, std::vector<SettlementAction>& out) {
  for (auto oit = orders_.begin(); oit != orders_.end();) {
    const Order& o = oit->second;
    if (timestamp_s <= o.o.expiry_s + p_.grace_s) {
      ++oit;
      continue;
    }
    // Past expiry + grace on-chain: no new event can come for this order.
    if (!o.seen) {
      if (!o.o.pending_fill.empty())
        out.push_back({Kind::Unwind,
                       o.o.quote_id,
                       o.o.pending_fill,
                       {},
                       "no settlement on-chain by the order's expiry plus " +
                           std::to_string(p_.grace_s) + " s"});
      else
        out.push_back({Kind::Release, o.o.quote_id, {}, {}, "expired unfilled"});
      oit = orders_.erase(oit);
      continue;
    }
    bool open = false;
    for (auto it = events_.begin(); it != events_.end();) {
      Held& h = it->second;
      if (h.event.order_ref != oit->first) {
        ++it;
        continue;
      }
      if (h.state == EventState::Vanished) {
        out.push_back({Kind::Unwind, h.quote_id, h.fill_id, h.event,
                       "its transaction left the chain and was not mined again by the order's "
                       "expiry plus " +
                           std::to_string(p_.grace_s) + " s"});
        it = events_.erase(it);
        continue;
      }
      if (h.state != EventState::Confirmed) open = true;
      ++it;
    }
    if (open) {
      ++oit;
      continue;
    }
    // Everything it settled is confirmed: the order is done.
    for (auto it = events_.begin(); it != events_.end();)
      it = it->second.event.order_ref == oit->first ? events_.erase(it) : std::next(it);
    oit = orders_.erase(oit);
  }
}

std::vector<SettlementAction> SettlementBook::on_reorg(uint64_t from) {
  std::vector<SettlementAction> out;
  for (auto& [id, h] : events_) {
    if (h.event.block_number < from) continue;
    if (h.state != EventState::Seen && h.state != EventState::Confirmed) continue;
    h.state = EventState::Unconfirmed;
    out.push_back({Kind::Unconfirmed, h.quote_id, h.fill_id, h.event,
                   "block " + std::to_string(h.event.block_number) + " left the chain"});
    out.push_back({Kind::CheckReceipt, h.quote_id, h.fill_id, h.event, {}});
  }
  return out;
}

void SettlementBook::receipt_read(const eth::Hash32& tx) {
  for (auto& [id, h] : events_)
    if (h.event.id.tx_hash == tx && h.state == EventState::Unconfirmed)
      h.state = EventState::Vanished;
}

}  // namespace aq::chain
