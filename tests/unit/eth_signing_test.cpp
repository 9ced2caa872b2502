// Signing reproduces every vector of rfq-protocols.md §2 byte for byte: keccak-256, EIP-712
// encoding (flat and nested), EIP-191, RFC 6979 signatures with low-s and v = 27/28, EIP-2098,
// recovery; and the maker key is handled as a secret.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "aqueduct/eth/eip712.hpp"
#include "aqueduct/eth/signer.hpp"
#include "aqueduct/rfq/bebop/single_order.hpp"
#include "aqueduct/rfq/hashflow/quote_hash.hpp"
#include "aqueduct/rfq/zeroex/orders.hpp"
#include "aqueduct/testing/temp_dir.hpp"

using namespace aq;
using namespace aq::eth;

namespace {

const char* kHardhat0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
Address addr(std::string_view s) {
  auto a = Address::parse(s);
  if (!a) throw std::invalid_argument("bad address in a test vector: " + std::string(s));
  return *a;
}
UInt256 u(std::string_view dec) {
  return *UInt256::from_decimal(dec);
}
std::string hex(const Hash32& h) {
  return to_hex0x(h);
}

const Address kUSDC = addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
const Address kWETH = addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
const Address kHardhatAddr = addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
const Address kTaker = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

}  // namespace

