#pragma once
// Solidity ABI, only as much as settlement needs: reading the static 32-byte words of an
// event's data (addresses, uint128/uint256 amounts, bytes32 ids) strictly, and encoding the
// two ERC-20 views the wallet is read with. Pure.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aqueduct/eth/hex.hpp"
#include "aqueduct/types/uint256.hpp"

namespace aq::chain {

// The static words of ABI-encoded data. Each read checks the word's shape: an address has
// twelve zero bytes above it, a uint128 sixteen, so a log whose layout is not the event's is
// refused rather than misread.
class AbiWords {
 public:
  explicit AbiWords(std::span<const uint8_t> data) : data_(data) {}
  size_t count() const { return data_.size() / 32; }
  // Exactly `n` words (events with only static parameters have a fixed size).
  bool has_exactly(size_t n) const { return data_.size() == n * 32; }

  std::optional<eth::Hash32> bytes32(size_t i) const;
  std::optional<UInt256> uint256(size_t i) const;
  std::optional<UInt256> uint128(size_t i) const;
  std::optional<eth::Address> address(size_t i) const;

 private:
  std::span<const uint8_t> data_;
};

// keccak256 of a function or event signature, e.g. "Transfer(address,address,uint256)".
eth::Hash32 signature_hash(std::string_view signature);
// The first four bytes of signature_hash: a function's selector.
std::array<uint8_t, 4> selector(std::string_view signature);

// Call data for ERC-20 views, 0x-prefixed hex as eth_call's "data" wants it.
std::string balance_of_call(const eth::Address& owner);
std::string allowance_call(const eth::Address& owner, const eth::Address& spender);
// An eth_call answer holding one uint256 (exactly 32 bytes, 0x-prefixed hex).
std::optional<UInt256> decode_uint256_result(std::string_view hex, std::string& why);

}  // namespace aq::chain
