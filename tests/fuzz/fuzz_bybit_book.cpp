// Fuzz target: the Bybit orderbook reader and its book. A parsed message is applied as is and
// then as the next delta; a live book must never be crossed or deeper than its topic.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/connectors/bybit/book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aq::bybit;
  static const auto inst = [] {
    aq::Instrument i;
    i.price_scale = 2;
    i.qty_scale = 3;
    return i;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  BookMessage m;
  try {
    m = parse_book_message(text, inst);
  } catch (const ParseError&) {
    return 0;
  }
  BookSync sync;
  sync.on_message(m);
  m.type = BookType::Delta;
  m.update_id = sync.update_id() + 1;
  sync.on_message(m);
  if (sync.live() && (sync.book().crossed() || sync.book().bids().size() > m.depth)) __builtin_trap();
  return 0;
}
