#pragma once
// Bybit v5 REST order entry as a pure OrderProtocol (venues.md §4.6–4.7): a signed `POST /v5/order/create` limit IOC (acknowledged only), `GET /v5/order/realtime` by orderLinkId for the result, `GET /v5/execution/list` for the trades.
#include "aqueduct/connectors/order_protocol.hpp"

namespace aq::bybit {

class OrderProtocol : public connectors::OrderProtocol {
 public:
  explicit OrderProtocol(connectors::VenueCredentials creds) : creds_(std::move(creds)) {}
  const char* venue_kind() const override { return "bybit"; }
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
  // GET /v5/market/funding/history (public, newest first), up to kFundingPage a page.
  std::optional<connectors::RestRequest> funding_history(const Instrument& inst, int64_t from_ms,
                                                         int64_t to_ms) const override;
  std::optional<connectors::FundingHistoryPage> read_funding_history(
      const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const override;
  static constexpr int kFundingPage = 200;

 private:
  connectors::RestRequest signed_request(boost::beast::http::verb verb, std::string target, std::string body,
                                         int64_t now_ms, std::vector<int64_t> cost) const;
  connectors::VenueCredentials creds_;
};

}  // namespace aq::bybit
