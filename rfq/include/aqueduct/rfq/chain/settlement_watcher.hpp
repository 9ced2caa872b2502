#pragma once
// The chain as a venue: follows one chain's heads and our settlement contracts' logs, and
// carries out what the SettlementBook decides — an RFQ-T order's event becomes a fill (durable,
// then published to hedging, like any fill), a fill recorded on a message is marked settled,
// confirmed at depth, un-confirmed by a reorg, or unwound when the chain never shows it.
// Runs on the rfq event loop: heads are handled one at a time, in order, each to the end of its
// RPC chain (logs, forks, receipts) before the next. Heads come pushed over WebSocket when the
// node offers it, and are polled over HTTP otherwise or besides; what a gap left out is read
// again with eth_getLogs from the last block recorded (chain_cursor).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/chain/chain_tracker.hpp"
#include "aqueduct/chain/settlement_book.hpp"
#include "aqueduct/rfq/chain/chain_options.hpp"
#include "aqueduct/rfq/chain/eth_rpc.hpp"
#include "aqueduct/rfq/chain/head_stream.hpp"
#include "aqueduct/rfq/chain/settlement_store.hpp"
#include "aqueduct/rfq/quote_desk.hpp"
#include "aqueduct/rfq/refusal.hpp"

namespace aq::rfq::chain {


struct WatcherStats {
  uint64_t heads = 0, events = 0, fills_recorded = 0, settled = 0, confirmed = 0, unconfirmed = 0,
           unwound = 0, reorgs = 0, unmatched = 0, rpc_errors = 0;
  // The latest fills made from events: when the event reached the watcher and when its fill
  // was durable (and published to hedging), by the watcher's clock. For benchmarks and status.
  struct FillTiming {
    std::string fill_id;
    int64_t seen_ns = 0, durable_ns = 0;
  };
  std::deque<FillTiming> recent_fills;  // at most kRecentFills, newest last
  static constexpr size_t kRecentFills = 1024;
};

// Who follows the chain through the watcher (the maker's wallet). Called after the watcher's own
// state has changed: a block read to the end, an order of ours paid in it.
class SettlementListener {
 public:
  virtual ~SettlementListener() = default;
  // `timestamp_s` 0: a range of blocks read at once (catch-up), whose time is not known.
  // `ours`: the block (or range) carried events of our settlement contracts.
  virtual void on_block(uint64_t number, uint64_t timestamp_s, bool ours) = 0;
  // The order signed as `quote_id` paid `maker_amount` out of the maker's side in `block`
  // (once per event; an order filled in part may be paid again).
  virtual void on_paid(const std::string& quote_id, const UInt256& maker_amount,
                       uint64_t block) = 0;
  // At start, from the record: an order of `protocol` signed before, which may still settle
  // until `expiry_s`, paying `maker_amount` of `maker_token`.
  virtual void on_signed(const std::string& quote_id, const std::string& protocol,
                         const eth::Address& maker_token, const UInt256& maker_amount,
                         uint64_t expiry_s) = 0;
};

class SettlementWatcher {
 public:
  SettlementWatcher(boost::asio::io_context& io, QuoteDesk& desk, ChainOptions options,
                    aq::chain::SettlementContracts contracts,
                    std::unique_ptr<SettlementStore> store, Clock clock = wall_clock());
  ~SettlementWatcher();
  void start();
  void stop();

  // Why firm on-chain quotes must be refused now (node down, behind, wrong chain), or nullopt.
  std::optional<Refusal> refusal() const;
  // An order we signed for this chain: its event, whenever it comes, is a fill of ours.
  void expect(const std::string& quote_id, const eth::Hash32& order_ref,
              const UInt256& maker_amount, const UInt256& taker_amount, uint64_t expiry_s);
  // A fill recorded on a message (last look, OTC, Hashflow trade) that waits for its event.
  void pending_fill(const eth::Hash32& order_ref, const FillRecord& f);

  void set_listener(SettlementListener* l) { listener_ = l; }
  const ChainOptions& options() const { return options_; }
  const WatcherStats& stats() const { return stats_; }
  std::optional<uint64_t> head() const { return tracker_.tip(); }

 private:
  using Done = std::function<void()>;
  void poll();
  void verify_chain(Done next);
  void resume(Done next);
  void enqueue(const aq::chain::BlockHeader& h);
  void pump();
  void process(const aq::chain::BlockHeader& h, Done done);
  void fetch_header(uint64_t number, std::function<void(std::optional<aq::chain::BlockHeader>)> cb);
  void find_fork(uint64_t number, const aq::chain::BlockHeader& head, Done done);
  void read_block_logs(const aq::chain::BlockHeader& h, Done done);
  // Logs of blocks [from, to] in chunks; `done(false)` if any chunk could not be read.
  void read_range(uint64_t from, uint64_t to, std::function<void(bool ok)> done);
  void check_receipts(std::deque<eth::Hash32> txs, Done done);
  void on_log(const aq::chain::Log& l);
  void apply(const std::vector<aq::chain::SettlementAction>& actions);
  void record_fill(const aq::chain::SettlementAction& a);
  void rpc_failed(const std::string& why);
  ChainProof proof_of(const aq::chain::SettlementEvent& e) const;
  boost::json::object log_filter() const;  // our contracts and events, for getLogs/subscribe

  boost::asio::io_context& io_;
  QuoteDesk& desk_;
  ChainOptions options_;
  aq::chain::SettlementContracts contracts_;
  std::unique_ptr<SettlementStore> store_;
  Clock clock_;
  std::unique_ptr<EthRpc> rpc_;
  std::unique_ptr<HeadStream> stream_;
  aq::chain::ChainTracker tracker_;
  aq::chain::SettlementBook book_;
  std::map<eth::Hash32, std::pair<std::string, UInt256>> orders_;  // ref -> quote, taker amount
  std::deque<aq::chain::BlockHeader> heads_;
  std::deque<eth::Hash32> receipts_to_check_;
  // The last block whose logs were all read: a head that comes with nothing held below it
  // (at start, after a failed read) first has the blocks between read by range.
  std::optional<uint64_t> applied_;
  bool busy_ = false;
  bool started_ = false;  // the chain id was verified and the record read
  std::string down_why_ = "the chain node has not answered yet";
  int64_t last_ok_ns_ = 0;  // the last RPC answer
  int64_t last_warned_ns_ = 0;
  uint64_t head_timestamp_s_ = 0;  // the newest head's block time
  WatcherStats stats_;
  SettlementListener* listener_ = nullptr;
  int64_t event_seen_ns_ = 0;  // when the log being applied reached the watcher
  boost::asio::steady_timer poll_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq::chain
