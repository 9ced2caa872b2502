#pragma once
// A node's JSON-RPC over HTTP, on one event loop: each call has an id, a deadline (the HTTP
// client's), and one answer — the result, or why there is none (transport, HTTP status, the
// node's error object, a malformed or oversized answer, another id).
#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aqueduct/net/http_client.hpp"

namespace aq::rfq::chain {

// A node's address: http(s):// for calls, ws(s):// for subscriptions.
struct NodeEndpoint {
  bool tls = false;
  bool websocket = false;
  std::string host;
  uint16_t port = 0;
  std::string target = "/";
  std::string text() const;  // without any user info or query (never logged with secrets)
};
std::optional<NodeEndpoint> parse_node_url(std::string_view url, std::string& why);

class EthRpc {
 public:
  using Callback = std::function<void(std::optional<boost::json::value> result, std::string why)>;
  EthRpc(boost::asio::io_context& io, NodeEndpoint endpoint, std::chrono::milliseconds timeout);
  void call(std::string_view method, boost::json::array params, Callback cb);
  const NodeEndpoint& endpoint() const { return endpoint_; }
  uint64_t calls() const { return next_id_ - 1; }

 private:
  NodeEndpoint endpoint_;
  net::HttpClient http_;
  uint64_t next_id_ = 1;
};

}  // namespace aq::rfq::chain
