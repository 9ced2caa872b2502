#include "aqueduct/rfq/chain/settlement_watcher.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cstdlib>

namespace aq::rfq::chain {
namespace json = boost::json;
namespace codec = aq::chain;
using Kind = codec::SettlementAction::Kind;
using TK = codec::ChainTracker::Step::Kind;

namespace {

// A gap longer than this is read with eth_getLogs by range, not header by header.
constexpr uint64_t kMaxGapHeaders = 64;

std::string env_or_empty(const std::string& name) {
  const char* v = name.empty() ? nullptr : std::getenv(name.c_str());
  return v ? std::string(v) : std::string();
}

}  // namespace

SettlementWatcher::SettlementWatcher(boost::asio::io_context& io, QuoteDesk& desk,
                                     ChainOptions options, codec::SettlementContracts contracts,
                                     std::unique_ptr<SettlementStore> store, Clock clock)
    : io_(io),
      desk_(desk),
      options_(std::move(options)),
      contracts_(std::move(contracts)),
      store_(std::move(store)),
      clock_(std::move(clock)),
      book_({options_.confirmations, options_.grace_s}),
      poll_timer_(io) {
  std::string why;
  rpc_ = std::make_unique<EthRpc>(io, http_endpoint(options_), std::chrono::milliseconds(options_.rpc_timeout_ms));
  if (std::string ws_url = env_or_empty(options_.ws_url_env); !ws_url.empty()) {
    auto ws = parse_node_url(ws_url, why);
    if (!ws || !ws->websocket)
      throw std::invalid_argument("chain " + options_.name + ": " + options_.ws_url_env + ": " +
                                  (ws ? "must be a ws(s) URL" : why));
    stream_ = std::make_unique<HeadStream>(
        io, *ws, log_filter(), options_.head_idle_ms,
        HeadStream::Handlers{[this](const codec::BlockHeader& h) { enqueue(h); },
                             [this](const codec::Log& l) { on_log(l); },
                             {}});
  }
}

json::object SettlementWatcher::log_filter() const {
  json::array addrs, topics;
  for (const auto& a : contracts_.addresses()) addrs.push_back(json::string(a.to_hex()));
  for (const auto& t : contracts_.topics()) topics.push_back(json::string(eth::to_hex0x(t)));
  return {{"address", addrs}, {"topics", json::array{topics}}};
}

SettlementWatcher::~SettlementWatcher() {
  *alive_ = false;
}

void SettlementWatcher::start() {
  spdlog::info("chain {} ({}): watching {} for settlements of maker {} at {} confirmations",
               options_.name, options_.chain_id, rpc_->endpoint().text(), contracts_.maker.to_hex(),
               options_.confirmations);
  verify_chain([this] {
    if (stream_) stream_->start();
  });
  poll();
}

void SettlementWatcher::stop() {
  *alive_ = false;
  poll_timer_.cancel();
  if (stream_) stream_->stop();
}

std::optional<Refusal> SettlementWatcher::refusal() const {
  if (!started_)
    return Refusal{"chain_unavailable", "chain " + options_.name + ": " + down_why_, true};
  int64_t now = clock_();
  int64_t silent_ms = (now - last_ok_ns_) / 1'000'000;
  if (silent_ms > 3 * options_.poll_ms + options_.rpc_timeout_ms)
    return Refusal{"chain_unavailable",
                   "chain " + options_.name + ": the node has not answered for " +
                       std::to_string(silent_ms) + " ms (" + down_why_ +
                       "); on-chain quotes resume when it does",
                   true};
  if (head_timestamp_s_ == 0)
    return Refusal{"chain_unavailable",
                   "chain " + options_.name + ": no block has been read from the node yet", true};
  int64_t age_s = now / 1'000'000'000 - static_cast<int64_t>(head_timestamp_s_);
  if (age_s > options_.max_head_age_s)
    return Refusal{"chain_behind",
                   "chain " + options_.name + ": the newest block is " + std::to_string(age_s) +
                       " s old (allowed " + std::to_string(options_.max_head_age_s) +
                       " s): the node is behind or the chain stalled",
                   true};
  return std::nullopt;
}

void SettlementWatcher::expect(const std::string& quote_id, const eth::Hash32& order_ref,
                               const UInt256& maker_amount, const UInt256& taker_amount,
                               uint64_t expiry_s) {
  orders_[order_ref] = {quote_id, taker_amount};
  book_.expect({order_ref, quote_id, expiry_s, {}, maker_amount, taker_amount});
}

void SettlementWatcher::pending_fill(const eth::Hash32& order_ref, const FillRecord& f) {
  auto it = orders_.find(order_ref);
  if (it == orders_.end()) return;
  codec::ExpectedOrder o{order_ref, f.quote.quote_id, 0, f.fill_id, {}, it->second.second};
  book_.expect(o);  // attaches the fill to the order already expected
}

void SettlementWatcher::rpc_failed(const std::string& why) {
  ++stats_.rpc_errors;
  // Said once per cause, and again every 10 s while it lasts: a node down does not flood the
  // log at the poll rate.
  int64_t now = clock_();
  if (why != down_why_ || now - last_warned_ns_ > 10'000'000'000) {
    spdlog::warn("chain {}: {}", options_.name, why);
    last_warned_ns_ = now;
  }
  down_why_ = why;
}

void SettlementWatcher::poll() {
  poll_timer_.expires_after(std::chrono::milliseconds(options_.poll_ms));
  poll_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    poll();
  });
  if (!started_)
    return verify_chain([this] {
      if (stream_) stream_->start();
    });
  rpc_->call("eth_getBlockByNumber", json::array{"latest", false},
             [this, alive = alive_](std::optional<json::value> r, std::string why) {
               if (!*alive) return;
               if (!r) return rpc_failed(why);
               auto h = codec::parse_block_header(*r, why);
               if (!h) return rpc_failed("eth_getBlockByNumber(latest): " + why);
               last_ok_ns_ = clock_();
               enqueue(*h);
             });
}

