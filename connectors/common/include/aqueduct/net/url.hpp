#pragma once
// Request-target helpers: path/query split and application/x-www-form-urlencoded parameters.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aq::net {

struct Target {
  std::string_view path;
  std::string_view query;  // without '?'
};
Target split_target(std::string_view target);

using Params = std::vector<std::pair<std::string, std::string>>;
// Decodes %XX and '+'. Returns nullopt on a malformed escape.
std::optional<Params> parse_query(std::string_view query);
std::optional<std::string> url_decode(std::string_view s);
// Percent-encodes everything but unreserved characters (RFC 3986).
std::string url_encode(std::string_view s);
// First value of `key`, if present.
std::optional<std::string> param(const Params& p, std::string_view key);
// The first key given more than once, if any: takers' APIs refuse such queries (which value
// counts would be ambiguous between us and whoever sits in between).
std::optional<std::string> repeated_param(const Params& p);

}  // namespace aq::net
