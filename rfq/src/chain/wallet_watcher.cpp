#include "aqueduct/rfq/chain/wallet_watcher.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "aqueduct/chain/abi.hpp"
#include "aqueduct/chain/rpc_codec.hpp"

namespace aq::rfq::chain {
namespace json = boost::json;
namespace codec = aq::chain;

// One pass over the chain: the calls still to make and what the made ones answered.
struct WalletWatcher::Read {
  struct Call {
    eth::Address holder, token;
    std::optional<eth::Address> spender;  // set: allowance(holder, spender); else balanceOf
  };
  uint64_t generation = 0;
  std::string block_tag = "latest";  // the block every call reads: one moment of the chain
  std::vector<Call> calls;
  size_t next = 0;
  codec::WalletSnapshot snapshot;
};

WalletWatcher::WalletWatcher(boost::asio::io_context& io, const ChainOptions& chain,
                             std::vector<codec::TokenInfo> tokens,
                             std::vector<std::pair<eth::Address, UInt256>> floors, Clock clock)
    : io_(io),
      chain_(chain),
      clock_(std::move(clock)),
      rpc_(std::make_unique<EthRpc>(io, http_endpoint(chain),
                                    std::chrono::milliseconds(chain.rpc_timeout_ms))),
      book_(ms_to_ns(chain.wallet_max_age_ms)),
      timer_(io) {
  for (const auto& t : tokens) {
    UInt256 floor;
    for (const auto& [addr, f] : floors)
      if (addr == t.address) floor = f;
    book_.track(t, floor);
  }
}

WalletWatcher::~WalletWatcher() {
  *alive_ = false;
}

void WalletWatcher::start() {
  std::string who;
  for (const auto& s : book_.sources())
    who += (who.empty() ? "" : ", ") + s.holder.to_checksum() +
           (s.spender ? " (pulled by " + s.spender_name + ")" : " (pays itself)");
  spdlog::info("chain {}: wallet: reading {} token(s) of {} every {} ms and after our events",
               chain_.name, book_.tokens().size(), who, chain_.wallet_refresh_ms);
  refresh();
}

void WalletWatcher::stop() {
  *alive_ = false;
  timer_.cancel();
}

void WalletWatcher::schedule() {
  timer_.expires_after(std::chrono::milliseconds(chain_.wallet_refresh_ms));
  timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    refresh();
  });
}

void WalletWatcher::refresh() {
  if (reading_) {
    again_ = true;
    return;
  }
  reading_ = true;
  again_ = false;
  auto r = std::make_shared<Read>();
  r->generation = book_.begin_read(head_);
  if (head_) r->block_tag = codec::to_quantity(*head_);
  for (const auto& s : book_.sources())
    for (const auto& t : book_.tokens()) {
      r->calls.push_back({s.holder, t.address, std::nullopt});
      if (s.spender) r->calls.push_back({s.holder, t.address, s.spender});
    }
  step(std::move(r));
}

// The calls one after another: a handful per read, on loopback or a hosted node's keep-alive.
void WalletWatcher::step(std::shared_ptr<Read> r) {
  // A failed read is tried again at the next tick (or the next block with our events).
  auto finish = [this](bool) {
    reading_ = false;
    if (again_) return refresh();
    schedule();
  };
  if (r->next == r->calls.size()) {
    ++stats_.reads;
    auto fell = book_.end_read(r->generation, r->snapshot, clock_());
    for (const auto& h : fell) {
      ++stats_.floor_alerts;
      spdlog::error("ALERT chain {}: wallet {} holds {} {}, below its floor: top it up or quotes "
                    "paying out {} will be refused as it runs out",
                    chain_.name, h.holder.to_checksum(),
                    codec::format_units(h.balance, h.token.decimals), h.token.symbol,
                    h.token.symbol);
    }
    if (!last_error_.empty()) {
      spdlog::info("chain {}: wallet read again after: {}", chain_.name, last_error_);
      last_error_.clear();
    }
    if (on_read_) on_read_(*this);
    return finish(true);
  }
  const auto& c = r->calls[r->next];
  std::string data =
      c.spender ? codec::allowance_call(c.holder, *c.spender) : codec::balance_of_call(c.holder);
  json::object call{{"to", c.token.to_hex()}, {"data", data}};
  rpc_->call("eth_call", json::array{call, json::string(r->block_tag)},
             [this, r, finish, alive = alive_](std::optional<json::value> v, std::string why) {
               if (!*alive) return;
               const auto& made = r->calls[r->next];
               std::optional<UInt256> x;
               if (v && v->is_string()) x = codec::decode_uint256_result(v->as_string(), why);
               else if (v) why = "eth_call answered " + json::serialize(*v) + ", not a hex word";
               if (!x) {
                 ++stats_.read_errors;
                 std::string what = std::string(made.spender ? "allowance" : "balanceOf") +
                                    " of " + made.token.to_checksum() + ": " + why;
                 if (what != last_error_)
                   spdlog::warn("chain {}: wallet not read ({}); the last read stands until it "
                                "is {} ms old",
                                chain_.name, what, chain_.wallet_max_age_ms);
                 last_error_ = what;
                 return finish(false);
               }
               if (made.spender)
                 r->snapshot.allowances[{made.holder, made.token, *made.spender}] = *x;
               else
                 r->snapshot.balances[{made.holder, made.token}] = *x;
               ++r->next;
               step(r);
             });
}

void WalletWatcher::on_block(uint64_t number, uint64_t timestamp_s, bool ours) {
  head_ = number;  // in the order applied; after a reorg, the new chain's
  if (timestamp_s > 0) book_.on_chain_time(timestamp_s);
  if (ours) refresh();
}

void WalletWatcher::on_signed(const std::string& quote_id, const std::string& protocol,
                              const eth::Address& maker_token, const UInt256& maker_amount,
                              uint64_t expiry_s) {
  auto s = sources_.find(protocol);
  if (s == sources_.end()) return;  // a protocol not running now pays from no wallet of ours
  book_.hold(quote_id, s->second, maker_token, maker_amount, expiry_s);
}

void WalletWatcher::settled(const std::string& quote_id) {
  book_.settled(quote_id);
  refresh();
}

std::optional<Refusal> WalletWatcher::refusal_of(const codec::WalletVerdict& v) const {
  if (v) return std::nullopt;
  switch (v.error) {
    case codec::WalletError::InsufficientBalance:
      ++stats_.refused_balance;
      break;
    case codec::WalletError::InsufficientAllowance:
      ++stats_.refused_allowance;
      break;
    default:
      ++stats_.refused_unavailable;
      break;
  }
  // Unavailable is the node's or the timer's doing (retry); the others last until funds move.
  bool retryable = v.error == codec::WalletError::NotRead;
  return Refusal{codec::to_string(v.error), "chain " + chain_.name + ": " + v.detail, retryable};
}

std::optional<Refusal> WalletWatcher::reserve(const std::string& quote_id,
                                              const codec::FundsSource& source,
                                              const eth::Address& token, const UInt256& amount,
                                              uint64_t expiry_s) {
  return refusal_of(book_.reserve(quote_id, source, token, amount, expiry_s, clock_()));
}

std::optional<Refusal> WalletWatcher::check(const codec::FundsSource& source,
                                            const eth::Address& token,
                                            const UInt256& amount) const {
  return refusal_of(book_.check(source, token, amount, clock_()));
}

std::optional<UInt256> WalletWatcher::available(const codec::FundsSource& source,
                                                const eth::Address& token) const {
  return book_.available(source, token, clock_());
}

}  // namespace aq::rfq::chain
