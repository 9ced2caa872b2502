#pragma once
// The native API's WebSocket (GET /v1/ws, signed like any request). Text frames of JSON:
//   → {"op":"subscribe","listing":"BTC-USDT"}      ← {"type":"subscribed",...} then "levels"
//   → {"op":"unsubscribe","listing":"BTC-USDT"}    ← {"type":"unsubscribed",...}
//   → {"op":"quote","id":ID,"listing","side","qty"} ← {"type":"quote","id":ID,...} (as POST
//   /v1/quote) → {"op":"accept","id":ID,"quote_id",...}        ← {"type":"fill","id":ID,...} (as
//   POST /v1/accept) → {"op":"ping","id":ID}                         ← {"type":"pong","id":ID} ←
//   {"type":"error","id":ID?,"error":code,"message":...}
// Level frames ({"type":"levels","seq":n, ...the /v1/levels body}) go out when the client's
// ladder changes, at most once per stream interval, and unchanged every heartbeat; when the
// pricer refuses a listing the stream says so at once ({"type":"levels_unavailable",...}) so a
// client never trades on a ladder we have withdrawn. Every op counts against the client's rate
// limit; a client deactivated by an operator is disconnected.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "aqueduct/net/http_server.hpp"
#include "aqueduct/net/ws_session.hpp"

namespace aq::rfq {

class NativeGateway;

class NativeStream {
 public:
  NativeStream(boost::asio::io_context& io, NativeGateway& gateway);
  ~NativeStream();
  void open(boost::beast::tcp_stream stream, net::HttpRequest req, std::string client_id);
  void stop();
  size_t connections() const { return conns_.size(); }

 private:
  struct Subscription {
    std::string last_levels;  // the ladder last sent, without its timestamps
    int64_t last_sent_ns = 0;
    bool in_flight = false;
    bool unavailable = false;
  };
  struct Conn {
    std::shared_ptr<net::WsSession> ws;
    std::string client_id;
    std::map<std::string, Subscription> subs;  // by listing
    uint64_t seq = 0;
  };
  void on_frame(uint64_t conn_id, std::string_view text);
  void tick();
  void refresh(uint64_t conn_id, const std::string& listing);
  void send(Conn& c, boost::json::object frame);

  boost::asio::io_context& io_;
  NativeGateway& gateway_;
  std::map<uint64_t, Conn> conns_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::rfq
