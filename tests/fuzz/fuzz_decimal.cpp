// Fuzz target: decimal parsing. Whatever parses must format back to a string that parses to
// the same value, at every scale.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/types/decimal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int scale : {0, 2, 8, 18}) {
    auto d = aq::Decimal::parse(text, scale);
    if (!d) continue;
    auto again = aq::Decimal::parse(d->to_string(), scale);
    if (!again || again->units != d->units) __builtin_trap();
    auto trimmed = aq::Decimal::parse_natural(d->to_trimmed_string());
    if (!trimmed || aq::compare(*trimmed, *d) != 0) __builtin_trap();
  }
  return 0;
}
