#include "aqueduct/rfq/bebop/single_order.hpp"

namespace aq::rfq::bebop {

using eth::word;
using eth::word_u64;

eth::Domain domain(uint64_t chain_id, const Address& settlement) {
  return {"BebopSettlement", std::string("2"), chain_id, settlement};
}

const eth::StructType& single_order_type() {
  static const eth::StructType t("SingleOrder", {{"uint64", "partner_id"},
                                                 {"uint256", "expiry"},
                                                 {"address", "taker_address"},
                                                 {"address", "maker_address"},
                                                 {"uint256", "maker_nonce"},
                                                 {"address", "taker_token"},
                                                 {"address", "maker_token"},
                                                 {"uint256", "taker_amount"},
                                                 {"uint256", "maker_amount"},
                                                 {"address", "receiver"},
                                                 {"uint256", "packed_commands"}});
  return t;
}

Hash32 struct_hash(const SingleOrder& o) {
  return single_order_type().hash(
      {word_u64(o.partner_id), word_u64(o.expiry), word(o.taker_address), word(o.maker_address),
       word(o.maker_nonce), word(o.taker_token), word(o.maker_token), word(o.taker_amount),
       word(o.maker_amount), word(o.receiver), word(o.packed_commands)});
}

}  // namespace aq::rfq::bebop
