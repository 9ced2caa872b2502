#pragma once
// EIP-712 typed structured data, for the fixed structs the venues use (0x RfqOrder/OtcOrder,
// Bebop SingleOrder, Permit2 witnesses...): a struct type is declared once with its members in
// order, values are given as 32-byte ABI words, and the digest is
//   keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)).
// EIP-191 (personal_sign) is here too: Hashflow and 0x's EthSign type sign
//   keccak256("\x19Ethereum Signed Message:\n32" ‖ hash).
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/eth/keccak.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::eth {

using Word = Hash32;

Word word(const Address& a);  // 12 zero bytes ‖ address
Word word(const UInt256& v);  // big-endian uint256 (the caller checks uintN width)
Word word_u64(uint64_t v);
Word word_bool(bool v);
Word word_string(std::string_view s);             // string and bytes members are hashed
Word word_array(std::span<const Word> elements);  // T[]: keccak of the concatenated words
// True when `v` fits an N-bit unsigned ABI type (uint128 amounts, uint64 expiries...).
bool fits_bits(const UInt256& v, unsigned bits);

struct Member {
  std::string type;  // "address", "uint128", "bytes32", or a struct's name
  std::string name;
};

class StructType {
 public:
  // `referenced`: every struct type reachable from the members (their order does not matter;
  // encodeType sorts them by name as EIP-712 requires).
  StructType(std::string name, std::vector<Member> members,
             std::vector<const StructType*> referenced = {});
  const std::string& name() const { return name_; }
  size_t size() const { return members_.size(); }
  // "Name(type1 name1,...)" followed by the referenced types' own strings, sorted by name.
  const std::string& encode_type() const { return encoded_; }
  const Hash32& type_hash() const { return type_hash_; }
  // keccak256(typeHash ‖ values); throws std::invalid_argument if the count is wrong.
  Hash32 hash(std::span<const Word> values) const;
  Hash32 hash(std::initializer_list<Word> values) const {
    return hash(std::span<const Word>(values.begin(), values.size()));
  }

 private:
  std::string own_signature() const;
  std::string name_;
  std::vector<Member> members_;
  std::string encoded_;
  Hash32 type_hash_{};
};

struct Domain {
  std::string name;
  std::optional<std::string> version;  // Permit2's domain has none
  uint64_t chain_id = 1;
  Address verifying_contract;
  Hash32 separator() const;
};

Hash32 eip712_digest(const Hash32& domain_separator, const Hash32& struct_hash);
Hash32 eip191_digest(const Hash32& hash);

}  // namespace aq::eth
