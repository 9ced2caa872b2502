#include "aqueduct/rfq/chain/eth_rpc.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "aqueduct/chain/rpc_codec.hpp"
#include "aqueduct/net/tls.hpp"

namespace aq::rfq::chain {
namespace json = boost::json;

std::string NodeEndpoint::text() const {
  std::string scheme = websocket ? (tls ? "wss" : "ws") : (tls ? "https" : "http");
  return scheme + "://" + host + ":" + std::to_string(port) + target;
}

std::optional<NodeEndpoint> parse_node_url(std::string_view url, std::string& why) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) {
    why = "the node URL is not an absolute URL (e.g. http://127.0.0.1:8545)";
    return std::nullopt;
  }
  NodeEndpoint e;
  std::string scheme(u->scheme());
  if (scheme == "http" || scheme == "https") {
    e.tls = scheme == "https";
  } else if (scheme == "ws" || scheme == "wss") {
    e.tls = scheme == "wss";
    e.websocket = true;
  } else {
    why = "the node URL's scheme must be http, https, ws or wss; got '" + scheme + "'";
    return std::nullopt;
  }
  e.host = std::string(u->host_address());
  if (e.host.empty()) {
    why = "the node URL has no host";
    return std::nullopt;
  }
  if (u->has_port()) {
    if (u->port_number() == 0) {
      why = "the node URL's port must be 1 to 65535";
      return std::nullopt;
    }
    e.port = u->port_number();
  } else {
    e.port = e.tls ? 443 : 80;
  }
  e.target = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  // Hosted nodes carry their API key in the path or query: kept in the target, never in text().
  if (u->has_query()) e.target += "?" + std::string(u->encoded_query());
  return e;
}

EthRpc::EthRpc(boost::asio::io_context& io, NodeEndpoint endpoint,
               std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)),
      http_(io, endpoint_.host, endpoint_.port, timeout,
            net::make_client_tls(net::TlsOptions{endpoint_.tls, {}, {}})) {}

void EthRpc::call(std::string_view method, json::array params, Callback cb) {
  uint64_t id = next_id_++;
  std::string m(method);
  http_.request(
      boost::beast::http::verb::post, endpoint_.target, aq::chain::rpc_request(id, method, params),
      {{"Content-Type", "application/json"}}, [id, m, cb = std::move(cb)](net::HttpResult r) {
        if (r.error)
          return cb(std::nullopt, m + ": the node did not answer (" + r.error.message() + ")");
        if (r.status != 200)
          return cb(std::nullopt, m + ": the node answered HTTP " + std::to_string(r.status));
        std::string why;
        auto v = aq::chain::rpc_result(r.body, id, why);
        if (!v) return cb(std::nullopt, m + ": " + why);
        cb(std::move(v), {});
      });
}

}  // namespace aq::rfq::chain
