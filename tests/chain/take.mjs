// A taker settling what our maker signed, against the real contracts deploy.mjs put on the node.
//
//   node take.mjs zeroex-rfq --rpc URL --deploy FILE.json --taker 0|1 \
//        --order '<RfqOrder JSON>' [--signature '{"signatureType":2,"v":..,"r":..,"s":..}'] \
//        [--amount TAKER_TOKEN_FILL_AMOUNT]
//   (--order may be our whole /quote answer {"signedOrder": {..., signature}}; then no --signature)
//   node take.mjs hashflow-rfqt --rpc URL --deploy FILE.json --taker 0|1 \
//        --quote '<our rfqTQuote message, or its envelope>' [--signature 0x<r|s|v>] \
//        [--nonce N] [--trader 0x..] [--effective-trader 0x..] [--amount EFFECTIVE_BASE_AMOUNT]
//
// Prints one JSON line. Mined: {ok:true, txHash, status:1, blockNumber, gasUsed, events:[...]}, exit 0.
// Reverted (found by simulating first, so nothing is sent): {ok:false, status:"reverted", reason,
// error?}, exit 3. Anything else: {error} on stderr, exit 1.
//
// 0x: tx.origin is the taker, so the order's txOrigin must be that taker's address.
// Hashflow: the quote message carries no trader/effectiveTrader/nonce (the trader has them from its
// rfqT): trader defaults to the taker, effectiveTrader to the trader, and the nonce must be given
// (in the quote JSON or --nonce); the pool wants it above the last one for that effectiveTrader and
// the router at most (block time + 180 s) in milliseconds.
import { Contract, ZeroAddress, getAddress } from 'ethers';
import { pathToFileURL } from 'node:url';
import { connect, eventArgs, need, parseArgs, readJson, receiptOf, runMain, toJson, wallet } from './lib/common.mjs';
import { hashflowInterface, rfqtQuoteTuple } from './lib/hashflow.mjs';
import { ORDER_STATUS, rfqOrderTuple, zeroExInterface } from './lib/zeroex.mjs';

// The reason a simulated call reverted: Error(string), or a decoded 0x rich error.
function revertReason(e, iface) {
  const data = e?.data || e?.info?.error?.data;
  if (typeof data === 'string' && data.length >= 10) {
    try {
      const err = iface.parseError(data);
      if (err && err.name === 'Error') return err.args[0]; // require(..., "message")
      if (err) {
        const args = err.fragment.inputs.map((inp, i) => `${inp.name}=${err.args[i]}`);
        if (err.name === 'OrderNotFillableError') args[1] += ` (${ORDER_STATUS[Number(err.args[1])]})`;
        return `${err.name}(${args.join(', ')})`;
      }
    } catch { /* not one of ours */ }
  }
  return e?.reason || e?.revert?.args?.[0] || e?.shortMessage || e?.message || String(e);
}

// Simulates, then sends; returns the result line with the emitter's `eventName` logs decoded.
async function submit(contract, fn, args, overrides, { iface, emitter, eventName }) {
  try {
    await contract[fn].staticCall(...args, overrides);
  } catch (e) {
    if (e?.code !== 'CALL_EXCEPTION') throw e; // the node is down, a bad argument, ...
    return { ok: false, status: 'reverted', reason: revertReason(e, iface) };
  }
  const tx = await contract[fn](...args, overrides);
  const receipt = await receiptOf(tx.provider, tx.hash);
  const topic = iface.getEvent(eventName).topicHash;
  const events = receipt.logs
    .filter((l) => getAddress(l.address) === getAddress(emitter) && l.topics[0] === topic)
    .map((l) => eventArgs(iface.parseLog(l)));
  return {
    ok: receipt.status === 1,
    txHash: receipt.hash,
    status: receipt.status,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    gasUsed: receipt.gasUsed,
    events,
  };
}

function takerWallet(provider, deployment, taker) {
  const t = deployment.accounts.takers[Number(taker)];
  if (!t) throw new Error(`no taker ${taker} (there are ${deployment.accounts.takers.length})`);
  return wallet(t.privateKey, provider);
}

