// The real 0x v4 Exchange Proxy, deployed from the compiled artifacts that @0x/contracts-zero-ex
// publishes (solc 0.6.12), in the order of that package's own fullMigrateAsync (lib/src/migration.js):
// FullMigration -> ZeroEx(bootstrapper) -> FeeCollectorController -> features -> migrateZeroEx.
import { Interface, ZeroAddress, getAddress } from 'ethers';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deploy, mined, rpcCall } from './common.mjs';

const ARTIFACTS = join(
  dirname(dirname(fileURLToPath(import.meta.url))),
  'node_modules/@0x/contracts-zero-ex/lib/generated-artifacts',
);

export function artifact(name) {
  const a = JSON.parse(readFileSync(join(ARTIFACTS, `${name}.json`), 'utf8'));
  return { abi: a.compilerOutput.abi, bytecode: a.compilerOutput.evm.bytecode.object };
}

// Every function and event the proxy serves (fillRfqOrder, RfqOrderFilled, OtcOrderFilled, ...),
// plus 0x's "rich" revert errors, which are ABI-encoded like Solidity custom errors.
export const zeroExInterface = new Interface([
  ...artifact('IZeroEx').abi,
  'error OrderNotFillableByOriginError(bytes32 orderHash, address txOrigin, address orderTxOrigin)',
  'error OrderNotFillableError(bytes32 orderHash, uint8 orderStatus)',
  'error OrderNotSignedByMakerError(bytes32 orderHash, address signer, address maker)',
  'error OrderNotFillableByTakerError(bytes32 orderHash, address taker, address orderTaker)',
  'error OrderNotFillableBySenderError(bytes32 orderHash, address sender, address orderSender)',
  'error FillOrKillFailedError(bytes32 orderHash, uint256 takerTokenFilledAmount, uint256 takerTokenFillAmount)',
  'error SignatureValidationError(uint8 code, bytes32 hash)',
  'error NotImplementedError(bytes4 selector)',
]);

// LibNativeOrder.OrderStatus, for OrderNotFillableError.
export const ORDER_STATUS = ['INVALID', 'FILLABLE', 'FILLED', 'CANCELLED', 'EXPIRED'];

// Deploys a fully migrated proxy owned by `owner`. With `zeroExAddress`, the features' EIP-712
// domain names that address and the proxy's code and storage are moved there afterwards, so orders
// signed for the mainnet address (0xDef1C0de...) validate; otherwise the proxy stays where it landed.
export async function deployExchangeProxy(deployer, { weth, owner, zeroExAddress, rpc }) {
  const art = (name) => artifact(name);
  const migrator = await deploy(deployer, art('FullMigration').abi, art('FullMigration').bytecode, [deployer.address], 'FullMigration');
  const bootstrapper = await migrator.getBootstrapper();
  const zeroEx = await deploy(deployer, art('ZeroEx').abi, art('ZeroEx').bytecode, [bootstrapper], 'ZeroEx');
  const landed = await zeroEx.getAddress();
  const domainAddress = zeroExAddress ? getAddress(zeroExAddress) : landed;

  const feature = (name, args = []) => deploy(deployer, art(name).abi, art(name).bytecode, args, name);
  const feeCollectorController = await feature('FeeCollectorController', [weth, ZeroAddress]);
  const features = {
    registry: await feature('SimpleFunctionRegistryFeature'),
    ownable: await feature('OwnableFeature'),
    transformERC20: await feature('TransformERC20Feature'),
    metaTransactions: await feature('MetaTransactionsFeature', [domainAddress]),
    // staking 0 and 0x's default protocol fee multiplier (RFQ and OTC orders pay no protocol fee).
    nativeOrders: await feature('NativeOrdersFeature', [
      domainAddress, weth, ZeroAddress, await feeCollectorController.getAddress(), 70000,
    ]),
    otcOrders: await feature('OtcOrdersFeature', [domainAddress, weth]),
  };
  const featureAddresses = {};
  for (const [k, c] of Object.entries(features)) featureAddresses[k] = await c.getAddress();
  await mined(
    migrator.migrateZeroEx(owner, landed, featureAddresses, { transformerDeployer: owner }),
    'FullMigration.migrateZeroEx',
  );
  if (domainAddress !== landed) await moveAccount(rpc, landed, domainAddress);
  return { exchangeProxy: domainAddress, deployedAt: landed, features: featureAddresses };
}

// Copies an account's code and every storage slot to another address (anvil_dumpState holds them).
async function moveAccount(rpc, from, to) {
  const dump = await rpcCall(rpc, 'anvil_dumpState');
  const raw = Buffer.from(dump.slice(2), 'hex');
  const state = JSON.parse((raw[0] === 0x1f ? gunzipSync(raw) : raw).toString('utf8'));
  const account = Object.entries(state.accounts).find(([a]) => a.toLowerCase() === from.toLowerCase());
  if (!account) throw new Error(`anvil_dumpState has no account ${from}`);
  await rpcCall(rpc, 'anvil_setCode', [to, account[1].code]);
  const pad = (h) => `0x${BigInt(h).toString(16).padStart(64, '0')}`;
  for (const [slot, value] of Object.entries(account[1].storage)) {
    await rpcCall(rpc, 'anvil_setStorageAt', [to, pad(slot), pad(value)]);
  }
}

// An RfqOrder from our API's JSON ({makerToken, ..., expiry, salt} with decimal strings), as the
// tuple fillRfqOrder takes. Extra fields (chainId, verifyingContract) are ignored.
export function rfqOrderTuple(o) {
  return {
    makerToken: o.makerToken,
    takerToken: o.takerToken,
    makerAmount: BigInt(o.makerAmount),
    takerAmount: BigInt(o.takerAmount),
    maker: o.maker,
    taker: o.taker,
    txOrigin: o.txOrigin,
    pool: o.pool,
    expiry: BigInt(o.expiry),
    salt: BigInt(o.salt),
  };
}

// 0x's EIP-712 RfqOrder type and domain, exactly as rfq/src/zeroex/orders.cpp declares them.
export const RFQ_ORDER_TYPES = {
  RfqOrder: [
    { name: 'makerToken', type: 'address' },
    { name: 'takerToken', type: 'address' },
    { name: 'makerAmount', type: 'uint128' },
    { name: 'takerAmount', type: 'uint128' },
    { name: 'maker', type: 'address' },
    { name: 'taker', type: 'address' },
    { name: 'txOrigin', type: 'address' },
    { name: 'pool', type: 'bytes32' },
    { name: 'expiry', type: 'uint64' },
    { name: 'salt', type: 'uint256' },
  ],
};

export function zeroExDomain(chainId, exchangeProxy) {
  return { name: 'ZeroEx', version: '1.0.0', chainId, verifyingContract: exchangeProxy };
}
