#pragma once
// The maker's wallet as a venue: what it holds of each token and what each settlement contract
// may pull from it, as last read from the chain, less what live firm quotes have promised.
// Pure: balances, allowances, chain time and settlements come in; verdicts and availability
// come out. The shell (WalletWatcher) reads the chain and the clock.
//
// A firm quote reserves the amount it pays out, against the holder's balance of that token and
// against the allowance of the contract that will pull it. The reservation lasts until the
// order can no longer settle (the chain's time is past its expiry), it is declined, or it
// settled — and then only until a balance read that began after the settlement has landed, so
// the paid-out tokens are never counted twice nor freed twice.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::chain {

struct TokenInfo {
  eth::Address address;
  std::string symbol;
  unsigned decimals = 18;
};

// Where a quote's paid-out token comes from: `holder`'s balance, pulled by `spender` (the
// settlement contract) under the allowance the holder gave it. No spender: the holder pays
// itself (a Hashflow pool that holds its own funds), so no allowance applies.
struct FundsSource {
  eth::Address holder;
  std::optional<eth::Address> spender;
  std::string spender_name;  // for errors: "the 0x Exchange Proxy"
};

enum class WalletError {
  None,
  NotRead,        // nothing read yet, or the last read is too old: fail closed
  UnknownToken,   // a token the wallet is not configured to follow
  InsufficientBalance,
  InsufficientAllowance,
  DuplicateId  // the quote id holds a reservation already
};
// Stable codes: "wallet_unavailable", "unknown_token", "insufficient_wallet_balance",
// "insufficient_allowance", "duplicate_quote_id".
const char* to_string(WalletError e);

struct WalletVerdict {
  WalletError error = WalletError::None;
  std::string detail;  // what is held, what is reserved, what was asked, what is allowed
  explicit operator bool() const { return error == WalletError::None; }
};

// A balance read: every balance and allowance of one pass over the chain, applied together.
struct WalletSnapshot {
  std::map<std::pair<eth::Address, eth::Address>, UInt256> balances;  // (holder, token)
  std::map<std::tuple<eth::Address, eth::Address, eth::Address>, UInt256>
      allowances;  // (holder, token, spender)
};

struct Holding {
  eth::Address holder;
  TokenInfo token;
  UInt256 balance;
  UInt256 reserved;
  bool below_floor = false;
};

class WalletBook {
 public:
  // `max_age_ns`: a wallet not read for longer refuses every firm quote (0: never too old).
  explicit WalletBook(int64_t max_age_ns = 0) : max_age_ns_(max_age_ns) {}

  void track(const TokenInfo& token, const UInt256& floor = UInt256(0));
  // Who must be read: each holder's balances, each (holder, spender)'s allowances.
  void follow(const FundsSource& source);
  const std::vector<TokenInfo>& tokens() const { return tokens_; }
  const std::vector<FundsSource>& sources() const { return sources_; }

  // A read begins: its generation. Payments marked before this call are released when it
  // ends (end_read), those marked after wait for a later read. `block`: the block the read is
  // pinned to, when it is (a payment seen in a later block waits for a read of that block).
  uint64_t begin_read(std::optional<uint64_t> block = std::nullopt);
  // The read's values, all at once; `now_ns` is when it ended. Returns the holdings that fell
  // below their floor with this read (each crossing once).
  std::vector<Holding> end_read(uint64_t generation, const WalletSnapshot& s, int64_t now_ns);

  // Whether the source could pay `amount` of `token` now, beyond what is reserved.
  WalletVerdict check(const FundsSource& source, const eth::Address& token,
                      const UInt256& amount, int64_t now_ns) const;
  // The same, and if it can, the amount is reserved for `quote_id` until `expiry_s` (chain
  // time). A quote id already holding a reservation is refused (DuplicateId): the caller did
  // not reserve, so it must not release.
  WalletVerdict reserve(const std::string& quote_id, const FundsSource& source,
                        const eth::Address& token, const UInt256& amount, uint64_t expiry_s,
                        int64_t now_ns);
  // A hold for a quote signed before (restored at start from the record): it is promised
  // already, so it is held whatever the wallet shows, until it expires or is paid.
  void hold(const std::string& quote_id, const FundsSource& source, const eth::Address& token,
            const UInt256& amount, uint64_t expiry_s);
  // Declined or never sent: the reservation goes at once.
  void release(const std::string& quote_id);
  // Paid on chain (its event was seen, or the protocol reported it settled): what is left of
  // the hold is released by the next read that begins after this.
  void settled(const std::string& quote_id) { paid(quote_id, std::nullopt, std::nullopt); }
  // `amount` of it paid (an order filled in part may be filled again until it expires), in
  // `block` when known: that much is released by the next read that begins after this and,
  // when pinned, reads that block or a later one. No amount: all that is left.
  void paid(const std::string& quote_id, std::optional<UInt256> amount,
            std::optional<uint64_t> block);
  // The newest block's time: orders that expired before it can no longer settle.
  void on_chain_time(uint64_t timestamp_s);

  // What the source can still pay out of `token`: the balance (and allowance) less the
  // reservations; nullopt when not read (or too old).
  std::optional<UInt256> available(const FundsSource& source, const eth::Address& token,
                                   int64_t now_ns) const;
  std::vector<Holding> holdings() const;
  bool read_once() const { return read_ns_ != 0; }
  int64_t read_ns() const { return read_ns_; }
  size_t reservations() const { return reservations_.size(); }
  UInt256 reserved(const eth::Address& holder, const eth::Address& token) const;

 private:
  struct Payment {
    uint64_t generation = 0;       // released by a read of this generation or later
    std::optional<uint64_t> block;  // and, when the read is pinned, of this block or later
    UInt256 amount;
  };
  struct Reservation {
    eth::Address holder, token;
    std::optional<eth::Address> spender;
    UInt256 amount;  // held now: paid parts waiting for their read included
    uint64_t expiry_s = 0;
    bool expired = false;  // only paid parts waiting for their read are held
    std::vector<Payment> payments;
    UInt256 paid_total() const;
  };
  using BalanceKey = std::pair<eth::Address, eth::Address>;
  using AllowanceKey = std::tuple<eth::Address, eth::Address, eth::Address>;
  const TokenInfo* token_info(const eth::Address& token) const;
  void drop(std::map<std::string, Reservation>::iterator it);
  void reduce(Reservation& r, const UInt256& by);

  int64_t max_age_ns_;
  std::vector<TokenInfo> tokens_;
  std::map<eth::Address, UInt256> floors_;
  std::vector<FundsSource> sources_;
  WalletSnapshot read_;
  int64_t read_ns_ = 0;
  uint64_t next_generation_ = 1;
  std::map<uint64_t, std::optional<uint64_t>> read_blocks_;  // reads under way: their block
  std::map<std::string, Reservation> reservations_;
  std::map<BalanceKey, UInt256> reserved_balance_;
  std::map<AllowanceKey, UInt256> reserved_allowance_;
  std::map<BalanceKey, bool> below_floor_;
};

// `amount` base units of a token with `decimals`, as a decimal string ("1.5").
std::string format_units(const UInt256& amount, unsigned decimals);
// The reverse: "1.5" -> base units; nullopt for anything but digits with at most `decimals`
// after one point.
std::optional<UInt256> parse_units(std::string_view text, unsigned decimals);

}  // namespace aq::chain
