// Fuzz target: the OKX books reader and its sequencing book. Parsed messages are fed in as a
// snapshot and then as an update chained onto it; the book must never stay live and crossed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aqueduct/connectors/okx/book_sync.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace aq::okx;
  static const auto inst = [] {
    aq::Instrument i;
    i.price_scale = 1;
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
  m.action = BookAction::Update;
  m.prev_seq_id = sync.seq_id();
  sync.on_message(m);
  if (sync.live()) {
    auto b = sync.book();
    if (b.crossed() || b.bids().size() > BookSync::kWindow) __builtin_trap();
  }
  return 0;
}
