#pragma once
// A market-data session that starts only once the venue's metadata endpoint confirms every
// configured instrument (tick, lot, minimum, kind, contract size, trading status). Until then —
// and for good, while they disagree — its books are DOWN with the reason, so nothing is ever
// priced or hedged on assumptions the venue contradicts. The check is retried, because a
// metadata request can fail for reasons that pass.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <vector>

#include "aqueduct/connectors/book_feed.hpp"
#include "aqueduct/connectors/book_listener.hpp"
#include "aqueduct/connectors/instrument_spec.hpp"
#include "aqueduct/net/http_client.hpp"

namespace aq::connectors {

class VerifiedFeed : public BookFeed {
 public:
  VerifiedFeed(boost::asio::io_context& io, std::string protocol, std::string host, uint16_t port,
               std::unique_ptr<BookFeed> inner, BookListener& listener,
               std::chrono::milliseconds retry_after = std::chrono::seconds(30),
               std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~VerifiedFeed() override;

  void start() override;
  void stop() override;
  size_t size() const override { return inner_->size(); }
  const Instrument& instrument(size_t i) const override { return inner_->instrument(i); }
  aqueduct::msg::BookState state(size_t i) const override;
  L2Book book(size_t i) const override { return inner_->book(i); }
  uint64_t seq(size_t i) const override { return inner_->seq(i); }

  bool verified() const { return verified_; }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void check(size_t i);
  void finish();

  boost::asio::io_context& io_;
  std::string protocol_;
  net::HttpClient http_;
  std::unique_ptr<BookFeed> inner_;
  BookListener& listener_;
  std::chrono::milliseconds retry_after_;
  boost::asio::steady_timer retry_timer_;
  std::vector<std::string> problems_;
  bool unreachable_ = false;  // a request failed (the venue may not be up yet): retry soon
  std::chrono::milliseconds backoff_{500};
  bool verified_ = false;
  bool stopped_ = true;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aq::connectors
