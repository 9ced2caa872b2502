#pragma once
// HMAC-SHA256, the request signature of most venues (Binance, Bybit, BitMEX: hex; OKX: base64).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace aq::net {

std::array<uint8_t, 32> hmac_sha256(std::string_view key, std::string_view payload);
std::string hmac_sha256_hex(std::string_view key, std::string_view payload);
std::string hmac_sha256_base64(std::string_view key, std::string_view payload);
std::string base64(const uint8_t* data, size_t n);
std::string to_hex(const uint8_t* data, size_t n);
// Constant-time comparison for signatures and key hashes.
bool constant_time_equal(std::string_view a, std::string_view b);
std::string sha256_hex(std::string_view data);
// Cryptographically random bytes as lower-case hex (2*n characters).
std::string random_hex(size_t n_bytes);

}  // namespace aq::net
