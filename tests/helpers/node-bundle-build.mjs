/**
 * The bundler step of tests/helpers/node-bundle.ts, in its own process:
 *
 *   node tests/helpers/node-bundle-build.mjs <entry.ts> <outDir> <name.cjs>
 *
 * Vite's bundler (rolldown) is native code with its own pool of threads and objects that
 * JavaScript's garbage collector finalizes later. Run inside a test worker, it would leave
 * those threads and finalizers in a process that goes on to run other test files for the rest
 * of the step (the integration project shares a worker between files, isolate: false), so
 * the bundler runs here and ends with this process (docs/decisions.md D-128).
 */
import { builtinModules } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const [entry, outDir, name] = process.argv.slice(2);
if (!entry || !outDir || !name) {
  console.error('usage: node-bundle-build.mjs <entry> <outDir> <name.cjs>');
  process.exit(2);
}
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

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
      external: (id) =>
        !id.startsWith('\0') && (builtins.has(id) || id.startsWith('node:') || !(id.startsWith('.') || isAbsolute(id))),
      output: { format: 'cjs', entryFileNames: name, codeSplitting: false },
    },
  },
});
