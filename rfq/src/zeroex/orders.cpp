#include "aqueduct/rfq/zeroex/orders.hpp"

#include <stdexcept>

namespace aq::rfq::zeroex {

using eth::word;
using eth::word_u64;

eth::Domain domain(uint64_t chain_id, const Address& exchange_proxy) {
  return {"ZeroEx", std::string("1.0.0"), chain_id, exchange_proxy};
}

const eth::StructType& rfq_order_type() {
  static const eth::StructType t("RfqOrder", {{"address", "makerToken"},
                                              {"address", "takerToken"},
                                              {"uint128", "makerAmount"},
                                              {"uint128", "takerAmount"},
                                              {"address", "maker"},
                                              {"address", "taker"},
                                              {"address", "txOrigin"},
                                              {"bytes32", "pool"},
                                              {"uint64", "expiry"},
                                              {"uint256", "salt"}});
  return t;
}

const eth::StructType& otc_order_type() {
  static const eth::StructType t("OtcOrder", {{"address", "makerToken"},
                                              {"address", "takerToken"},
                                              {"uint128", "makerAmount"},
                                              {"uint128", "takerAmount"},
                                              {"address", "maker"},
                                              {"address", "taker"},
                                              {"address", "txOrigin"},
                                              {"uint256", "expiryAndNonce"}});
  return t;
}

namespace {
void check_u128(const UInt256& a, const UInt256& b) {
  if (!eth::fits_bits(a, 128) || !eth::fits_bits(b, 128))
    throw std::invalid_argument("0x order amounts must fit uint128");
}
}  // namespace

Hash32 struct_hash(const RfqOrder& o) {
  check_u128(o.maker_amount, o.taker_amount);
  return rfq_order_type().hash({word(o.maker_token), word(o.taker_token), word(o.maker_amount),
                                word(o.taker_amount), word(o.maker), word(o.taker),
                                word(o.tx_origin), o.pool, word_u64(o.expiry), word(o.salt)});
}

Hash32 struct_hash(const OtcOrder& o) {
  check_u128(o.maker_amount, o.taker_amount);
  return otc_order_type().hash({word(o.maker_token), word(o.taker_token), word(o.maker_amount),
                                word(o.taker_amount), word(o.maker), word(o.taker),
                                word(o.tx_origin), word(o.expiry_and_nonce)});
}

UInt256 pack_expiry_and_nonce(uint64_t expiry, uint64_t bucket, const UInt256& nonce) {
  if (!eth::fits_bits(nonce, 128)) throw std::invalid_argument("OtcOrder nonce must fit uint128");
  auto b = nonce.to_be_bytes();
  for (int i = 0; i < 8; ++i) {
    b[static_cast<size_t>(i)] = static_cast<uint8_t>(expiry >> (56 - 8 * i));
    b[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(bucket >> (56 - 8 * i));
  }
  return UInt256::from_be_bytes(b);
}

uint64_t expiry_of(const UInt256& expiry_and_nonce) {
  return expiry_and_nonce.limb(3);
}

boost::json::object signature_json(const eth::Signature& sig, SignatureType type) {
  return {{"signatureType", static_cast<int>(type)},
          {"v", static_cast<int>(sig.v)},
          {"r", sig.r_hex()},
          {"s", sig.s_hex()}};
}

boost::json::object to_json(const RfqOrder& o) {
  return {{"makerToken", o.maker_token.to_hex()},
          {"takerToken", o.taker_token.to_hex()},
          {"makerAmount", o.maker_amount.to_decimal()},
          {"takerAmount", o.taker_amount.to_decimal()},
          {"maker", o.maker.to_hex()},
          {"taker", o.taker.to_hex()},
          {"txOrigin", o.tx_origin.to_hex()},
          {"pool", eth::to_hex0x(o.pool)},
          {"expiry", std::to_string(o.expiry)},
          {"salt", o.salt.to_decimal()}};
}

boost::json::object to_json(const OtcOrder& o) {
  return {{"makerToken", o.maker_token.to_hex()},
          {"takerToken", o.taker_token.to_hex()},
          {"makerAmount", o.maker_amount.to_decimal()},
          {"takerAmount", o.taker_amount.to_decimal()},
          {"maker", o.maker.to_hex()},
          {"taker", o.taker.to_hex()},
          {"txOrigin", o.tx_origin.to_hex()},
          {"expiryAndNonce", o.expiry_and_nonce.to_decimal()}};
}

namespace {

// Reads an order's fields from 0x's JSON; the first bad field is named in `why`.
struct FieldReader {
  const boost::json::object& o;
  std::string& why;
  std::optional<std::string> text(const char* k) {
    auto* v = o.if_contains(k);
    if (!v || !v->is_string()) {
      if (why.empty()) why = std::string("order.") + k + " is required (a string)";
      return std::nullopt;
    }
    return std::string(v->as_string());
  }
  bool addr(const char* k, Address& out) {
    auto t = text(k);
    auto a = t ? Address::parse(*t) : std::nullopt;
    if (t && !a && why.empty()) why = std::string("order.") + k + " is not a valid address";
    if (a) out = *a;
    return a.has_value();
  }
  bool num(const char* k, UInt256& out) {
    auto t = text(k);
    auto v = t ? UInt256::from_decimal(*t) : std::nullopt;
    if (t && !v && why.empty()) why = std::string("order.") + k + " is not a whole number";
    if (v) out = *v;
    return v.has_value();
  }
};

}  // namespace

std::optional<RfqOrder> rfq_order_from_json(const boost::json::object& o, std::string& why) {
  FieldReader f{o, why};
  RfqOrder r;
  UInt256 expiry;
  if (!f.addr("makerToken", r.maker_token) || !f.addr("takerToken", r.taker_token) ||
      !f.num("makerAmount", r.maker_amount) || !f.num("takerAmount", r.taker_amount) ||
      !f.addr("maker", r.maker) || !f.addr("taker", r.taker) || !f.addr("txOrigin", r.tx_origin) ||
      !f.num("expiry", expiry) || !f.num("salt", r.salt))
    return std::nullopt;
  auto pool = f.text("pool");
  auto p = pool ? eth::parse_bytes32(*pool) : std::nullopt;
  if (!p) {
    if (pool) why = "order.pool must be 0x + 64 hex digits";
    return std::nullopt;
  }
  r.pool = *p;
  if (!eth::fits_bits(expiry, 64) || !eth::fits_bits(r.maker_amount, 128) ||
      !eth::fits_bits(r.taker_amount, 128)) {
    why = "order amounts must fit uint128 and expiry uint64";
    return std::nullopt;
  }
  r.expiry = expiry.limb(0);
  return r;
}

std::optional<OtcOrder> otc_order_from_json(const boost::json::object& o, std::string& why) {
  FieldReader f{o, why};
  OtcOrder r;
  if (!f.addr("makerToken", r.maker_token) || !f.addr("takerToken", r.taker_token) ||
      !f.num("makerAmount", r.maker_amount) || !f.num("takerAmount", r.taker_amount) ||
      !f.addr("maker", r.maker) || !f.addr("taker", r.taker) || !f.addr("txOrigin", r.tx_origin) ||
      !f.num("expiryAndNonce", r.expiry_and_nonce))
    return std::nullopt;
  if (!eth::fits_bits(r.maker_amount, 128) || !eth::fits_bits(r.taker_amount, 128)) {
    why = "order amounts must fit uint128";
    return std::nullopt;
  }
  return r;
}

}  // namespace aq::rfq::zeroex
