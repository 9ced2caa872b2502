// The chain's wire, pure: JSON-RPC answers read strictly, ABI words, and the settlement events
// of 0x and Hashflow decoded from logs (and every other log refused with a reason).
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "aqueduct/chain/abi.hpp"
#include "aqueduct/chain/rpc_codec.hpp"
#include "aqueduct/chain/settlement_events.hpp"

using namespace aq;
using namespace aq::chain;
namespace json = boost::json;

namespace {

eth::Address addr(const char* s) {
  return *eth::Address::parse(s);
}
std::string word_hex(const std::string& hex_value) {  // right-aligned in 64 digits
  return std::string(64 - hex_value.size(), '0') + hex_value;
}
std::string addr_word(const eth::Address& a) {
  return word_hex(a.to_hex().substr(2));
}
const eth::Address kProxy = addr("0xdef1c0ded9bec7f1a1670819833240f027b25eff");
const eth::Address kPool = addr("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const eth::Address kMaker = addr("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
const eth::Address kTaker = addr("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const eth::Address kWBTC = addr("0x2260fac5e5542a773aa44fbcfedf7c193bc2c599");
const eth::Address kUSDT = addr("0xdac17f958d2ee523a2206206994597c13d831ec7");
const std::string kOrderHash = std::string(62, 'a') + "01";

Log log_of(const eth::Address& from, const eth::Hash32& topic, const std::string& data_hex) {
  Log l;
  l.address = from;
  l.topics = {topic};
  l.data = *eth::parse_hex(data_hex);
  l.block_number = 7;
  l.tx_hash = *eth::parse_bytes32("0x" + std::string(64, 'c'));
  l.log_index = 3;
  return l;
}

std::string rfq_filled_data(const eth::Address& maker) {
  return kOrderHash + addr_word(maker) + addr_word(kTaker) + addr_word(kUSDT) + addr_word(kWBTC) +
         word_hex("2faf080") /* taker 50000000 sats */ + word_hex("37e11d600") /* maker 15e9 */ +
         word_hex("0");
}

SettlementContracts contracts() {
  return {31337, kProxy, {kPool}, kMaker};
}

}  // namespace

TEST_CASE("event topics and ERC-20 call data are the published ones") {
  CHECK(eth::to_hex0x(rfq_order_filled_topic()) ==
        "0x829fa99d94dc4636925b38632e625736a614c154d55006b7ab6bea979c210c32");
  CHECK(eth::to_hex0x(otc_order_filled_topic()) ==
        "0xac75f773e3a92f1a02b12134d65e1f47f8a14eabe4eaf1e24624918e6a8b269f");
  CHECK(eth::to_hex0x(hashflow_trade_topic()) ==
        "0x34f57786fb01682fb4eec88d340387ef01a168fe345ea5b76f709d4e560c10eb");
  CHECK(balance_of_call(kMaker) == "0x70a08231" + addr_word(kMaker));
  CHECK(allowance_call(kMaker, kProxy) == "0xdd62ed3e" + addr_word(kMaker) + addr_word(kProxy));
  std::string why;
  CHECK(decode_uint256_result("0x" + word_hex("de0b6b3a7640000"), why)->to_decimal() ==
        "1000000000000000000");
  CHECK_FALSE(decode_uint256_result("0x", why));
  CHECK(why.find("no contract at that address") != std::string::npos);
  CHECK_FALSE(decode_uint256_result("0x" + word_hex("zz"), why));
}

TEST_CASE("JSON-RPC answers: the id, errors, size and shapes are checked") {
  std::string why;
  CHECK(rpc_request(5, "eth_chainId", json::array{}) ==
        R"({"jsonrpc":"2.0","id":5,"method":"eth_chainId","params":[]})");
  auto r = rpc_result(R"({"jsonrpc":"2.0","id":5,"result":"0x7a69"})", 5, why);
  REQUIRE(r);
  CHECK(*parse_quantity(*r, why) == 31337);
  CHECK_FALSE(rpc_result(R"({"jsonrpc":"2.0","id":6,"result":"0x1"})", 5, why));
  CHECK(why.find("another request") != std::string::npos);
  CHECK_FALSE(rpc_result(
      R"({"jsonrpc":"2.0","id":5,"error":{"code":-32000,"message":"header not found"}})", 5, why));
  CHECK(why == "the node refused the request: header not found");
  CHECK_FALSE(rpc_result(R"({"jsonrpc":"2.0","id":5})", 5, why));
  CHECK_FALSE(rpc_result("[1,2]", 5, why));
  CHECK_FALSE(rpc_result("{\"id\":5,", 5, why));
  std::string huge(kMaxRpcAnswerBytes + 1, ' ');
  CHECK_FALSE(rpc_result(huge, 5, why));
  CHECK(why.find("bytes, above") != std::string::npos);

  for (const char* bad :
       {"\"0x\"", "\"0x01\"", "\"12\"", "\"0xg\"", "12", "\"0x10000000000000000\""}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_quantity(json::parse(bad), why));
  }
  CHECK(*parse_quantity(json::parse("\"0x0\""), why) == 0);
  CHECK(to_quantity(0) == "0x0");
  CHECK(to_quantity(255) == "0xff");

  auto n = rpc_notification(
      R"({"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0xab","result":{"number":"0x10"}}})",
      why);
  REQUIRE(n);
  CHECK(n->subscription == "0xab");
  CHECK_FALSE(rpc_notification(R"({"jsonrpc":"2.0","id":1,"result":"0xab"})", why));
}

TEST_CASE("block headers, logs and receipts are read strictly") {
  std::string why;
  const std::string h = "0x" + std::string(64, '1'), p = "0x" + std::string(64, '2');
  auto hdr =
      parse_block_header(json::parse(R"({"number":"0x1b4","hash":")" + h + R"(","parentHash":")" +
                                     p + R"(","timestamp":"0x6553f100","extra":"ignored"})"),
                         why);
  REQUIRE(hdr);
  CHECK(hdr->number == 436);
  CHECK(hdr->timestamp == 0x6553f100);
  CHECK_FALSE(parse_block_header(json::parse(R"({"number":"0x1","hash":"0x12"})"), why));
  CHECK(why.find("\"hash\"") != std::string::npos);

  json::object lg{{"address", kProxy.to_hex()},
                  {"topics", json::array{json::string(eth::to_hex0x(rfq_order_filled_topic()))}},
                  {"data", "0x" + rfq_filled_data(kMaker)},
                  {"blockNumber", "0x7"},
                  {"blockHash", h},
                  {"transactionHash", p},
                  {"logIndex", "0x0"},
                  {"removed", false}};
  auto l = parse_log(lg, why);
  REQUIRE(l);
  CHECK(l->data.size() == 256);
  CHECK_FALSE(l->removed);
  auto bad = lg;
  bad["data"] = "0x123";
  CHECK_FALSE(parse_log(bad, why));
  bad = lg;
  bad.erase("logIndex");
  CHECK_FALSE(parse_log(bad, why));
  CHECK(why == "log has no \"logIndex\"");
  bad = lg;
  bad["removed"] = "no";
  CHECK_FALSE(parse_log(bad, why));

  json::object rc{{"transactionHash", p},
                  {"blockNumber", "0x7"},
                  {"blockHash", h},
                  {"status", "0x1"},
                  {"logs", json::array{lg}}};
  auto receipt = parse_receipt(rc, why);
  REQUIRE(receipt);
  CHECK(receipt->success);
  CHECK(receipt->logs.size() == 1);
  CHECK_FALSE(parse_receipt(nullptr, why));
  CHECK(why.empty());  // not mined: no error
  rc["status"] = "0x2";
  CHECK_FALSE(parse_receipt(rc, why));
  CHECK_FALSE(why.empty());

  auto params = get_logs_params({kProxy}, {rfq_order_filled_topic()}, 1, 16);
  CHECK(json::serialize(params) == R"([{"fromBlock":"0x1","toBlock":"0x10","address":[")" +
                                       kProxy.to_hex() + R"("],"topics":[[")" +
                                       eth::to_hex0x(rfq_order_filled_topic()) + R"("]]}])");
}

