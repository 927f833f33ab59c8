import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * A TypeScript entry (a test's child process) bundled into one CommonJS file, the way
 * scripts/build-node.mjs builds the Node hosts: the project's sources inlined, every package
 * external. The child runs it with `node <file>` and the returned `env` (NODE_PATH points at the
 * repository's node_modules, since the bundle lives in the test's temporary folder).
 *
 * Why: a child started under tsx transforms and loads the app's modules one by one, about 1 CPU
 * second a start; from the bundle it loads in about 0.2 (docs/performance.md "The test suite").
 * A test that starts the same child many times (ledger-crash.test.ts: 30 kill -9 rounds) bundles
 * it once. The child runs the same source code either way.
 *
 * The bundler runs in a process of its own (tests/helpers/node-bundle-build.mjs), never in the
 * test worker: its native threads and finalizers end with that process (D-128).
 */
export async function bundleForNode(entry: string, outDir: string): Promise<{ file: string; env: NodeJS.ProcessEnv }> {
  const name = `${basename(entry).replace(/\.[cm]?ts$/, '')}.cjs`;
  const child = spawn(process.execPath, [join(__dirname, 'node-bundle-build.mjs'), entry, outDir, name], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let said = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (said += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (said += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`bundling ${entry} failed (exit ${code}):\n${said}`);
  const nodePath = [join(root, 'node_modules'), process.env['NODE_PATH']].filter(Boolean).join(':');
  return { file: join(outDir, name), env: { ...process.env, NODE_PATH: nodePath } };
}
