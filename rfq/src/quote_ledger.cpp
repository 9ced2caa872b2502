#include "aqueduct/rfq/quote_ledger.hpp"

#include "aqueduct/types/decimal.hpp"

namespace aq::rfq {

const char* to_string(Protocol p) {
  switch (p) {
    case Protocol::Native:
      return "native";
    case Protocol::ZeroEx:
      return "zeroex";
    case Protocol::Hashflow:
      return "hashflow";
    case Protocol::Bebop:
      return "bebop";
  }
  return "unknown";
}

const char* to_string(QuoteState s) {
  switch (s) {
    case QuoteState::Live:
      return "live";
    case QuoteState::Filling:
      return "filling";
    case QuoteState::Filled:
      return "filled";
    case QuoteState::Declined:
      return "declined";
    case QuoteState::Expired:
      return "expired";
  }
  return "unknown";
}

const char* to_string(ReserveError e) {
  switch (e) {
    case ReserveError::None:
      return "none";
    case ReserveError::DuplicateId:
      return "duplicate_quote_id";
    case ReserveError::ListingOutstanding:
      return "listing_outstanding_limit";
    case ReserveError::ClientQuoteNotional:
      return "notional_too_large";
    case ReserveError::ClientOpenNotional:
      return "client_open_notional_limit";
  }
  return "unknown";
}

const char* to_string(FillError e) {
  switch (e) {
    case FillError::None:
      return "none";
    case FillError::Unknown:
      return "unknown_quote";
    case FillError::NotYours:
      return "unknown_quote";  // never confirm another client's quote
    case FillError::Expired:
      return "quote_expired";
    case FillError::AlreadyFilled:
      return "quote_already_filled";
    case FillError::InProgress:
      return "fill_in_progress";
    case FillError::Declined:
      return "quote_declined";
    case FillError::BadQty:
      return "bad_fill_qty";
  }
  return "unknown";
}

int64_t notional_of(int64_t qty, int qty_scale, int64_t price, int price_scale) {
  int128 n = static_cast<int128>(qty) * price;
  int shift = qty_scale + price_scale - kNotionalScale;
  if (shift > 0) {
    int128 div = 1;
    for (int i = 0; i < shift; ++i) div *= 10;
    n = (n + div - 1) / div;
  } else {
    for (int i = 0; i < -shift; ++i) n *= 10;
  }
  return n > INT64_MAX ? INT64_MAX : static_cast<int64_t>(n);
}

IssuedQuote make_issued_quote(std::string quote_id, std::string client_id, const Listing& listing,
                              Protocol protocol, Side side, int64_t price, int64_t qty,
                              int64_t created_ns, int64_t expiry_ns) {
  return {std::move(quote_id),
          std::move(client_id),
          listing.name,
          protocol,
          side,
          price,
          qty,
          notional_of(qty, listing.qty_scale, price, listing.price_scale),
          created_ns,
          expiry_ns};
}

namespace {
std::string notional_str(int64_t n) {
  return Decimal{n, kNotionalScale}.to_trimmed_string();
}
}  // namespace

ReserveResult QuoteLedger::reserve(const IssuedQuote& q, const ListingLimit& listing,
                                   const ClientLimit& client, int64_t now_ns) {
  (void)now_ns;
  if (quotes_.count(q.quote_id))
    return {ReserveError::DuplicateId, "quote id " + q.quote_id + " is already in use"};
  auto key = std::make_pair(q.listing, q.side);
  int64_t used = outstanding_[key];
  if (listing.max_outstanding_qty > 0 && used + q.qty > listing.max_outstanding_qty)
    return {ReserveError::ListingOutstanding,
            q.listing + " has " + std::to_string(used) + " qty units in live " + to_string(q.side) +
                " quotes; this one (" + std::to_string(q.qty) + ") would pass the limit of " +
                std::to_string(listing.max_outstanding_qty) + "; retry when quotes expire or fill"};
  if (client.max_quote_notional > 0 && q.notional > client.max_quote_notional)
    return {ReserveError::ClientQuoteNotional, "notional " + notional_str(q.notional) +
                                                   " is above this client's per-quote limit of " +
                                                   notional_str(client.max_quote_notional)};
  int64_t open = open_notional_[q.client_id];
  if (client.max_open_notional > 0 && open + q.notional > client.max_open_notional)
    return {ReserveError::ClientOpenNotional,
            "this client has " + notional_str(open) + " notional in live quotes; " +
                notional_str(q.notional) + " more would pass its limit of " +
                notional_str(client.max_open_notional)};
  outstanding_[key] = used + q.qty;
  open_notional_[q.client_id] = open + q.notional;
  quotes_.emplace(q.quote_id, Entry{q, QuoteState::Live});
  deadlines_.emplace(q.expiry_ns, q.quote_id);
  return {};
}

void QuoteLedger::release(const Entry& e) {
  auto key = std::make_pair(e.quote.listing, e.quote.side);
  if ((outstanding_[key] -= e.quote.qty) == 0) outstanding_.erase(key);
  if ((open_notional_[e.quote.client_id] -= e.quote.notional) == 0)
    open_notional_.erase(e.quote.client_id);
}

FillError QuoteLedger::begin_fill(const std::string& quote_id, const std::string& client_id,
                                  int64_t qty, int64_t now_ns, IssuedQuote& out, FillCheck check) {
  auto it = quotes_.find(quote_id);
  if (it == quotes_.end()) return FillError::Unknown;
  Entry& e = it->second;
  if (check.check_client && e.quote.client_id != client_id) return FillError::NotYours;
  switch (e.state) {
    case QuoteState::Filled:
      return FillError::AlreadyFilled;
    case QuoteState::Filling:
      return FillError::InProgress;
    case QuoteState::Declined:
      return FillError::Declined;
    case QuoteState::Expired:
      if (check.enforce_expiry) return FillError::Expired;
      break;  // settled on-chain before expiry, reported late: still ours to hedge
    case QuoteState::Live:
      if (check.enforce_expiry && now_ns >= e.quote.expiry_ns) return FillError::Expired;
      break;
  }
  if (qty <= 0 || qty > e.quote.qty) return FillError::BadQty;
  if (e.state == QuoteState::Expired) {
    // Its reservation was released at expiry; take it again until the fill settles.
    auto key = std::make_pair(e.quote.listing, e.quote.side);
    outstanding_[key] += e.quote.qty;
    open_notional_[e.quote.client_id] += e.quote.notional;
  }
  e.state = QuoteState::Filling;
  out = e.quote;
  return FillError::None;
}

void QuoteLedger::commit_fill(const std::string& quote_id) {
  auto it = quotes_.find(quote_id);
  if (it == quotes_.end() || it->second.state != QuoteState::Filling) return;
  release(it->second);
  it->second.state = QuoteState::Filled;
}

void QuoteLedger::abort_fill(const std::string& quote_id, int64_t now_ns) {
  auto it = quotes_.find(quote_id);
  if (it == quotes_.end() || it->second.state != QuoteState::Filling) return;
  it->second.state = QuoteState::Live;
  if (now_ns >= it->second.quote.expiry_ns) {
    release(it->second);
    it->second.state = QuoteState::Expired;
  }
}

bool QuoteLedger::decline(const std::string& quote_id) {
  auto it = quotes_.find(quote_id);
  if (it == quotes_.end() || it->second.state != QuoteState::Live) return false;
  release(it->second);
  it->second.state = QuoteState::Declined;
  return true;
}

bool QuoteLedger::restore(const IssuedQuote& q, bool filled) {
  if (quotes_.count(q.quote_id)) return false;
  quotes_.emplace(q.quote_id, Entry{q, filled ? QuoteState::Filled : QuoteState::Expired});
  deadlines_.emplace(q.expiry_ns, q.quote_id);
  return true;
}

size_t QuoteLedger::sweep(int64_t now_ns, std::vector<std::string>* expired,
                          std::vector<std::string>* forgotten) {
  size_t n = 0;
  while (!deadlines_.empty() && deadlines_.top().first <= now_ns) {
    auto [when, id] = deadlines_.top();
    deadlines_.pop();
    auto it = quotes_.find(id);
    if (it == quotes_.end()) continue;
    Entry& e = it->second;
    if (e.state == QuoteState::Filling) {  // a fill in progress settles first; look again soon
      deadlines_.emplace(now_ns + 1'000'000'000, id);
      continue;
    }
    if (when < e.quote.expiry_ns + grace_ns_) {  // its expiry
      if (e.state == QuoteState::Live) {
        release(e);
        e.state = QuoteState::Expired;
      }
      if (expired) expired->push_back(id);
      deadlines_.emplace(e.quote.expiry_ns + grace_ns_, id);
      continue;
    }
    if (forgotten) forgotten->push_back(id);
    quotes_.erase(it);
    ++n;
  }
  return n;
}

const IssuedQuote* QuoteLedger::find(const std::string& quote_id) const {
  auto it = quotes_.find(quote_id);
  return it == quotes_.end() ? nullptr : &it->second.quote;
}

QuoteState QuoteLedger::state(const std::string& quote_id) const {
  auto it = quotes_.find(quote_id);
  return it == quotes_.end() ? QuoteState::Expired : it->second.state;
}

int64_t QuoteLedger::outstanding(const std::string& listing, Side side) const {
  auto it = outstanding_.find({listing, side});
  return it == outstanding_.end() ? 0 : it->second;
}

int64_t QuoteLedger::open_notional(const std::string& client_id) const {
  auto it = open_notional_.find(client_id);
  return it == open_notional_.end() ? 0 : it->second;
}

}  // namespace aq::rfq
