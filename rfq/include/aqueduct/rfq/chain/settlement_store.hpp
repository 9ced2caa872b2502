#pragma once
// What the settlement watcher records: each fill's settlement as the chain shows it, unwinds
// of fills that did not settle, every settlement event of ours, and how far each chain has
// been read. Fills themselves are recorded by the quote desk (RfqStore::record_fill).
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "aqueduct/rfq/rfq_store.hpp"

namespace aq::rfq::chain {

class SettlementStore {
 public:
  explicit SettlementStore(std::unique_ptr<pqxx::connection> conn);

  // A fill's event was seen (Seen, with its proof), is deep enough (Confirmed), or its block
  // left the chain (Pending again; the last proof is kept for the record).
  void mark(const std::string& fill_id, Settlement s, const std::optional<ChainProof>& proof);
  // The fill did not settle: it is marked unsettled and an unwind fill (the same trade the
  // other way round) is recorded in the same transaction, with an audit row naming `actor`
  // and `reason`. Returns the unwind to publish; nullopt if the fill was already unwound.
  std::optional<FillRecord> unwind(const std::string& fill_id, const std::string& reason,
                                   const std::string& actor, int64_t now_ns,
                                   const Universe& universe);
  // Every settlement event of ours, matched or not, once per log.
  void record_event(const ChainProof& p, const std::string& event, const std::string& order_ref,
                    const std::string& maker_amount, const std::string& taker_amount,
                    const std::string& fill_id, const std::string& outcome);
  // The last block whose logs were all applied, per chain.
  std::optional<std::pair<uint64_t, std::string>> cursor(uint64_t chain_id);
  void save_cursor(uint64_t chain_id, uint64_t block_number, const std::string& block_hash);

  // A fill still waiting on the chain (Pending or Seen), with its quote's signed order.
  struct Open {
    std::string fill_id;
    std::string quote_id;
    Settlement settlement = Settlement::Pending;
    std::optional<ChainProof> proof;
  };
  std::vector<Open> open_fills(uint64_t chain_id);
  // Signed quotes that may still settle on-chain (protocols zeroex and hashflow, not declined,
  // expiring at or after `since_s`), with their signed order as the taker holds it.
  struct Signed {
    std::string quote_id;
    std::string protocol;
    std::string signed_order_json;
    int64_t expiry_s = 0;
  };
  std::vector<Signed> signed_quotes(int64_t since_s);

 private:
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace aq::rfq::chain
