#include "aqueduct/eth/keccak.hpp"

#include <cstring>

namespace aq::eth {
namespace {

// The round constants and rotation offsets are derived here from their definitions in the
// Keccak reference (the rc LFSR and the (t+1)(t+2)/2 triangle walk) rather than typed in, so
// a mistyped table cannot exist; the test vectors check the result.
struct Tables {
  std::array<uint64_t, 24> round_constants{};
  std::array<unsigned, 25> rotation{};  // by lane index x + 5y
  std::array<unsigned, 25> pi{};        // destination lane of each source lane
};

constexpr Tables make_tables() {
  Tables t;
  // rc(t): an LFSR over GF(2)[x] / (x^8 + x^6 + x^5 + x^4 + 1), one output bit per step.
  uint8_t lfsr = 1;
  for (int round = 0; round < 24; ++round) {
    uint64_t c = 0;
    for (int j = 0; j < 7; ++j) {
      if (lfsr & 1) c |= uint64_t{1} << ((1u << j) - 1);
      lfsr = static_cast<uint8_t>((lfsr << 1) ^ ((lfsr & 0x80) ? 0x71 : 0));
    }
    t.round_constants[static_cast<size_t>(round)] = c;
  }
  unsigned x = 1, y = 0;
  for (unsigned step = 0; step < 24; ++step) {
    t.rotation[x + 5 * y] = ((step + 1) * (step + 2) / 2) % 64;
    unsigned nx = y, ny = (2 * x + 3 * y) % 5;
    x = nx;
    y = ny;
  }
  for (unsigned sx = 0; sx < 5; ++sx)
    for (unsigned sy = 0; sy < 5; ++sy) t.pi[sx + 5 * sy] = sy + 5 * ((2 * sx + 3 * sy) % 5);
  return t;
}

constexpr Tables kTables = make_tables();

constexpr uint64_t rotl(uint64_t v, unsigned n) {
  return n == 0 ? v : (v << n) | (v >> (64 - n));
}

void keccak_f1600(std::array<uint64_t, 25>& a) {
  for (uint64_t rc : kTables.round_constants) {
    uint64_t c[5];
    for (unsigned x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (unsigned x = 0; x < 5; ++x) {
      uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (unsigned y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    std::array<uint64_t, 25> b;
    for (unsigned i = 0; i < 25; ++i) b[kTables.pi[i]] = rotl(a[i], kTables.rotation[i]);
    for (unsigned y = 0; y < 25; y += 5)
      for (unsigned x = 0; x < 5; ++x)
        a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
    a[0] ^= rc;
  }
}

uint64_t load_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

void Keccak256::absorb_block() {
  for (size_t i = 0; i < kRate / 8; ++i) state_[i] ^= load_le(block_.data() + 8 * i);
  keccak_f1600(state_);
  fill_ = 0;
}

Keccak256& Keccak256::update(std::span<const uint8_t> data) {
  while (!data.empty()) {
    size_t n = std::min(kRate - fill_, data.size());
    std::memcpy(block_.data() + fill_, data.data(), n);
    fill_ += n;
    data = data.subspan(n);
    if (fill_ == kRate) absorb_block();
  }
  return *this;
}

Hash32 Keccak256::finish() {
  std::memset(block_.data() + fill_, 0, kRate - fill_);
  block_[fill_] ^= 0x01;  // Keccak's own domain padding
  block_[kRate - 1] ^= 0x80;
  absorb_block();
  Hash32 out;
  for (size_t i = 0; i < 4; ++i)
    for (size_t b = 0; b < 8; ++b) out[8 * i + b] = static_cast<uint8_t>(state_[i] >> (8 * b));
  state_ = {};
  return out;
}

Hash32 keccak256(std::span<const uint8_t> data) {
  return Keccak256{}.update(data).finish();
}
Hash32 keccak256(std::string_view text) {
  return Keccak256{}.update(text).finish();
}

}  // namespace aq::eth
