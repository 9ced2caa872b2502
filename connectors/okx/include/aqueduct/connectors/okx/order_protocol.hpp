#pragma once
// OKX v5 REST order entry as a pure OrderProtocol (venues.md §3.7–3.8): a signed
// `POST /api/v5/trade/order` limit IOC (tdMode cash for spot, cross for SWAP), which OKX only
// acknowledges; `GET /api/v5/trade/order` by clOrdId for the result; `GET /api/v5/trade/fills`
// for the trades. clOrdId must be at most 32 alphanumerics, so ours ("h_5f3a…") are written
// without other characters — the same mapping for placing and for finding the order again.
#include "aqueduct/connectors/order_protocol.hpp"

namespace aq::okx {

class OrderProtocol : public connectors::OrderProtocol {
 public:
  explicit OrderProtocol(connectors::VenueCredentials creds) : creds_(std::move(creds)) {}
  const char* venue_kind() const override { return "okx"; }
  std::string venue_client_id(const std::string& id) const override;
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
  // GET /api/v5/public/funding-rate-history (public, newest first), up to kFundingPage.
  std::optional<connectors::RestRequest> funding_history(const Instrument& inst, int64_t from_ms,
                                                         int64_t to_ms) const override;
  std::optional<connectors::FundingHistoryPage> read_funding_history(
      const connectors::RestAnswer& a, const Instrument& inst, std::string& why) const override;
  static constexpr int kFundingPage = 100;

 private:
  connectors::RestRequest signed_request(boost::beast::http::verb verb, std::string target, std::string body,
                                         int64_t now_ms, std::vector<int64_t> cost) const;
  connectors::VenueCredentials creds_;
};

}  // namespace aq::okx
