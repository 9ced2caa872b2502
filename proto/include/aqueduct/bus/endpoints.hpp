#pragma once
// Where each component's sockets live. inproc:// when components share a process (the
// default), ipc:// or tcp:// when they are separate processes or hosts.
#include <array>
#include <string>
#include <utility>

namespace aq::bus {

struct Endpoints {
  std::string connectors_pub = "inproc://connectors.pub";  // market data, venue status
  std::string pricer_rpc = "inproc://pricer.rpc";          // quote requests (ROUTER)
  std::string rfq_pub = "inproc://rfq.pub";                // fills
  std::string hedging_pub = "inproc://hedging.pub";        // hedge orders, positions
  std::string hedging_rpc = "inproc://hedging.rpc";        // operator control: risk status, re-arm
  std::string router_rpc = "inproc://router.rpc";          // hedge orders in, reports back (ROUTER)
  std::string router_pub = "inproc://router.pub";          // execution reports, for observers

  // Every endpoint under one ipc directory, for running components as separate processes.
  static Endpoints ipc_in(const std::string& dir);

  // Every socket with its name in the config (bus.endpoints), for code that treats them alike.
  static constexpr size_t kCount = 7;
  template <class Self>
  static auto named(Self& s) {
    using Slot = std::pair<const char*, decltype(&s.connectors_pub)>;
    return std::array<Slot, kCount>{{{"connectors_pub", &s.connectors_pub},
                                     {"pricer_rpc", &s.pricer_rpc},
                                     {"rfq_pub", &s.rfq_pub},
                                     {"hedging_pub", &s.hedging_pub},
                                     {"hedging_rpc", &s.hedging_rpc},
                                     {"router_rpc", &s.router_rpc},
                                     {"router_pub", &s.router_pub}}};
  }
  auto named() { return named(*this); }
  auto named() const { return named(*this); }
  // The names, comma-separated, for errors that list what is allowed.
  static std::string names();
};

// Topic names; subscribers match by prefix.
namespace topic {
inline constexpr const char* kBookPrefix = "md.book.";     // + venue + "." + symbol
inline constexpr const char* kStatusPrefix = "md.status.";  // + venue
inline constexpr const char* kMarkPrefix = "md.mark.";        // + venue + "." + symbol
inline constexpr const char* kFundingPrefix = "md.funding.";  // + venue + "." + symbol
inline constexpr const char* kTopPrefix = "md.top.";          // + venue + "." + symbol
inline constexpr const char* kFill = "fill";
inline constexpr const char* kWallet = "wallet";  // rfq: the maker's on-chain holdings
inline constexpr const char* kHedgeOrder = "hedge.order";
inline constexpr const char* kPosition = "hedge.position";
inline constexpr const char* kRisk = "hedge.risk";
inline constexpr const char* kPnl = "hedge.pnl";
inline constexpr const char* kExecution = "exec.report";
inline constexpr const char* kAccountPrefix = "account.";  // + venue (the router's reads)
inline constexpr const char* kConfig = "config";
}  // namespace topic

}  // namespace aq::bus