TEST_CASE("settlement events: 0x RFQ and OTC amounts in their order, Hashflow Trade") {
  std::string why;
  auto e = decode_settlement(log_of(kProxy, rfq_order_filled_topic(), rfq_filled_data(kMaker)),
                             contracts(), why);
  REQUIRE_MESSAGE(e, why);
  CHECK(e->kind == SettlementKind::ZeroExRfq);
  CHECK(eth::to_hex0x(e->order_ref) == "0x" + kOrderHash);
  CHECK(e->taker_amount.to_decimal() == "50000000");
  CHECK(e->maker_amount.to_decimal() == "15000000000");
  CHECK(e->maker_token == kUSDT);
  CHECK(e->taker_token == kWBTC);
  CHECK(e->id.chain_id == 31337);
  CHECK(e->id.log_index == 3);

  // OtcOrderFilled lists the maker's amount first, and has no pool word.
  std::string otc = kOrderHash + addr_word(kMaker) + addr_word(kTaker) + addr_word(kUSDT) +
                    addr_word(kWBTC) + word_hex("37e11d600") + word_hex("2faf080");
  auto o = decode_settlement(log_of(kProxy, otc_order_filled_topic(), otc), contracts(), why);
  REQUIRE_MESSAGE(o, why);
  CHECK(o->kind == SettlementKind::ZeroExOtc);
  CHECK(o->maker_amount.to_decimal() == "15000000000");
  CHECK(o->taker_amount.to_decimal() == "50000000");

  // Hashflow: the trader gives base (WBTC), the pool gives quote (USDT).
  std::string trade = addr_word(kTaker) + addr_word(kTaker) + kOrderHash + addr_word(kWBTC) +
                      addr_word(kUSDT) + word_hex("2faf080") + word_hex("37e11d600");
  auto t = decode_settlement(log_of(kPool, hashflow_trade_topic(), trade), contracts(), why);
  REQUIRE_MESSAGE(t, why);
  CHECK(t->kind == SettlementKind::HashflowTrade);
  CHECK(t->maker == kPool);
  CHECK(t->taker_token == kWBTC);
  CHECK(t->maker_amount.to_decimal() == "15000000000");
}

