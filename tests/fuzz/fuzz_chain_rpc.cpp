// Fuzz target: a node's JSON-RPC answers and subscription notifications, read as block
// headers, logs and receipts, and every log decoded as a settlement event. Whatever the
// bytes, the readers answer or refuse with a reason; a decoded event's amounts fit its words
// (uint128 for 0x) and quantities round-trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aqueduct/chain/rpc_codec.hpp"
#include "aqueduct/chain/settlement_events.hpp"

namespace {

using namespace aq::chain;

const SettlementContracts& contracts() {
  static const SettlementContracts c{
      1,
      aq::eth::Address::parse("0xdef1c0ded9bec7f1a1670819833240f027b25eff"),
      {*aq::eth::Address::parse("0x5fbdb2315678afecb367f032d93f642f64180aa3")},
      *aq::eth::Address::parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")};
  return c;
}

void check_event(const Log& l) {
  std::string why;
  auto e = decode_settlement(l, contracts(), why);
  if (!e) {
    if (why.empty()) __builtin_trap();  // every refusal says why
    return;
  }
  if (e->kind != SettlementKind::HashflowTrade &&
      (e->maker_amount.limb(2) != 0 || e->maker_amount.limb(3) != 0))
    __builtin_trap();
}

void read_value(const boost::json::value& v) {
  std::string why;
  if (auto q = parse_quantity(v, why);
      q && parse_quantity(boost::json::string(to_quantity(*q)), why) != q)
    __builtin_trap();
  (void)parse_block_header(v, why);
  if (auto l = parse_log(v, why)) check_event(*l);
  if (auto ls = parse_logs(v, why))
    for (const auto& l : *ls) check_event(l);
  if (auto r = parse_receipt(v, why))
    for (const auto& l : r->logs) check_event(l);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (auto r = rpc_result(text, 1, why))
    read_value(*r);
  else if (why.empty())
    __builtin_trap();
  if (auto n = rpc_notification(text, why)) read_value(n->result);
  return 0;
}
