#pragma once
// Small readers for venues' REST answers (order acknowledgements, order queries, trades),
// which are read rarely and whose failure means "unknown", never an exception.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "aqueduct/types/decimal.hpp"

namespace aq::connectors {

// The answer parsed, or nullopt when it is not JSON.
inline std::optional<boost::json::value> parse_answer(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return std::nullopt;
  return v;
}

// A string field, or "" when absent or not a string.
inline std::string text_of(const boost::json::object* o, std::string_view key) {
  if (!o) return {};
  const auto* v = o->if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A Unix ms time written as a decimal string (Bybit's and OKX's times): digits only, at most
// 15 of them; nullopt otherwise.
inline std::optional<int64_t> ms_text(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(text);
}

// A decimal string at `scale`, exactly ("" is 0); nullopt when it is not one.
inline std::optional<int64_t> units_of(const std::string& text, int scale) {
  if (text.empty()) return int64_t{0};
  auto d = Decimal::parse(text, scale);
  if (!d) return std::nullopt;
  return d->units;
}

}  // namespace aq::connectors
