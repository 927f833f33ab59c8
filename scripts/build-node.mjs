#!/usr/bin/env node
/**
 * Node-side build: the `lotseal` CLI, the browser harness and the ledger verify worker, as
 * standalone CommonJS files in out/node/ (docs/decisions.md D-013).
 *
 * These hosts run the same services as the desktop app but in plain Node, so every package
 * stays external (it is in node_modules at run time, and native modules such as
 * better-sqlite3 cannot be bundled anyway). Each entry is built on its own so a file never
 * depends on a chunk produced for another host.
 *
 * An entry whose source file does not exist yet is skipped with a message, so the build
 * (and `npm install`, through `prepare`) works while the tree is still growing.
 *
 *   node scripts/build-node.mjs            build every entry that exists
 *   node scripts/build-node.mjs cli        build only the named entries
 *   node scripts/build-node.mjs --prepare  as run by `npm install` (the `prepare` script):
 *                                          a failure is reported but does not fail the
 *                                          install, because bin/lotseal.cjs falls back to
 *                                          the sources when out/node/cli.cjs is missing
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleConfig } from './node-bundle-config.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'out', 'node');

/** name → source, relative to the repository root. Output: out/node/<name>.cjs */
const entries = {
  cli: 'src/main/cli/index.ts',
  harness: 'src/main/harness/index.ts',
  'verify-worker': 'src/main/ledger/verify-worker.ts',
  'import-worker': 'src/main/app/import-worker.ts',
  'evidence-worker': 'src/main/evidence/evidence-worker.ts',
};

/**
 * Entries split into chunks loaded on demand (out/node/<name>-chunks/): a command's modules load
 * when it runs, so `lotseal verify` does not build the contract's schemas nor load serialport
 * (D-116). The other entries stay one file each.
 */
const split = new Set(['cli']);

const prepare = process.argv.includes('--prepare');
const wanted = process.argv.slice(2).filter((a) => a !== '--prepare');

/** @param {string} what @param {unknown} error */
function fail(what, error) {
  console.error(`build-node: ${what}: ${error instanceof Error ? error.message : String(error)}`);
  if (prepare) {
    console.error(
      'build-node: continuing (prepare): `lotseal` will run from the sources until `npm run build` succeeds',
    );
    process.exit(0);
  }
  process.exit(1);
}

let build;
try {
  ({ build } = await import('vite'));
} catch (error) {
  fail('vite is not installed (devDependencies omitted?)', error);
}
for (const name of wanted) {
  if (!(name in entries)) {
    console.error(`build-node: unknown entry "${name}" (known: ${Object.keys(entries).join(', ')})`);
    process.exit(2);
  }
}

let built = 0;
for (const [name, source] of Object.entries(entries)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const input = path.join(root, source);
  if (!existsSync(input)) {
    console.log(`build-node: skipping ${name}: ${source} does not exist yet`);
    continue;
  }
  const chunks = path.join(outDir, `${name}-chunks`);
  // Chunks of an older build never linger beside the new entry.
  if (split.has(name)) rmSync(chunks, { recursive: true, force: true });
  try {
    await build(nodeBundleConfig({ root, input, outDir, name, sourcemap: true, split: split.has(name) }));
  } catch (error) {
    fail(`building ${name} failed`, error);
  }
  console.log(`build-node: out/node/${name}.cjs  ←  ${source}`);
  built += 1;
}

if (built === 0) {
  console.log('build-node: nothing to build');
}
