#pragma once
// OKX v5 public WebSocket (`/ws/v5/public`) as a pure dispatcher (venues.md §3.1–3.4):
// subscribes the `books` channel per instId, answers with the text `ping` keepalive, routes
// each push to its instrument's BookSync, and turns a broken seqId chain, a checksum mismatch
// or a crossed book into a resubscribe of that instrument alone. A 64008 notice (service
// upgrade) asks for a new connection. For SWAP instruments it also subscribes `mark-price` and
// `funding-rate`, reported as PerpStats.
#include <memory>

#include "aqueduct/connectors/okx/book_sync.hpp"
#include "aqueduct/connectors/stream_protocol.hpp"

namespace aq::okx {

class StreamProtocol : public connectors::StreamProtocol {
 public:
  explicit StreamProtocol(std::vector<Instrument> instruments);

  const char* venue_kind() const override { return "okx"; }
  std::string target() const override { return "/ws/v5/public"; }
  std::vector<std::string> subscribe(const std::vector<size_t>& indexes) override;
  std::vector<std::string> unsubscribe(size_t index) override;
  std::vector<std::string> subscribe_book(size_t index) override;
  std::string ping() override { return "ping"; }
  // OKX drops a connection after 30 s without traffic; ping well before.
  std::chrono::milliseconds ping_after() const override { return std::chrono::seconds(20); }
  void on_message(std::string_view text, std::vector<connectors::StreamEvent>& out) override;
  void reset(size_t index) override { books_[index].reset(); }

  size_t size() const override { return instruments_.size(); }
  const Instrument& instrument(size_t i) const override { return instruments_[i]; }
  bool live(size_t i) const override { return books_[i].live(); }
  L2Book book(size_t i) const override { return books_[i].book(); }
  uint64_t seq(size_t i) const override { return static_cast<uint64_t>(books_[i].seq_id()); }

 private:
  std::string frame(const char* op, const std::vector<size_t>& indexes, bool all_channels);
  int find(std::string_view inst_id) const;

  std::vector<Instrument> instruments_;
  std::vector<BookSync> books_;
  uint64_t next_id_ = 1;
};

}  // namespace aq::okx
