#include "aqueduct/rfq/rfq_service.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "aqueduct/net/url.hpp"
#include "aqueduct/record/database.hpp"

namespace aq::rfq {

namespace http = boost::beast::http;

namespace {

bool node_url_set(const chain::ChainOptions& c) {
  const char* v = c.rpc_url_env.empty() ? nullptr : std::getenv(c.rpc_url_env.c_str());
  return v && *v;
}

}  // namespace

std::string onchain_off_reason(const TakersConfig& t) {
  for (const auto& c : t.chains)
    if (c.chain_id == t.chain_id)
      return node_url_set(c) ? std::string()
                             : "no node for chain " + c.name + " (" + std::to_string(c.chain_id) +
                                   "): set " + c.rpc_url_env +
                                   " to its http(s) URL (and optionally " +
                                   (c.ws_url_env.empty() ? std::string("ws_url_env")
                                                         : c.ws_url_env) +
                                   " to its ws(s) URL)";
  return "chain " + std::to_string(t.chain_id) +
         " (takers.chain_id) is not in takers.chains: fills there could not be watched; add "
         "it with the environment variable of its node's URL";
}

RfqService::RfqService(boost::asio::io_context& io, zmq::context_t& zmq,
                       const bus::Endpoints& endpoints, const Universe& universe,
                       std::unique_ptr<RfqStore> store, RfqOptions options, Clock clock)
    : desk_(io, zmq, endpoints, universe, std::move(store), options.desk, std::move(clock)),
      native_(io, desk_, options.native),
      http_(io, options.http,
            [this](const net::HttpRequest& r, net::HttpServer::Respond cb) {
              handle(r, std::move(cb));
            }),
      tokens_(options.takers.tokens, universe) {
  http_.on_upgrade([this](boost::beast::tcp_stream stream, net::HttpRequest req) {
    native_.upgrade(std::move(stream), std::move(req));
  });
  auto& t = options.takers;
  if (t.signs() && !t.unwatched) {
    // On-chain protocols sign orders that settle in the maker's wallet: without the chain
    // they settle on (its node's URL), they are off rather than quoting blind.
    onchain_off_ = onchain_off_reason(t);
    if (!onchain_off_.empty()) {
      spdlog::warn("rfq: on-chain protocols (0x, Hashflow, Bebop) are off: {}", onchain_off_);
      t.zeroex.enabled = t.hashflow.enabled = t.bebop.enabled = false;
    }
  } else if (t.signs()) {
    spdlog::warn("rfq: takers.settlement is \"unwatched\": on-chain fills are taken on the "
                 "protocols' messages alone and recorded native; no chain is followed and no "
                 "wallet is checked (for stand-ins and tests, never with real funds)");
    t.chains.clear();
  }
  if (t.signs()) {
    // Fail at start, with the reason, rather than quote unsigned or with the wrong key.
    signer_ = std::make_unique<eth::Signer>(t.maker_key_file.empty()
                                                ? eth::MakerKey::from_env(t.maker_key_env.c_str())
                                                : eth::MakerKey::from_file(t.maker_key_file));
    spdlog::info("rfq: maker address {} on chain {}", signer_->address().to_checksum(), t.chain_id);
    signing_ = std::make_unique<SigningPool>(io, *signer_, t.signing_threads);
  }
  if (t.zeroex.enabled)
    zeroex_ = std::make_unique<zeroex::ZeroExGateway>(io, desk_, tokens_, *signing_, t.chain_id,
                                                      t.zeroex);
  if (t.hashflow.enabled)
    hashflow_ = std::make_unique<hashflow::HashflowMaker>(io, desk_, tokens_, *signer_, t.chain_id,
                                                          t.hashflow);
  if (t.bebop.enabled)
    bebop_ = std::make_unique<bebop::BebopMaker>(io, desk_, tokens_, *signer_, t.chain_id, t.bebop);
  for (const auto& c : t.chains) {
    if (!node_url_set(c)) {
      spdlog::warn("rfq: chain {} ({}) is not followed: {} (its node's http URL) is not set",
                   c.name, c.chain_id, c.rpc_url_env);
      continue;
    }
    aq::chain::SettlementContracts contracts;
    contracts.chain_id = c.chain_id;
    if (signer_) contracts.maker = signer_->address();
    if (c.chain_id == t.chain_id && zeroex_) contracts.exchange_proxy = t.zeroex.exchange_proxy;
    if (c.chain_id == t.chain_id && hashflow_) contracts.hashflow_pools = {t.hashflow.pool};
    watchers_.push_back(std::make_unique<chain::SettlementWatcher>(
        io, desk_, c, contracts,
        std::make_unique<chain::SettlementStore>(record::connect(options.desk.database_url)),
        [this] { return desk_.now(); }));
    if (c.chain_id == t.chain_id && zeroex_) zeroex_->settle_on(watchers_.back().get());
    if (c.chain_id == t.chain_id && hashflow_) hashflow_->settle_on(watchers_.back().get());
    if (c.chain_id == t.chain_id && signer_) {
      // The maker's wallet on the chain it signs for: every on-chain protocol pays from it.
      std::vector<aq::chain::TokenInfo> tokens;
      std::vector<std::pair<eth::Address, UInt256>> floors;
      for (const auto& tok : t.tokens) {
        tokens.push_back({tok.address, tok.symbol, tok.decimals});
        if (!tok.floor.is_zero()) floors.emplace_back(tok.address, tok.floor);
      }
      wallet_ = std::make_unique<chain::WalletWatcher>(io, c, std::move(tokens), std::move(floors),
                                                       [this] { return desk_.now(); });
      watchers_.back()->set_listener(wallet_.get());
      // Hedging counts the wallet beside the venues: every read goes out on the bus.
      wallet_->on_read([this](const chain::WalletWatcher& w) {
        bus::Envelope env;
        auto* m = env.mutable_wallet();
        m->set_chain_id(w.chain().chain_id);
        m->set_chain(w.chain().name);
        m->set_read_ns(w.book().read_ns());
        for (const auto& h : w.book().holdings()) {
          auto* x = m->add_holdings();
          x->set_holder(h.holder.to_checksum());
          x->set_token(h.token.address.to_checksum());
          x->set_symbol(h.token.symbol);
          x->set_balance(aq::chain::format_units(h.balance, h.token.decimals));
          x->set_reserved(aq::chain::format_units(h.reserved, h.token.decimals));
          x->set_below_floor(h.below_floor);
        }
        desk_.publish(bus::topic::kWallet, env);
      });
      if (zeroex_) zeroex_->pay_from(wallet_.get());
      if (hashflow_) hashflow_->pay_from(wallet_.get());
      if (bebop_) bebop_->pay_from(wallet_.get());
    }
  }
}

const chain::SettlementWatcher* RfqService::watcher(uint64_t chain_id) const {
  for (const auto& w : watchers_)
    if (w->options().chain_id == chain_id) return w.get();
  return nullptr;
}

RfqService::~RfqService() = default;

void RfqService::start() {
  desk_.start();
  http_.start();
  if (zeroex_) zeroex_->start();
  if (hashflow_) hashflow_->start();
  if (bebop_) bebop_->start();
  for (auto& w : watchers_) w->start();
  if (wallet_) wallet_->start();
}

void RfqService::stop() {
  if (wallet_) wallet_->stop();
  for (auto& w : watchers_) w->stop();
  if (bebop_) bebop_->stop();
  if (hashflow_) hashflow_->stop();
  if (zeroex_) zeroex_->stop();
  native_.stop();
  http_.stop();
  desk_.stop();
}

void RfqService::handle(const net::HttpRequest& req, net::HttpServer::Respond respond) {
  if (native_.handle(req, respond)) return;
  auto t = net::split_target(req.target());
  respond(error_response(
      http::status::not_found, "not_found",
      "no endpoint " + std::string(t.path) + "; see /v1/price, /v1/levels, /v1/quote, /v1/accept"));
}

}  // namespace aq::rfq
