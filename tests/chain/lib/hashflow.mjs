// Hashflow v3 (@hashflow/contracts-evm 2.0.15): compiled here from the published sources, wired as
// the sources require, and the RFQ-T quote hash exactly as HashflowPool._hashQuoteRFQT builds it.
import { Interface, ZeroAddress, getBytes, hashMessage, solidityPackedKeccak256 } from 'ethers';
import { compile } from './compile.mjs';
import { deploy, mined } from './common.mjs';

const HF = '@hashflow/contracts-evm/contracts';

// Everything deploy.mjs compiles: Hashflow's three contracts, Hashflow's own WETH9 test copy
// (used as the WETH token and as the WETH the router and pool constructors require), our ERC-20.
export const SOLIDITY = {
  HashflowRouter: `${HF}/HashflowRouter.sol:HashflowRouter`,
  HashflowFactory: `${HF}/HashflowFactory.sol:HashflowFactory`,
  HashflowPool: `${HF}/pools/HashflowPool.sol:HashflowPool`,
  WETH9: `${HF}/testing/WETH9.sol:WETH9`,
  TestToken: 'aqueduct/TestToken.sol:TestToken',
};

export const compileAll = () => compile(SOLIDITY);

// Wiring (see HashflowRouter.sol, HashflowFactory.sol, pools/HashflowPool.sol):
//   router = HashflowRouter(weth), owner = deployer; router.initialize(factory)
//   factory = HashflowFactory(), owner = deployer; factory.updatePoolImpl(HashflowPool(weth));
//   factory.initialize(router)  (the router only accepts updatePoolAuthorization from its factory)
//   factory.updatePoolCreatorAuthorization(maker, true); maker calls factory.createPool(name, maker):
//   a clone whose signer is the maker and whose `operations` is the caller (the maker), which the
//   factory registers with the router (authorizedPools[pool] = true).
export async function deployHashflow(deployer, maker, contracts, { weth, poolName = 'Aqueduct' }) {
  const d = (name, args = []) => deploy(deployer, contracts[name].abi, contracts[name].bytecode, args, name);
  const router = await d('HashflowRouter', [weth]);
  const factory = await d('HashflowFactory');
  const poolImpl = await d('HashflowPool', [weth]);
  const routerAddress = await router.getAddress();
  const factoryAddress = await factory.getAddress();
  await mined(factory.updatePoolImpl(await poolImpl.getAddress()), 'HashflowFactory.updatePoolImpl');
  await mined(router.initialize(factoryAddress), 'HashflowRouter.initialize');
  await mined(factory.initialize(routerAddress), 'HashflowFactory.initialize');
  await mined(factory.updatePoolCreatorAuthorization(maker.address, true), 'updatePoolCreatorAuthorization');
  const receipt = await mined(factory.connect(maker).createPool(poolName, maker.address), 'HashflowFactory.createPool');
  const created = receipt.logs
    .map((l) => { try { return factory.interface.parseLog(l); } catch { return null; } })
    .find((p) => p && p.name === 'CreatePool');
  if (!created) throw new Error('HashflowFactory.createPool emitted no CreatePool');
  return {
    router: routerAddress,
    factory: factoryAddress,
    poolImplementation: await poolImpl.getAddress(),
    pool: created.args.pool,
  };
}

// The two fragments a taker needs, so take.mjs works without the compiler; deploy.mjs checks them
// against the compiled ABIs (struct order from interfaces/IQuote.sol, event from IHashflowPool.sol).
export const hashflowInterface = new Interface([
  'function tradeRFQT((address pool, address externalAccount, address trader, address effectiveTrader, '
    + 'address baseToken, address quoteToken, uint256 effectiveBaseTokenAmount, uint256 baseTokenAmount, '
    + 'uint256 quoteTokenAmount, uint256 quoteExpiry, uint256 nonce, bytes32 txid, bytes signature) quote) payable',
  'event Trade(address trader, address effectiveTrader, bytes32 txid, address baseToken, '
    + 'address quoteToken, uint256 baseTokenAmount, uint256 quoteTokenAmount)',
]);

export function checkHashflowInterface(contracts) {
  const router = new Interface(contracts.HashflowRouter.abi);
  const pool = new Interface(contracts.HashflowPool.abi);
  const want = hashflowInterface.getFunction('tradeRFQT').selector;
  if (router.getFunction('tradeRFQT').selector !== want) throw new Error('tradeRFQT fragment does not match the router');
  if (pool.getEvent('Trade').topicHash !== hashflowInterface.getEvent('Trade').topicHash) {
    throw new Error('Trade fragment does not match the pool');
  }
  return pool.getEvent('Trade').topicHash;
}

// The fields a same-chain RFQ-T quote is signed over, in HashflowPool._hashQuoteRFQT's order:
// abi.encodePacked(address(this) = the pool, trader, effectiveTrader, externalAccount, baseToken,
// quoteToken, baseTokenAmount, quoteTokenAmount, nonce, quoteExpiry, txid, block.chainid).
export function rfqtPackedHash(q, chainId) {
  return solidityPackedKeccak256(
    ['address', 'address', 'address', 'address', 'address', 'address',
      'uint256', 'uint256', 'uint256', 'uint256', 'bytes32', 'uint256'],
    [q.pool, q.trader, q.effectiveTrader, q.externalAccount || ZeroAddress, q.baseToken, q.quoteToken,
      q.baseTokenAmount, q.quoteTokenAmount, q.nonce, q.quoteExpiry, q.txid, chainId],
  );
}

// What the pool recovers the signer from: keccak256("\x19Ethereum Signed Message:\n32" ‖ packed).
export const rfqtDigest = (q, chainId) => hashMessage(getBytes(rfqtPackedHash(q, chainId)));

// The RFQTQuote tuple tradeRFQT takes, from our rfqTQuote message (rfqId, quoteExpiry, baseToken,
// quoteToken, baseTokenAmount, quoteTokenAmount, pool, signature, externalAccount?) plus what the
// trader knows from its rfqT (trader, effectiveTrader, nonce).
export function rfqtQuoteTuple(m, { trader, effectiveTrader, nonce, signature, amount }) {
  const base = BigInt(m.baseTokenAmount);
  return {
    pool: m.pool,
    externalAccount: m.externalAccount || ZeroAddress,
    trader,
    effectiveTrader: effectiveTrader || trader,
    baseToken: m.baseToken,
    quoteToken: m.quoteToken,
    effectiveBaseTokenAmount: amount !== undefined ? BigInt(amount) : base,
    baseTokenAmount: base,
    quoteTokenAmount: BigInt(m.quoteTokenAmount),
    quoteExpiry: BigInt(m.quoteExpiry),
    nonce: BigInt(nonce),
    txid: m.rfqId || m.txid,
    signature: signature || m.signature,
  };
}
