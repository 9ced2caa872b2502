// Fuzz target: every venue's instrument metadata parser, and the normalisation of what they
// accept. Whatever arrives, a parser throws ParseError or returns specs; it never crashes.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "aqueduct/connectors/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const char* p : {"binance_spot", "binance_usdm", "okx", "bybit", "bitmex", "coinbase"}) {
    try {
      for (const auto& s : aq::connectors::parse_metadata(p, "v", text)) {
        try {
          auto i = aq::connectors::to_instrument(s, 0);
          (void)aq::connectors::check_instrument(i, s);
        } catch (const std::exception&) {  // scales beyond int64: refused, not crashed
        }
      }
    } catch (const aq::connectors::ParseError&) {
    } catch (const std::out_of_range&) {  // Boost.JSON .at() on a missing key
    }
  }
  return 0;
}
