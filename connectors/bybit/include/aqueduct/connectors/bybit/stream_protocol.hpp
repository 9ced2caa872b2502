#pragma once
// Bybit v5 public WebSocket as a pure dispatcher (venues.md §4.1–4.3): one connection per
// category (`/v5/public/spot` or `/v5/public/linear`), `orderbook.{depth}.{symbol}` topics
// (at most 10 per subscribe frame, the spot limit), JSON ping/pong, and a resubscribe of one
// topic when its `u` chain breaks or its book crosses. Linear contracts also subscribe
// `tickers.{symbol}` for mark, index and funding (PerpStats).
#include "aqueduct/connectors/bybit/book.hpp"
#include "aqueduct/connectors/stream_protocol.hpp"

namespace aq::bybit {

class StreamProtocol : public connectors::StreamProtocol {
 public:
  // All instruments must be of one category (all spot, or all linear).
  StreamProtocol(std::vector<Instrument> instruments, int depth = 50);

  const char* venue_kind() const override { return "bybit"; }
  std::string target() const override;
  std::vector<std::string> subscribe(const std::vector<size_t>& indexes) override;
  std::vector<std::string> unsubscribe(size_t index) override;
  std::vector<std::string> subscribe_book(size_t index) override;
  std::string ping() override;
  std::chrono::milliseconds ping_after() const override { return std::chrono::seconds(20); }
  void on_message(std::string_view text, std::vector<connectors::StreamEvent>& out) override;
  void reset(size_t index) override { books_[index].reset(); }

  size_t size() const override { return instruments_.size(); }
  const Instrument& instrument(size_t i) const override { return instruments_[i]; }
  bool live(size_t i) const override { return books_[i].live(); }
  L2Book book(size_t i) const override { return books_[i].book(); }
  uint64_t seq(size_t i) const override { return books_[i].update_id(); }

  static constexpr size_t kMaxArgsPerFrame = 10;

 private:
  std::string topic(size_t i) const;
  std::string frame(const char* op, const std::vector<std::string>& topics, size_t from, size_t to);

  std::vector<Instrument> instruments_;
  std::vector<BookSync> books_;
  // The venue's best bid and offer per instrument, from `orderbook.1` (level 1 also sends
  // deltas: the level given replaces that side, a zero size empties it).
  std::vector<connectors::TopOfBook> tops_;
  int depth_;
  uint64_t next_id_ = 1;
};

}  // namespace aq::bybit
