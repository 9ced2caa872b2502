// 0x last look is answered once per order: the first submit decides, the same amount again
// (a retry, or a concurrent submit) gets the same answer, another amount is declined.
#include <doctest/doctest.h>

#include "aqueduct/rfq/zeroex/last_look.hpp"

using aq::UInt256;
using aq::rfq::zeroex::LastLookBook;
using V = LastLookBook::Verdict;

TEST_CASE("last look: one decision per order, repeated only for the amount asked") {
  LastLookBook book;
  auto half = *UInt256::from_decimal("25000000"), all = *UInt256::from_decimal("50000000");
  CHECK(book.submit("0xa", half).verdict == V::Decide);
  // Concurrent: the whole order while the half is being priced is declined, naming the half.
  auto whole = book.submit("0xa", all);
  CHECK(whole.verdict == V::Decline);
  CHECK(whole.reason.find("25000000 is being answered") != std::string::npos);
  CHECK(book.submit("0xa", half).verdict == V::Wait);
  book.decide("0xa", true, "");
  auto again = book.submit("0xa", half);
  CHECK(again.verdict == V::Repeat);
  CHECK(again.proceed);
  auto later = book.submit("0xa", all);
  CHECK(later.verdict == V::Decline);
  CHECK(later.reason.find("was approved") != std::string::npos);
  // A second decision for the same ask changes nothing.
  book.decide("0xa", false, "late");
  CHECK(book.submit("0xa", half).proceed);
  // Orders are independent; a declined one repeats its reason.
  CHECK(book.submit("0xb", all).verdict == V::Decide);
  book.decide("0xb", false, "last_look: moved");
  auto b = book.submit("0xb", all);
  CHECK(b.verdict == V::Repeat);
  CHECK_FALSE(b.proceed);
  CHECK(b.reason == "last_look: moved");
  book.forget("0xa");
  CHECK(book.size() == 1);
  CHECK(book.submit("0xa", all).verdict == V::Decide);
}
