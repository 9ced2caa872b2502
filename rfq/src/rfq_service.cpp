#include "aqueduct/rfq/rfq_service.hpp"

#include "aqueduct/net/url.hpp"

namespace aq::rfq {

namespace http = boost::beast::http;

RfqService::RfqService(boost::asio::io_context& io, zmq::context_t& zmq,
                       const bus::Endpoints& endpoints, const Universe& universe,
                       std::unique_ptr<RfqStore> store, RfqOptions options, Clock clock)
    : desk_(io, zmq, endpoints, universe, std::move(store), std::move(options.desk),
            std::move(clock)),
      native_(desk_),
      http_(io, options.http, [this](const net::HttpRequest& r, net::HttpServer::Respond cb) {
        handle(r, std::move(cb));
      }) {}

RfqService::~RfqService() = default;

void RfqService::start() {
  desk_.start();
  http_.start();
}

void RfqService::stop() {
  http_.stop();
  desk_.stop();
}

void RfqService::handle(const net::HttpRequest& req, net::HttpServer::Respond respond) {
  if (native_.handle(req, respond)) return;
  auto t = net::split_target(req.target());
  respond(error_response(
      http::status::not_found, "not_found",
      "no endpoint " + std::string(t.path) + "; see /v1/price, /v1/levels, /v1/quote, /v1/accept"));
}

}  // namespace aq::rfq
