#pragma once
// The maker's wallet as a venue, the shell: reads every followed holder's token balances and
// each settlement contract's allowance with eth_call — at start, after every block that carries
// our events, and on a timer — into a WalletBook, and answers the gateways before they sign:
// can the wallet deliver this quote, less what live quotes have already reserved?
// Runs on the rfq event loop. A read is one pass over all (holder, token[, spender]) pairs; it
// is applied only whole, so the book never mixes two moments of the chain.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/bus/clock.hpp"
#include "aqueduct/chain/wallet_book.hpp"
#include "aqueduct/rfq/chain/chain_options.hpp"
#include "aqueduct/rfq/chain/settlement_watcher.hpp"
#include "aqueduct/rfq/refusal.hpp"

namespace aq::rfq::chain {

struct WalletStats {
  uint64_t reads = 0, read_errors = 0, refused_balance = 0, refused_allowance = 0,
           refused_unavailable = 0, floor_alerts = 0;
};

class WalletWatcher : public SettlementListener {
 public:
  // `floors`: per token address, the balance below which an alert is raised.
  WalletWatcher(boost::asio::io_context& io, const ChainOptions& chain,
                std::vector<aq::chain::TokenInfo> tokens,
                std::vector<std::pair<eth::Address, UInt256>> floors, Clock clock = wall_clock());
  ~WalletWatcher() override;
  // Before start: whose funds pay out, and which contract pulls them.
  // `protocol` (as the record names it: "zeroex", "hashflow", "bebop") pays from `source`.
  void follow(const aq::chain::FundsSource& source, const std::string& protocol) {
    book_.follow(source);
    sources_[protocol] = source;
  }
  void start();
  void stop();
  // Called after every whole read (the book holds it): for publishing the holdings.
  void on_read(std::function<void(const WalletWatcher&)> f) { on_read_ = std::move(f); }

  // A firm quote about to be signed: reserves `amount` of `token` from `source` until the
  // order can no longer settle (chain time past `expiry_s`); a refusal says why not.
  std::optional<Refusal> reserve(const std::string& quote_id, const aq::chain::FundsSource& source,
                                 const eth::Address& token, const UInt256& amount,
                                 uint64_t expiry_s);
  // The same check without reserving (indicative prices).
  std::optional<Refusal> check(const aq::chain::FundsSource& source, const eth::Address& token,
                               const UInt256& amount) const;
  // What could still be paid out now; nullopt when the wallet is not (freshly) read.
  std::optional<UInt256> available(const aq::chain::FundsSource& source,
                                   const eth::Address& token) const;
  void release(const std::string& quote_id) { book_.release(quote_id); }
  // Paid on chain, as a protocol reported it (Bebop's trade stream): a read is asked for.
  void settled(const std::string& quote_id);

  // SettlementListener
  void on_block(uint64_t number, uint64_t timestamp_s, bool ours) override;
  void on_paid(const std::string& quote_id, const UInt256& maker_amount,
               uint64_t block) override {
    book_.paid(quote_id, maker_amount, block);
  }
  void on_signed(const std::string& quote_id, const std::string& protocol,
                 const eth::Address& maker_token, const UInt256& maker_amount,
                 uint64_t expiry_s) override;

  const aq::chain::WalletBook& book() const { return book_; }
  const WalletStats& stats() const { return stats_; }
  const ChainOptions& chain() const { return chain_; }

 private:
  struct Read;
  void refresh();
  void step(std::shared_ptr<Read> r);
  void schedule();
  std::optional<Refusal> refusal_of(const aq::chain::WalletVerdict& v) const;

  boost::asio::io_context& io_;
  ChainOptions chain_;
  Clock clock_;
  std::unique_ptr<EthRpc> rpc_;
  aq::chain::WalletBook book_;
  bool reading_ = false;
  std::optional<uint64_t> head_;
  std::map<std::string, aq::chain::FundsSource> sources_;  // by protocol  // the newest block the watcher applied: reads are pinned to it
  bool again_ = false;  // a read was asked for while one ran: another follows it
  std::string last_error_;
  std::function<void(const WalletWatcher&)> on_read_;
  mutable WalletStats stats_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq::chain
