// Fuzz target: the four subscription-stream dispatchers (OKX, Bybit, BitMEX, Coinbase),
// including the Coinbase reader. The input is newline-separated messages fed in order to every
// dispatcher, so that state carries from one message to the next. Whatever arrives, a
// dispatcher must not throw, must name a valid instrument in book events, and must never hold
// a live book that is crossed.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "aqueduct/connectors/bitmex/stream_protocol.hpp"
#include "aqueduct/connectors/bybit/stream_protocol.hpp"
#include "aqueduct/connectors/coinbase/stream_protocol.hpp"
#include "aqueduct/connectors/okx/stream_protocol.hpp"

namespace {
aq::Instrument inst(const char* venue, const char* symbol, aq::InstrumentKind kind, int ps, int qs) {
  aq::Instrument i;
  i.venue = venue;
  i.symbol = symbol;
  i.kind = kind;
  i.price_scale = ps;
  i.qty_scale = qs;
  return i;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using aq::InstrumentKind;
  std::vector<std::unique_ptr<aq::connectors::StreamProtocol>> ps;
  ps.push_back(std::make_unique<aq::okx::StreamProtocol>(std::vector<aq::Instrument>{
      inst("okx", "BTC-USDT", InstrumentKind::Spot, 1, 8), inst("okx", "ETH-USDT", InstrumentKind::Spot, 2, 6)}));
  ps.push_back(std::make_unique<aq::bybit::StreamProtocol>(std::vector<aq::Instrument>{
      inst("bybit", "BTCUSDT", InstrumentKind::Linear, 2, 3)}));
  ps.push_back(std::make_unique<aq::bitmex::StreamProtocol>(std::vector<aq::Instrument>{
      inst("bitmex", "XBTUSD", InstrumentKind::Inverse, 1, 0), inst("bitmex", "ETHUSD", InstrumentKind::Quanto, 2, 0)}));
  ps.push_back(std::make_unique<aq::coinbase::StreamProtocol>(std::vector<aq::Instrument>{
      inst("coinbase", "BTC-USD", InstrumentKind::Spot, 2, 8)}));
  std::string_view all(reinterpret_cast<const char*>(data), size);
  std::vector<aq::connectors::StreamEvent> events;
  while (!all.empty()) {
    auto nl = all.find('\n');
    auto line = all.substr(0, nl);
    all = nl == std::string_view::npos ? std::string_view{} : all.substr(nl + 1);
    for (auto& p : ps) {
      events.clear();
      p->on_message(line, events);
      for (const auto& e : events) {
        bool book_event = e.kind == aq::connectors::StreamEvent::Kind::Snapshot ||
                          e.kind == aq::connectors::StreamEvent::Kind::Delta ||
                          e.kind == aq::connectors::StreamEvent::Kind::Resubscribe;
        if (book_event && e.index >= p->size()) __builtin_trap();
      }
      for (size_t i = 0; i < p->size(); ++i)
        if (p->live(i) && p->book(i).crossed()) __builtin_trap();
    }
  }
  return 0;
}
