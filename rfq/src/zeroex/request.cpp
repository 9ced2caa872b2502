#include "aqueduct/rfq/zeroex/request.hpp"

#include <charconv>

#include "aqueduct/eth/eip712.hpp"

namespace aq::rfq::zeroex {

bool valid_amount(const UInt256& v) {
  return !v.is_zero() && eth::fits_bits(v, 128);
}

namespace {

std::optional<eth::Address> address(const net::Params& p, const char* key, bool required,
                                    std::vector<std::string>& errors) {
  auto v = net::param(p, key);
  if (!v) {
    if (required)
      errors.push_back(std::string(key) + " is required (a 0x-prefixed 20-byte address)");
    return std::nullopt;
  }
  auto a = eth::Address::parse(*v);
  if (!a)
    errors.push_back(std::string(key) + " '" + v->substr(0, 64) +
                     "' is not a valid address (0x + 40 hex digits; mixed case must be a valid "
                     "EIP-55 checksum)");
  return a;
}

std::optional<UInt256> amount(const net::Params& p, const char* key,
                              std::vector<std::string>& errors) {
  auto v = net::param(p, key);
  if (!v) return std::nullopt;
  auto a = UInt256::from_decimal(*v);
  if (!a || v->empty() || (*v)[0] == '+' || (*v)[0] == '-') {
    errors.push_back(std::string(key) + " '" + v->substr(0, 80) +
                     "' must be a whole number of base units as a decimal string");
    return std::nullopt;
  }
  if (!valid_amount(*a)) {
    errors.push_back(std::string(key) + " must be above zero and fit uint128 (at most 2^128-1)");
    return std::nullopt;
  }
  return a;
}

}  // namespace

TakerRequest parse_taker_request(const net::Params& params, bool v2,
                                 std::vector<std::string>& errors) {
  TakerRequest r;
  if (auto k = net::repeated_param(params))
    errors.push_back(*k + " is given more than once; give each parameter once");
  auto sell = address(params, "sellTokenAddress", true, errors);
  auto buy = address(params, "buyTokenAddress", true, errors);
  auto taker = address(params, "takerAddress", true, errors);
  auto origin = address(params, "txOrigin", !v2, errors);
  if (sell) r.sell_token = *sell;
  if (buy) r.buy_token = *buy;
  if (taker) r.taker = *taker;
  if (origin) r.tx_origin = *origin;
  if (!v2) {
    auto version = net::param(params, "protocolVersion");
    if (!version || *version != "4")
      errors.push_back("protocolVersion must be \"4\" (v4 RfqOrder); this maker does not serve v3");
  }
  if (origin && origin->is_zero())
    errors.push_back(
        "V4 queries require a valid \"txOrigin\": the zero address makes the order invalid "
        "on-chain");
  r.sell_amount = amount(params, "sellAmountBaseUnits", errors);
  r.buy_amount = amount(params, "buyAmountBaseUnits", errors);
  bool has_sell = net::param(params, "sellAmountBaseUnits").has_value();
  bool has_buy = net::param(params, "buyAmountBaseUnits").has_value();
  if (has_sell == has_buy)
    errors.push_back("exactly one of sellAmountBaseUnits and buyAmountBaseUnits is required");
  if (sell && buy && *sell == *buy)
    errors.push_back("sellTokenAddress and buyTokenAddress must differ");

  if (auto ll = net::param(params, "isLastLook")) {
    if (*ll != "true" && *ll != "false")
      errors.push_back("isLastLook must be \"true\" or \"false\"");
    r.last_look = *ll == "true";
  }
  bool any_fee = net::param(params, "feeToken") || net::param(params, "feeAmount") ||
                 net::param(params, "feeType");
  if (r.last_look || any_fee) {
    auto token = address(params, "feeToken", true, errors);
    auto fee_amount = net::param(params, "feeAmount");
    auto type = net::param(params, "feeType");
    std::optional<UInt256> famount = fee_amount ? UInt256::from_decimal(*fee_amount) : std::nullopt;
    if (!famount)
      errors.push_back("feeAmount is required with isLastLook=true (a whole number of base units)");
    if (!type || (*type != "fixed" && *type != "bps"))
      errors.push_back("feeType is required with isLastLook=true: \"fixed\" or \"bps\"");
    if (token && famount && type && (*type == "fixed" || *type == "bps"))
      r.fee = Fee{*token, *famount, *type == "fixed" ? FeeType::Fixed : FeeType::Bps};
  }
  if (auto c = net::param(params, "chainId")) {
    uint64_t id = 0;
    auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), id);
    if (ec != std::errc() || p != c->data() + c->size())
      errors.push_back("chainId must be a whole number");
    else
      r.chain_id = id;
  }
  r.comparison_price = net::param(params, "comparisonPrice");
  return r;
}

}  // namespace aq::rfq::zeroex
