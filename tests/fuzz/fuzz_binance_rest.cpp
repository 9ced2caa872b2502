// Fuzz target: the Binance REST readers (depth snapshot, order result, API error) and the
// order protocol's readings of every answer, which must never throw; and the bookTicker reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/connectors/binance/order_protocol.hpp"
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
  try {
    parse_book_ticker(text, inst);
  } catch (const ParseError&) {
  }
  static const OrderProtocol spot(Market::Spot, {"k", "s", ""});
  static const OrderProtocol futures(Market::UsdmFutures, {"k", "s", ""});
  for (const auto* p : {&spot, &futures})
    for (int status : {200, 400, 429, 503}) {
      aq::connectors::RestAnswer a{status, text};
      (void)p->read_place(a, inst);
      (void)p->read_query(a, inst);
      (void)p->read_cancel(a, inst);
      (void)p->read_fills(a, inst);
    }
  return 0;
}
