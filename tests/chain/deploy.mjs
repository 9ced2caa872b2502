// Deploys test tokens, the real 0x v4 Exchange Proxy and the real Hashflow v3 router/factory/pool
// into a running node (anvil), funds the maker and two takers, and writes the addresses to a file.
//
//   node deploy.mjs --rpc http://127.0.0.1:PORT --maker-key 0xHEX --out FILE.json
//                   [--zeroex-address 0xDef1C0ded9bec7F1a1670819833240f027b25EfF] [--no-approve]
//                   [--also-approve 0xSPENDER[,0x...]] [--interval-mining SECONDS]
//
// Accounts: anvil's default account 0 deploys and owns everything, accounts 1 and 2 are the takers;
// the maker (any key) is given ETH with anvil_setBalance. --no-approve leaves the maker's token
// allowances at zero (for "insufficient allowance" tests); the takers always approve.
// --also-approve: more spenders of the maker's tokens (a settlement contract not deployed here,
// e.g. Bebop's, for the demo's wallet checks). --interval-mining: after deploying, a block every
// SECONDS instead of one per transaction (a chain's clock, for confirmations).
import { MaxUint256, getAddress, parseEther, parseUnits } from 'ethers';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { anvilKey, connect, deploy, mined, need, parseArgs, rpcCall, runMain, toJson, wallet } from './lib/common.mjs';
import { checkHashflowInterface, compileAll, deployHashflow } from './lib/hashflow.mjs';
import { deployExchangeProxy, zeroExInterface } from './lib/zeroex.mjs';

// topic0 values documented in /work/shared/research/settlement.md; checked against the ABIs.
const EXPECTED_TOPICS = {
  RfqOrderFilled: '0x829fa99d94dc4636925b38632e625736a614c154d55006b7ab6bea979c210c32',
  OtcOrderFilled: '0xac75f773e3a92f1a02b12134d65e1f47f8a14eabe4eaf1e24624918e6a8b269f',
  HashflowTrade: '0x34f57786fb01682fb4eec88d340387ef01a168fe345ea5b76f709d4e560c10eb',
};

// What each funded account receives, in whole tokens.
const FUNDS = { WBTC: '1000', USDT: '100000000', WETH: '1000' };

export async function deployAll({ rpc, makerKey, zeroExAddress, approve = true, alsoApprove = [] }) {
  const t0 = Date.now();
  const { provider, chainId } = await connect(rpc);
  const deployer = wallet(anvilKey(0), provider);
  const takers = [wallet(anvilKey(1), provider), wallet(anvilKey(2), provider)];
  const maker = wallet(makerKey, provider);
  if ([deployer, ...takers].some((w) => w.address === maker.address)) {
    throw new Error('the maker key must not be one of anvil accounts 0..2 (deployer and takers)');
  }
  await rpcCall(rpc, 'anvil_setBalance', [maker.address, `0x${parseEther('10000').toString(16)}`]);

  const tCompile = Date.now();
  const { contracts, cached } = await compileAll();
  const tCompiled = Date.now();

  // Tokens: ours for WBTC/USDT, Hashflow's WETH9 copy for WETH (both protocols need a real WETH).
  const token = (symbol, name, decimals) =>
    deploy(deployer, contracts.TestToken.abi, contracts.TestToken.bytecode, [name, symbol, decimals], symbol);
  const wbtc = await token('WBTC', 'Wrapped BTC', 8);
  const usdt = await token('USDT', 'Tether USD', 6);
  const weth = await deploy(deployer, contracts.WETH9.abi, contracts.WETH9.bytecode, [], 'WETH9');
  const tokens = { WBTC: [wbtc, 8], USDT: [usdt, 6], WETH: [weth, 18] };
  const wethAddress = await weth.getAddress();

  const zeroEx = await deployExchangeProxy(deployer, {
    weth: wethAddress, owner: deployer.address, zeroExAddress, rpc,
  });
  const hashflow = await deployHashflow(deployer, maker, contracts, { weth: wethAddress });

  // Funds: the maker, the takers, and the pool itself (for quotes without an external account).
  for (const [symbol, [c, decimals]] of Object.entries(tokens)) {
    const amount = parseUnits(FUNDS[symbol], decimals);
    for (const who of [maker, ...takers, deployer]) {
      if (symbol === 'WETH') await mined(c.connect(who).deposit({ value: amount }), `${symbol}.deposit`);
      else await mined(c.mint(who.address, amount), `${symbol}.mint`);
    }
    await mined(c.transfer(hashflow.pool, amount), `${symbol} -> Hashflow pool`);
  }

  // Allowances: takers pay through the proxy (0x) and the router (Hashflow pulls base tokens from
  // msg.sender); the maker pays through the proxy (0x) and through the pool, which pulls quote
  // tokens from an external account with transferFrom(externalAccount, trader, amount).
  const spendersOfMaker = approve ? [zeroEx.exchangeProxy, hashflow.pool, ...alsoApprove] : [];
  for (const [symbol, [c]] of Object.entries(tokens)) {
    for (const t of takers) {
      for (const spender of [zeroEx.exchangeProxy, hashflow.router]) {
        await mined(c.connect(t).approve(spender, MaxUint256), `${symbol}.approve by taker`);
      }
    }
    for (const spender of spendersOfMaker) {
      await mined(c.connect(maker).approve(spender, MaxUint256), `${symbol}.approve by maker`);
    }
  }

  const topics = {
    RfqOrderFilled: zeroExInterface.getEvent('RfqOrderFilled').topicHash,
    OtcOrderFilled: zeroExInterface.getEvent('OtcOrderFilled').topicHash,
    HashflowTrade: checkHashflowInterface(contracts),
  };
  for (const [k, v] of Object.entries(EXPECTED_TOPICS)) {
    if (topics[k] !== v) throw new Error(`topic0 of ${k} is ${topics[k]}, settlement.md says ${v}`);
  }

  const addr = async (c) => getAddress(await c.getAddress());
  return {
    chainId,
    blockNumber: await provider.getBlockNumber(),
    rpc,
    accounts: {
      deployer: { address: deployer.address, privateKey: deployer.privateKey },
      maker: { address: maker.address },
      takers: takers.map((t) => ({ address: t.address, privateKey: t.privateKey })),
    },
    tokens: Object.fromEntries(await Promise.all(Object.entries(tokens).map(
      async ([symbol, [c, decimals]]) => [symbol, { address: await addr(c), decimals }],
    ))),
    zeroEx,
    hashflow: { ...hashflow, signer: maker.address, operations: maker.address },
    makerApprovals: spendersOfMaker,
    topics,
    timings: { compileMs: tCompiled - tCompile, compileCached: cached, totalMs: Date.now() - t0 },
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const out = need(args, 'out');
  const result = await deployAll({
    rpc: need(args, 'rpc'),
    makerKey: need(args, 'maker-key'),
    zeroExAddress: typeof args['zeroex-address'] === 'string' ? args['zeroex-address'] : undefined,
    approve: !args['no-approve'],
    alsoApprove: typeof args['also-approve'] === 'string' ? args['also-approve'].split(',').map((a) => getAddress(a)) : [],
  });
  if (typeof args['interval-mining'] === 'string') {
    await rpcCall(result.rpc, 'evm_setIntervalMining', [Number(args['interval-mining'])]);
  }
  writeFileSync(out, `${JSON.stringify(JSON.parse(toJson(result)), null, 2)}\n`);
  process.stdout.write(`${toJson({ out, ...result.timings })}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMain(main);
