#pragma once
// What rfq records in PostgreSQL: clients (by API key hash), quotes, and fills. A fill and the
// quote's change to 'filled' commit in one transaction before the taker hears about it.
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "aqueduct/rfq/quote_book.hpp"

namespace aq::rfq {

struct Client {
  std::string client_id;
  std::string name;
  std::string tier;
  bool zero_fee = false;
  std::string api_key_sha256;
};

struct FillRecord {
  std::string fill_id;
  IssuedQuote quote;
  int64_t filled_ns = 0;
};

class RfqStore {
 public:
  explicit RfqStore(std::unique_ptr<pqxx::connection> conn);

  std::vector<Client> load_clients();
  // Creates a client and returns its new API key (shown once; only its hash is stored).
  std::string create_client(const std::string& client_id, const std::string& name,
                            const std::string& tier, bool zero_fee);
  void record_quote(const IssuedQuote& q, const Listing& listing, const std::string& breakdown_json);
  // Throws if the fill cannot be committed, including when the quote is already filled.
  void record_fill(const FillRecord& f, const Listing& listing);

 private:
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace aq::rfq
