// End-to-end check of this package: anvil + deploy.mjs + maker signatures made the way our C++
// makes them + take.mjs fills against the real 0x and Hashflow contracts. Exit 0 when all pass.
//   node selftest.mjs [--chain-id 137]
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Contract, MaxUint256, SigningKey, TypedDataEncoder, Wallet, ZeroHash, hexlify, randomBytes } from 'ethers';
import { startAnvil } from './lib/anvil.mjs';
import { connect, mined, parseArgs, readJson, rpcCall, toJson } from './lib/common.mjs';
import { rfqtDigest } from './lib/hashflow.mjs';
import { RFQ_ORDER_TYPES, rfqOrderTuple, zeroExDomain, zeroExInterface } from './lib/zeroex.mjs';
import { fillZeroexRfq, tradeHashflowRfqt } from './take.mjs';

const MAKER_KEY = '0x' + '5a'.repeat(32); // any key that is not one of anvil's
const MAINNET_PROXY = '0xDef1C0ded9bec7F1a1670819833240f027b25EfF';
const ERC20 = ['function balanceOf(address) view returns (uint256)', 'function approve(address, uint256) returns (bool)'];
const timings = {};
let passed = 0;
async function step(name, fn) {
  const t = Date.now();
  await fn();
  timings[name] = Date.now() - t;
  passed++;
  console.log(`ok ${passed} - ${name} (${timings[name]} ms)`);
}

// As rfq/src/zeroex/orders.cpp: EIP-712 digest of the RfqOrder under {ZeroEx, 1.0.0, chainId,
// proxy}, signed raw (signatureType 2), JSON with lower-case addresses and decimal strings.
function signRfqOrder(chainId, proxy, order) {
  const digest = TypedDataEncoder.hash(zeroExDomain(chainId, proxy), RFQ_ORDER_TYPES, rfqOrderTuple(order));
  const sig = new SigningKey(MAKER_KEY).sign(digest);
  return { digest, signature: { signatureType: 2, v: sig.v, r: sig.r, s: sig.s } };
}

