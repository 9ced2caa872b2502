#include "aqueduct/standins/ws_listener.hpp"

#include <boost/beast/http.hpp>

namespace aq::standins {

namespace http = boost::beast::http;

WsListener::WsListener(boost::asio::io_context& io, Route route, OnOpen on_open, OnFrame on_frame,
                       OnReject on_reject)
    : http_(io, net::HttpServerOptions{}, [](const net::HttpRequest&, net::HttpServer::Respond r) {
        r(net::json_response(http::status::not_found, R"({"error":"websocket only"})"));
      }) {
  http_.on_upgrade(
      [route = std::move(route), on_open = std::move(on_open), on_frame = std::move(on_frame),
       on_reject = std::move(on_reject)](boost::beast::tcp_stream stream, net::HttpRequest req) {
        std::string endpoint = route(req);
        if (endpoint.empty()) {
          on_reject();
          http::response<http::string_body> res{http::status::unauthorized, 11};
          res.body() = "unauthorized";
          res.prepare_payload();
          boost::beast::error_code ec;
          http::write(stream, res, ec);
          return;
        }
        auto s = std::make_shared<net::WsSession>(std::move(stream));
        s->accept(
            std::move(req),
            [s, endpoint, on_open](bool ok) {
              if (ok) on_open(endpoint, s);
            },
            [endpoint, on_frame](const std::shared_ptr<net::WsSession>& session,
                                 std::string_view f) { on_frame(endpoint, session, f); });
      });
  http_.start();
}

}  // namespace aq::standins
