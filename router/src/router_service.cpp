#include "aqueduct/router/router_service.hpp"

#include <spdlog/spdlog.h>

namespace aq::router {

RouterService::RouterService(boost::asio::io_context& io, zmq::context_t& zmq,
                             const bus::Endpoints& endpoints, const Universe& universe,
                             std::unique_ptr<RouterStore> store,
                             std::map<std::string, VenueAccess> venues, Clock clock)
    : desk_(io, universe, std::move(store), std::move(venues), clock),
      rpc_(io, zmq, endpoints.router_rpc, "router",
           [this](const bus::Envelope& r, bus::RpcServer::Reply reply) {
             on_request(r, std::move(reply));
           }),
      pub_(zmq, endpoints.router_pub, "router") {}

void RouterService::start() {
  rpc_.start();
}

void RouterService::on_request(const bus::Envelope& req, bus::RpcServer::Reply reply) {
  if (!req.has_hedge_order()) {
    spdlog::warn("router: ignored a request that is not a HedgeOrder");
    return;
  }
  desk_.submit(req.hedge_order(),
               [this, reply = std::move(reply)](bus::Envelope& report, bool replay) {
                 reply(report);
                 if (!replay) pub_.publish(bus::topic::kExecution, report);
               });
}

void RouterService::submit_local(const aqueduct::msg::HedgeOrder& o,
                                 std::function<void(bus::Envelope&)> done) {
  desk_.submit(o, [this, done = std::move(done)](bus::Envelope& report, bool replay) {
    if (!replay) pub_.publish(bus::topic::kExecution, report);
    done(report);
  });
}

}  // namespace aq::router