// As rfq/src/hashflow/maker_client.cpp + messages.cpp: sign EIP-191(packed fields) raw, send r|s|v.
function signHashflowQuote(chainId, f, rfqId) {
  const sig = new SigningKey(MAKER_KEY).sign(rfqtDigest({ ...f, txid: rfqId }, chainId));
  const message = {
    rfqId, quoteExpiry: f.quoteExpiry, baseToken: f.baseToken.toLowerCase(), quoteToken: f.quoteToken.toLowerCase(),
    baseTokenAmount: f.baseTokenAmount.toString(), quoteTokenAmount: f.quoteTokenAmount.toString(),
    pool: f.pool.toLowerCase(), signature: sig.serialized,
  };
  if (f.externalAccount) message.externalAccount = f.externalAccount.toLowerCase();
  return { messageType: 'rfqTQuote', message };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const chainId = Number(args['chain-id'] || 137); // 137: proves ethers never reaches for a gas station
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'aq-chain-'));
  const anvil = await startAnvil({ chainId });
  // A watchdog: a hung step fails the run and still ends the anvil this run started.
  setTimeout(() => {
    console.error('selftest: timed out after 180 s');
    console.log(`${passed} passed, 1 failed`);
    process.kill(anvil.pid, 'SIGKILL');
    process.exit(1);
  }, 180000).unref();
  timings.anvilStartMs = Date.now() - t0;
  try {
    const out = join(dir, 'deploy.json');
    await step('deploy.mjs', async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [
        new URL('./deploy.mjs', import.meta.url).pathname, '--rpc', anvil.url, '--maker-key', MAKER_KEY, '--out', out]);
      console.log(`  ${stdout.trim()}`);
    });
    const d = readJson(out);
    const rpc = anvil.url;
    const { provider } = await connect(rpc);
    const maker = new Wallet(MAKER_KEY, provider);
    const [taker0, taker1] = d.accounts.takers.map((t) => t.address);
    const tok = (s) => new Contract(d.tokens[s].address, ERC20, provider);
    const bal = async (s, who) => tok(s).balanceOf(who);
    const now = async () => (await provider.getBlock('latest')).timestamp;
    const proxy = d.zeroEx.exchangeProxy;

    const order = (o = {}) => ({
      makerToken: d.tokens.WBTC.address.toLowerCase(), takerToken: d.tokens.USDT.address.toLowerCase(),
      makerAmount: '100000000', takerAmount: '60000000000', maker: maker.address.toLowerCase(),
      taker: '0x0000000000000000000000000000000000000000', txOrigin: taker0.toLowerCase(), pool: ZeroHash,
      expiry: '0', salt: BigInt(hexlify(randomBytes(16))).toString(), ...o,
    });
    const fresh = async (o) => order({ expiry: String((await now()) + 600), ...o });

    await step('0x: our EIP-712 hash equals the proxy getRfqOrderHash, and the fill settles', async () => {
      const o = await fresh();
      const { digest, signature } = signRfqOrder(d.chainId, proxy, o);
      const onChain = await new Contract(proxy, zeroExInterface, provider).getRfqOrderHash(rfqOrderTuple(o));
      assert.equal(onChain, digest);
      const before = { mW: await bal('WBTC', maker.address), mU: await bal('USDT', maker.address), tW: await bal('WBTC', taker0), tU: await bal('USDT', taker0) };
      const r = await fillZeroexRfq({ rpc, deployment: d, taker: 0, order: o, signature });
      assert.equal(r.ok, true, toJson(r));
      const [e] = r.events;
      assert.equal(r.events.length, 1);
      assert.equal(e.orderHash, digest);
      assert.equal(e.maker, maker.address);
      assert.equal(e.taker, taker0);
      assert.equal(e.takerTokenFilledAmount, 60000000000n);
      assert.equal(e.makerTokenFilledAmount, 100000000n);
      assert.equal(await bal('WBTC', maker.address), before.mW - 100000000n);
      assert.equal(await bal('USDT', maker.address), before.mU + 60000000000n);
      assert.equal(await bal('WBTC', taker0), before.tW + 100000000n);
      assert.equal(await bal('USDT', taker0), before.tU - 60000000000n);
      console.log(`  gasUsed ${r.gasUsed}, block ${r.blockNumber}`);
    });

    await step('0x: a partial fill pays pro rata', async () => {
      const o = await fresh();
      const r = await fillZeroexRfq({ rpc, deployment: d, taker: 0, order: o, signature: signRfqOrder(d.chainId, proxy, o).signature, amount: '15000000000' });
      assert.equal(r.ok, true, toJson(r));
      assert.equal(r.events[0].takerTokenFilledAmount, 15000000000n);
      assert.equal(r.events[0].makerTokenFilledAmount, 25000000n);
    });

    await step('0x: an amount changed after signing reverts', async () => {
      const o = await fresh();
      const { signature } = signRfqOrder(d.chainId, proxy, o);
      const r = await fillZeroexRfq({ rpc, deployment: d, taker: 0, order: { ...o, makerAmount: '200000000' }, signature });
      assert.equal(r.ok, false);
      assert.match(r.reason, /^OrderNotSignedByMakerError/);
      console.log(`  ${r.reason}`);
    });

    await step('0x: a taker other than txOrigin is refused', async () => {
      const o = await fresh();
      const r = await fillZeroexRfq({ rpc, deployment: d, taker: 1, order: o, signature: signRfqOrder(d.chainId, proxy, o).signature });
      assert.match(r.reason, /^OrderNotFillableByOriginError/);
      console.log(`  ${r.reason.slice(0, 90)}...`);
    });

    await step('0x: without the maker allowance the fill reverts; evm_revert undoes the approve', async () => {
      const snap = await rpcCall(rpc, 'evm_snapshot');
      await mined(tok('WBTC').connect(maker).approve(proxy, 0n), 'approve 0');
      const o = await fresh();
      const r = await fillZeroexRfq({ rpc, deployment: d, taker: 0, order: o, signature: signRfqOrder(d.chainId, proxy, o).signature });
      assert.match(r.reason, /insufficient allowance/);
      console.log(`  ${r.reason}`);
      assert.equal(await rpcCall(rpc, 'evm_revert', [snap]), true);
      const allowance = await new Contract(d.tokens.WBTC.address, ['function allowance(address,address) view returns (uint256)'], provider).allowance(maker.address, proxy);
      assert.equal(allowance, MaxUint256);
    });

    let nonce = BigInt(await now()) * 1000n; // Hashflow nonces: milliseconds, increasing per effectiveTrader
    const quoteFields = async (externalAccount) => ({
      pool: d.hashflow.pool, trader: taker1, effectiveTrader: taker1, externalAccount,
      baseToken: d.tokens.USDT.address, quoteToken: d.tokens.WETH.address,
      baseTokenAmount: 3000000000n, quoteTokenAmount: 1000000000000000000n,
      nonce: ++nonce, quoteExpiry: (await now()) + 30,
    });
    const hfFill = async (externalAccount, payer) => {
      const f = await quoteFields(externalAccount);
      const rfqId = hexlify(randomBytes(32));
      const quote = signHashflowQuote(d.chainId, f, rfqId);
      const before = { payer: await bal('WETH', payer), taker: await bal('WETH', taker1) };
      const r = await tradeHashflowRfqt({ rpc, deployment: d, taker: 1, quote, nonce: f.nonce.toString() });
      assert.equal(r.ok, true, toJson(r));
      const [e] = r.events;
      assert.equal(e.txid, rfqId);
      assert.equal(e.trader, taker1);
      assert.equal(e.baseTokenAmount, 3000000000n);
      assert.equal(e.quoteTokenAmount, 1000000000000000000n);
      assert.equal(await bal('WETH', payer), before.payer - 1000000000000000000n);
      assert.equal(await bal('WETH', taker1), before.taker + 1000000000000000000n);
      console.log(`  gasUsed ${r.gasUsed}, block ${r.blockNumber}`);
      return { r, f, quote };
    };

    await step('Hashflow: RFQ-T quote paid from the maker wallet (externalAccount = maker)', async () => {
      const usdtBefore = await bal('USDT', maker.address);
      await hfFill(maker.address, maker.address);
      assert.equal(await bal('USDT', maker.address), usdtBefore + 3000000000n); // base goes to the external account
    });

    await step('Hashflow: RFQ-T quote paid from the pool (no externalAccount)', async () => {
      await hfFill(undefined, d.hashflow.pool);
    });

    await step('Hashflow: an amount changed after signing reverts', async () => {
      const f = await quoteFields(maker.address);
      const quote = signHashflowQuote(d.chainId, f, hexlify(randomBytes(32)));
      quote.message.quoteTokenAmount = '2000000000000000000';
      const r = await tradeHashflowRfqt({ rpc, deployment: d, taker: 1, quote, nonce: f.nonce.toString() });
      assert.equal(r.ok, false);
      assert.match(r.reason, /Invalid signer/);
      console.log(`  ${r.reason}`);
    });

    await step('evm_snapshot/evm_revert removes a fill: receipt null, balances back', async () => {
      const snap = await rpcCall(rpc, 'evm_snapshot');
      const before = await bal('WETH', taker1);
      const { r } = await hfFill(maker.address, maker.address);
      assert.notEqual(await provider.getTransactionReceipt(r.txHash), null);
      assert.equal(await rpcCall(rpc, 'evm_revert', [snap]), true);
      assert.equal(await provider.getTransactionReceipt(r.txHash), null);
      assert.equal(await bal('WETH', taker1), before);
      assert.ok((await provider.getBlockNumber()) < r.blockNumber);
      assert.equal(await provider.getBlock(r.blockHash), null);
    });
    await step('deploy.mjs --zeroex-address 0xDef1C0de.. --no-approve: no allowance, then the fill works there', async () => {
      const out2 = join(dir, 'deploy-def1.json');
      await promisify(execFile)(process.execPath, [new URL('./deploy.mjs', import.meta.url).pathname, '--rpc', rpc,
        '--maker-key', MAKER_KEY, '--out', out2, '--zeroex-address', MAINNET_PROXY, '--no-approve']);
      const d2 = readJson(out2);
      assert.equal(d2.zeroEx.exchangeProxy, MAINNET_PROXY);
      assert.deepEqual(d2.makerApprovals, []);
      const o = { ...(await fresh()), makerToken: d2.tokens.WBTC.address.toLowerCase(), takerToken: d2.tokens.USDT.address.toLowerCase() };
      const { digest, signature } = signRfqOrder(d2.chainId, MAINNET_PROXY, o);
      const refused = await fillZeroexRfq({ rpc, deployment: d2, taker: 0, order: o, signature });
      assert.match(refused.reason, /insufficient allowance/);
      const wbtc2 = new Contract(d2.tokens.WBTC.address, ERC20, maker);
      await mined(wbtc2.approve(MAINNET_PROXY, MaxUint256), 'approve');
      const r = await fillZeroexRfq({ rpc, deployment: d2, taker: 0, order: o, signature });
      assert.equal(r.ok, true, toJson(r));
      assert.equal(r.events[0].orderHash, digest);
      assert.equal(r.events[0].makerTokenFilledAmount, 100000000n);
    });
    provider.destroy();
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  timings.totalMs = Date.now() - t0;
  console.log(`timings ${JSON.stringify(timings)}`);
  console.log(`${passed} passed, 0 failed`);
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
});
