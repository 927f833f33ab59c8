/**
 * The bundler step of tests/helpers/node-bundle.ts, in its own process:
 *
 *   node tests/helpers/node-bundle-build.mjs <entry.ts> <outDir> <name.cjs>
 *
 * Vite's bundler (rolldown) is native code with its own pool of threads and objects that
 * JavaScript's garbage collector finalizes later. Run inside a test worker, it would leave
 * those threads and finalizers in a process that goes on to run other test files for the rest
 * of the step (the integration project shares a worker between files, isolate: false), so
 * the bundler runs here and ends with this process (docs/decisions.md D-128). The bundle is
 * built as scripts/build-node.mjs builds the shipped Node hosts (scripts/node-bundle-config.mjs).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { nodeBundleConfig } from '../../scripts/node-bundle-config.mjs';

const [entry, outDir, file] = process.argv.slice(2);
if (!entry || !outDir || !file?.endsWith('.cjs')) {
  console.error('usage: node-bundle-build.mjs <entry> <outDir> <name.cjs>');
  process.exit(2);
}
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
await build(nodeBundleConfig({ root, input: entry, outDir, name: file.replace(/\.cjs$/, ''), sourcemap: false }));
