#pragma once
// A small network configuration for end-to-end tests: the simulator's BTCUSDT and ETHUSDT,
// one listing each, ports picked by the OS.
#include <string>
#include <vector>

namespace aq::testing {

// `bus` is a JSON object for the "bus" key, e.g. {"transport":"inproc"}.
std::string network_config_json(const std::string& bus = R"({"transport":"inproc"})",
                                int rfq_port = 0, int sim_port = 0);

// A "venues" member for a venue the network simulates on loopback (its port picked by the OS),
// with credentials read from AQ_TEST_<env>_KEY / AQ_TEST_<env>_SECRET.
std::string simulated_venue_json(const std::string& protocol, const std::string& env);

// A network config (`config_json`) with the Binance USD-M simulator added, holding
// `collateral` USDT (sim_collateral), and its BTCUSDT perpetual (2 bp taker), where BTC-USDT
// hedges only on `hedge` (instrument keys) and prices from Binance spot; hedging plans the
// perpetual against the margin the venue reports (10% initial).
std::string with_usdm_perp(const std::string& config_json, const std::string& collateral,
                           const std::vector<std::string>& hedge);

// Token addresses (mainnet's, so they checksum) and the Hardhat #0 key the takers' tests sign with.
inline constexpr const char* kWBTC = "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599";
inline constexpr const char* kUSDT = "0xdAC17F958D2ee523a2206206994597C13D831ec7";
inline constexpr const char* kWETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
inline constexpr const char* kTestMakerKey =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
inline constexpr const char* kTestMakerAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

// The network above plus a "takers" block: chain 1, the maker key from AQ_TEST_MAKER_KEY,
// WBTC/USDT/WETH, and `gateways` (JSON members such as "zeroex": {...}). BTC-USDT may have at
// most `btc_max_outstanding` BTC in live quotes per side.
// The environment that configuration reads its secrets from: the simulated Binance account
// ("k-<tag>", "s-<tag>") and the maker key (kTestMakerKey).
void set_takers_test_credentials(const std::string& tag);

std::string network_config_with_takers(const std::string& gateways,
                                       const std::string& btc_max_outstanding = "1");

}  // namespace aq::testing
