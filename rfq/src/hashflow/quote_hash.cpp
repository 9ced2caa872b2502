#include "aqueduct/rfq/hashflow/quote_hash.hpp"

namespace aq::rfq::hashflow {

Hash32 packed_hash(const RfqTQuoteFields& q) {
  eth::Keccak256 k;
  for (const Address* a : {&q.pool, &q.trader, &q.effective_trader, &q.external_account,
                           &q.base_token, &q.quote_token})
    k.update(a->bytes);
  k.update(q.base_token_amount.to_be_bytes());
  k.update(q.quote_token_amount.to_be_bytes());
  k.update(q.nonce.to_be_bytes());
  k.update(eth::word_u64(q.quote_expiry));
  k.update(q.txid);
  k.update(eth::word_u64(q.chain_id));
  return k.finish();
}

}  // namespace aq::rfq::hashflow
