// Verifies, with ethers (an independent implementation), every signed sample sign_samples
// prints: the digest is recomputed from the typed data or packed fields, the signature must
// recover to the maker, be low-s with v 27/28 and fixed-width r/s. Exit 1 on any mismatch.
// Usage: sign_samples | node verify_signatures.js
'use strict';
const { ethers } = require('ethers');
const readline = require('readline');

const types = {
  zeroex_rfq: { RfqOrder: [
    ['makerToken', 'address'], ['takerToken', 'address'], ['makerAmount', 'uint128'], ['takerAmount', 'uint128'],
    ['maker', 'address'], ['taker', 'address'], ['txOrigin', 'address'], ['pool', 'bytes32'], ['expiry', 'uint64'],
    ['salt', 'uint256']].map(([name, type]) => ({ name, type })) },
  zeroex_otc: { OtcOrder: [
    ['makerToken', 'address'], ['takerToken', 'address'], ['makerAmount', 'uint128'], ['takerAmount', 'uint128'],
    ['maker', 'address'], ['taker', 'address'], ['txOrigin', 'address'], ['expiryAndNonce', 'uint256']]
    .map(([name, type]) => ({ name, type })) },
  bebop: { SingleOrder: [
    ['partner_id', 'uint64'], ['expiry', 'uint256'], ['taker_address', 'address'], ['maker_address', 'address'],
    ['maker_nonce', 'uint256'], ['taker_token', 'address'], ['maker_token', 'address'], ['taker_amount', 'uint256'],
    ['maker_amount', 'uint256'], ['receiver', 'address'], ['packed_commands', 'uint256']]
    .map(([name, type]) => ({ name, type })) },
};
const HALF_N = ethers.toBigInt('0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0');

function checkSig(sig, digest, maker) {
  const s = typeof sig === 'string' ? ethers.Signature.from(sig) : ethers.Signature.from(sig);
  const raw = typeof sig === 'string' ? sig : null;
  if (raw !== null && raw.length !== 132) throw new Error(`signature is ${raw.length} hex chars, want 132`);
  if (raw === null && (sig.r.length !== 66 || sig.s.length !== 66)) throw new Error('r/s not fixed width');
  const v = raw === null ? sig.v : parseInt(raw.slice(130), 16);
  if (v !== 27 && v !== 28) throw new Error(`v = ${v}`);
  if (ethers.toBigInt(s.s) > HALF_N) throw new Error('high s');
  const who = ethers.recoverAddress(digest, s);
  if (who !== maker) throw new Error(`recovers to ${who}, not ${maker}`);
}

async function main() {
  const counts = {};
  let failures = 0;
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const x = JSON.parse(line);
    try {
      let digest;
      if (x.kind === 'hashflow') {
        const f = x.fields;
        const packed = ethers.solidityPackedKeccak256(
          ['address', 'address', 'address', 'address', 'address', 'address', 'uint256', 'uint256', 'uint256',
           'uint256', 'bytes32', 'uint256'],
          [f.pool, f.trader, f.effectiveTrader, f.externalAccount, f.baseToken, f.quoteToken, f.baseTokenAmount,
           f.quoteTokenAmount, f.nonce, f.quoteExpiry, f.txid, f.chainId]);
        digest = ethers.hashMessage(ethers.getBytes(packed));  // EIP-191 over the 32-byte hash
      } else {
        digest = ethers.TypedDataEncoder.hash(x.domain, types[x.kind], x.order);
      }
      if (digest !== x.digest) throw new Error(`digest ${x.digest}, ethers computes ${digest}`);
      checkSig(x.signature, digest, x.maker);
      counts[x.kind] = (counts[x.kind] || 0) + 1;
    } catch (e) {
      failures++;
      console.error(`FAIL ${x.kind}: ${e.message}\n  ${line}`);
    }
  }
  console.log(`ethers ${ethers.version} verified: ${JSON.stringify(counts)}; failures: ${failures}`);
  const kinds = Object.keys(counts).length;
  if (failures > 0 || kinds < 4) process.exit(1);
}
main();
