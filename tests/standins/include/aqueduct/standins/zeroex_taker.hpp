#pragma once
// A stand-in for 0x's side of RFQ-T/RFQ-M (what 0x-api's quote requestor does to a maker):
// calls GET /price, GET /quote and POST /submit with 0x's query parameters and headers, and
// keeps a firm order only if it passes the checks 0x applies before using it — schema, tokens,
// taker and txOrigin echoed, expiry at least the buffer ahead, a 65-byte-worth signature with
// fixed-width r/s, v 27/28, type EIP712, recovering to the maker. Blocking calls: a taker is
// another party, run it on its own thread.
#include <optional>
#include <string>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/rfq/zeroex/orders.hpp"
#include "aqueduct/testing/http.hpp"

namespace aq::standins {

struct ZeroExTakerConfig {
  uint16_t port = 0;
  std::string api_key;
  eth::Address maker;  // the address signatures must recover to
  uint64_t chain_id = 1;
  eth::Address exchange_proxy;
  int64_t expiry_buffer_s = 120;  // asset-swapper's default
};

struct ZeroExAsk {
  eth::Address sell_token, buy_token;
  std::optional<std::string> sell_amount, buy_amount;  // base units
  eth::Address taker;                                  // 0x sends zero for v4 RFQ-T
  eth::Address tx_origin;
  bool last_look = false;
  std::string fee_amount = "0";
};

struct ZeroExQuote {
  int status = 0;
  std::string decline_reason;    // from a 204
  std::string rejected_because;  // set if 0x's checks would filter the order out
  std::string body;
  std::optional<rfq::zeroex::RfqOrder> order;
  eth::Hash32 order_hash{};
  bool ok() const { return status == 200 && rejected_because.empty() && order.has_value(); }
};

class ZeroExTaker {
 public:
  explicit ZeroExTaker(ZeroExTakerConfig c) : c_(std::move(c)) {}
  std::string query(const ZeroExAsk& a) const;
  testing::Reply indicative(const ZeroExAsk& a) const;
  ZeroExQuote firm(const ZeroExAsk& a, int64_t now_s) const;
  // POST /submit for `fill` of the order's takerAmount; returns the reply (proceedWithFill).
  testing::Reply submit(const ZeroExQuote& q, const std::string& fill,
                        const std::string& fee_token) const;
  // The same request, to be sent by the caller (several at once, say).
  testing::Call submit_call(const ZeroExQuote& q, const std::string& fill,
                            const std::string& fee_token) const;

 private:
  ZeroExTakerConfig c_;
};

}  // namespace aq::standins
