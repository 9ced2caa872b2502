#include "aqueduct/hedging/hedge_ids.hpp"

#include "aqueduct/net/hmac.hpp"

namespace aq::hedging {

std::string fill_hedge_id(std::string_view fill_id, std::string_view instrument_key, Side side) {
  return "f" + net::sha256_hex(fill_id).substr(0, 20) +
         net::sha256_hex(instrument_key).substr(0, 6) + (side == Side::Buy ? "b" : "s");
}

}  // namespace aq::hedging
