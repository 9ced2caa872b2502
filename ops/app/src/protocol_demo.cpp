#include "aqueduct/app/protocol_demo.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <cstdlib>

#include "aqueduct/app/demo_chain.hpp"
#include "aqueduct/app/network.hpp"
#include "aqueduct/eth/signer.hpp"
#include "aqueduct/net/hmac.hpp"
#include "aqueduct/rfq/rfq_service.hpp"
#include "aqueduct/standins/bebop_server.hpp"
#include "aqueduct/standins/hashflow_server.hpp"
#include "aqueduct/standins/zeroex_taker.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::app {

namespace json = boost::json;

namespace {

// Mainnet addresses of the tokens the demo trades (chain 1, as the signatures say).
constexpr const char* kWBTC = "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599";
constexpr const char* kUSDT = "0xdAC17F958D2ee523a2206206994597C13D831ec7";
constexpr const char* kWETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
constexpr const char* kProxy = "0xDef1C0ded9bec7F1a1670819833240f027b25EfF";
constexpr const char* kBebopSettlement = "0xbbbbbBB520d69a9775E85b458C58c648259FAD5F";
constexpr const char* kDemoPool = "0x1111111111111111111111111111111111111111";
constexpr const char* kDemoTrader = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

eth::Address addr(const char* s) {
  return *eth::Address::parse(s);
}

// A random key for this run, in the environment of this process only.
std::string demo_secret(const char* env) {
  std::string v = net::random_hex(16);
  ::setenv(env, v.c_str(), 1);
  return v;
}

int64_t now_s() {
  return wall_now_ns() / 1'000'000'000;
}

std::string units(const std::string& base_units, unsigned decimals) {
  auto v = UInt256::from_decimal(base_units);
  if (!v) return base_units;
  std::string s = v->to_decimal();
  if (s.size() <= decimals) s = std::string(decimals + 1 - s.size(), '0') + s;
  s.insert(s.size() - decimals, ".");
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

ProtocolDemo::ProtocolDemo(AppConfig& config) : config_(config), chain_(DemoChain::from_env()) {
  auto& t = config.takers;
  if (chain_) {
    chain_->configure(t);  // sign for the local chain, watch it, pay from the maker's wallet
  } else {
    if (t.tokens.empty()) {
      t.chain_id = 1;
      t.tokens = {{"WBTC", "BTC", addr(kWBTC), 8, {}},
                  {"USDT", "USDT", addr(kUSDT), 6, {}},
                  {"WETH", "ETH", addr(kWETH), 18, {}}};
    }
    // No chain (aqueduct run --demo outside ops/run): the stand-ins' messages are the fills.
    t.unwatched = true;
    t.chains.clear();
    if (t.zeroex.exchange_proxy.is_zero()) t.zeroex.exchange_proxy = addr(kProxy);
  }
  // The maker's address, which the stand-ins check every signature against.
  eth::Signer signer(t.maker_key_file.empty() ? eth::MakerKey::from_env(t.maker_key_env.c_str())
                                              : eth::MakerKey::from_file(t.maker_key_file));
  maker_ = signer.address();
  if (chain_ && chain_->maker() != maker_)
    throw std::runtime_error("the demo chain was deployed for maker " +
                             chain_->maker().to_checksum() + ", but this network signs as " +
                             maker_.to_checksum() + ": restart ops/run --demo");
  t.zeroex.enabled = true;
  t.zeroex.http.address = "127.0.0.1";
  t.zeroex.api_key_env = "AQ_DEMO_ZEROEX_KEY";
  zeroex_key_ = demo_secret("AQ_DEMO_ZEROEX_KEY");
  t.zeroex.last_look_tolerance_ppm = 5'000;

  std::string hf_key = demo_secret("AQ_DEMO_HASHFLOW_KEY");
  eth::Address pool = chain_ ? chain_->hashflow_pool() : addr(kDemoPool);
  hashflow_ = std::make_unique<standins::HashflowServer>("Aqueduct", hf_key, maker_, pool);
  t.hashflow.enabled = true;
  t.hashflow.host = "127.0.0.1";
  t.hashflow.port = hashflow_->port();
  t.hashflow.tls = false;
  t.hashflow.maker_name = "Aqueduct";
  t.hashflow.auth_env = "AQ_DEMO_HASHFLOW_KEY";
  t.hashflow.pool = pool;

  std::string bebop_key = demo_secret("AQ_DEMO_BEBOP_KEY");
  bebop_ = std::make_unique<standins::BebopServer>(bebop_key, maker_, addr(kBebopSettlement));
  t.bebop.enabled = true;
  t.bebop.host = "127.0.0.1";
  t.bebop.port = bebop_->port();
  t.bebop.tls = false;
  t.bebop.auth_env = "AQ_DEMO_BEBOP_KEY";
  t.bebop.settlement = addr(kBebopSettlement);
}

ProtocolDemo::~ProtocolDemo() {
  stop();
}

void ProtocolDemo::start(const Network& network, std::chrono::milliseconds interval, Print print,
                         std::string db_url) {
  zeroex_port_ = const_cast<Network&>(network).rfq()->zeroex_port();
  interval_ = interval;
  print_ = std::move(print);
  db_url_ = std::move(db_url);
  if (chain_)
    print_(fmt::format("[demo]     local chain {} (anvil): the real 0x Exchange Proxy {} and "
                       "Hashflow pool {}; 0x and Hashflow fills settle on it",
                       chain_->chain_id(), chain_->exchange_proxy().to_checksum(),
                       chain_->hashflow_pool().to_checksum()));
  print_(fmt::format(
      "[demo]     maker {} quotes 0x on http://127.0.0.1:{}, Hashflow stand-in ws://127.0.0.1:{}, "
      "Bebop stand-in ws://127.0.0.1:{}",
      maker_.to_checksum(), zeroex_port_, hashflow_->port(), bebop_->port()));
  thread_ = std::thread([this] { run(); });
}

void ProtocolDemo::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ProtocolDemo::run() {
  // Offset from the native taker's ticks, so the lines of one trade stay together.
  std::this_thread::sleep_for(interval_ / 2);
  while (!stop_) {
    try {
      switch (round_++ % 3) {
        case 0:
          zeroex_round();
          break;
        case 1:
          hashflow_round();
          break;
        default:
          bebop_round();
          break;
      }
    } catch (const std::exception& e) {
      print_(fmt::format("[demo]     round failed: {}", e.what()));
    }
    for (auto slept = std::chrono::milliseconds(0); slept < interval_ && !stop_;
         slept += std::chrono::milliseconds(50))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void ProtocolDemo::zeroex_round() {
  if (chain_) return zeroex_chain_round();
  standins::ZeroExTaker taker(
      {zeroex_port_, zeroex_key_, maker_, config_.takers.chain_id, addr(kProxy), 120});
  std::uniform_int_distribution<int> sats(100, 1000);  // 0.001 - 0.01 WBTC
  std::string amount = std::to_string(sats(rng_) * 10'000);
  standins::ZeroExAsk ask{addr(kWBTC),    addr(kUSDT),       amount, std::nullopt,
                          eth::Address{}, addr(kDemoTrader), true,   "0"};
  auto q = taker.firm(ask, now_s());
  if (!q.ok()) {
    print_(fmt::format("[0x]       no quote: {} {}", q.status,
                       q.decline_reason.empty() ? q.rejected_because : q.decline_reason));
    return;
  }
  print_(fmt::format(
      "[0x]       RfqOrder {}… sells {} WBTC for {} USDT; signature recovers to the maker",
      eth::to_hex0x(q.order_hash).substr(0, 12), units(amount, 8),
      units(q.order->maker_amount.to_decimal(), 6)));
  auto r = taker.submit(q, amount, kWBTC);
  print_(fmt::format("[0x]       last look /submit: {}", r.body));
}

// A trader's rfqT for 0.05 - 0.5 WETH against USDT (on the local chain when there is one):
// false, said on the tape, when no valid quote came back.
bool ProtocolDemo::ask_hashflow(standins::HashflowRfq& r, standins::HashflowQuoteCheck& q) {
  r.rfq_id = "0x" + net::random_hex(32);
  r.nonce = static_cast<uint64_t>(wall_now_ns() / 1'000'000);
  r.base_token = chain_ ? chain_->token("WETH") : addr(kWETH);
  r.quote_token = chain_ ? chain_->token("USDT") : addr(kUSDT);
  r.trader = r.effective_trader = chain_ ? chain_->taker(0) : addr(kDemoTrader);
  if (chain_) r.chain_id = chain_->chain_id();
  std::uniform_int_distribution<int> centi(5, 50);
  r.base_amount = std::to_string(centi(rng_)) + "0000000000000000";
  r.base_decimals = 18;
  r.quote_decimals = 6;
  q = hashflow_->rfq(r, 2000);
  if (q.ok()) return true;
  print_(fmt::format("[hashflow] no rfqTQuote: {}", q.received ? q.problem : "declined (see the log)"));
  return false;
}

void ProtocolDemo::hashflow_round() {
  if (chain_) return hashflow_chain_round();
  standins::HashflowRfq r;
  standins::HashflowQuoteCheck q;
  if (!ask_hashflow(r, q)) return;
  print_(fmt::format("[hashflow] rfqTQuote {}… {} WETH for {} USDT, EIP-191 signature checked",
                     r.rfq_id.substr(0, 12), units(q.base_amount, 18), units(q.quote_amount, 6)));
  bool acked = hashflow_->trade("0x" + net::random_hex(32), r.rfq_id, q.base_amount, q.quote_amount,
                                true, 3000);
  print_(
      fmt::format("[hashflow] trade {}", acked ? "acknowledged (tradeAck)" : "NOT acknowledged"));
}

void ProtocolDemo::bebop_round() {
  standins::BebopAsk a;
  a.quote_id = "121-demo" + net::random_hex(4);
  bool sell = (round_ / 3) % 2 == 0;
  eth::Address wbtc = chain_ ? chain_->token("WBTC") : addr(kWBTC);
  eth::Address usdt = chain_ ? chain_->token("USDT") : addr(kUSDT);
  a.taker_token = sell ? wbtc : usdt;
  a.maker_token = sell ? usdt : wbtc;
  a.taker_address = chain_ ? chain_->taker(0) : addr(kDemoTrader);
  a.chain_id = config_.takers.chain_id;
  std::uniform_int_distribution<int> n(1, 10);
  a.taker_amount = sell ? std::to_string(n(rng_) * 100'000) : std::to_string(n(rng_) * 50'000'000);
  a.taker_decimals = sell ? 8 : 6;
  a.maker_decimals = sell ? 6 : 8;
  a.expiry = static_cast<uint64_t>(now_s() + 60);
  auto ans = bebop_->quote(a, 2000);
  if (!ans.ok()) {
    print_(fmt::format("[bebop]    no quote: {} {}", ans.error_type,
                       ans.received ? ans.error_message + ans.problem : "no answer"));
    return;
  }
  print_(fmt::format(
      "[bebop]    SingleOrder {}: taker pays {} {}, gets {} {}; signature recovers to the maker",
      a.quote_id, units(ans.taker_amount, a.taker_decimals), sell ? "WBTC" : "USDT",
      units(ans.maker_amount, a.maker_decimals), sell ? "USDT" : "WBTC"));
  bebop_->trade(a.quote_id, "SETTLED", ans.taker_amount, ans.maker_amount);
  print_(chain_ ? "[bebop]    trade SETTLED (reported by the stand-in's trade stream: Bebop's "
                  "settlement is not deployed here; the wallet's hold ends at the next read)"
                : "[bebop]    trade SETTLED on chain (reported by the stand-in)");
}

// A 0x RFQ-T order (no last look): the taker fills it on the Exchange Proxy itself, and only
// the chain tells the maker. Alternately the taker sells and buys WBTC.
void ProtocolDemo::zeroex_chain_round() {
  standins::ZeroExTaker taker({zeroex_port_, zeroex_key_, maker_, chain_->chain_id(),
                               chain_->exchange_proxy(), 120});
  bool sells = (round_ / 3) % 2 == 0;
  std::uniform_int_distribution<int> sats(100, 1000);  // 0.001 - 0.01 WBTC
  std::string amount = std::to_string(sats(rng_) * 10'000);
  auto wbtc = chain_->token("WBTC"), usdt = chain_->token("USDT");
  standins::ZeroExAsk ask{sells ? wbtc : usdt,
                          sells ? usdt : wbtc,
                          sells ? std::optional<std::string>(amount) : std::nullopt,
                          sells ? std::nullopt : std::optional<std::string>(amount),
                          eth::Address{},
                          chain_->taker(0),
                          false,
                          "0"};
  auto q = taker.firm(ask, now_s());
  if (!q.ok()) {
    print_(fmt::format("[0x]       no quote: {} {}", q.status,
                       q.decline_reason.empty() ? q.rejected_because : q.decline_reason));
    return;
  }
  std::string quote_id = eth::to_hex0x(q.order_hash);
  print_(fmt::format("[0x]       RfqOrder {}… (RFQ-T): taker {} {} WBTC for {} USDT; a fill only "
                     "once the chain shows it",
                     quote_id.substr(0, 12), sells ? "sells" : "buys",
                     units(sells ? q.order->taker_amount.to_decimal()
                                 : q.order->maker_amount.to_decimal(),
                           8),
                     units(sells ? q.order->maker_amount.to_decimal()
                                 : q.order->taker_amount.to_decimal(),
                           6)));
  auto tx = chain_->take_zeroex(q.body, 0);
  if (!tx.ok) {
    print_(fmt::format("[chain]    fillRfqOrder not mined: {}", tx.error));
    return;
  }
  print_(fmt::format("[chain]    taker {} sent fillRfqOrder: tx {}… mined in block {}, "
                     "{} RfqOrderFilled event (gas {})",
                     chain_->taker(0).to_checksum().substr(0, 10), tx.tx_hash.substr(0, 14),
                     tx.block, tx.events, tx.gas));
  follow_settlement("[0x]      ", quote_id);
}

// A Hashflow rfqTQuote: Hashflow reports the trade (a promise, pending), the trader's
// tradeRFQT through the router settles it, the pool's Trade event proves it.
void ProtocolDemo::hashflow_chain_round() {
  standins::HashflowRfq r;
  standins::HashflowQuoteCheck q;
  if (!ask_hashflow(r, q)) return;
  print_(fmt::format("[hashflow] rfqTQuote {}… {} WETH for {} USDT, paid from the maker's wallet "
                     "through the pool",
                     r.rfq_id.substr(0, 12), units(q.base_amount, 18),
                     units(q.quote_amount, 6)));
  bool acked = hashflow_->trade("0x" + net::random_hex(32), r.rfq_id, q.base_amount,
                                q.quote_amount, true, 3000);
  print_(fmt::format("[hashflow] trade message {}: recorded, pending until the pool's Trade event",
                     acked ? "acknowledged" : "NOT acknowledged"));
  auto tx = chain_->take_hashflow(q.raw, 0, r.nonce);
  if (!tx.ok) {
    print_(fmt::format("[chain]    tradeRFQT not mined: {} (the fill unwinds after expiry)",
                       tx.error));
    return;
  }
  print_(fmt::format("[chain]    trader sent HashflowRouter.tradeRFQT: tx {}… mined in block {}, "
                     "{} Trade event from the pool (gas {})",
                     tx.tx_hash.substr(0, 14), tx.block, tx.events, tx.gas));
  follow_settlement("[hashflow]", r.rfq_id);
}

// The watcher's work, as the record shows it: the event seen, then the fill confirmed.
void ProtocolDemo::follow_settlement(const std::string& tag, const std::string& quote_id) {
  auto seen = chain_->wait_fill(db_url_, quote_id, "seen", std::chrono::seconds(10));
  if (!seen) {
    print_(fmt::format("{} the event has not been matched to a fill within 10 s (see the log)",
                       tag));
    return;
  }
  print_(fmt::format("{} event matched: fill {} settled on-chain (block {}); hedged at once", tag,
                     seen->fill_id, seen->block));
  auto confirmed = chain_->wait_fill(db_url_, quote_id, "confirmed", std::chrono::seconds(15));
  if (confirmed)
    print_(fmt::format("{} fill {} confirmed: {} blocks deep", tag, confirmed->fill_id, 2));
  else
    print_(fmt::format("{} fill {} not confirmed within 15 s", tag, seen->fill_id));
}

}  // namespace aq::app
