#pragma once
// BitMEX REST order entry as a pure OrderProtocol (venues.md §6.7): a signed `POST /api/v1/order` limit IOC whose answer is the order row itself (an IOC is final when answered), `GET /api/v1/order` filtered by clOrdID to reconcile, `GET /api/v1/execution/tradeHistory` for the trades.
#include "aqueduct/connectors/order_protocol.hpp"

namespace aq::bitmex {

class OrderProtocol : public connectors::OrderProtocol {
 public:
  explicit OrderProtocol(connectors::VenueCredentials creds) : creds_(std::move(creds)) {}
  const char* venue_kind() const override { return "bitmex"; }
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
  // GET /api/v1/funding (public), oldest first, up to kFundingPage a page.
  std::optional<connectors::RestRequest> funding_history(const Instrument& inst, int64_t from_ms,
                                                         int64_t to_ms) const override;
  std::optional<connectors::FundingHistoryPage> read_funding_history(
      const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const override;
  static constexpr int kFundingPage = 500;

 private:
  connectors::RestRequest signed_request(boost::beast::http::verb verb, std::string target, std::string body,
                                         int64_t now_ms, std::vector<int64_t> cost) const;
  connectors::VenueCredentials creds_;
};

}  // namespace aq::bitmex
