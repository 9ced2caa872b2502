#include "aqueduct/pricer/pricer_service.hpp"

#include <spdlog/spdlog.h>

#include "aqueduct/types/convert.hpp"

namespace aq::pricer {

namespace msg = aqueduct::msg;

PricerService::PricerService(boost::asio::io_context& io, zmq::context_t& zmq,
                             const bus::Endpoints& endpoints, const Universe& universe,
                             PricingLimits limits, Clock clock)
    : universe_(universe),
      limits_(limits),
      clock_(std::move(clock)),
      market_(io, zmq, [this](std::string_view t, const bus::Envelope& e) { on_market(t, e); }),
      rpc_(io, zmq, endpoints.pricer_rpc, "pricer",
           [this](const bus::Envelope& r, bus::RpcServer::Reply reply) {
             on_request(r, std::move(reply));
           }) {
  for (const auto& inst : universe_.instruments) books_.emplace(inst.key(), VenueBook(inst));
  market_.connect(endpoints.connectors_pub);
  market_.subscribe("md.");
}

void PricerService::start() {
  market_.start();
  rpc_.start();
}

const VenueBook* PricerService::find(const std::string& key) const {
  auto it = books_.find(key);
  return it == books_.end() ? nullptr : &it->second;
}

VenueBook* PricerService::book_for(const std::string& venue, const std::string& symbol) {
  auto it = books_.find(venue + ":" + symbol);
  return it == books_.end() ? nullptr : &it->second;
}

void PricerService::on_market(std::string_view, const bus::Envelope& env) {
  int64_t now = clock_();
  switch (env.body_case()) {
    case bus::Envelope::kBookSnapshot: {
      const auto& s = env.book_snapshot();
      if (auto* b = book_for(s.venue(), s.symbol()); b && !b->apply(s, now))
        spdlog::warn("pricer: {}:{} snapshot refused: {}", s.venue(), s.symbol(), b->reason());
      break;
    }
    case bus::Envelope::kBookDelta: {
      const auto& d = env.book_delta();
      auto* b = book_for(d.venue(), d.symbol());
      if (b && b->usable() && !b->apply(d, now))
        spdlog::warn("pricer: {}:{} book unusable until the next snapshot: {}", d.venue(),
                     d.symbol(), b->reason());
      break;
    }
    case bus::Envelope::kVenueStatus: {
      const auto& s = env.venue_status();
      if (auto* b = book_for(s.venue(), s.symbol())) b->set_state(s.state(), s.reason());
      break;
    }
    default:
      break;
  }
}

void PricerService::on_request(const bus::Envelope& req, bus::RpcServer::Reply reply) {
  bus::Envelope env;
  auto* resp = env.mutable_quote_response();
  auto refuse = [&](msg::RefusalReason r, std::string detail) {
    resp->mutable_refusal()->set_reason(r);
    resp->mutable_refusal()->set_detail(std::move(detail));
    reply(env);
  };
  if (req.body_case() != bus::Envelope::kQuoteRequest)
    return refuse(msg::REFUSAL_BAD_REQUEST, "pricer accepts QuoteRequest only");
  const auto& q = req.quote_request();
  resp->set_request_id(q.request_id());
  const Listing* listing = universe_.listing(q.listing());
  if (!listing) return refuse(msg::REFUSAL_UNKNOWN_LISTING, "unknown listing '" + q.listing() + "'");
  Side side;
  if (!from_proto(q.side(), side)) return refuse(msg::REFUSAL_BAD_REQUEST, "side must be buy or sell");
  int64_t qty;
  try {
    qty = units_at(q.qty(), listing->qty_scale);
  } catch (const DecimalError&) {
    return refuse(msg::REFUSAL_BAD_REQUEST,
                  "size has more than " + std::to_string(listing->qty_scale) + " decimals");
  }
  auto r = firm_price(*listing, universe_, *this, side, qty, clock_(), limits_);
  if (!r.ok()) return refuse(r.refusal.reason, r.refusal.detail);
  auto* fq = resp->mutable_quote();
  fq->set_client_id(q.client_id());
  fq->set_listing(listing->name);
  fq->set_side(q.side());
  to_proto(Decimal{r.price->price, listing->price_scale}, fq->mutable_price());
  to_proto(Decimal{qty, listing->qty_scale}, fq->mutable_qty());
  auto* b = fq->mutable_breakdown();
  to_proto(r.price->hedge_vwap, b->mutable_hedge_vwap());
  to_proto(r.price->fee_per_unit, b->mutable_fee());
  to_proto(r.price->spread_per_unit, b->mutable_spread());
  b->set_hedge_venue(r.price->venue_key);
  b->set_book_age_ms(r.price->book_age_ms);
  reply(env);
}

}  // namespace aq::pricer