void SettlementWatcher::verify_chain(Done next) {
  if (busy_) return;
  busy_ = true;
  rpc_->call("eth_chainId", {},
             [this, next, alive = alive_](std::optional<json::value> r, std::string why) {
               if (!*alive) return;
               busy_ = false;
               if (!r) return rpc_failed(why);
               auto id = codec::parse_quantity(*r, why);
               if (!id) return rpc_failed("eth_chainId: " + why);
               last_ok_ns_ = clock_();
               if (*id != options_.chain_id) {
                 down_why_ = "the node at " + rpc_->endpoint().text() + " is on chain " +
                             std::to_string(*id) + ", not " + std::to_string(options_.chain_id) +
                             " as configured; it is not used";
                 spdlog::error("chain {}: {}", options_.name, down_why_);
                 return;
               }
               resume(next);
             });
}

// The record first: orders that may still settle, fills waiting on the chain, and where
// reading stopped. Then everything since is read again (idempotent per log).
void SettlementWatcher::resume(Done next) {
  int64_t now_s = clock_() / 1'000'000'000;
  std::optional<uint64_t> from;
  try {
    // Both protocols' quote ids are their order reference (0x order hash, Hashflow txid);
    // the amounts are read from the order as the taker holds it.
    for (const auto& s : store_->signed_quotes(now_s - static_cast<int64_t>(options_.grace_s))) {
      bool hashflow = s.protocol == "hashflow";
      auto ref = eth::parse_bytes32(s.quote_id);
      boost::system::error_code ec;
      auto v = json::parse(s.signed_order_json, ec);
      if (!ref || ec || !v.is_object()) continue;
      const json::object* o = &v.as_object();
      if (hashflow) {
        auto* m = o->if_contains("message");
        if (!m || !m->is_object()) continue;
        o = &m->as_object();
      }
      auto amount = [&](const char* k) {
        auto* f = o->if_contains(k);
        return f && f->is_string() ? UInt256::from_decimal(f->as_string()) : std::nullopt;
      };
      auto maker = amount(hashflow ? "quoteTokenAmount" : "makerAmount");
      auto taker = amount(hashflow ? "baseTokenAmount" : "takerAmount");
      if (!maker || !taker) continue;
      expect(s.quote_id, *ref, *maker, *taker, static_cast<uint64_t>(s.expiry_s));
      auto* token = o->if_contains(hashflow ? "quoteToken" : "makerToken");
      auto maker_token = token && token->is_string() ? eth::Address::parse(token->as_string())
                                                     : std::nullopt;
      if (listener_ && maker_token)
        listener_->on_signed(s.quote_id, s.protocol, *maker_token, *maker,
                             static_cast<uint64_t>(s.expiry_s));
    }
    for (const auto& f : store_->open_fills(options_.chain_id)) {
      auto ref = eth::parse_bytes32(f.quote_id);
      if (!ref) continue;
      FillRecord r;
      r.fill_id = f.fill_id;
      r.quote.quote_id = f.quote_id;
      pending_fill(*ref, r);
      if (f.proof && (!from || f.proof->block_number < *from)) from = f.proof->block_number;
    }
    if (auto c = store_->cursor(options_.chain_id)) {
      // Blocks near the cursor may have been replaced while we were away: read them again.
      uint64_t again = c->first > options_.confirmations ? c->first - options_.confirmations : 0;
      if (!from || again < *from) from = again;
    }
  } catch (const std::exception& e) {
    down_why_ = std::string("cannot read the settlement record: ") + e.what();
    spdlog::error("chain {}: {}", options_.name, down_why_);
    return;
  }
  started_ = true;
  down_why_.clear();
  spdlog::info("chain {}: chain id {} confirmed; {} orders and their fills expected{}",
               options_.name, options_.chain_id, book_.expected(),
               from ? ", reading again from block " + std::to_string(*from) : std::string());
  if (!from) return next();
  // The catch-up read happens before any head is handled.
  busy_ = true;
  rpc_->call("eth_blockNumber", {},
             [this, from, next, alive = alive_](std::optional<json::value> r, std::string why) {
               if (!*alive) return;
               auto tip = r ? codec::parse_quantity(*r, why) : std::nullopt;
               if (!tip) {
                 busy_ = false;
                 started_ = false;
                 return rpc_failed("eth_blockNumber: " + why);
               }
               read_range(*from, *tip, [this, next, tip = *tip](bool ok) {
                 busy_ = false;
                 if (!ok) {
                   started_ = false;  // read it all again at the next poll
                   return;
                 }
                 applied_ = tip;
                 next();
                 pump();
               });
             });
}

