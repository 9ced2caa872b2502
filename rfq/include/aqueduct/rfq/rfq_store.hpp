#pragma once
// What rfq records in PostgreSQL: clients, quotes and fills.
//  - Fills are synchronous: a fill, its quote row and the quote's change to 'filled' commit in
//    one transaction before anyone hears about the fill.
//  - Quotes are written behind (QuoteRecorder, batched off the event loop): at tens of
//    thousands of quotes a second a commit each is not possible, and a fill writes its quote
//    row itself if the writer has not yet.
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "aqueduct/record/batch_writer.hpp"
#include "aqueduct/rfq/quote_ledger.hpp"

namespace aq::rfq {

struct Client {
  std::string client_id;
  std::string name;
  std::string tier;
  bool zero_fee = false;
  Protocol protocol = Protocol::Native;
  std::string api_key_id;    // native clients only: the public id their requests are signed under
  ClientLimit limits;        // notionals at kNotionalScale
  int rate_limit_per_s = 0;  // 0: the desk's default
  bool active = true;
};

// An operator's change to a client; unset fields stay as they are.
struct ClientChange {
  std::optional<std::string> name{}, tier{};
  std::optional<bool> zero_fee{}, active{};
  std::optional<int64_t> max_quote_notional{};  // at kNotionalScale; 0 clears the limit
  std::optional<int64_t> max_open_notional{};
  std::optional<int> rate_limit_per_s{};  // 0: back to the desk's default
};

// Where a fill settles: natively (the record is the trade), or on a chain.
enum class Settlement { Native, Pending, Seen, Confirmed, Unsettled };
const char* to_string(Settlement s);

// The chain's proof of a fill: its settlement event's log.
struct ChainProof {
  uint64_t chain_id = 0;
  std::string tx_hash;  // 0x + 64 lower-case hex digits
  uint64_t log_index = 0;
  uint64_t block_number = 0;
  std::string block_hash;
};

struct FillRecord {
  std::string fill_id;
  IssuedQuote quote;
  int64_t qty = 0;  // filled, listing qty units (<= quote.qty)
  int64_t filled_ns = 0;
  std::string external_ref;  // the protocol's trade id or the client's accept id; may be empty
  Settlement settlement = Settlement::Native;
  uint64_t chain_id = 0;            // the chain it settles on (0: native)
  std::optional<ChainProof> proof;  // with Seen: the event that made or settled the fill
};

// A quote as recorded: the ledger's quote plus what was shown to the taker.
struct QuoteRow {
  IssuedQuote quote;
  std::string listing_price;  // exact decimal strings
  std::string listing_qty;
  std::string breakdown_json;
  std::string signed_order_json;  // empty for unsigned (native) quotes
  bool declined = false;          // an update of an earlier row, not an insert
};

QuoteRow make_quote_row(const IssuedQuote& q, const Listing& l, std::string breakdown_json,
                        std::string signed_order_json = {});

class RfqStore {
 public:
  explicit RfqStore(std::unique_ptr<pqxx::connection> conn);

  // Every client, inactive ones included (marked so).
  std::vector<Client> load_clients();
  // Creates a native client signing under `api_key_id` (see ClientKeys), then applies `change`.
  // Throws if the id is taken.
  void create_client(const std::string& client_id, const std::string& name,
                     const std::string& api_key_id, const ClientChange& change = {});
  // Applies `change` (and an audit row naming `actor`); throws if there is no such client.
  void change_client(const std::string& client_id, const ClientChange& change,
                     const std::string& actor);
  // A quote as recorded, for a settlement reported after the desk forgot it: the quote and
  // its status ("live", "filled", "declined"); nullopt if there is no such quote.
  std::optional<std::pair<IssuedQuote, std::string>> load_quote(const std::string& quote_id,
                                                                const Universe& universe);
  // A new key id for a native client; its old one stops working at the gateways' next reload.
  void rekey_client(const std::string& client_id, const std::string& api_key_id,
                    const std::string& actor);
  // The client row an aggregator connection's quotes and fills belong to; created if missing.
  void ensure_protocol_client(const std::string& client_id, Protocol protocol,
                              const std::string& tier);
  // Commits the fill (and the quote row if the writer has not written it yet). Returns the
  // fill already recorded when `external_ref` was seen before for this client and protocol
  // (an idempotent replay if it is for the same quote, a reused reference if not; nothing is
  // written either way); nullopt when this fill is new. Throws if it cannot commit, including
  // when the quote is already filled.
  struct EarlierFill {
    std::string fill_id;
    std::string quote_id;
  };
  std::optional<EarlierFill> record_fill(const FillRecord& f, const QuoteRow& quote_row,
                                         const Listing& l);

 private:
  std::unique_ptr<pqxx::connection> conn_;
};

// Quotes and declines, written behind in batches.
class QuoteRecorder {
 public:
  explicit QuoteRecorder(std::string database_url);
  void push(QuoteRow row) { writer_.push(std::move(row)); }
  bool flush(int64_t timeout_ms) { return writer_.flush(timeout_ms); }
  uint64_t written() const { return writer_.written(); }

 private:
  record::BatchWriter<QuoteRow> writer_;
};

}  // namespace aq::rfq
