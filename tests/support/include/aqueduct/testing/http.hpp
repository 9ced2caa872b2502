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

}  // namespace aq::testing