void SettlementWatcher::enqueue(const codec::BlockHeader& h) {
  last_ok_ns_ = clock_();
  if (!heads_.empty() && heads_.back().hash == h.hash) return;
  heads_.push_back(h);
  while (heads_.size() > 256) heads_.pop_front();  // the newest say enough; gaps are filled
  pump();
}

void SettlementWatcher::pump() {
  if (busy_ || !started_ || heads_.empty()) return;
  auto h = heads_.front();
  heads_.pop_front();
  busy_ = true;
  process(h, [this] {
    busy_ = false;
    pump();
  });
}

void SettlementWatcher::process(const codec::BlockHeader& h, Done done) {
  if (!tracker_.tip() && applied_ && h.number > *applied_ + 1) {
    // Nothing held below this head: read what came since the last block applied first.
    return read_range(*applied_ + 1, h.number - 1, [this, h, done](bool ok) {
      if (!ok) return done();  // the next head tries again from the same block
      applied_ = h.number - 1;
      process(h, done);
    });
  }
  auto step = tracker_.on_head(h);
  switch (step.kind) {
    case TK::Duplicate:
      return done();
    case TK::Extended:
      ++stats_.heads;
      head_timestamp_s_ = std::max(head_timestamp_s_, h.timestamp);
      return read_block_logs(h, done);
    case TK::Gap:
      if (step.to - step.from + 1 > kMaxGapHeaders) {
        // Far behind: read the logs by range, then follow from this head.
        return read_range(step.from, step.to, [this, h, to = step.to, done](bool ok) {
          if (!ok) return done();  // held as it was: the next head finds the same gap
          tracker_.reset();
          applied_ = to;
          process(h, done);
        });
      }
      return fetch_header(step.from, [this, h, done](std::optional<codec::BlockHeader> missing) {
        if (!missing) return done();  // the next poll tries again
        process(*missing, [this, h, done] { process(h, done); });
      });
    case TK::FindFork:
      return find_fork(step.from, h, done);
    case TK::Reorg:
      return done();  // on_head never answers Reorg itself
  }
}

void SettlementWatcher::fetch_header(uint64_t number,
                                     std::function<void(std::optional<codec::BlockHeader>)> cb) {
  rpc_->call("eth_getBlockByNumber", json::array{codec::to_quantity(number), false},
             [this, number, cb, alive = alive_](std::optional<json::value> r, std::string why) {
               if (!*alive) return;
               if (!r) {
                 rpc_failed(why);
                 return cb(std::nullopt);
               }
               auto h = codec::parse_block_header(*r, why);
               if (!h || h->number != number) {
                 rpc_failed("block " + std::to_string(number) + ": " +
                            (h ? "the node answered another block" : why));
                 return cb(std::nullopt);
               }
               last_ok_ns_ = clock_();
               cb(h);
             });
}

