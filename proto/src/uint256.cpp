#include "aqueduct/types/uint256.hpp"

#include <algorithm>

#include "aqueduct/types/decimal.hpp"

namespace aq {

using u128 = uint128;

std::strong_ordering operator<=>(const UInt256& a, const UInt256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.limb(i) != b.limb(i)) return a.limb(i) <=> b.limb(i);
  }
  return std::strong_ordering::equal;
}

UInt256 UInt256::max() {
  UInt256 r;
  r.limbs_ = {~0ULL, ~0ULL, ~0ULL, ~0ULL};
  return r;
}

std::optional<UInt256> UInt256::checked_add(const UInt256& o) const {
  UInt256 r;
  u128 carry = 0;
  for (size_t i = 0; i < 4; ++i) {
    u128 s = static_cast<u128>(limbs_[i]) + o.limbs_[i] + carry;
    r.limbs_[i] = static_cast<uint64_t>(s);
    carry = s >> 64;
  }
  if (carry) return std::nullopt;
  return r;
}

std::optional<UInt256> UInt256::checked_sub(const UInt256& o) const {
  if (*this < o) return std::nullopt;
  UInt256 r;
  uint64_t borrow = 0;
  for (size_t i = 0; i < 4; ++i) {
    u128 lhs = limbs_[i];
    u128 rhs = static_cast<u128>(o.limbs_[i]) + borrow;
    if (lhs >= rhs) {
      r.limbs_[i] = static_cast<uint64_t>(lhs - rhs);
      borrow = 0;
    } else {
      r.limbs_[i] = static_cast<uint64_t>((static_cast<u128>(1) << 64) + lhs - rhs);
      borrow = 1;
    }
  }
  return r;
}

std::optional<UInt256> UInt256::checked_mul(const UInt256& o) const {
  // Schoolbook multiplication into 8 limbs; any non-zero high limb is an overflow.
  uint64_t out[8] = {};
  for (size_t i = 0; i < 4; ++i) {
    u128 carry = 0;
    for (size_t j = 0; j < 4; ++j) {
      u128 cur = static_cast<u128>(limbs_[i]) * o.limbs_[j] + out[i + j] + carry;
      out[i + j] = static_cast<uint64_t>(cur);
      carry = cur >> 64;
    }
    out[i + 4] = static_cast<uint64_t>(carry);
  }
  for (size_t k = 4; k < 8; ++k)
    if (out[k]) return std::nullopt;
  UInt256 r;
  std::copy(out, out + 4, r.limbs_.begin());
  return r;
}

UInt256 UInt256::div_small(uint64_t d, uint64_t* remainder) const {
  UInt256 q;
  u128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    u128 cur = (rem << 64) | limbs_[static_cast<size_t>(i)];
    q.limbs_[static_cast<size_t>(i)] = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  if (remainder) *remainder = static_cast<uint64_t>(rem);
  return q;
}

UInt256 UInt256::pow10(unsigned n) {
  UInt256 r(1);
  for (unsigned i = 0; i < n; ++i) r = *r.checked_mul(UInt256(10));
  return r;
}

std::optional<UInt256> UInt256::from_decimal(std::string_view s) {
  if (s.empty() || s.size() > 78) return std::nullopt;
  UInt256 r;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    auto m = r.checked_mul(UInt256(10));
    if (!m) return std::nullopt;
    auto a = m->checked_add(UInt256(static_cast<uint64_t>(c - '0')));
    if (!a) return std::nullopt;
    r = *a;
  }
  return r;
}

std::optional<UInt256> UInt256::from_hex(std::string_view s) {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty() || s.size() > 64) return std::nullopt;
  UInt256 r;
  for (char c : s) {
    uint64_t v;
    if (c >= '0' && c <= '9') v = static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v = static_cast<uint64_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v = static_cast<uint64_t>(c - 'A' + 10);
    else return std::nullopt;
    // Shift left by 4 bits across limbs.
    for (size_t i = 3; i > 0; --i) r.limbs_[i] = (r.limbs_[i] << 4) | (r.limbs_[i - 1] >> 60);
    r.limbs_[0] = (r.limbs_[0] << 4) | v;
  }
  return r;
}

std::string UInt256::to_decimal() const {
  if (is_zero()) return "0";
  std::string out;
  UInt256 cur = *this;
  while (!cur.is_zero()) {
    uint64_t rem = 0;
    cur = cur.div_small(10, &rem);
    out.push_back(static_cast<char>('0' + rem));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string UInt256::to_hex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 3; i >= 0; --i) {
    for (int nib = 15; nib >= 0; --nib) {
      auto v = (limbs_[static_cast<size_t>(i)] >> (nib * 4)) & 0xF;
      if (out.empty() && v == 0) continue;
      out.push_back(kHex[v]);
    }
  }
  return "0x" + (out.empty() ? std::string("0") : out);
}

std::array<uint8_t, 32> UInt256::to_be_bytes() const {
  std::array<uint8_t, 32> b{};
  for (size_t i = 0; i < 4; ++i) {
    for (size_t k = 0; k < 8; ++k) {
      b[31 - (i * 8 + k)] = static_cast<uint8_t>(limbs_[i] >> (k * 8));
    }
  }
  return b;
}

std::optional<UInt256> UInt256::checked_div(const UInt256& d, UInt256* remainder) const {
  if (d.is_zero()) return std::nullopt;
  // Shift-subtract long division, one bit at a time from the top: 256 steps, no overflow.
  UInt256 q, r;
  for (int bit = 255; bit >= 0; --bit) {
    // r = (r << 1) | bit
    for (size_t i = 3; i > 0; --i) r.limbs_[i] = (r.limbs_[i] << 1) | (r.limbs_[i - 1] >> 63);
    r.limbs_[0] = (r.limbs_[0] << 1) | ((limbs_[static_cast<size_t>(bit / 64)] >> (bit % 64)) & 1);
    if (r >= d) {
      r = *r.checked_sub(d);
      q.limbs_[static_cast<size_t>(bit / 64)] |= uint64_t{1} << (bit % 64);
    }
  }
  if (remainder) *remainder = r;
  return q;
}

UInt256 UInt256::from_be_bytes(const std::array<uint8_t, 32>& b) {
  UInt256 v;
  for (size_t i = 0; i < 4; ++i)
    for (size_t k = 0; k < 8; ++k) v.limbs_[i] |= uint64_t{b[31 - (i * 8 + k)]} << (k * 8);
  return v;
}

std::optional<UInt256> to_base_units(const Decimal& amount, unsigned token_decimals) {
  if (amount.units < 0) return std::nullopt;
  if (static_cast<unsigned>(amount.scale) > token_decimals) {
    // Only allowed if the extra digits are zeros.
    int64_t div = pow10(amount.scale - static_cast<int>(token_decimals));
    if (amount.units % div != 0) return std::nullopt;
    return UInt256(static_cast<uint64_t>(amount.units / div));
  }
  return UInt256(static_cast<uint64_t>(amount.units))
      .checked_mul(UInt256::pow10(token_decimals - static_cast<unsigned>(amount.scale)));
}

}  // namespace aq
