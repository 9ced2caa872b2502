// The maker's wallet, pure: balances and allowances less what live quotes reserve; refusals
// name what is held, reserved and asked; reservations end at expiry by the chain's clock, on
// decline, or after a settlement once a later read shows the tokens gone.
#include <doctest/doctest.h>

#include "aqueduct/chain/wallet_book.hpp"

using namespace aq;
using namespace aq::chain;

namespace {

eth::Address a(uint8_t n) {
  eth::Address x{};
  x.bytes[19] = n;
  return x;
}

const eth::Address kMaker = a(1), kProxy = a(2), kPool = a(3), kWbtc = a(10), kUsdt = a(11);
const FundsSource kZeroEx{kMaker, kProxy, "the 0x Exchange Proxy"};
const FundsSource kPoolSelf{kPool, std::nullopt, {}};
constexpr int64_t kNow = 1'000'000'000'000;

WalletBook book_with(uint64_t wbtc_balance, uint64_t wbtc_allowance, int64_t max_age_ns = 0) {
  WalletBook w(max_age_ns);
  w.track({kWbtc, "WBTC", 8}, UInt256(50'000'000));
  w.track({kUsdt, "USDT", 6});
  w.follow(kZeroEx);
  WalletSnapshot s;
  s.balances[{kMaker, kWbtc}] = UInt256(wbtc_balance);
  s.allowances[{kMaker, kWbtc, kProxy}] = UInt256(wbtc_allowance);
  w.end_read(w.begin_read(), s, kNow);
  return w;
}

}  // namespace

