// Settlement log decoding per core (issue 24, deliverable 9): an eth_getLogs answer read
// strictly (JSON-RPC envelope, every log's fields) and each log decoded as a 0x RfqOrderFilled
// of ours; then decoding alone, from logs already parsed. One thread: per-core figures.
// Usage: bench_chain_decode [logs per answer=100] [answers=2000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "aqueduct/chain/rpc_codec.hpp"
#include "aqueduct/chain/settlement_events.hpp"

using namespace aq;
using namespace aq::chain;

namespace {

using Clock = std::chrono::steady_clock;

std::string word(const std::string& hex) {
  return std::string(64 - hex.size(), '0') + hex;
}

}  // namespace

int main(int argc, char** argv) {
  int per = argc > 1 ? std::atoi(argv[1]) : 100;
  int answers = argc > 2 ? std::atoi(argv[2]) : 2000;
  const std::string proxy = "0xdef1c0ded9bec7f1a1670819833240f027b25eff";
  const std::string maker = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
  SettlementContracts c{1, eth::Address::parse(proxy), {}, *eth::Address::parse("0x" + maker)};
  std::string body = R"({"jsonrpc":"2.0","id":7,"result":[)";
  for (int i = 0; i < per; ++i) {
    char idx[17];
    std::snprintf(idx, sizeof idx, "%x", i + 1);
    std::string data = "0x" + word(idx) + word(maker) +
                       word("70997970c51812dc3a010c7d01b50e0d17dc79c8") +
                       word("dac17f958d2ee523a2206206994597c13d831ec7") +
                       word("2260fac5e5542a773aa44fbcfedf7c193bc2c599") + word("2faf080") +
                       word("37e11d600") + word("0");
    if (i) body += ",";
    body +=
        R"({"address":")" + proxy +
        R"(","topics":["0x829fa99d94dc4636925b38632e625736a614c154d55006b7ab6bea979c210c32"],"data":")" +
        data + R"(","blockNumber":"0x10d4f","blockHash":"0x)" + std::string(64, 'b') +
        R"(","transactionHash":"0x)" + word(idx) + R"(","logIndex":")" +
        to_quantity(static_cast<uint64_t>(i)) + R"(","removed":false})";
  }
  body += "]}";
  std::string why;
  size_t decoded = 0;
  auto t0 = Clock::now();
  std::vector<Log> last;
  for (int a = 0; a < answers; ++a) {
    auto r = rpc_result(body, 7, why);
    auto logs = r ? parse_logs(*r, why) : std::nullopt;
    if (!logs) {
      std::fprintf(stderr, "bench: %s\n", why.c_str());
      return 1;
    }
    for (const auto& l : *logs) decoded += decode_settlement(l, c, why).has_value();
    if (a == answers - 1) last = std::move(*logs);
  }
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  double n = static_cast<double>(per) * answers;
  std::printf(
      "eth_getLogs answer read + decoded (%d logs, %zu bytes): %8.2f us/log  %10.0f logs/s/core\n",
      per, body.size(), s * 1e6 / n, n / s);
  auto t1 = Clock::now();
  size_t again = 0;
  for (int a = 0; a < answers; ++a)
    for (const auto& l : last) again += decode_settlement(l, c, why).has_value();
  double s2 = std::chrono::duration<double>(Clock::now() - t1).count();
  std::printf(
      "decode_settlement alone:                               %8.2f us/log  %10.0f logs/s/core\n",
      s2 * 1e6 / n, n / s2);
  return decoded == again && decoded == static_cast<size_t>(n) ? 0 : 1;
}
