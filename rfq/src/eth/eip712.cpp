#include "aqueduct/eth/eip712.hpp"

#include <algorithm>
#include <stdexcept>

namespace aq::eth {

Word word(const Address& a) {
  Word w{};
  std::copy(a.bytes.begin(), a.bytes.end(), w.begin() + 12);
  return w;
}

Word word(const UInt256& v) {
  return v.to_be_bytes();
}

Word word_u64(uint64_t v) {
  return UInt256(v).to_be_bytes();
}

Word word_bool(bool v) {
  return word_u64(v ? 1 : 0);
}

Word word_string(std::string_view s) {
  return keccak256(s);
}

Word word_array(std::span<const Word> elements) {
  Keccak256 k;
  for (const auto& e : elements) k.update(e);
  return k.finish();
}

bool fits_bits(const UInt256& v, unsigned bits) {
  if (bits >= 256) return true;
  for (unsigned limb = 0; limb < 4; ++limb) {
    unsigned lo = limb * 64;
    uint64_t l = v.limb(static_cast<int>(limb));
    if (lo >= bits) {
      if (l != 0) return false;
    } else if (bits - lo < 64 && (l >> (bits - lo)) != 0) {
      return false;
    }
  }
  return true;
}

StructType::StructType(std::string name, std::vector<Member> members,
                       std::vector<const StructType*> referenced)
    : name_(std::move(name)), members_(std::move(members)) {
  std::sort(referenced.begin(), referenced.end(),
            [](const StructType* a, const StructType* b) { return a->name() < b->name(); });
  referenced.erase(std::unique(referenced.begin(), referenced.end()), referenced.end());
  encoded_ = own_signature();
  for (const auto* r : referenced) encoded_ += r->own_signature();
  type_hash_ = keccak256(encoded_);
}

std::string StructType::own_signature() const {
  std::string s = name_ + "(";
  for (size_t i = 0; i < members_.size(); ++i) {
    if (i) s += ',';
    s += members_[i].type + ' ' + members_[i].name;
  }
  return s + ')';
}

Hash32 StructType::hash(std::span<const Word> values) const {
  if (values.size() != members_.size())
    throw std::invalid_argument(name_ + " has " + std::to_string(members_.size()) + " members; " +
                                std::to_string(values.size()) + " values given");
  Keccak256 k;
  k.update(type_hash_);
  for (const auto& v : values) k.update(v);
  return k.finish();
}

Hash32 Domain::separator() const {
  static const StructType with_version("EIP712Domain", {{"string", "name"},
                                                        {"string", "version"},
                                                        {"uint256", "chainId"},
                                                        {"address", "verifyingContract"}});
  static const StructType without_version(
      "EIP712Domain",
      {{"string", "name"}, {"uint256", "chainId"}, {"address", "verifyingContract"}});
  if (version)
    return with_version.hash(
        {word_string(name), word_string(*version), word_u64(chain_id), word(verifying_contract)});
  return without_version.hash({word_string(name), word_u64(chain_id), word(verifying_contract)});
}

Hash32 eip712_digest(const Hash32& domain_separator, const Hash32& struct_hash) {
  static constexpr uint8_t kPrefix[2] = {0x19, 0x01};
  return Keccak256{}.update(kPrefix).update(domain_separator).update(struct_hash).finish();
}

Hash32 eip191_digest(const Hash32& hash) {
  return Keccak256{}
      .update(
          "\x19"
          "Ethereum Signed Message:\n32")
      .update(hash)
      .finish();
}

}  // namespace aq::eth