TEST_CASE("nothing is quoted before the wallet is read, nor when the read is too old") {
  WalletBook w(5'000'000'000);
  w.track({kWbtc, "WBTC", 8});
  auto v = w.check(kZeroEx, kWbtc, UInt256(1), kNow);
  CHECK(v.error == WalletError::NotRead);
  CHECK(std::string(to_string(v.error)) == "wallet_unavailable");
  w.end_read(w.begin_read(), {}, kNow);
  CHECK(w.check(kZeroEx, kWbtc, UInt256(0), kNow + 1'000'000'000));
  auto old = w.check(kZeroEx, kWbtc, UInt256(0), kNow + 6'000'000'000);
  CHECK(old.error == WalletError::NotRead);
  CHECK(old.detail.find("at most 5000 ms") != std::string::npos);
  CHECK(!w.available(kZeroEx, kWbtc, kNow + 6'000'000'000));
  CHECK(w.check(kZeroEx, kUsdt, UInt256(1), kNow).error == WalletError::UnknownToken);
}

TEST_CASE("a quote beyond balance less reservations is refused, naming the numbers") {
  auto w = book_with(100'000'000, 1'000'000'000);  // 1 WBTC held, 10 approved
  CHECK(w.reserve("q1", kZeroEx, kWbtc, UInt256(60'000'000), 2000, kNow));
  auto v = w.reserve("q2", kZeroEx, kWbtc, UInt256(50'000'000), 2000, kNow);
  CHECK(v.error == WalletError::InsufficientBalance);
  CHECK(std::string(to_string(v.error)) == "insufficient_wallet_balance");
  CHECK(v.detail.find("holds 1 WBTC") != std::string::npos);
  CHECK(v.detail.find("reserve 0.6 WBTC") != std::string::npos);
  CHECK(v.detail.find("pays out 0.5 WBTC") != std::string::npos);
  CHECK(v.detail.find("at most 0.4 WBTC") != std::string::npos);
  CHECK(w.reservations() == 1);
  CHECK(w.reserve("q3", kZeroEx, kWbtc, UInt256(40'000'000), 2000, kNow));
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(0));
  w.release("q1");
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(60'000'000));
}

TEST_CASE("the allowance of the contract that pulls is checked apart from the balance") {
  auto w = book_with(500'000'000, 30'000'000);  // 5 WBTC, 0.3 approved to the proxy
  auto v = w.check(kZeroEx, kWbtc, UInt256(40'000'000), kNow);
  CHECK(v.error == WalletError::InsufficientAllowance);
  CHECK(v.detail.find("the 0x Exchange Proxy may pull 0.3 WBTC") != std::string::npos);
  CHECK(w.reserve("q1", kZeroEx, kWbtc, UInt256(20'000'000), 2000, kNow));
  CHECK(w.check(kZeroEx, kWbtc, UInt256(20'000'000), kNow).error ==
        WalletError::InsufficientAllowance);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(10'000'000));
  // A holder that pays itself needs no allowance, only its balance.
  w.follow(kPoolSelf);
  WalletSnapshot s;
  s.balances[{kPool, kWbtc}] = UInt256(70'000'000);
  s.balances[{kMaker, kWbtc}] = UInt256(500'000'000);
  w.end_read(w.begin_read(), s, kNow);
  CHECK(w.check(kPoolSelf, kWbtc, UInt256(70'000'000), kNow));
  CHECK(w.check(kPoolSelf, kWbtc, UInt256(70'000'001), kNow).error ==
        WalletError::InsufficientBalance);
}

TEST_CASE("reservations end when the chain's time passes the order's expiry") {
  auto w = book_with(100'000'000, 100'000'000);
  REQUIRE(w.reserve("q1", kZeroEx, kWbtc, UInt256(100'000'000), 2000, kNow));
  w.on_chain_time(2000);  // a block at the expiry second may still include it
  CHECK(w.reservations() == 1);
  w.on_chain_time(2001);
  CHECK(w.reservations() == 0);
  CHECK(w.check(kZeroEx, kWbtc, UInt256(100'000'000), kNow));
}

TEST_CASE("a settled quote keeps its hold until a read that began after the settlement") {
  auto w = book_with(100'000'000, 100'000'000);
  REQUIRE(w.reserve("q1", kZeroEx, kWbtc, UInt256(70'000'000), 2000, kNow));
  uint64_t before = w.begin_read();  // a read already under way misses the transfer
  w.settled("q1");
  w.on_chain_time(5000);  // settled holds do not expire: the last read still counts the tokens
  WalletSnapshot unchanged;
  unchanged.balances[{kMaker, kWbtc}] = UInt256(100'000'000);
  unchanged.allowances[{kMaker, kWbtc, kProxy}] = UInt256(100'000'000);
  w.end_read(before, unchanged, kNow);
  CHECK(w.reservations() == 1);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(30'000'000));
  uint64_t after = w.begin_read();
  WalletSnapshot paid;
  paid.balances[{kMaker, kWbtc}] = UInt256(30'000'000);
  paid.allowances[{kMaker, kWbtc, kProxy}] = UInt256(30'000'000);
  w.end_read(after, paid, kNow);
  CHECK(w.reservations() == 0);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(30'000'000));  // not 0, not 1.0
}

TEST_CASE("a holding that falls below its floor is reported once per crossing") {
  auto w = book_with(100'000'000, 0);  // floor 0.5 WBTC
  auto read = [&](uint64_t balance) {
    WalletSnapshot s;
    s.balances[{kMaker, kWbtc}] = UInt256(balance);
    return w.end_read(w.begin_read(), s, kNow);
  };
  CHECK(read(60'000'000).empty());
  auto fell = read(40'000'000);
  REQUIRE(fell.size() == 1);
  CHECK(fell[0].token.symbol == "WBTC");
  CHECK(fell[0].balance == UInt256(40'000'000));
  CHECK(read(30'000'000).empty());
  CHECK(read(90'000'000).empty());
  CHECK(read(10'000'000).size() == 1);
  auto h = w.holdings();
  REQUIRE(h.size() == 1);
  CHECK(h[0].below_floor);
}

TEST_CASE("a quote id already holding funds is refused, and its hold stays as it was") {
  auto w = book_with(100'000'000, 100'000'000);
  CHECK(w.reserve("q1", kZeroEx, kWbtc, UInt256(60'000'000), 2000, kNow));
  auto again = w.reserve("q1", kZeroEx, kWbtc, UInt256(10'000'000), 2000, kNow);
  CHECK(again.error == WalletError::DuplicateId);
  CHECK(std::string(to_string(again.error)) == "duplicate_quote_id");
  CHECK(w.reserved(kMaker, kWbtc) == UInt256(60'000'000));
  CHECK(format_units(UInt256(1), 8) == "0.00000001");
  CHECK(format_units(UInt256(1'000'000), 6) == "1");
  CHECK(*parse_units("0.5", 8) == UInt256(50'000'000));
  CHECK(*parse_units("12", 6) == UInt256(12'000'000));
  CHECK(!parse_units("0.123456789", 8));
  CHECK(!parse_units("-1", 8));
  CHECK(!parse_units("1.", 8));
  CHECK(!parse_units("", 8));
}

TEST_CASE("an order paid in part keeps holding the rest until it expires") {
  auto w = book_with(100'000'000, 100'000'000);
  REQUIRE(w.reserve("q1", kZeroEx, kWbtc, UInt256(100'000'000), 2000, kNow));  // 1 WBTC order
  w.paid("q1", UInt256(10'000'000), 50);  // 0.1 filled in block 50
  WalletSnapshot after;
  after.balances[{kMaker, kWbtc}] = UInt256(90'000'000);
  after.allowances[{kMaker, kWbtc, kProxy}] = UInt256(90'000'000);
  w.end_read(w.begin_read(50), after, kNow);
  // 0.9 may still be pulled: nothing is free, and the hold is 0.9 now.
  CHECK(w.reserved(kMaker, kWbtc) == UInt256(90'000'000));
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(0));
  w.paid("q1", UInt256(30'000'000), 52);
  w.on_chain_time(2001);  // expired: the unpaid 0.6 goes, the paid 0.3 waits for its read
  CHECK(w.reserved(kMaker, kWbtc) == UInt256(30'000'000));
  WalletSnapshot last;
  last.balances[{kMaker, kWbtc}] = UInt256(60'000'000);
  last.allowances[{kMaker, kWbtc, kProxy}] = UInt256(60'000'000);
  w.end_read(w.begin_read(52), last, kNow);
  CHECK(w.reservations() == 0);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(60'000'000));
}

