// Prints signed samples of every order we sign — 0x RfqOrder and OtcOrder (EIP-712), Hashflow
// RFQ-T quotes (EIP-191 over packed fields), Bebop SingleOrder (EIP-712) — one JSON object per
// line, with a fresh random key and random fields, for verify_signatures.js to check with ethers.
// Usage: sign_samples [count per kind=25]
#include <openssl/rand.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "aqueduct/eth/signer.hpp"
#include "aqueduct/rfq/bebop/single_order.hpp"
#include "aqueduct/rfq/hashflow/quote_hash.hpp"
#include "aqueduct/rfq/zeroex/orders.hpp"

using namespace aq;
using namespace aq::eth;
namespace json = boost::json;

namespace {

template <size_t N>
std::array<uint8_t, N> random_bytes() {
  std::array<uint8_t, N> b{};
  RAND_bytes(b.data(), static_cast<int>(N));
  return b;
}
Address random_address() {
  return Address{random_bytes<20>()};
}
UInt256 random_uint(unsigned bits) {
  auto b = random_bytes<32>();
  for (unsigned i = 0; i < 32; ++i)
    if (i < (256 - bits) / 8) b[i] = 0;
  return UInt256::from_be_bytes(b);
}
uint64_t random_u64() {
  auto b = random_bytes<8>();
  uint64_t v = 0;
  for (auto x : b) v = v << 8 | x;
  return v;
}
json::object domain_json(const Domain& d) {
  json::object o{{"name", d.name},
                 {"chainId", d.chain_id},
                 {"verifyingContract", d.verifying_contract.to_checksum()}};
  if (d.version) o["version"] = *d.version;
  return o;
}
json::object sig_json(const Signature& s) {
  return {{"r", s.r_hex()}, {"s", s.s_hex()}, {"v", static_cast<int>(s.v)}};
}
void emit(json::object o) {
  std::printf("%s\n", json::serialize(o).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 25;
  auto key = random_bytes<32>();
  Signer signer(MakerKey::from_hex(to_hex0x(key)));
  std::fprintf(stderr, "sign_samples: maker %s\n", signer.address().to_checksum().c_str());
  for (int i = 0; i < n; ++i) {
    uint64_t chain = 1 + random_u64() % 50000;
    {
      rfq::zeroex::RfqOrder o{random_address(), random_address(),   random_uint(128),
                              random_uint(128), signer.address(),   random_address(),
                              random_address(), random_bytes<32>(), random_u64(),
                              random_uint(256)};
      auto d = rfq::zeroex::domain(chain, random_address());
      auto digest = eip712_digest(d.separator(), rfq::zeroex::struct_hash(o));
      emit({{"kind", "zeroex_rfq"},
            {"domain", domain_json(d)},
            {"order", rfq::zeroex::to_json(o)},
            {"digest", to_hex0x(digest)},
            {"signature", sig_json(signer.sign(digest))},
            {"maker", signer.address().to_checksum()}});
    }
    {
      rfq::zeroex::OtcOrder o{
          random_address(),
          random_address(),
          random_uint(128),
          random_uint(128),
          signer.address(),
          random_address(),
          random_address(),
          rfq::zeroex::pack_expiry_and_nonce(random_u64(), random_u64(), random_uint(128))};
      auto d = rfq::zeroex::domain(chain, random_address());
      auto digest = eip712_digest(d.separator(), rfq::zeroex::struct_hash(o));
      emit({{"kind", "zeroex_otc"},
            {"domain", domain_json(d)},
            {"order", rfq::zeroex::to_json(o)},
            {"digest", to_hex0x(digest)},
            {"signature", sig_json(signer.sign(digest))},
            {"maker", signer.address().to_checksum()}});
    }
    {
      rfq::hashflow::RfqTQuoteFields q{
          random_address(),      random_address(),   random_address(),   random_address(),
          random_address(),      random_address(),   random_uint(200),   random_uint(200),
          UInt256(random_u64()), random_u64() >> 16, random_bytes<32>(), chain};
      auto digest = rfq::hashflow::digest(q);
      json::object f{{"pool", q.pool.to_hex()},
                     {"trader", q.trader.to_hex()},
                     {"effectiveTrader", q.effective_trader.to_hex()},
                     {"externalAccount", q.external_account.to_hex()},
                     {"baseToken", q.base_token.to_hex()},
                     {"quoteToken", q.quote_token.to_hex()},
                     {"baseTokenAmount", q.base_token_amount.to_decimal()},
                     {"quoteTokenAmount", q.quote_token_amount.to_decimal()},
                     {"nonce", q.nonce.to_decimal()},
                     {"quoteExpiry", std::to_string(q.quote_expiry)},
                     {"txid", to_hex0x(q.txid)},
                     {"chainId", std::to_string(q.chain_id)}};
      emit({{"kind", "hashflow"},
            {"fields", f},
            {"digest", to_hex0x(digest)},
            {"signature", signer.sign(digest).rsv_hex()},
            {"maker", signer.address().to_checksum()}});
    }
    {
      rfq::bebop::SingleOrder o{random_u64(),     random_u64() >> 8, random_address(),
                                signer.address(), random_uint(256),  random_address(),
                                random_address(), random_uint(200),  random_uint(200),
                                random_address(), random_uint(256)};
      auto d = rfq::bebop::domain(chain, random_address());
      auto digest = eip712_digest(d.separator(), rfq::bebop::struct_hash(o));
      json::object m{{"partner_id", std::to_string(o.partner_id)},
                     {"expiry", std::to_string(o.expiry)},
                     {"taker_address", o.taker_address.to_hex()},
                     {"maker_address", o.maker_address.to_hex()},
                     {"maker_nonce", o.maker_nonce.to_decimal()},
                     {"taker_token", o.taker_token.to_hex()},
                     {"maker_token", o.maker_token.to_hex()},
                     {"taker_amount", o.taker_amount.to_decimal()},
                     {"maker_amount", o.maker_amount.to_decimal()},
                     {"receiver", o.receiver.to_hex()},
                     {"packed_commands", o.packed_commands.to_decimal()}};
      emit({{"kind", "bebop"},
            {"domain", domain_json(d)},
            {"order", m},
            {"digest", to_hex0x(digest)},
            {"signature", signer.sign(digest).rsv_hex()},
            {"maker", signer.address().to_checksum()}});
    }
  }
  return 0;
}
