// Following the chain and settling fills against it, pure: heads, gaps and forks; RFQ-T fills
// made by their event, fills on a message settled by theirs, confirmations, reorgs, receipts
// gone, and unwinds by the chain's own clock.
#include <doctest/doctest.h>

#include "aqueduct/chain/chain_tracker.hpp"
#include "aqueduct/chain/settlement_book.hpp"

using namespace aq;
using namespace aq::chain;
using K = SettlementAction::Kind;
using TK = ChainTracker::Step::Kind;

namespace {

eth::Hash32 h(uint8_t a, uint8_t b = 0) {
  eth::Hash32 x{};
  x[0] = a;
  x[1] = b;
  return x;
}
BlockHeader block(uint64_t n, uint8_t fork = 0, uint8_t parent_fork = 0) {
  return {n, h(static_cast<uint8_t>(n), fork), h(static_cast<uint8_t>(n - 1), parent_fork),
          1000 + n};
}

SettlementEvent event(uint8_t order, uint8_t tx, uint64_t block_n, uint64_t log_index = 0,
                      uint64_t maker = 100, uint64_t taker = 10) {
  SettlementEvent e;
  e.id = {31337, h(0xee, tx), log_index};
  e.order_ref = h(0xab, order);
  e.maker_amount = maker;
  e.taker_amount = taker;
  e.block_number = block_n;
  return e;
}
ExpectedOrder order(uint8_t o, uint64_t expiry, std::string pending = {}) {
  return {h(0xab, o), "q" + std::to_string(o), expiry, std::move(pending), 100, 10};
}
std::vector<K> kinds(const std::vector<SettlementAction>& a) {
  std::vector<K> out;
  for (const auto& x : a) out.push_back(x.kind);
  return out;
}

}  // namespace

TEST_CASE("chain tracker: extends, ignores repeats, asks for gaps") {
  ChainTracker t(8);
  CHECK(t.on_head(block(10)).kind == TK::Extended);
  CHECK(t.on_head(block(11)).kind == TK::Extended);
  CHECK(t.on_head(block(11)).kind == TK::Duplicate);
  CHECK(t.on_head(block(10)).kind == TK::Duplicate);
  auto gap = t.on_head(block(14));
  CHECK(gap.kind == TK::Gap);
  CHECK(gap.from == 12);
  CHECK(gap.to == 13);
  CHECK(t.on_head(block(12)).kind == TK::Extended);
  CHECK(t.on_head(block(13)).kind == TK::Extended);
  CHECK(t.on_head(block(14)).kind == TK::Extended);
  CHECK(*t.tip() == 14);
  t.forget_from(14);  // its logs could not be read: the next head asks for it again
  auto again = t.on_head(block(15));
  CHECK(again.kind == TK::Gap);
  CHECK(again.from == 14);
  CHECK(t.on_head(block(14)).kind == TK::Extended);
  for (uint64_t n = 15; n < 30; ++n) t.on_head(block(n));
  CHECK_FALSE(t.hash_at(20));  // only the last 8 are kept
  CHECK(t.hash_at(22));
}

TEST_CASE("chain tracker: a fork is found by walking down, and everything above it drops") {
  ChainTracker t(16);
  for (uint64_t n = 1; n <= 10; ++n) t.on_head(block(n));
  // The node reverted to 7 and mined another 8, 9: a head at 9 whose parent is 8'.
  auto s = t.on_head(block(9, 1, 1));
  REQUIRE(s.kind == TK::FindFork);
  CHECK(s.from == 8);
  s = t.on_fork_header(block(8, 1));  // the node's 8 is not ours
  REQUIRE(s.kind == TK::FindFork);
  CHECK(s.from == 7);
  s = t.on_fork_header(block(7));  // the node's 7 is ours: the fork is above it
  REQUIRE(s.kind == TK::Reorg);
  CHECK(s.from == 8);
  CHECK_FALSE(s.deep);
  CHECK(*t.tip() == 7);
  // The new branch is then fed from 8.
  CHECK(t.on_head(block(9, 1, 1)).kind == TK::Gap);
  CHECK(t.on_head(block(8, 1)).kind == TK::Extended);
  CHECK(t.on_head(block(9, 1, 1)).kind == TK::Extended);
  // A head at the same height as the tip with another hash is a fork too.
  CHECK(t.on_head(block(9, 2, 1)).kind == TK::FindFork);
}

TEST_CASE("chain tracker: a fork below everything held is a deep reorg") {
  ChainTracker t(4);
  for (uint64_t n = 1; n <= 10; ++n) t.on_head(block(n));
  auto s = t.on_head(block(11, 5, 5));
  REQUIRE(s.kind == TK::FindFork);
  for (uint64_t n = 10; n >= 7; --n) {
    s = t.on_fork_header(block(n, 5, 5));
    if (s.kind != TK::FindFork) break;
  }
  CHECK(s.kind == TK::Reorg);
  CHECK(s.deep);
  CHECK(s.from == 7);
}

