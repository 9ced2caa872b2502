#include "aqueduct/chain/abi.hpp"

#include <algorithm>

namespace aq::chain {
namespace {

bool zero_prefix(std::span<const uint8_t> word, size_t n) {
  return std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(n),
                     [](uint8_t b) { return b == 0; });
}

void append_word(std::string& hex, std::span<const uint8_t> right_aligned) {
  std::array<uint8_t, 32> w{};
  std::copy(right_aligned.begin(), right_aligned.end(),
            w.begin() + static_cast<std::ptrdiff_t>(32 - right_aligned.size()));
  hex += eth::to_hex0x(w).substr(2);
}

}  // namespace

std::optional<eth::Hash32> AbiWords::bytes32(size_t i) const {
  if (i >= count()) return std::nullopt;
  eth::Hash32 h;
  std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(i * 32), 32, h.begin());
  return h;
}

std::optional<UInt256> AbiWords::uint256(size_t i) const {
  auto w = bytes32(i);
  if (!w) return std::nullopt;
  return UInt256::from_be_bytes(*w);
}

std::optional<UInt256> AbiWords::uint128(size_t i) const {
  auto w = bytes32(i);
  if (!w || !zero_prefix(*w, 16)) return std::nullopt;
  return UInt256::from_be_bytes(*w);
}

std::optional<eth::Address> AbiWords::address(size_t i) const {
  auto w = bytes32(i);
  if (!w || !zero_prefix(*w, 12)) return std::nullopt;
  eth::Address a;
  std::copy(w->begin() + 12, w->end(), a.bytes.begin());
  return a;
}

eth::Hash32 signature_hash(std::string_view signature) {
  return eth::keccak256(signature);
}

std::array<uint8_t, 4> selector(std::string_view signature) {
  auto h = signature_hash(signature);
  return {h[0], h[1], h[2], h[3]};
}

std::string balance_of_call(const eth::Address& owner) {
  std::string hex = eth::to_hex0x(selector("balanceOf(address)"));
  append_word(hex, owner.bytes);
  return hex;
}

std::string allowance_call(const eth::Address& owner, const eth::Address& spender) {
  std::string hex = eth::to_hex0x(selector("allowance(address,address)"));
  append_word(hex, owner.bytes);
  append_word(hex, spender.bytes);
  return hex;
}

std::optional<UInt256> decode_uint256_result(std::string_view hex, std::string& why) {
  if (hex.size() != 66 || hex.substr(0, 2) != "0x") {
    why = "an eth_call answer for a uint256 must be 0x and 64 hex digits; got " +
          std::to_string(hex.size()) + " characters" +
          (hex == "0x" ? " (\"0x\": no contract at that address, or it reverted)" : "");
    return std::nullopt;
  }
  auto b = eth::parse_bytes32(hex);
  if (!b) {
    why = "an eth_call answer for a uint256 has a character that is not hex";
    return std::nullopt;
  }
  return UInt256::from_be_bytes(*b);
}

}  // namespace aq::chain
