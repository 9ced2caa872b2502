#include "aqueduct/connectors/verified_feed.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "aqueduct/connectors/metadata.hpp"

namespace aq::connectors {

VerifiedFeed::VerifiedFeed(boost::asio::io_context& io, std::string protocol, std::string host, uint16_t port,
                           std::unique_ptr<BookFeed> inner, BookListener& listener,
                           std::chrono::milliseconds retry_after, std::shared_ptr<boost::asio::ssl::context> tls)
    : io_(io),
      protocol_(std::move(protocol)),
      http_(io, std::move(host), port, std::chrono::milliseconds(5000), std::move(tls)),
      inner_(std::move(inner)),
      listener_(listener),
      retry_after_(retry_after),
      retry_timer_(io) {}

VerifiedFeed::~VerifiedFeed() { *alive_ = false; }

aqueduct::msg::BookState VerifiedFeed::state(size_t i) const {
  return verified_ ? inner_->state(i) : aqueduct::msg::BOOK_DOWN;
}

void VerifiedFeed::start() {
  stopped_ = false;
  problems_.clear();
  for (size_t i = 0; i < size(); ++i)
    listener_.on_book_state(instrument(i), aqueduct::msg::BOOK_SYNCING, "checking the venue's instrument metadata");
  check(0);
}

void VerifiedFeed::stop() {
  stopped_ = true;
  retry_timer_.cancel();
  if (verified_) inner_->stop();
}

void VerifiedFeed::check(size_t i) {
  if (stopped_) return;
  if (i == size()) return finish();
  const auto& inst = instrument(i);
  http_.request(boost::beast::http::verb::get, metadata_path(protocol_, inst.symbol, inst.kind), {}, {},
                [this, i, alive = alive_](net::HttpResult r) {
                  if (!*alive || stopped_) return;
                  const auto& in = instrument(i);
                  if (!r.ok()) {
                    unreachable_ = true;
                    problems_.push_back(in.key() + ": metadata request failed (" +
                                        (r.error ? r.error.message() : "HTTP " + std::to_string(r.status)) + ")");
                    return check(i + 1);
                  }
                  try {
                    bool found = false;
                    for (const auto& spec : parse_metadata(protocol_, in.venue, r.body)) {
                      if (spec.symbol != in.symbol) continue;
                      found = true;
                      for (auto& p : check_instrument(in, spec)) problems_.push_back(in.key() + ": " + p);
                    }
                    if (!found) problems_.push_back(in.key() + ": the venue does not list " + in.symbol);
                  } catch (const std::exception& e) {
                    problems_.push_back(in.key() + ": unreadable metadata (" + e.what() + ")");
                  }
                  check(i + 1);
                });
}

void VerifiedFeed::finish() {
  if (problems_.empty()) {
    verified_ = true;
    backoff_ = std::chrono::milliseconds(500);
    spdlog::info("{} {}: instrument metadata confirmed for {} instrument(s)", protocol_, http_.host(), size());
    inner_->start();
    return;
  }
  std::string all;
  for (const auto& p : problems_) all += (all.empty() ? "" : "; ") + p;
  spdlog::error("{}: refusing to trade on this venue: {}", protocol_, all);
  for (size_t i = 0; i < size(); ++i)
    listener_.on_book_state(instrument(i), aqueduct::msg::BOOK_DOWN, "instrument metadata: " + all);
  // A venue that did not answer is asked again soon (with backoff); one that contradicts the
  // configuration, only after `retry_after`.
  auto wait = unreachable_ ? backoff_ : retry_after_;
  if (unreachable_) backoff_ = std::min(backoff_ * 2, retry_after_);
  retry_timer_.expires_after(wait);
  retry_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive || stopped_) return;
    problems_.clear();
    unreachable_ = false;
    check(0);
  });
}

}  // namespace aq::connectors