TEST_CASE("settlement: an RFQ-T order becomes a fill by its event, confirmed at depth") {
  SettlementBook b({.confirmations = 3, .grace_s = 60});
  b.expect(order(1, 2000));
  auto a = b.on_event(event(1, 1, 20, 0, 40, 4));  // a partial fill
  REQUIRE(kinds(a) == std::vector{K::RecordFill});
  CHECK(a[0].quote_id == "q1");
  CHECK(a[0].event.taker_amount == UInt256(4));
  CHECK(b.on_event(event(1, 1, 20, 0, 40, 4)).empty());  // the same log again
  b.recorded(a[0].event.id, "f1");
  CHECK(b.on_head(21, 1021).empty());
  auto c = b.on_head(22, 1022);
  REQUIRE(kinds(c) == std::vector{K::Confirmed});
  CHECK(c[0].fill_id == "f1");
  CHECK(b.on_head(23, 1023).empty());
  // The rest of the order, in another transaction: another fill.
  CHECK(kinds(b.on_event(event(1, 2, 24, 1, 60, 6))) == std::vector{K::RecordFill});
  // Above what the order allows (here: more than all of it) is a mismatch, not a fill.
  CHECK(kinds(b.on_event(event(1, 3, 24, 2, 101, 10))) == std::vector{K::Mismatch});
  CHECK(kinds(b.on_event(event(9, 4, 24))) == std::vector{K::Unmatched});
}

TEST_CASE("settlement: a fill on a message is settled by its event, or unwound after expiry") {
  SettlementBook b({.confirmations = 1, .grace_s = 30});
  b.expect(order(1, 2000, "f_msg"));
  b.expect(order(2, 2000, "f_never"));
  b.expect(order(3, 2000));  // signed, never filled
  auto a = b.on_event(event(1, 1, 5));
  REQUIRE(kinds(a) == std::vector{K::Settled});
  CHECK(a[0].fill_id == "f_msg");
  CHECK(kinds(b.on_head(5, 1500)) == std::vector{K::Confirmed});
  CHECK(b.on_head(6, 2030).empty());  // expiry + grace not yet passed on-chain
  auto late = b.on_head(7, 2031);
  REQUIRE(kinds(late) == std::vector{K::Unwind, K::Release});
  CHECK(late[0].fill_id == "f_never");
  CHECK(late[1].quote_id == "q3");
  CHECK(b.expected() == 0);  // everything done is forgotten
  CHECK(b.events() == 0);
}

TEST_CASE("settlement: a reorg un-confirms; a receipt gone unwinds at expiry, unless re-mined") {
  SettlementBook b({.confirmations = 2, .grace_s = 10});
  b.expect(order(1, 2000, "f1"));
  b.expect(order(2, 2000, "f2"));
  b.on_event(event(1, 1, 20));
  b.on_event(event(2, 2, 21));
  CHECK(kinds(b.on_head(22, 1100)) == std::vector{K::Confirmed, K::Confirmed});
  auto r = b.on_reorg(21);
  REQUIRE(kinds(r) == std::vector{K::Unconfirmed, K::CheckReceipt});
  CHECK(r[0].fill_id == "f2");
  CHECK(b.on_reorg(21).empty());  // already unconfirmed
  // The receipt is gone: vanished. Mined again at another log index: the same fill.
  b.receipt_read(h(0xee, 2));
  CHECK(b.event_of("f2") == nullptr);
  CHECK(b.on_event(event(2, 2, 23, 5)).empty());
  REQUIRE(b.event_of("f2"));
  CHECK(b.event_of("f2")->block_number == 23);
  CHECK(kinds(b.on_head(24, 1200)) == std::vector{K::Confirmed});
  // Removed by the node's own word, then gone for good: unwound once the order expired.
  auto rm = event(1, 1, 20);
  rm.removed = true;
  CHECK(kinds(b.on_event(rm)) == std::vector{K::Unconfirmed, K::CheckReceipt});
  b.receipt_read(h(0xee, 1));
  CHECK(b.on_head(25, 2010).empty());
  auto u = b.on_head(26, 2011);
  REQUIRE(kinds(u) == std::vector{K::Unwind});
  CHECK(u[0].fill_id == "f1");
  CHECK(b.expected() == 0);
}

TEST_CASE("settlement: a vanished fill settled again by another transaction is the same fill") {
  SettlementBook b({.confirmations = 1, .grace_s = 10});
  b.expect(order(1, 2000, "f1"));
  b.on_event(event(1, 1, 20));
  b.on_reorg(20);
  b.receipt_read(h(0xee, 1));
  auto a = b.on_event(event(1, 7, 22));
  REQUIRE(kinds(a) == std::vector{K::Settled});
  CHECK(a[0].fill_id == "f1");
  CHECK(kinds(b.on_head(22, 3000)) == std::vector{K::Confirmed});
}
