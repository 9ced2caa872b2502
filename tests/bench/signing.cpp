// Signing throughput per core (issue 5, deliverable 10): keccak-256 of an order's encodeData,
// an RfqOrder digest, a signature with its recovery self-check, and recovery alone. One
// thread: these are per-core figures.
// Usage: bench_signing [iterations=20000]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "aqueduct/eth/signer.hpp"
#include "aqueduct/rfq/zeroex/orders.hpp"

using namespace aq;
using namespace aq::eth;

namespace {

using Clock = std::chrono::steady_clock;

template <class F>
void run(const char* what, int n, F&& f) {
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) f(i);
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("%-44s %8.2f us/op  %10.0f ops/s/core\n", what, s * 1e6 / n, n / s);
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  Signer signer(MakerKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
  auto proxy = *Address::parse("0xdef1c0ded9bec7f1a1670819833240f027b25eff");
  auto sep = rfq::zeroex::domain(1, proxy).separator();
  rfq::zeroex::RfqOrder o{*Address::parse("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"),
                          *Address::parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
                          3000000000,
                          *UInt256::from_decimal("1000000000000000000"),
                          signer.address(),
                          {},
                          *Address::parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
                          {},
                          1700000000,
                          1};
  volatile uint8_t sink = 0;
  run("keccak-256 of 352 bytes (RfqOrder encodeData)", n * 10, [&](int i) {
    uint8_t buf[352] = {static_cast<uint8_t>(i)};
    sink = sink ^ keccak256(std::span<const uint8_t>(buf, sizeof buf))[0];
  });
  run("RfqOrder EIP-712 digest", n * 10, [&](int i) {
    o.salt = static_cast<uint64_t>(i);
    sink = sink ^ eip712_digest(sep, rfq::zeroex::struct_hash(o))[0];
  });
  Hash32 digest = eip712_digest(sep, rfq::zeroex::struct_hash(o));
  Signature last;
  run("sign + recovery self-check", n, [&](int i) {
    digest[0] = static_cast<uint8_t>(i);
    last = signer.sign(digest);
  });
  run("recover alone", n, [&](int i) {
    digest[1] = static_cast<uint8_t>(i);
    sink = sink ^ static_cast<uint8_t>(recover(digest, last).has_value());
  });
  return sink == 0xFF ? 1 : 0;
}
