import { builtinModules } from 'node:module';
import { basename, isAbsolute, join } from 'node:path';

const root = join(__dirname, '..', '..');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

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
 */
export async function bundleForNode(entry: string, outDir: string): Promise<{ file: string; env: NodeJS.ProcessEnv }> {
  const { build } = await import('vite');
  const name = `${basename(entry).replace(/\.[cm]?ts$/, '')}.cjs`;
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    mode: 'production',
    envDir: false,
    publicDir: false,
    ssr: { target: 'node', noExternal: [] },
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      rolldownOptions: {
        external: (id: string) =>
          !id.startsWith('\0') &&
          (builtins.has(id) || id.startsWith('node:') || !(id.startsWith('.') || isAbsolute(id))),
        output: { format: 'cjs', entryFileNames: name, codeSplitting: false },
      },
    },
  });
  const nodePath = [join(root, 'node_modules'), process.env['NODE_PATH']].filter(Boolean).join(':');
  return { file: join(outDir, name), env: { ...process.env, NODE_PATH: nodePath } };
}
