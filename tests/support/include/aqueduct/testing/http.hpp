#pragma once
// A blocking HTTP/1.1 client for tests, over a real loopback socket.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aq::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers)
      if (k == name) return v;
    return {};
  }
};

Reply http_call(uint16_t port, const std::string& method, const std::string& target,
                const std::string& body = "",
                const std::vector<std::pair<std::string, std::string>>& headers = {});

struct Call {
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;
};
// Each call on its own connection, all connected first and then written back to back before
// any answer is read: the server has them all in hand at once (races between requests).
std::vector<Reply> http_calls_at_once(uint16_t port, const std::vector<Call>& calls);

}  // namespace aq::testing