void SettlementWatcher::find_fork(uint64_t number, const codec::BlockHeader& head, Done done) {
  fetch_header(number, [this, head, done](std::optional<codec::BlockHeader> h) {
    if (!h) return done();
    auto step = tracker_.on_fork_header(*h);
    if (step.kind == TK::FindFork) return find_fork(step.from, head, done);
    ++stats_.reorgs;
    spdlog::warn("chain {}: reorg: blocks from {} left the chain{}", options_.name, step.from,
                 step.deep ? " (deeper than the blocks kept)" : "");
    auto actions = book_.on_reorg(step.from);
    apply(actions);
    std::deque<eth::Hash32> txs;
    for (const auto& a : actions)
      if (a.kind == Kind::CheckReceipt) txs.push_back(a.event.id.tx_hash);
    check_receipts(std::move(txs), [this, head, done] { process(head, done); });
  });
}

void SettlementWatcher::read_block_logs(const codec::BlockHeader& h, Done done) {
  json::object filter = log_filter();
  filter["blockHash"] = eth::to_hex0x(h.hash);
  rpc_->call("eth_getLogs", json::array{filter},
             [this, h, done, alive = alive_](std::optional<json::value> r, std::string why) {
               if (!*alive) return;
               auto logs = r ? codec::parse_logs(*r, why) : std::nullopt;
               if (!logs) {
                 // Not read: forget the block so that the next head asks for it again.
                 rpc_failed("eth_getLogs(block " + std::to_string(h.number) + "): " + why);
                 tracker_.forget_from(h.number);
                 return done();
               }
               last_ok_ns_ = clock_();
               for (const auto& l : *logs) on_log(l);
               applied_ = h.number;
               apply(book_.on_head(h.number, h.timestamp));
               if (listener_) listener_->on_block(h.number, h.timestamp, !logs->empty());
               try {
                 store_->save_cursor(options_.chain_id, h.number, eth::to_hex0x(h.hash));
               } catch (const std::exception& e) {
                 spdlog::error("chain {}: cursor not saved at block {}: {}", options_.name,
                               h.number, e.what());
               }
               done();
             });
}

void SettlementWatcher::read_range(uint64_t from, uint64_t to,
                                   std::function<void(bool ok)> done) {
  if (from > to) return done(true);
  uint64_t end = std::min(to, from + options_.max_log_range - 1);
  rpc_->call(
      "eth_getLogs", codec::get_logs_params(contracts_.addresses(), contracts_.topics(), from, end),
      [this, from, end, to, done, alive = alive_](std::optional<json::value> r, std::string why) {
        if (!*alive) return;
        auto logs = r ? codec::parse_logs(*r, why) : std::nullopt;
        if (!logs) {
          rpc_failed("eth_getLogs(" + std::to_string(from) + ".." + std::to_string(end) +
                     "): " + why);
          return done(false);
        }
        last_ok_ns_ = clock_();
        for (const auto& l : *logs) on_log(l);
        if (listener_) listener_->on_block(end, 0, !logs->empty());
        read_range(end + 1, to, done);
      });
}

void SettlementWatcher::check_receipts(std::deque<eth::Hash32> txs, Done done) {
  if (txs.empty()) return done();
  auto tx = txs.front();
  txs.pop_front();
  rpc_->call("eth_getTransactionReceipt", json::array{json::string(eth::to_hex0x(tx))},
             [this, tx, txs = std::move(txs), done, alive = alive_](std::optional<json::value> r,
                                                                    std::string why) mutable {
               if (!*alive) return;
               if (!r) {
                 rpc_failed(why);
                 return check_receipts(std::move(txs), done);
               }
               auto receipt = codec::parse_receipt(*r, why);
               if (receipt && receipt->success)
                 for (const auto& l : receipt->logs) on_log(l);
               if (receipt || why.empty()) book_.receipt_read(tx);
               check_receipts(std::move(txs), done);
             });
}

void SettlementWatcher::on_log(const codec::Log& l) {
  std::string why;
  auto e = codec::decode_settlement(l, contracts_, why);
  if (!e) {
    spdlog::warn("chain {}: log {} #{} ignored: {}", options_.name, eth::to_hex0x(l.tx_hash),
                 l.log_index, why);
    return;
  }
  ++stats_.events;
  event_seen_ns_ = clock_();
  apply(book_.on_event(*e));
}

}  // namespace aq::rfq::chain