// fillRfqOrder(order, signature, takerTokenFillAmount) on the Exchange Proxy.
export async function fillZeroexRfq({ rpc, deployment, taker, order, signature, amount }) {
  const { provider } = await connect(rpc);
  const w = takerWallet(provider, deployment, taker);
  const proxyAddress = deployment.zeroEx.exchangeProxy;
  const proxy = new Contract(proxyAddress, zeroExInterface, w);
  // Our /quote answers {"signedOrder": {...order, chainId, verifyingContract, signature}}.
  const so = order.signedOrder || order;
  signature = signature || so.signature;
  if (!signature) throw new Error('no signature: pass --signature or an order with one');
  const warnings = [];
  if (so.verifyingContract && getAddress(so.verifyingContract) !== getAddress(proxyAddress)) {
    warnings.push(`order signed for verifyingContract ${so.verifyingContract}, proxy is ${proxyAddress}`);
  }
  if (so.chainId !== undefined && Number(so.chainId) !== deployment.chainId) {
    warnings.push(`order signed for chainId ${so.chainId}, node is ${deployment.chainId}`);
  }
  const o = rfqOrderTuple(so);
  const sig = {
    signatureType: Number(signature.signatureType),
    v: Number(signature.v),
    r: signature.r,
    s: signature.s,
  };
  const fill = amount !== undefined ? BigInt(amount) : o.takerAmount;
  try {
    const result = await submit(proxy, 'fillRfqOrder', [o, sig, fill], {}, {
      iface: zeroExInterface, emitter: proxyAddress, eventName: 'RfqOrderFilled',
    });
    return warnings.length ? { ...result, warnings } : result;
  } finally {
    provider.destroy();
  }
}

// HashflowRouter.tradeRFQT(quote); the Trade event comes from the pool.
export async function tradeHashflowRfqt({ rpc, deployment, taker, quote, signature, nonce, trader, effectiveTrader, amount }) {
  const { provider } = await connect(rpc);
  const w = takerWallet(provider, deployment, taker);
  const m = quote.message && quote.messageType ? quote.message : quote;
  const n = nonce ?? m.nonce;
  if (n === undefined) throw new Error('the quote has no nonce: pass --nonce (the rfqT nonce)');
  const q = rfqtQuoteTuple(m, {
    trader: trader || m.trader || w.address,
    effectiveTrader: effectiveTrader || m.effectiveTrader,
    nonce: n,
    signature,
    amount,
  });
  const router = new Contract(deployment.hashflow.router, hashflowInterface, w);
  const value = q.baseToken === ZeroAddress ? q.effectiveBaseTokenAmount : 0n;
  try {
    return await submit(router, 'tradeRFQT', [q], { value }, {
      iface: hashflowInterface, emitter: q.pool, eventName: 'Trade',
    });
  } finally {
    provider.destroy();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const [mode] = args._;
  const common = {
    rpc: need(args, 'rpc'),
    deployment: readJson(need(args, 'deploy')),
    taker: args.taker ?? 0,
    amount: typeof args.amount === 'string' ? args.amount : undefined,
  };
  let result;
  if (mode === 'zeroex-rfq') {
    result = await fillZeroexRfq({
      ...common,
      order: JSON.parse(need(args, 'order')),
      signature: typeof args.signature === 'string' ? JSON.parse(args.signature) : undefined,
    });
  } else if (mode === 'hashflow-rfqt') {
    result = await tradeHashflowRfqt({
      ...common,
      quote: JSON.parse(need(args, 'quote')),
      signature: typeof args.signature === 'string' ? args.signature : undefined,
      nonce: typeof args.nonce === 'string' ? args.nonce : undefined,
      trader: typeof args.trader === 'string' ? args.trader : undefined,
      effectiveTrader: typeof args['effective-trader'] === 'string' ? args['effective-trader'] : undefined,
    });
  } else {
    throw new Error('usage: node take.mjs zeroex-rfq|hashflow-rfqt --rpc URL --deploy FILE.json ...');
  }
  process.stdout.write(`${toJson(result)}\n`);
  process.exit(result.ok ? 0 : 3);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMain(main);
