#include "aqueduct/eth/hex.hpp"

namespace aq::eth {
namespace {

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view strip_0x(std::string_view t) {
  if (t.size() >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t.remove_prefix(2);
  return t;
}

}  // namespace

std::string to_hex0x(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 + 2 * bytes.size(), '0');
  out[1] = 'x';
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 + 2 * i] = kDigits[bytes[i] >> 4];
    out[3 + 2 * i] = kDigits[bytes[i] & 15];
  }
  return out;
}

std::optional<std::vector<uint8_t>> parse_hex(std::string_view text) {
  text = strip_0x(text);
  if (text.size() % 2 != 0) return std::nullopt;
  std::vector<uint8_t> out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::optional<Hash32> parse_bytes32(std::string_view text) {
  if (strip_0x(text).size() != 64) return std::nullopt;
  auto v = parse_hex(text);
  if (!v) return std::nullopt;
  Hash32 h;
  std::copy(v->begin(), v->end(), h.begin());
  return h;
}

std::optional<Address> Address::parse(std::string_view text) {
  if (text.size() != 42 || text[0] != '0' || text[1] != 'x') return std::nullopt;
  auto v = parse_hex(text);
  if (!v) return std::nullopt;
  Address a;
  std::copy(v->begin(), v->end(), a.bytes.begin());
  auto digits = text.substr(2);
  bool lower = false, upper = false;
  for (char c : digits) {
    lower |= (c >= 'a' && c <= 'f');
    upper |= (c >= 'A' && c <= 'F');
  }
  if (lower && upper && a.to_checksum() != text) return std::nullopt;
  return a;
}

std::string Address::to_hex() const {
  return to_hex0x(bytes);
}

std::string Address::to_checksum() const {
  std::string hex = to_hex();
  Hash32 h = keccak256(std::string_view(hex).substr(2));
  for (size_t i = 0; i < 40; ++i) {
    char& c = hex[2 + i];
    unsigned nib = (i % 2 == 0) ? h[i / 2] >> 4 : h[i / 2] & 15;
    if (c >= 'a' && nib >= 8) c = static_cast<char>(c - 'a' + 'A');
  }
  return hex;
}

bool Address::is_zero() const {
  for (auto b : bytes)
    if (b) return false;
  return true;
}

}  // namespace aq::eth
