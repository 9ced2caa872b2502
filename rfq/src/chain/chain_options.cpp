#include "aqueduct/rfq/chain/chain_options.hpp"

#include <cstdlib>
#include <stdexcept>

namespace aq::rfq::chain {

NodeEndpoint http_endpoint(const ChainOptions& options) {
  const char* url = options.rpc_url_env.empty() ? nullptr : std::getenv(options.rpc_url_env.c_str());
  if (!url || !*url)
    throw std::invalid_argument("chain " + options.name + ": " + options.rpc_url_env +
                                " (the node's http URL) is not set");
  std::string why;
  auto http = parse_node_url(url, why);
  if (!http || http->websocket)
    throw std::invalid_argument("chain " + options.name + ": " + options.rpc_url_env + ": " +
                                (http ? "must be an http(s) URL" : why));
  return *http;
}

}  // namespace aq::rfq::chain
