// Fuzz target: the Binance depth-diff reader and the sync state machine behind it. Any input
// must either parse or throw binance::ParseError; whatever parses must apply to a live book
// (in both chains) without crashing, and a synced book must never be left crossed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/connectors/binance/book_sync.hpp"
#include "aqueduct/testing/fixtures.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aq::binance;
  static const auto inst = aq::testing::btcusdt();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  DepthUpdate u;
  try {
    parse_depth_update(text, inst, u);
  } catch (const ParseError&) {
    return 0;
  }
  for (auto chain : {Chain::Spot, Chain::UsdmFutures}) {
    BookSync sync(16, chain);
    DepthSnapshot s{u.first_id > 0 ? u.first_id - 1 : 0, {{100, 1}}, {{200, 1}}};
    sync.on_update(u);
    sync.on_snapshot(s);
    sync.on_update(u);
    if (sync.live() && sync.book().crossed()) __builtin_trap();
  }
  return 0;
}
