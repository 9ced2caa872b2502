#include "aqueduct/chain/wallet_book.hpp"

#include <algorithm>
#include <vector>

namespace aq::chain {

namespace {

UInt256 less_or_zero(const UInt256& a, const UInt256& b) {
  auto d = a.checked_sub(b);
  return d ? *d : UInt256(0);
}

UInt256 get(const auto& map, const auto& key) {
  auto it = map.find(key);
  return it == map.end() ? UInt256(0) : it->second;
}

void add_to(auto& map, const auto& key, const UInt256& v) {
  auto& slot = map[key];
  auto sum = slot.checked_add(v);
  slot = sum ? *sum : UInt256::max();
}

void take_from(auto& map, const auto& key, const UInt256& v) {
  auto it = map.find(key);
  if (it == map.end()) return;
  it->second = less_or_zero(it->second, v);
  if (it->second.is_zero()) map.erase(it);
}

std::string short_address(const eth::Address& a) {
  return a.to_checksum();
}

}  // namespace

const char* to_string(WalletError e) {
  switch (e) {
    case WalletError::None:
      return "ok";
    case WalletError::NotRead:
      return "wallet_unavailable";
    case WalletError::UnknownToken:
      return "unknown_token";
    case WalletError::InsufficientBalance:
      return "insufficient_wallet_balance";
    case WalletError::InsufficientAllowance:
      return "insufficient_allowance";
    case WalletError::DuplicateId:
      return "duplicate_quote_id";
  }
  return "unknown";
}

std::string format_units(const UInt256& amount, unsigned decimals) {
  std::string s = amount.to_decimal();
  if (decimals == 0) return s;
  if (s.size() <= decimals) s = std::string(decimals + 1 - s.size(), '0') + s;
  s.insert(s.size() - decimals, ".");
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::optional<UInt256> parse_units(std::string_view text, unsigned decimals) {
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || frac.size() > decimals || (dot != std::string_view::npos && frac.empty()))
    return std::nullopt;
  for (char c : std::string(whole) + std::string(frac))
    if (c < '0' || c > '9') return std::nullopt;
  return UInt256::from_decimal(std::string(whole) + std::string(frac) +
                               std::string(decimals - frac.size(), '0'));
}

void WalletBook::track(const TokenInfo& token, const UInt256& floor) {
  if (!token_info(token.address)) tokens_.push_back(token);
  if (!floor.is_zero()) floors_[token.address] = floor;
}

void WalletBook::follow(const FundsSource& source) {
  for (const auto& s : sources_)
    if (s.holder == source.holder && s.spender == source.spender) return;
  sources_.push_back(source);
}

const TokenInfo* WalletBook::token_info(const eth::Address& token) const {
  for (const auto& t : tokens_)
    if (t.address == token) return &t;
  return nullptr;
}

uint64_t WalletBook::begin_read(std::optional<uint64_t> block) {
  read_blocks_[next_generation_] = block;
  return next_generation_++;
}

UInt256 WalletBook::Reservation::paid_total() const {
  UInt256 t;
  for (const auto& p : payments) t = *t.checked_add(p.amount);  // each at most `amount`
  return t;
}

std::vector<Holding> WalletBook::end_read(uint64_t generation, const WalletSnapshot& s,
                                          int64_t now_ns) {
  std::optional<uint64_t> block;
  if (auto b = read_blocks_.find(generation); b != read_blocks_.end()) {
    block = b->second;
    read_blocks_.erase(read_blocks_.begin(), std::next(b));
  }
  read_ = s;
  read_ns_ = now_ns;
  // Payments this read shows (it began after them, and reads their block when both are known)
  // leave the hold: the balance read no longer has those tokens.
  for (auto it = reservations_.begin(); it != reservations_.end();) {
    auto next = std::next(it);
    Reservation& r = it->second;
    UInt256 shown;
    std::erase_if(r.payments, [&](const Payment& p) {
      bool in = p.generation <= generation && (!p.block || !block || *block >= *p.block);
      if (in) shown = *shown.checked_add(p.amount);
      return in;
    });
    reduce(r, shown);
    if (r.amount.is_zero() || (r.expired && r.payments.empty())) drop(it);
    it = next;
  }
  std::vector<Holding> fell;
  for (const auto& h : holdings()) {
    bool& was = below_floor_[{h.holder, h.token.address}];
    if (h.below_floor && !was) fell.push_back(h);
    was = h.below_floor;
  }
  return fell;
}

WalletVerdict WalletBook::check(const FundsSource& source, const eth::Address& token,
                                const UInt256& amount, int64_t now_ns) const {
  const TokenInfo* t = token_info(token);
  if (!t)
    return {WalletError::UnknownToken,
            "token " + token.to_checksum() + " is not followed in the maker's wallet"};
  if (read_ns_ == 0)
    return {WalletError::NotRead,
            "the maker's wallet has not been read from the chain yet; firm quotes resume once "
            "its balances are known"};
  if (max_age_ns_ > 0 && now_ns - read_ns_ > max_age_ns_)
    return {WalletError::NotRead,
            "the maker's wallet was last read " + std::to_string((now_ns - read_ns_) / 1'000'000) +
                " ms ago (at most " + std::to_string(max_age_ns_ / 1'000'000) +
                " ms allowed); firm quotes resume once it is read again"};
  auto units = [&](const UInt256& v) { return format_units(v, t->decimals) + " " + t->symbol; };
  BalanceKey bk{source.holder, token};
  UInt256 balance = get(read_.balances, bk);
  UInt256 held = get(reserved_balance_, bk);
  UInt256 free_balance = less_or_zero(balance, held);
  if (amount > free_balance)
    return {WalletError::InsufficientBalance,
            short_address(source.holder) + " holds " + units(balance) + ", live quotes reserve " +
                units(held) + ", this quote pays out " + units(amount) + ": at most " +
                units(free_balance) + " can be quoted"};
  if (source.spender) {
    AllowanceKey ak{source.holder, token, *source.spender};
    UInt256 allowance = get(read_.allowances, ak);
    UInt256 used = get(reserved_allowance_, ak);
    UInt256 free_allowance = less_or_zero(allowance, used);
    if (amount > free_allowance)
      return {WalletError::InsufficientAllowance,
              (source.spender_name.empty() ? short_address(*source.spender)
                                           : source.spender_name) +
                  " may pull " + units(allowance) + " from " + short_address(source.holder) +
                  ", live quotes reserve " + units(used) + ", this quote pays out " +
                  units(amount) + ": at most " + units(free_allowance) +
                  " can be quoted until the allowance is raised"};
  }
  return {};
}

WalletVerdict WalletBook::reserve(const std::string& quote_id, const FundsSource& source,
                                  const eth::Address& token, const UInt256& amount,
                                  uint64_t expiry_s, int64_t now_ns) {
  if (reservations_.count(quote_id))
    return {WalletError::DuplicateId,
            "quote " + quote_id + " already holds funds of the maker's wallet: a quote id is "
            "signed once"};
  auto v = check(source, token, amount, now_ns);
  if (!v) return v;
  reservations_[quote_id] =
      Reservation{source.holder, token, source.spender, amount, expiry_s, false, {}};
  add_to(reserved_balance_, BalanceKey{source.holder, token}, amount);
  if (source.spender)
    add_to(reserved_allowance_, AllowanceKey{source.holder, token, *source.spender}, amount);
  return v;
}

void WalletBook::hold(const std::string& quote_id, const FundsSource& source,
                      const eth::Address& token, const UInt256& amount, uint64_t expiry_s) {
  if (reservations_.count(quote_id)) return;
  reservations_[quote_id] =
      Reservation{source.holder, token, source.spender, amount, expiry_s, false, {}};
  add_to(reserved_balance_, BalanceKey{source.holder, token}, amount);
  if (source.spender)
    add_to(reserved_allowance_, AllowanceKey{source.holder, token, *source.spender}, amount);
}

void WalletBook::reduce(Reservation& r, const UInt256& by) {
  UInt256 x = by > r.amount ? r.amount : by;
  r.amount = *r.amount.checked_sub(x);
  take_from(reserved_balance_, BalanceKey{r.holder, r.token}, x);
  if (r.spender) take_from(reserved_allowance_, AllowanceKey{r.holder, r.token, *r.spender}, x);
}

void WalletBook::drop(std::map<std::string, Reservation>::iterator it) {
  reduce(it->second, it->second.amount);
  reservations_.erase(it);
}

void WalletBook::release(const std::string& quote_id) {
  auto it = reservations_.find(quote_id);
  if (it != reservations_.end()) drop(it);
}

void WalletBook::paid(const std::string& quote_id, std::optional<UInt256> amount,
                      std::optional<uint64_t> block) {
  auto it = reservations_.find(quote_id);
  if (it == reservations_.end()) return;
  Reservation& r = it->second;
  UInt256 unpaid = less_or_zero(r.amount, r.paid_total());
  UInt256 x = amount && *amount < unpaid ? *amount : unpaid;
  if (!x.is_zero()) r.payments.push_back({next_generation_, block, x});
}

void WalletBook::on_chain_time(uint64_t timestamp_s) {
  // Past its expiry an order can no longer be paid: what is not paid leaves the hold. Paid
  // parts stay until their read: the last read still counts those tokens.
  for (auto it = reservations_.begin(); it != reservations_.end();) {
    auto next = std::next(it);
    Reservation& r = it->second;
    if (!r.expired && r.expiry_s < timestamp_s) {
      r.expired = true;
      reduce(r, less_or_zero(r.amount, r.paid_total()));
      if (r.payments.empty()) drop(it);
    }
    it = next;
  }
}

std::optional<UInt256> WalletBook::available(const FundsSource& source, const eth::Address& token,
                                             int64_t now_ns) const {
  if (read_ns_ == 0 || (max_age_ns_ > 0 && now_ns - read_ns_ > max_age_ns_)) return std::nullopt;
  BalanceKey bk{source.holder, token};
  UInt256 free = less_or_zero(get(read_.balances, bk), get(reserved_balance_, bk));
  if (source.spender) {
    AllowanceKey ak{source.holder, token, *source.spender};
    free = std::min(free, less_or_zero(get(read_.allowances, ak), get(reserved_allowance_, ak)));
  }
  return free;
}

UInt256 WalletBook::reserved(const eth::Address& holder, const eth::Address& token) const {
  return get(reserved_balance_, BalanceKey{holder, token});
}

std::vector<Holding> WalletBook::holdings() const {
  std::vector<Holding> out;
  for (const auto& [key, balance] : read_.balances) {
    const TokenInfo* t = token_info(key.second);
    if (!t) continue;
    Holding h{key.first, *t, balance, get(reserved_balance_, key), false};
    auto f = floors_.find(key.second);
    h.below_floor = f != floors_.end() && balance < f->second;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace aq::chain
