// Fuzz target: the BitMEX orderBookL2 reader and book. Any parsed message is applied as a
// partial and again as an update; a live book must never be crossed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/connectors/bitmex/book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aq::bitmex;
  static const auto inst = [] {
    aq::Instrument i;
    i.price_scale = 1;
    i.qty_scale = 0;
    return i;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  L2Message m;
  try {
    m = parse_l2_message(text, inst);
  } catch (const ParseError&) {
    return 0;
  }
  BookSync sync("XBTUSD");
  auto action = m.action;
  m.action = Action::Partial;
  sync.on_message(m);
  m.action = action == Action::Partial ? Action::Update : action;
  sync.on_message(m);
  if (sync.live() && sync.book().crossed()) __builtin_trap();
  return 0;
}
