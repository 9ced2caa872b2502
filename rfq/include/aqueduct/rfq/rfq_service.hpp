#pragma once
// The takers' side of the network: one QuoteDesk and the gateways of each protocol in front of
// it — the native HTTP API on the rfq port, and the aggregators' protocols when configured.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "aqueduct/bus/bus.hpp"
#include "aqueduct/net/http_server.hpp"
#include "aqueduct/rfq/native_gateway.hpp"
#include "aqueduct/rfq/quote_desk.hpp"
#include "aqueduct/rfq/rfq_store.hpp"
#include "aqueduct/rfq/signing_pool.hpp"
#include "aqueduct/rfq/takers_config.hpp"

namespace aq::rfq {

struct RfqOptions {
  net::HttpServerOptions http;
  DeskOptions desk;
  NativeOptions native;
  TakersConfig takers;
};

// Why the on-chain protocols cannot run watched (no chain for takers.chain_id, or its node's
// URL unset), or empty when they can.
std::string onchain_off_reason(const TakersConfig& t);

class RfqService {
 public:
  RfqService(boost::asio::io_context& io, zmq::context_t& zmq, const bus::Endpoints& endpoints,
             const Universe& universe, std::unique_ptr<RfqStore> store, RfqOptions options,
             Clock clock = wall_clock());
  ~RfqService();
  void start();
  void stop();
  uint16_t port() const { return http_.port(); }
  uint16_t zeroex_port() const { return zeroex_ ? zeroex_->port() : 0; }
  const hashflow::HashflowMaker* hashflow() const { return hashflow_.get(); }
  const bebop::BebopMaker* bebop() const { return bebop_.get(); }
  // The address our signatures recover to (zero when no protocol signs).
  eth::Address maker_address() const { return signer_ ? signer_->address() : eth::Address{}; }
  // Re-reads clients from the record (after an operator adds one).
  void reload_clients() { desk_.reload_clients(); }
  QuoteDesk& desk() { return desk_; }
  // The watcher of `chain_id`, if that chain is followed.
  const chain::SettlementWatcher* watcher(uint64_t chain_id) const;
  // The maker's wallet on the chain it signs for, when that chain is followed.
  const chain::WalletWatcher* wallet() const { return wallet_.get(); }
  // Why 0x, Hashflow and Bebop were turned off at start (empty: they run as configured).
  const std::string& onchain_off() const { return onchain_off_; }

 private:
  void handle(const net::HttpRequest& req, net::HttpServer::Respond respond);

  QuoteDesk desk_;
  NativeGateway native_;
  net::HttpServer http_;
  TokenRegistry tokens_;
  std::unique_ptr<eth::Signer> signer_;
  std::unique_ptr<SigningPool> signing_;
  std::unique_ptr<zeroex::ZeroExGateway> zeroex_;
  std::unique_ptr<hashflow::HashflowMaker> hashflow_;
  std::unique_ptr<bebop::BebopMaker> bebop_;
  std::vector<std::unique_ptr<chain::SettlementWatcher>> watchers_;
  std::unique_ptr<chain::WalletWatcher> wallet_;  // on the chain the maker signs for
  std::string onchain_off_;
};

}  // namespace aq::rfq
