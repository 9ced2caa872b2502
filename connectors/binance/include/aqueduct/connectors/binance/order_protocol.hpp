#pragma once
// Binance REST order entry as a pure OrderProtocol, for spot (/api/v3, venues.md §1.7) and
// USDⓈ-M futures (/fapi/v1, §2.6). Both sign the query string with HMAC-SHA256 and place a
// LIMIT IOC with our client id as newClientOrderId:
// - spot answers with the final order and its fills (the default FULL response);
// - futures only acknowledges (ACK, status NEW), so the order is queried, and its trades come
//   from userTrades.
// The order is found again by origClientOrderId; -2013 "Order does not exist" means it never
// reached the book. A cancel refused with -2011 ("Unknown order sent.") is what Binance says
// of an order that is already filled or expired, so the query decides.
// Each request carries its cost in the account's buckets (RateLimiter::binance_spot/usdm).
#include "aqueduct/connectors/order_protocol.hpp"

namespace aq::binance {

enum class Market { Spot, UsdmFutures };

class OrderProtocol : public connectors::OrderProtocol {
 public:
  OrderProtocol(Market market, connectors::VenueCredentials creds) : market_(market), creds_(std::move(creds)) {}
  const char* venue_kind() const override { return market_ == Market::Spot ? "binance_spot" : "binance_usdm"; }
  connectors::RestRequest place(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const override;
  connectors::Answer read_place(const connectors::RestAnswer& a, const Instrument& inst) const override;
  connectors::RestRequest query(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const override;
  connectors::Answer read_query(const connectors::RestAnswer& a, const Instrument& inst) const override;
  connectors::RestRequest cancel(const connectors::LimitOrder& o, const Instrument& inst, int64_t now_ms) const override;
  connectors::Answer read_cancel(const connectors::RestAnswer& a, const Instrument& inst) const override;
  std::optional<connectors::RestRequest> fills(const std::string& venue_order_id, const Instrument& inst,
                                               int64_t now_ms) const override;
  std::optional<std::vector<connectors::OrderFill>> read_fills(const connectors::RestAnswer& a,
                                                               const Instrument& inst) const override;
  std::optional<connectors::RestRequest> account(int64_t now_ms) const override;
  std::optional<connectors::MarginAccount> read_account(const connectors::RestAnswer& a,
                                                        std::string& why) const override;
  // USDⓈ-M: GET /fapi/v1/fundingRate (public), up to kFundingPage settlements a page.
  std::optional<connectors::RestRequest> funding_history(const Instrument& inst, int64_t from_ms,
                                                         int64_t to_ms) const override;
  std::optional<connectors::FundingHistoryPage> read_funding_history(
      const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const override;
  static constexpr int kFundingPage = 1000;

 private:
  connectors::RestRequest signed_request(boost::beast::http::verb verb, const std::string& path,
                                         const std::string& query, std::vector<int64_t> cost) const;
  std::string path(const char* what) const;
  Market market_;
  connectors::VenueCredentials creds_;
};

}  // namespace aq::binance
