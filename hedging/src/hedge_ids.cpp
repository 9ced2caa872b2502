#include "aqueduct/hedging/hedge_ids.hpp"

#include <map>

#include "aqueduct/net/hmac.hpp"

namespace aq::hedging {

std::string fill_hedge_id(std::string_view fill_id, std::string_view instrument_key, Side side) {
  // The instrument's part never changes: hashed once per thread (a digest costs more than the
  // rest of the id, and the id is made on the fill's hot path, before the order is written).
  thread_local std::map<std::string, std::string, std::less<>> instrument_part;
  auto it = instrument_part.find(instrument_key);
  if (it == instrument_part.end())
    it = instrument_part
             .emplace(std::string(instrument_key), net::sha256_hex(instrument_key).substr(0, 6))
             .first;
  std::string id;
  id.reserve(28);
  id += 'f';
  id += std::string_view(net::sha256_hex(fill_id)).substr(0, 20);
  id += it->second;
  id += side == Side::Buy ? 'b' : 's';
  return id;
}

}  // namespace aq::hedging
