#include <doctest/doctest.h>

#include "aqueduct/rfq/quote_book.hpp"

using namespace aq;
using namespace aq::rfq;

namespace {
IssuedQuote quote(const std::string& id, int64_t expiry) {
  IssuedQuote q;
  q.quote_id = id;
  q.client_id = "c1";
  q.listing = "BTC-USDT";
  q.price = 100;
  q.qty = 1;
  q.expiry_ns = expiry;
  return q;
}
}  // namespace

TEST_CASE("a quote fills once, before expiry, for its own client only") {
  QuoteBook book(1000);
  book.add(quote("q1", 500));
  IssuedQuote out;
  CHECK(book.accept("nope", "c1", 0, out) == AcceptError::Unknown);
  CHECK(book.accept("q1", "c2", 0, out) == AcceptError::NotYours);
  CHECK(book.accept("q1", "c1", 499, out) == AcceptError::None);
  CHECK(out.quote_id == "q1");
  CHECK(book.accept("q1", "c1", 499, out) == AcceptError::AlreadyFilled);
}

TEST_CASE("expiry is exclusive and remembered for the grace period") {
  QuoteBook book(1000);
  book.add(quote("q1", 500));
  IssuedQuote out;
  CHECK(book.accept("q1", "c1", 500, out) == AcceptError::Expired);
  CHECK(book.sweep(1499) == 0);
  CHECK(book.accept("q1", "c1", 1499, out) == AcceptError::Expired);
  CHECK(book.sweep(1500) == 1);
  CHECK(book.accept("q1", "c1", 1500, out) == AcceptError::Unknown);
}

TEST_CASE("a fill that could not be recorded is reverted, so the quote stays live") {
  QuoteBook book;
  book.add(quote("q1", 500));
  IssuedQuote out;
  REQUIRE(book.accept("q1", "c1", 0, out) == AcceptError::None);
  book.revert_accept("q1");
  CHECK(book.accept("q1", "c1", 1, out) == AcceptError::None);
}
