// SettlementWatcher, the part that carries out the SettlementBook's decisions: fills recorded
// from events (through the quote desk, so they are durable before hedging hears of them),
// settlement states marked, unwinds recorded and published, unexplained events kept.
#include <spdlog/spdlog.h>

#include "aqueduct/rfq/chain/settlement_watcher.hpp"

namespace aq::rfq::chain {
namespace codec = aq::chain;
using Kind = codec::SettlementAction::Kind;

namespace {
constexpr const char* kActor = "settlement-watcher";
}  // namespace

ChainProof SettlementWatcher::proof_of(const codec::SettlementEvent& e) const {
  return {options_.chain_id, eth::to_hex0x(e.id.tx_hash), e.id.log_index, e.block_number,
          eth::to_hex0x(e.block_hash)};
}

void SettlementWatcher::apply(const std::vector<codec::SettlementAction>& actions) {
  for (const auto& a : actions) {
    // The wallet hears of each payment once: the book acts on an event the first time only.
    if (listener_ && (a.kind == Kind::RecordFill || a.kind == Kind::Settled))
      if (auto it = orders_.find(a.event.order_ref); it != orders_.end())
        listener_->on_paid(it->second.first, a.event.maker_amount, a.event.block_number);
    try {
      switch (a.kind) {
        case Kind::RecordFill:
          record_fill(a);
          break;
        case Kind::Settled:
          ++stats_.settled;
          store_->mark(a.fill_id, Settlement::Seen, proof_of(a.event));
          store_->record_event(proof_of(a.event), to_string(a.event.kind),
                               eth::to_hex0x(a.event.order_ref), a.event.maker_amount.to_decimal(),
                               a.event.taker_amount.to_decimal(), a.fill_id, "settled");
          spdlog::info("chain {}: fill {} settled in tx {} (block {})", options_.name, a.fill_id,
                       eth::to_hex0x(a.event.id.tx_hash), a.event.block_number);
          break;
        case Kind::Confirmed:
          ++stats_.confirmed;
          store_->mark(a.fill_id, Settlement::Confirmed, proof_of(a.event));
          spdlog::info("chain {}: fill {} confirmed ({} blocks)", options_.name, a.fill_id,
                       options_.confirmations);
          break;
        case Kind::Unconfirmed:
          ++stats_.unconfirmed;
          if (!a.fill_id.empty()) store_->mark(a.fill_id, Settlement::Pending, std::nullopt);
          spdlog::warn("chain {}: fill {} unconfirmed: {}", options_.name, a.fill_id, a.reason);
          break;
        case Kind::Unwind: {
          auto u = store_->unwind(a.fill_id, a.reason, kActor, clock_(), desk_.universe());
          if (u) {
            ++stats_.unwound;
            desk_.publish_fill(*u);
            spdlog::error("chain {}: fill {} did not settle ({}); unwound by {}", options_.name,
                          a.fill_id, a.reason, u->fill_id);
          }
          break;
        }
        case Kind::Mismatch:
        case Kind::Unmatched:
          ++stats_.unmatched;
          store_->record_event(proof_of(a.event), to_string(a.event.kind),
                               eth::to_hex0x(a.event.order_ref), a.event.maker_amount.to_decimal(),
                               a.event.taker_amount.to_decimal(), "", to_string(a.kind));
          spdlog::error("chain {}: {} in tx {}: {} ({})", options_.name, to_string(a.event.kind),
                        eth::to_hex0x(a.event.id.tx_hash), to_string(a.kind), a.reason);
          break;
        case Kind::CheckReceipt:
        case Kind::Release:
          break;  // receipts are read by the reorg path; expiries release themselves
      }
    } catch (const std::exception& e) {
      spdlog::error("chain {}: {} for fill {} not recorded: {}", options_.name, to_string(a.kind),
                    a.fill_id, e.what());
    }
  }
}

// An order's event made a fill: the share of the order the taker filled, recorded by the desk
// (durable, then published to hedging), idempotent on (chain, tx, log).
void SettlementWatcher::record_fill(const codec::SettlementAction& a) {
  const IssuedQuote* q = desk_.recall(a.quote_id);
  auto it = orders_.find(a.event.order_ref);
  if (!q || it == orders_.end() || it->second.second.is_zero()) {
    spdlog::error("chain {}: event for quote {} cannot be recorded: the quote is not in the record",
                  options_.name, a.quote_id);
    return;
  }
  // qty = quote qty x filled / order's taker amount, rounded down (a whole fill is the quote).
  int64_t qty = q->qty;
  if (a.event.taker_amount != it->second.second) {
    auto num = UInt256(static_cast<uint64_t>(q->qty)).checked_mul(a.event.taker_amount);
    auto share = num ? num->checked_div(it->second.second) : std::nullopt;
    if (!share || share->limb(1) != 0 || share->limb(0) > static_cast<uint64_t>(q->qty)) return;
    qty = static_cast<int64_t>(share->limb(0));
  }
  if (qty <= 0) return;
  FillAsk ask{a.quote_id,
              q->client_id,
              qty,
              FillCheck{false, false},
              std::to_string(options_.chain_id) + ":" + eth::to_hex0x(a.event.id.tx_hash) + ":" +
                  std::to_string(a.event.id.log_index),
              Settlement::Seen,
              options_.chain_id,
              proof_of(a.event)};
  auto out = desk_.fill(ask);
  if (out.refusal) {
    spdlog::error("chain {}: on-chain fill of {} not recorded: {}: {}", options_.name, a.quote_id,
                  out.refusal->code, out.refusal->message);
    return;
  }
  ++stats_.fills_recorded;
  stats_.recent_fills.push_back({out.fill.fill_id, event_seen_ns_, clock_()});
  if (stats_.recent_fills.size() > WatcherStats::kRecentFills) stats_.recent_fills.pop_front();
  book_.recorded(a.event.id, out.fill.fill_id);
  store_->record_event(proof_of(a.event), to_string(a.event.kind), eth::to_hex0x(a.event.order_ref),
                       a.event.maker_amount.to_decimal(), a.event.taker_amount.to_decimal(),
                       out.fill.fill_id, "record_fill");
  spdlog::info("chain {}: {} of {} in tx {} (block {}) recorded as fill {}", options_.name,
               to_string(a.event.kind), a.quote_id, eth::to_hex0x(a.event.id.tx_hash),
               a.event.block_number, out.fill.fill_id);
}

}  // namespace aq::rfq::chain
