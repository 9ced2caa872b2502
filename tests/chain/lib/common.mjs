// Shared helpers: command-line flags, a provider that never looks anything up online, anvil's
// well-known accounts, and deploy/send wrappers that wait for the (automined) receipt.
import { ContractFactory, HDNodeWallet, JsonRpcProvider, Network, Wallet } from 'ethers';
import { readFileSync } from 'node:fs';

// anvil's default accounts come from this public test mnemonic (never use it for real funds).
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

// `--name value` pairs and bare `--flag`s after the positional arguments.
export function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      out._.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) {
      out[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      out[a.slice(2)] = argv[++i];
    } else {
      out[a.slice(2)] = true;
    }
  }
  return out;
}

export function need(args, name) {
  if (args[name] === undefined || args[name] === true) throw new Error(`--${name} is required`);
  return args[name];
}

// Raw JSON-RPC, for the node's own methods (anvil_*, evm_*) and before a provider exists.
export async function rpcCall(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

// A provider bound to the node's chain id as a plain network: with a built-in network (1, 137, ...)
// ethers would add plugins that fetch gas prices from the internet.
export async function connect(url) {
  const chainId = Number(BigInt(await rpcCall(url, 'eth_chainId')));
  const network = new Network(`local-${chainId}`, chainId);
  const provider = new JsonRpcProvider(url, network, {
    staticNetwork: network,
    pollingInterval: 50,
    batchMaxCount: 1,
    cacheTimeout: -1, // ethers otherwise reuses a nonce it read <250 ms ago: "nonce too low"
  });
  return { provider, chainId };
}

// anvil's default funded account i (0: deployer, 1 and 2: takers), as a private key.
export function anvilKey(i) {
  return HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).privateKey;
}

export function wallet(key, provider) {
  return new Wallet(key, provider);
}

// Polls for a transaction's receipt. Not ethers' tx.wait(): that waits for a *new* block when the
// receipt is not there on its first look, and an automining node that has just mined the
// transaction may never make another, so wait() can hang forever.
export async function receiptOf(provider, hash, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt) return receipt;
    if (Date.now() > deadline) throw new Error(`no receipt for ${hash} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Waits for a transaction's receipt and throws unless it succeeded.
export async function mined(txPromise, what) {
  const tx = await txPromise;
  const receipt = await receiptOf(tx.provider, tx.hash);
  if (receipt.status !== 1) throw new Error(`${what}: transaction ${tx.hash} failed`);
  return receipt;
}

export async function deploy(signer, abi, bytecode, args = [], what = 'contract') {
  const factory = new ContractFactory(abi, bytecode, signer);
  const c = await factory.deploy(...args);
  await mined(Promise.resolve(c.deploymentTransaction()), `deploy ${what}`);
  return c;
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// JSON with bigints as decimal strings.
export function toJson(value) {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

// A decoded event's arguments as a plain object (bigints kept).
export function eventArgs(parsed) {
  const out = { event: parsed.name };
  parsed.fragment.inputs.forEach((input, i) => {
    out[input.name] = parsed.args[i];
  });
  return out;
}

// Runs an async main, printing an error as one JSON line on stderr with exit code 1.
export function runMain(main) {
  main().catch((e) => {
    process.stderr.write(`${toJson({ error: e.shortMessage || e.message })}\n`);
    process.exit(1);
  });
}
