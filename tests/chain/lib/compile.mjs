// Compiles Solidity offline with solc-js (the `solc` package, a WebAssembly compiler: no download),
// resolving imports from node_modules. The ABIs and bytecode are cached in .cache/ under a hash of
// the compiler version, the settings and every source text, so a second run skips the compiler.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(dirname(fileURLToPath(import.meta.url)));
export const CACHE_DIR = join(HERE, '.cache');

// Hashflow pins pragma 0.8.18; the optimizer keeps HashflowRouter under the 24 KiB code limit.
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'paris',
};

// Source unit names: `aqueduct/X.sol` is contracts/X.sol here, anything else is a package path.
function fileOf(unit) {
  return unit.startsWith('aqueduct/')
    ? join(HERE, 'contracts', unit.slice('aqueduct/'.length))
    : join(HERE, 'node_modules', unit);
}

const IMPORT = /import\s+(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]\s*;/g;

// Every source the roots import, transitively, as {unit: {content}}.
function collectSources(roots) {
  const sources = {};
  const todo = [...roots];
  while (todo.length) {
    const unit = todo.pop();
    if (sources[unit]) continue;
    const content = readFileSync(fileOf(unit), 'utf8');
    sources[unit] = { content };
    for (const m of content.matchAll(IMPORT)) {
      const path = m[1];
      todo.push(path.startsWith('.') ? posix.normalize(posix.join(posix.dirname(unit), path)) : path);
    }
  }
  return sources;
}

// wanted: {name: 'unit:ContractName'}; returns {name: {abi, bytecode}} and whether the cache served.
export async function compile(wanted) {
  // The package version names the compiler (solc-js x.y.z ships soljson x.y.z); loading the
  // compiler itself takes a while, so it is imported only on a cache miss.
  const solcVersion = JSON.parse(readFileSync(fileOf('solc/package.json'), 'utf8')).version;
  const roots = [...new Set(Object.values(wanted).map((w) => w.split(':')[0]))];
  const sources = collectSources(roots);
  const key = createHash('sha256')
    .update(JSON.stringify({ solc: solcVersion, SETTINGS, wanted, sources }))
    .digest('hex')
    .slice(0, 24);
  const cacheFile = join(CACHE_DIR, `solc-${key}.json`);
  if (existsSync(cacheFile)) return { contracts: JSON.parse(readFileSync(cacheFile, 'utf8')), cached: true };

  const { default: solc } = await import('solc');
  const outputSelection = {};
  for (const w of Object.values(wanted)) {
    const [unit, name] = w.split(':');
    outputSelection[unit] = { ...(outputSelection[unit] || {}), [name]: ['abi', 'evm.bytecode.object'] };
  }
  const input = { language: 'Solidity', sources, settings: { ...SETTINGS, outputSelection } };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);

  const contracts = {};
  for (const [label, w] of Object.entries(wanted)) {
    const [unit, name] = w.split(':');
    const c = output.contracts[unit][name];
    contracts[label] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(contracts));
  return { contracts, cached: false };
}
