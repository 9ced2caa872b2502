#include "aqueduct/chain/settlement_events.hpp"

#include <algorithm>

#include "aqueduct/chain/abi.hpp"

namespace aq::chain {
namespace {

bool contains(const std::vector<eth::Address>& v, const eth::Address& a) {
  return std::find(v.begin(), v.end(), a) != v.end();
}

// The static words of the log's data, each decoded or the whole event refused.
struct Reader {
  AbiWords w;
  std::string& why;
  bool ok = true;
  eth::Hash32 b32(size_t i) { return take(w.bytes32(i), i, "a bytes32"); }
  eth::Address addr(size_t i) { return take(w.address(i), i, "an address"); }
  UInt256 u128(size_t i) { return take(w.uint128(i), i, "a uint128"); }
  UInt256 u256(size_t i) { return take(w.uint256(i), i, "a uint256"); }
  template <class T>
  T take(std::optional<T> v, size_t i, const char* type) {
    if (!v && ok) {
      ok = false;
      why = "word " + std::to_string(i) + " of the event's data is not " + type;
    }
    return v.value_or(T{});
  }
};

}  // namespace

const char* to_string(SettlementKind k) {
  switch (k) {
    case SettlementKind::ZeroExRfq:
      return "0x RfqOrderFilled";
    case SettlementKind::ZeroExOtc:
      return "0x OtcOrderFilled";
    case SettlementKind::HashflowTrade:
      return "Hashflow Trade";
  }
  return "?";
}

const eth::Hash32& rfq_order_filled_topic() {
  static const eth::Hash32 h = signature_hash(
      "RfqOrderFilled(bytes32,address,address,address,address,uint128,uint128,bytes32)");
  return h;
}
const eth::Hash32& otc_order_filled_topic() {
  static const eth::Hash32 h =
      signature_hash("OtcOrderFilled(bytes32,address,address,address,address,uint128,uint128)");
  return h;
}
const eth::Hash32& hashflow_trade_topic() {
  static const eth::Hash32 h =
      signature_hash("Trade(address,address,bytes32,address,address,uint256,uint256)");
  return h;
}

std::vector<eth::Address> SettlementContracts::addresses() const {
  std::vector<eth::Address> out = hashflow_pools;
  if (exchange_proxy) out.insert(out.begin(), *exchange_proxy);
  return out;
}

std::vector<eth::Hash32> SettlementContracts::topics() const {
  std::vector<eth::Hash32> out;
  if (exchange_proxy) {
    out.push_back(rfq_order_filled_topic());
    out.push_back(otc_order_filled_topic());
  }
  if (!hashflow_pools.empty()) out.push_back(hashflow_trade_topic());
  return out;
}

std::optional<SettlementEvent> decode_settlement(const Log& log, const SettlementContracts& c,
                                                 std::string& why) {
  if (log.topics.size() != 1) {
    why =
        "a settlement event has exactly one topic (none of its parameters is indexed); this "
        "log has " +
        std::to_string(log.topics.size());
    return std::nullopt;
  }
  const eth::Hash32& topic = log.topics[0];
  SettlementEvent e;
  e.id = {c.chain_id, log.tx_hash, log.log_index};
  e.block_number = log.block_number;
  e.block_hash = log.block_hash;
  e.removed = log.removed;
  Reader r{AbiWords(log.data), why};
  bool zero_ex = c.exchange_proxy && log.address == *c.exchange_proxy;
  if (zero_ex && (topic == rfq_order_filled_topic() || topic == otc_order_filled_topic())) {
    bool rfq = topic == rfq_order_filled_topic();
    e.kind = rfq ? SettlementKind::ZeroExRfq : SettlementKind::ZeroExOtc;
    if (!r.w.has_exactly(rfq ? 8 : 7)) {
      why = std::string(to_string(e.kind)) + " carries " + (rfq ? "8" : "7") +
            " words of data; this log has " + std::to_string(log.data.size()) + " bytes";
      return std::nullopt;
    }
    e.order_ref = r.b32(0);
    e.maker = r.addr(1);
    e.taker = r.addr(2);
    e.maker_token = r.addr(3);
    e.taker_token = r.addr(4);
    // RfqOrderFilled lists the taker's amount first, OtcOrderFilled the maker's.
    e.taker_amount = r.u128(rfq ? 5 : 6);
    e.maker_amount = r.u128(rfq ? 6 : 5);
    if (!r.ok) return std::nullopt;
    if (e.maker != c.maker) {
      why = "a 0x fill of another maker (" + e.maker.to_hex() + ")";
      return std::nullopt;
    }
    return e;
  }
  if (contains(c.hashflow_pools, log.address) && topic == hashflow_trade_topic()) {
    e.kind = SettlementKind::HashflowTrade;
    if (!r.w.has_exactly(7)) {
      why = "a Hashflow Trade carries 7 words of data; this log has " +
            std::to_string(log.data.size()) + " bytes";
      return std::nullopt;
    }
    r.addr(0);  // the trader (the router's caller); the effective trader is the taker
    e.taker = r.addr(1);
    e.order_ref = r.b32(2);
    e.taker_token = r.addr(3);  // base: what the trader gives
    e.maker_token = r.addr(4);  // quote: what the pool gives
    e.taker_amount = r.u256(5);
    e.maker_amount = r.u256(6);
    e.maker = log.address;
    if (!r.ok) return std::nullopt;
    return e;
  }
  if (!zero_ex && !contains(c.hashflow_pools, log.address)) {
    why = "a log from " + log.address.to_hex() + ", which is no settlement contract of ours";
    return std::nullopt;
  }
  why = "a log of another event (topic " + eth::to_hex0x(topic) + ") from " + log.address.to_hex();
  return std::nullopt;
}

}  // namespace aq::chain
