// Fuzz target: query-string parsing and percent-decoding; encode then decode is the identity.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/net/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)aq::net::parse_query(aq::net::split_target(text).query);
  auto decoded = aq::net::url_decode(aq::net::url_encode(text));
  if (!decoded || *decoded != text) __builtin_trap();
  return 0;
}
