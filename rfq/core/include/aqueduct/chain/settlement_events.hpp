#pragma once
// The events that prove a fill of ours settled, decoded from a log. Pure.
//   0x v4  RfqOrderFilled(bytes32 orderHash, address maker, address taker, address makerToken,
//          address takerToken, uint128 takerTokenFilledAmount, uint128 makerTokenFilledAmount,
//          bytes32 pool)                                      from the Exchange Proxy
//   0x v4  OtcOrderFilled(bytes32 orderHash, address maker, address taker, address makerToken,
//          address takerToken, uint128 makerTokenFilledAmount, uint128 takerTokenFilledAmount)
//          (note the amounts' order)                          from the Exchange Proxy
//   Hashflow v3 Trade(address trader, address effectiveTrader, bytes32 txid, address baseToken,
//          address quoteToken, uint256 baseTokenAmount, uint256 quoteTokenAmount)
//          (the trader gives base, the pool gives quote)      from the maker's pool
// None index a parameter, so logs are filtered by contract and topic0 and matched by the
// order hash (0x) or the quote's txid (Hashflow).
#include <optional>
#include <string>
#include <vector>

#include "aqueduct/chain/rpc_codec.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::chain {

enum class SettlementKind { ZeroExRfq, ZeroExOtc, HashflowTrade };
const char* to_string(SettlementKind k);

const eth::Hash32& rfq_order_filled_topic();
const eth::Hash32& otc_order_filled_topic();
const eth::Hash32& hashflow_trade_topic();

// A log's identity on its chain: events are applied once each by (chain, tx, log index).
struct LogId {
  uint64_t chain_id = 0;
  eth::Hash32 tx_hash{};
  uint64_t log_index = 0;
  friend bool operator==(const LogId&, const LogId&) = default;
  friend auto operator<=>(const LogId&, const LogId&) = default;
};

struct SettlementEvent {
  SettlementKind kind = SettlementKind::ZeroExRfq;
  LogId id;
  eth::Hash32 order_ref{};                // the 0x order hash, or the Hashflow quote's txid
  eth::Address maker;                     // 0x: the order's maker; Hashflow: the pool
  eth::Address taker;                     // 0x: the taker; Hashflow: the effective trader
  eth::Address maker_token, taker_token;  // what the maker gave, and received
  UInt256 maker_amount, taker_amount;
  uint64_t block_number = 0;
  eth::Hash32 block_hash{};
  bool removed = false;
};

// Where our fills settle on one chain: the contracts whose logs are read, and our maker.
struct SettlementContracts {
  uint64_t chain_id = 0;
  std::optional<eth::Address> exchange_proxy;  // 0x
  std::vector<eth::Address> hashflow_pools;    // ours
  eth::Address maker;                          // the wallet that signs 0x orders
  std::vector<eth::Address> addresses() const;
  std::vector<eth::Hash32> topics() const;
};

// The settlement event in `log`; nullopt with `why` when the log is not one of ours (another
// contract, another event, another maker) or does not have the event's layout.
std::optional<SettlementEvent> decode_settlement(const Log& log, const SettlementContracts& c,
                                                 std::string& why);

}  // namespace aq::chain