TEST_CASE("keccak-256 is the original Keccak, one-shot and incremental") {
  CHECK(hex(keccak256("")) == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  CHECK(hex(keccak256("abc")) ==
        "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  // Incremental updates split across the 136-byte block boundary agree with one shot.
  std::string long_text(1000, '\0');
  for (size_t i = 0; i < long_text.size(); ++i) long_text[i] = static_cast<char>(i * 7 + 3);
  auto whole = keccak256(long_text);
  for (size_t cut :
       {size_t{0}, size_t{1}, size_t{135}, size_t{136}, size_t{137}, size_t{272}, size_t{999}}) {
    Keccak256 k;
    k.update(std::string_view(long_text).substr(0, cut))
        .update(std::string_view(long_text).substr(cut));
    CHECK(k.finish() == whole);
  }
}

TEST_CASE("addresses: EIP-55 checksums are produced and enforced") {
  CHECK(kHardhatAddr.to_checksum() == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  CHECK(kUSDC.to_hex() == "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
  CHECK(Address::parse("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48") ==
        kUSDC);  // all lower: unchecked
  CHECK(Address::parse("0xA0B86991C6218B36C1D19D4A2E9EB0CE3606EB48") == kUSDC);  // all upper
  CHECK_FALSE(Address::parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB49"));     // bad checksum
  CHECK_FALSE(Address::parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB4"));      // 39 digits
  CHECK_FALSE(Address::parse("a0b86991c6218b36c1d19d4a2e9eb0ce3606eb4800"));     // no 0x
  CHECK_FALSE(Address::parse("0xg0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"));     // not hex
}

TEST_CASE("vector A: 0x v4 RfqOrder, EIP712 and EthSign signatures") {
  using namespace aq::rfq::zeroex;
  auto d = domain(1, addr("0xDef1C0ded9bec7F1a1670819833240f027b25EfF"));
  CHECK(
      hex(keccak256(
          "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")) ==
      "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
  CHECK(hex(keccak256("ZeroEx")) ==
        "0x9e5dae0addaf20578aeb5d70341d092b53b4e14480ac5726438fd436df7ba427");
  CHECK(hex(keccak256("1.0.0")) ==
        "0x06c015bd22b4c69690933c1058878ebdfef31f9aaae40bbe86d8a09fe1b2972c");
  CHECK(hex(d.separator()) == "0xfe3a8808ff7909b8c36164e6e9a076597c21c3fc2ec6f2c8ac04529c41ce507e");
  CHECK(rfq_order_type().encode_type() ==
        "RfqOrder(address makerToken,address takerToken,uint128 makerAmount,uint128 "
        "takerAmount,address maker,"
        "address taker,address txOrigin,bytes32 pool,uint64 expiry,uint256 salt)");
  CHECK(hex(rfq_order_type().type_hash()) ==
        "0xe593d3fdfa8b60e5e17a1b2204662ecbe15c23f2084b9ad5bae40359540a7da9");

  RfqOrder o{kUSDC,  kWETH, u("3000000000"), u("1000000000000000000"), kHardhatAddr, Address{},
             kTaker, {},    1700000000,      u("1234567890")};
  auto sh = struct_hash(o);
  CHECK(hex(sh) == "0xabe0d21d4c4992c7c1763768548e95be97fce18f5ffc571490e34c84c3bddfcd");
  auto digest = eip712_digest(d.separator(), sh);
  CHECK(hex(digest) == "0x6de2e2fd814f2191ed24c0e629d2280df3ae5e508af0620631763a1ad3c5e7a2");

  Signer signer(MakerKey::from_hex(kHardhat0));
  CHECK(signer.address() == kHardhatAddr);
  auto sig = signer.sign(digest);
  CHECK(sig.r_hex() == "0x640056b2a50f9ef0eb9b4f130feb83d0ee96087d2f039738e92eed28ca97132d");
  CHECK(sig.s_hex() == "0x0449e2301e9e4867cdfda83c13872fd78bada2dc7b7db6a07c3f67373bb38583");
  CHECK(sig.v == 28);
  CHECK(sig.rsv_hex() ==
        "0x640056b2a50f9ef0eb9b4f130feb83d0ee96087d2f039738e92eed28ca97132d0449e2301e9e4867cdfda83c"
        "13872fd78bada2dc7b7db"
        "6a07c3f67373bb385831c");
  CHECK(sig.eip2098_hex() ==
        "0x640056b2a50f9ef0eb9b4f130feb83d0ee96087d2f039738e92eed28ca97132d8449e2301e9e4867cdfda83c"
        "13872fd78bada2dc7b7db"
        "6a07c3f67373bb38583");
  auto js = signature_json(sig, SignatureType::Eip712);
  CHECK(js.at("signatureType").as_int64() == 2);
  CHECK(js.at("v").as_int64() == 28);
  CHECK(recover(digest, sig) == kHardhatAddr);

  auto prefixed = eip191_digest(digest);
  CHECK(hex(prefixed) == "0xad901b9351c4fbbbf0fb98cd25eaee006a61d003752b0e0495150f8edc71b1e7");
  auto eth_sign = signer.sign(prefixed);
  CHECK(eth_sign.r_hex() == "0xb0a93a155d304810ab5d3dc0aab480337fd4da1badd4c4b6e258216033609519");
  CHECK(eth_sign.s_hex() == "0x726f1718f62a5b92c8634bcbf8e94c343cd2f3f57da2381070f4bde48cafa0e7");
  CHECK(eth_sign.v == 27);

  auto polygon = domain(137, addr("0xDef1C0ded9bec7F1a1670819833240f027b25EfF"));
  CHECK(hex(eip712_digest(polygon.separator(), sh)) ==
        "0x4aabc089ff30daafa85de87828d6152440c2c0215feadd1bdfe049a4bc4e7ab7");

  CHECK(hex(otc_order_type().type_hash()) ==
        "0x2f754524de756ae72459efbe1ec88c19a745639821de528ac3fb88f9e65e35c8");
  StructType limit_order("LimitOrder", {{"address", "makerToken"},
                                        {"address", "takerToken"},
                                        {"uint128", "makerAmount"},
                                        {"uint128", "takerAmount"},
                                        {"uint128", "takerTokenFeeAmount"},
                                        {"address", "maker"},
                                        {"address", "taker"},
                                        {"address", "sender"},
                                        {"address", "feeRecipient"},
                                        {"bytes32", "pool"},
                                        {"uint64", "expiry"},
                                        {"uint256", "salt"}});
  CHECK(hex(limit_order.type_hash()) ==
        "0xce918627cb55462ddbb85e73de69a8b322f2bc88f4507c52fcad6d4c33c29d49");
  auto en = pack_expiry_and_nonce(1700000000, 0, 42);
  CHECK(hex(en.to_be_bytes()) ==
        "0x000000006553f10000000000000000000000000000000000000000000000002a");
  CHECK(expiry_of(en) == 1700000000);

  // Amounts the contract would mask are refused rather than signed.
  o.maker_amount = *UInt256(1).checked_mul(UInt256::pow10(40));
  CHECK_THROWS_AS(struct_hash(o), std::invalid_argument);
}

TEST_CASE("vector B: 1inch LOP v4 order, EIP-2098 compact") {
  StructType order("Order", {{"uint256", "salt"},
                             {"address", "maker"},
                             {"address", "receiver"},
                             {"address", "makerAsset"},
                             {"address", "takerAsset"},
                             {"uint256", "makingAmount"},
                             {"uint256", "takingAmount"},
                             {"uint256", "makerTraits"}});
  CHECK(hex(order.type_hash()) ==
        "0x3af21ec5a20011b88d3b7b4ed7c806cef05a5980cf34974bcd53566a131f7e4c");
  Domain d{"1inch Aggregation Router", std::string("6"), 1,
           addr("0x111111125421cA6dc452d289314280a0f8842A65")};
  CHECK(hex(d.separator()) == "0xd999e213f11c7bfa3e796c3409e316f25e02aa3e25e5c207a92e381c7d22b6de");
  auto traits =
      *UInt256::from_hex("0x0000000000000000000000000000000007006553f10000000000000000000000");
  auto sh =
      order.hash({word(UInt256(1)), word(kHardhatAddr), word(Address{}), word(kUSDC), word(kWETH),
                  word(u("3000000000")), word(u("1000000000000000000")), word(traits)});
  CHECK(hex(sh) == "0x26fdfe87bfbb00e992febe9300a0d421a7cb3bf1ba5aaa9e5c4e1b6d7b532862");
  auto digest = eip712_digest(d.separator(), sh);
  CHECK(hex(digest) == "0xb908091bcf64a807eab6121da2211ef31e0a8e53e0adb332da716873ce7029cb");
  auto sig = Signer(MakerKey::from_hex(kHardhat0)).sign(digest);
  CHECK(sig.rsv_hex() ==
        "0x1339a6420229410c76b8bb9b2fd9e89df66a9d4b8befbe612755f468af38c91e0416230b557a5c2b2d8efe5b"
        "8ba955412a6373258bcfe"
        "07aa413355e278d1e761b");
  CHECK(sig.eip2098_hex().substr(66) ==
        "0416230b557a5c2b2d8efe5b8ba955412a6373258bcfe07aa413355e278d1e76");
}

TEST_CASE("vector C: Hashflow RFQ-T quote, EIP-191 over packed fields (the SDK's own test)") {
  using namespace aq::rfq::hashflow;
  RfqTQuoteFields q;
  q.trader = addr("0x3333333333333333333333333333333333333333");
  q.effective_trader = addr("0x4444444444444444444444444444444444444444");
  q.base_token = addr("0x1111111111111111111111111111111111111111");
  q.quote_token = addr("0x2222222222222222222222222222222222222222");
  q.base_token_amount = 100000;
  q.quote_token_amount = 99900;
  q.nonce = 1;
  q.quote_expiry = 1702252910;
  q.chain_id = 1;
  CHECK(hex(packed_hash(q)) ==
        "0x0cd8c6aabedf0d9d348a305ed377ae1d71186d79f44620a69c7dfc8bc4fec115");
  CHECK(hex(digest(q)) == "0x8a6f7df60b317e7a9641dd57fa1a3c219bf831d60d1f9a9640f01214c41f32ab");
  Signer sdk_key(
      MakerKey::from_hex("0x069b4904dfa2cc75d7fd9358a9bea792f11e89cb5af91a9683738ad0734c1c1b"));
  CHECK(sdk_key.address().to_checksum() == "0x5436bB38dcA3fD6cE36A947f75Bc903ddb15E975");
  CHECK(sdk_key.sign(digest(q)).rsv_hex() ==
        "0x25bf13a54a9fc656fe5fbe5cf40eb9008b3677f0cdf420f33cd0bd869d2daa4a679316a6947a3a4bf5176973"
        "df6fa05095cdd4a0ae79f"
        "89f76959e4808a0bf871b");
  CHECK(Signer(MakerKey::from_hex(kHardhat0)).sign(digest(q)).rsv_hex() ==
        "0xb868cbb76ec5294f915c6fc5ecf0f6aaf60d877d861b7ec4540e4eb1517b630421517f3273a83d4ddc698271"
        "77f449853341ea4cffb6c"
        "7780f42f9f90c8ec9961b");
}

TEST_CASE(
    "§2.5 vectors: ParaSwap AugustusRFQ, Bebop SingleOrder, AirSwap OrderERC20, Permit2 witness") {
  Signer signer(MakerKey::from_hex(kHardhat0));

  SUBCASE("ParaSwap AugustusRFQ Order") {
    StructType t("Order", {{"uint256", "nonceAndMeta"},
                           {"uint128", "expiry"},
                           {"address", "makerAsset"},
                           {"address", "takerAsset"},
                           {"address", "maker"},
                           {"address", "taker"},
                           {"uint256", "makerAmount"},
                           {"uint256", "takerAmount"}});
    CHECK(hex(t.type_hash()) ==
          "0x95afddf5e4bb9f692716b7fdff640e6b8a0d2869597405c6e9d35857ed19a150");
    Domain d{"AUGUSTUS RFQ", std::string("1"), 1,
             addr("0xe92b586627ccA7a83dC919cc7127196d70f55a06")};
    CHECK(hex(d.separator()) ==
          "0x6ef27d2d164cdaac4ef8be9cb79ea9f4c11ee76db3a38d2aa02021b5e5019094");
    auto sh = t.hash({word(u("62025898327205773527570235482845949761465400195528")),
                      word_u64(1700000000), word(kUSDC), word(kWETH), word(kHardhatAddr),
                      word(kTaker), word(u("3000000000")), word(u("1000000000000000000"))});
    CHECK(hex(sh) == "0x97c6677d4ef1861339f8be907c108456202f51830f80b1e0fe71367b24617f75");
    auto digest = eip712_digest(d.separator(), sh);
    CHECK(hex(digest) == "0x919dfc22163d9f7787cab80b3d1af25afb88abc196da4e145be086ca3cc8636e");
    CHECK(signer.sign(digest).rsv_hex() ==
          "0x53580be688462aba6a9d8eaa2ae1475a225441de6081c930595be434a5f686be06b528babcd641b16c59ad"
          "c17c9fe5a2a4d902f528c4"
          "ef96e57fa4f0cc5a95a81c");
  }
  SUBCASE("Bebop SingleOrder") {
    using namespace aq::rfq::bebop;
    CHECK(hex(single_order_type().type_hash()) ==
          "0xe34225bc7cd92038d42c258ee3ff66d30f9387dd932213ba32a52011df0603fc");
    auto d = domain(1, addr("0xbbbbbBB520d69a9775E85b458C58c648259FAD5F"));
    CHECK(hex(d.separator()) ==
          "0x31e9fc520926ab5a9e3842dc84bce011b96c3158dfd9cde10e518472a052d470");
    SingleOrder o{0,
                  1700000000,
                  kTaker,
                  kHardhatAddr,
                  42,
                  kWETH,
                  kUSDC,
                  u("1000000000000000000"),
                  u("3000000000"),
                  kTaker,
                  0};
    CHECK(hex(struct_hash(o)) ==
          "0x9d674430a2aeb385b833fdaf3a127a9e9af0a2da29df456616115405733609b1");
    auto digest = eip712_digest(d.separator(), struct_hash(o));
    CHECK(hex(digest) == "0xc46d0fcd81f3d803e2f18997c2c61005e68a45dae0e7543eab73df1a2a54a961");
    CHECK(signer.sign(digest).rsv_hex() ==
          "0x7c55a8768d760b81ee0c9b8b88efa3529db759452c8f0af649305641078d3572738e586a8a4ab8c1176b06"
          "27bf209d8db2aa4c81bfde"
          "bdf443f9259a3e0a06221c");
  }
  SUBCASE("AirSwap OrderERC20") {
    StructType t("OrderERC20", {{"uint256", "nonce"},
                                {"uint256", "expiry"},
                                {"address", "signerWallet"},
                                {"address", "signerToken"},
                                {"uint256", "signerAmount"},
                                {"uint256", "protocolFee"},
                                {"address", "senderWallet"},
                                {"address", "senderToken"},
                                {"uint256", "senderAmount"}});
    CHECK(hex(t.type_hash()) ==
          "0xc0c0b55c946f3a31595c7c56c2fcfb240731b0e424d96f05eea86f1997ebf0d8");
    Domain d{"SWAP_ERC20", std::string("4.3"), 1,
             addr("0xD82E10B9A4107939e55fCCa9B53A9ede6CF2fC46")};
    CHECK(hex(d.separator()) ==
          "0xaabfe9420187d84b5cd327543506b7cbab9ba48cc6cf8f05f5865755d4921d9d");
    auto sh = t.hash({word_u64(42), word_u64(1700000000), word(kHardhatAddr), word(kUSDC),
                      word(u("3000000000")), word_u64(7), word(kTaker), word(kWETH),
                      word(u("1000000000000000000"))});
    CHECK(hex(sh) == "0xfbce362fd695317e91d9340c4f891fb7cdcce3312e4428a0cfd81e7f31baaae4");
    auto digest = eip712_digest(d.separator(), sh);
    CHECK(hex(digest) == "0xc6b471c8a9905e6b275a518fed98b64b66e831a9b4c0af1bb2ad785c965b34da");
    CHECK(signer.sign(digest).rsv_hex() ==
          "0xad0a2b5e7a037d443742e69a0f6b42681cba106b655d4b880f0b0a2b0ca8b6db1e6383903df117d3292e15"
          "6ce70f7f3ab7a38d1b14ea"
          "62ceb5a7f2e950cdef5f1b");
  }
  SUBCASE("Permit2 PermitWitnessTransferFrom with a nested Consideration (no domain version)") {
    StructType consideration("Consideration", {{"address", "token"},
                                               {"uint256", "amount"},
                                               {"address", "counterparty"},
                                               {"bool", "partialFillAllowed"}});
    StructType permissions("TokenPermissions", {{"address", "token"}, {"uint256", "amount"}});
    StructType permit("PermitWitnessTransferFrom",
                      {{"TokenPermissions", "permitted"},
                       {"address", "spender"},
                       {"uint256", "nonce"},
                       {"uint256", "deadline"},
                       {"Consideration", "consideration"}},
                      {&permissions, &consideration});  // given unsorted: encodeType sorts them
    CHECK(permit.encode_type() ==
          "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 "
          "nonce,uint256 deadline,"
          "Consideration consideration)Consideration(address token,uint256 amount,address "
          "counterparty,bool "
          "partialFillAllowed)TokenPermissions(address token,uint256 amount)");
    CHECK(hex(consideration.type_hash()) ==
          "0x7d806873084f389a66fd0315dead7adaad8ae6e8b6cf9fb0d3db61e5a91c3ffa");
    CHECK(hex(permit.type_hash()) ==
          "0xf4cf229d24514e40885065f37e2f959c531ec1693de15ce9dca5b9f7a1093100");
    Domain d{"Permit2", std::nullopt, 1, addr("0x000000000022D473030F116dDEE9F6B43aC78BA3")};
    CHECK(hex(d.separator()) ==
          "0x866a5aba21966af95d6c7ab78eb2b2fc913915c28be3b9aa07cc04ff903e3f28");
    auto witness = consideration.hash(
        {word(kWETH), word(u("1000000000000000000")), word(kTaker), word_bool(false)});
    CHECK(hex(witness) == "0xc0333b27dcc8fd146097fa16ef90fdb59d53b90c97c78b236deea2d680ede7c8");
    auto sh = permit.hash({permissions.hash({word(kUSDC), word(u("3000000000"))}),
                           word(addr("0x1111111111111111111111111111111111111111")), word_u64(42),
                           word_u64(1700000000), witness});
    auto digest = eip712_digest(d.separator(), sh);
    CHECK(hex(digest) == "0x1acd2bbcf5af0763591c7bc9b8dc4d36ac132f2d6d06347dbf95d8019a69eb59");
    CHECK(signer.sign(digest).rsv_hex() ==
          "0xa4acfab413ad3ca9699daac03921a23d39ae242c8e9e56f369e00c278ea1f6616de4e264e78148897dcceb"
          "b88079b2a560df3e47f20c"
          "14e6a1b0821051df8cef1c");
  }
}

TEST_CASE("signatures: always low-s with v 27/28; recovery refuses malleable or malformed ones") {
  Signer signer(MakerKey::from_hex(kHardhat0));
  int v27 = 0, v28 = 0;
  for (int i = 0; i < 64; ++i) {
    auto digest = keccak256("message " + std::to_string(i));
    auto sig = signer.sign(digest);
    CHECK(sig.s[0] < 0x80);  // s <= n/2 starts below 0x80 at the top byte
    (sig.v == 27 ? v27 : v28)++;
    CHECK(recover(digest, sig) == signer.address());
    auto other = keccak256("other " + std::to_string(i));
    CHECK(recover(other, sig) != signer.address());
  }
  CHECK(v27 > 0);
  CHECK(v28 > 0);

  auto digest = keccak256("x");
  auto sig = signer.sign(digest);
  auto bad_v = sig;
  bad_v.v = 1;  // 0/1 instead of 27/28
  CHECK_FALSE(recover(digest, bad_v));
  // The high-s twin (n - s, recid flipped) is the same point, but verifiers refuse it.
  auto n = *UInt256::from_hex("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
  auto high = sig;
  high.s = n.checked_sub(UInt256::from_be_bytes(sig.s))->to_be_bytes();
  high.v = sig.v == 27 ? 28 : 27;
  CHECK_FALSE(recover(digest, high));
  auto parsed = Signature::parse_rsv(sig.rsv_hex());
  REQUIRE(parsed);
  CHECK(parsed->v == sig.v);
  CHECK(parsed->r == sig.r);
  CHECK_FALSE(Signature::parse_rsv("0x1234"));
}

TEST_CASE("maker key: from a private file or the environment, never echoed") {
  namespace fs = std::filesystem;
  testing::TempDir tmp("aq-key-test");
  const fs::path& dir = tmp.path();
  auto path = (dir / "maker.key").string();
  {
    std::ofstream f(path);
    f << std::string(kHardhat0).substr(2) << "\n";
  }
  ::chmod(path.c_str(), 0644);
  try {
    MakerKey::from_file(path);
    FAIL("a world-readable key file was accepted");
  } catch (const KeyError& e) {
    std::string m = e.what();
    CHECK(m.find("0644") != std::string::npos);
    CHECK(m.find("chmod 600") != std::string::npos);
  }
  ::chmod(path.c_str(), 0640);
  CHECK_THROWS_AS(MakerKey::from_file(path), KeyError);
  ::chmod(path.c_str(), 0600);
  CHECK(Signer(MakerKey::from_file(path)).address() == kHardhatAddr);
  CHECK_THROWS_AS(MakerKey::from_file((dir / "missing.key").string()), KeyError);

  {
    std::ofstream f(path);
    f << "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ffzz";  // not hex
  }
  try {
    MakerKey::from_file(path);
    FAIL("a malformed key was accepted");
  } catch (const KeyError& e) {
    std::string m = e.what();
    CHECK(m.find("ac0974") == std::string::npos);  // the secret never appears in an error
    CHECK(m.find("64 hex digits") != std::string::npos);
  }

  ::setenv("AQ_TEST_MAKER_KEY", kHardhat0, 1);
  CHECK(Signer(MakerKey::from_env("AQ_TEST_MAKER_KEY")).address() == kHardhatAddr);
  ::unsetenv("AQ_TEST_MAKER_KEY");
  CHECK_THROWS_AS(MakerKey::from_env("AQ_TEST_MAKER_KEY"), KeyError);
  // Zero is not a key.
  CHECK_THROWS_AS(Signer(MakerKey::from_hex(std::string(64, '0'))), KeyError);
}