TEST_CASE("settlement events: logs that are not ours, or not in the event's shape, are refused") {
  std::string why;
  auto c = contracts();
  CHECK_FALSE(
      decode_settlement(log_of(kPool, rfq_order_filled_topic(), rfq_filled_data(kMaker)), c, why));
  CHECK(why.find("another event") != std::string::npos);
  CHECK_FALSE(
      decode_settlement(log_of(kUSDT, rfq_order_filled_topic(), rfq_filled_data(kMaker)), c, why));
  CHECK(why.find("no settlement contract of ours") != std::string::npos);
  CHECK_FALSE(
      decode_settlement(log_of(kProxy, rfq_order_filled_topic(), rfq_filled_data(kTaker)), c, why));
  CHECK(why.find("another maker") != std::string::npos);
  CHECK_FALSE(decode_settlement(
      log_of(kProxy, rfq_order_filled_topic(), rfq_filled_data(kMaker) + "00"), c, why));
  CHECK(why.find("8 words") != std::string::npos);
  // A uint128 word with bits above 128, an address word with bits above 160.
  std::string wide = rfq_filled_data(kMaker);
  wide.replace(5 * 64, 2, "01");
  CHECK_FALSE(decode_settlement(log_of(kProxy, rfq_order_filled_topic(), wide), c, why));
  CHECK(why == "word 5 of the event's data is not a uint128");
  std::string bad_addr = rfq_filled_data(kMaker);
  bad_addr.replace(2 * 64, 2, "ff");
  CHECK_FALSE(decode_settlement(log_of(kProxy, rfq_order_filled_topic(), bad_addr), c, why));
  CHECK(why == "word 2 of the event's data is not an address");
  auto indexed = log_of(kProxy, rfq_order_filled_topic(), rfq_filled_data(kMaker));
  indexed.topics.push_back(indexed.topics[0]);
  CHECK_FALSE(decode_settlement(indexed, c, why));
  CHECK(why.find("exactly one topic") != std::string::npos);
  c.exchange_proxy.reset();
  CHECK_FALSE(
      decode_settlement(log_of(kProxy, rfq_order_filled_topic(), rfq_filled_data(kMaker)), c, why));
  CHECK(c.topics().size() == 1);
}
