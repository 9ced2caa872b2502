#include "aqueduct/rfq/quote_book.hpp"

namespace aq::rfq {

const char* to_string(AcceptError e) {
  switch (e) {
    case AcceptError::None: return "none";
    case AcceptError::Unknown: return "unknown_quote";
    case AcceptError::Expired: return "quote_expired";
    case AcceptError::AlreadyFilled: return "quote_already_filled";
    case AcceptError::NotYours: return "unknown_quote";  // never confirm another client's quote
  }
  return "unknown";
}

void QuoteBook::add(IssuedQuote q) {
  auto id = q.quote_id;
  quotes_.emplace(std::move(id), std::move(q));
}

AcceptError QuoteBook::accept(const std::string& quote_id, const std::string& client_id,
                              int64_t now_ns, IssuedQuote& out) {
  auto it = quotes_.find(quote_id);
  if (it == quotes_.end()) return AcceptError::Unknown;
  auto& q = it->second;
  if (q.client_id != client_id) return AcceptError::NotYours;
  if (q.filled) return AcceptError::AlreadyFilled;
  if (now_ns >= q.expiry_ns) return AcceptError::Expired;
  q.filled = true;
  out = q;
  return AcceptError::None;
}

void QuoteBook::revert_accept(const std::string& quote_id) {
  if (auto it = quotes_.find(quote_id); it != quotes_.end()) it->second.filled = false;
}

size_t QuoteBook::sweep(int64_t now_ns) {
  return std::erase_if(quotes_, [&](const auto& kv) {
    return now_ns >= kv.second.expiry_ns + grace_ns_;
  });
}

}  // namespace aq::rfq
