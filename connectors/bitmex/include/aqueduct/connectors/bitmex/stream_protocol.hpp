#pragma once
// BitMEX realtime WebSocket (`/realtime`) as a pure dispatcher (venues.md §6.1–6.3):
// `orderBookL2:<symbol>` subscriptions, the text `ping` after 5 s of silence, and a resubscribe
// of one symbol when its rows contradict its book (BitMEX has no sequence numbers, so that is
// how a lost message shows) or the book crosses. The session's sequence numbers are a
// per-symbol count of applied messages since the partial. The `instrument` table gives each
// contract's mark, index and funding (PerpStats).
#include "aqueduct/connectors/bitmex/book.hpp"
#include "aqueduct/connectors/stream_protocol.hpp"

namespace aq::bitmex {

class StreamProtocol : public connectors::StreamProtocol {
 public:
  explicit StreamProtocol(std::vector<Instrument> instruments);

  const char* venue_kind() const override { return "bitmex"; }
  std::string target() const override { return "/realtime"; }
  std::vector<std::string> subscribe(const std::vector<size_t>& indexes) override;
  std::vector<std::string> unsubscribe(size_t index) override;
  std::vector<std::string> subscribe_book(size_t index) override { return {frame("subscribe", {index}, false)}; }
  std::string ping() override { return "ping"; }
  std::chrono::milliseconds ping_after() const override { return std::chrono::seconds(5); }
  void on_message(std::string_view text, std::vector<connectors::StreamEvent>& out) override;
  void reset(size_t index) override;

  size_t size() const override { return instruments_.size(); }
  const Instrument& instrument(size_t i) const override { return instruments_[i]; }
  bool live(size_t i) const override { return books_[i].live(); }
  L2Book book(size_t i) const override { return books_[i].book(); }
  uint64_t seq(size_t i) const override { return counts_[i]; }

 private:
  std::string frame(const char* op, const std::vector<size_t>& indexes, bool with_instrument) const;

  std::vector<Instrument> instruments_;
  std::vector<BookSync> books_;
  std::vector<uint64_t> counts_;
};

}  // namespace aq::bitmex
