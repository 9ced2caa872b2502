#pragma once
// The 0x gateway's answers, shared by its endpoint files: schema errors, the fast 204 decline,
// and a refusal as the decline's reason. Private to rfq/src.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "aqueduct/net/http_server.hpp"
#include "aqueduct/rfq/refusal.hpp"

namespace aq::rfq::zeroex {

// 400 {"errors": [...]}.
inline net::HttpResponse errors_response(boost::beast::http::status st,
                                         const std::vector<std::string>& errors) {
  boost::json::array a;
  for (const auto& e : errors) a.emplace_back(e);
  return net::json_response(st, boost::json::serialize(boost::json::object{{"errors", std::move(a)}}));
}

// 204: "no quote", the decline 0x expects to arrive fast. The reason goes in a header for
// operators and our stand-in; 0x ignores it.
inline net::HttpResponse decline(const std::string& why) {
  net::HttpResponse r{boost::beast::http::status::no_content, 11};
  r.set("X-Aqueduct-Decline", why.substr(0, 200));
  return r;
}

inline std::string decline_reason(const Refusal& r) {
  return r.code + ": " + r.message;
}

}  // namespace aq::rfq::zeroex
