#pragma once
// Coinbase Advanced Trade market-data WebSocket as a pure dispatcher (venues.md §5.1–5.2):
// one `level2` subscribe frame per request (one channel per frame) plus `heartbeats` once per
// connection, since channels close after 60–90 s without it. `sequence_num` counts every
// message on the connection; a step other than +1 means something was lost, for a product we
// cannot name, so every product is resubscribed for a fresh snapshot. There is no
// application-level ping: heartbeats (1/s) keep the connection proven alive.
#include "aqueduct/connectors/coinbase/book.hpp"
#include "aqueduct/connectors/stream_protocol.hpp"

namespace aq::coinbase {

class StreamProtocol : public connectors::StreamProtocol {
 public:
  explicit StreamProtocol(std::vector<Instrument> instruments);

  const char* venue_kind() const override { return "coinbase"; }
  std::string target() const override { return "/"; }
  std::vector<std::string> subscribe(const std::vector<size_t>& indexes) override;
  std::vector<std::string> unsubscribe(size_t index) override;
  std::string ping() override { return {}; }  // none: silence past the deadline reconnects
  std::chrono::milliseconds ping_after() const override { return std::chrono::seconds(5); }
  void on_message(std::string_view text, std::vector<connectors::StreamEvent>& out) override;
  void reset(size_t index) override { books_[index].reset(); }
  void reset_connection() override;

  size_t size() const override { return instruments_.size(); }
  const Instrument& instrument(size_t i) const override { return instruments_[i]; }
  bool live(size_t i) const override { return books_[i].live(); }
  L2Book book(size_t i) const override { return books_[i].book(); }
  uint64_t seq(size_t i) const override { return counts_[i]; }

 private:
  std::string frame(const char* type, const std::vector<size_t>& indexes) const;

  std::vector<Instrument> instruments_;
  std::vector<BookSync> books_;
  std::vector<uint64_t> counts_;  // applied messages per product since its snapshot
  ProductLookup lookup_;
  bool heartbeats_ = false;  // subscribed on this connection
  bool have_seq_ = false;
  uint64_t last_seq_ = 0;
};

}  // namespace aq::coinbase
