// Fuzz target: the Binance REST readers (depth snapshot, order result, API error).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/connectors/binance/parse.hpp"
#include "aqueduct/testing/fixtures.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aq::binance;
  static const auto inst = aq::testing::btcusdt();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    parse_depth_snapshot(text, inst);
  } catch (const ParseError&) {
  }
  try {
    parse_order_result(text, inst);
  } catch (const ParseError&) {
  }
  try {
    parse_api_error(text);
  } catch (const ParseError&) {
  }
  return 0;
}