TEST_CASE("a read pinned to a block before the payment's does not release it") {
  auto w = book_with(100'000'000, 100'000'000);
  REQUIRE(w.reserve("q1", kZeroEx, kWbtc, UInt256(40'000'000), 2000, kNow));
  w.paid("q1", std::nullopt, 60);  // all of it, in block 60
  WalletSnapshot stale;             // a node behind: block 59, before the transfer
  stale.balances[{kMaker, kWbtc}] = UInt256(100'000'000);
  stale.allowances[{kMaker, kWbtc, kProxy}] = UInt256(100'000'000);
  w.end_read(w.begin_read(59), stale, kNow);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(60'000'000));  // still held
  WalletSnapshot fresh;
  fresh.balances[{kMaker, kWbtc}] = UInt256(60'000'000);
  fresh.allowances[{kMaker, kWbtc, kProxy}] = UInt256(60'000'000);
  w.end_read(w.begin_read(60), fresh, kNow);
  CHECK(w.reservations() == 0);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(60'000'000));
}

TEST_CASE("a quote signed before a restart is held whatever the wallet shows, until it expires") {
  WalletBook w;
  w.track({kWbtc, "WBTC", 8});
  w.hold("q-old", kZeroEx, kWbtc, UInt256(70'000'000), 2000);  // before any read
  WalletSnapshot s;
  s.balances[{kMaker, kWbtc}] = UInt256(50'000'000);  // less than it promised
  s.allowances[{kMaker, kWbtc, kProxy}] = UInt256(100'000'000);
  w.end_read(w.begin_read(), s, kNow);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(0));
  CHECK(w.check(kZeroEx, kWbtc, UInt256(1), kNow).error == WalletError::InsufficientBalance);
  w.on_chain_time(2001);
  CHECK(*w.available(kZeroEx, kWbtc, kNow) == UInt256(50'000'000));
}
