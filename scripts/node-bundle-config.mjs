/**
 * The Vite configuration of a Node bundle: one TypeScript entry built into CommonJS, the
 * project's sources inlined and every package (and built-in) left external, to be loaded from
 * node_modules at run time (native modules such as better-sqlite3 cannot be bundled anyway).
 * Used by scripts/build-node.mjs (the CLI, the harness, the workers; D-013) and by the tests'
 * bundles of their child programs (tests/helpers/node-bundle-build.mjs, D-128), so a test's
 * child is built the way the shipped hosts are.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Anything that is not a path is a package (or a built-in): load it from node_modules. */
export function isExternal(id) {
  if (id.startsWith('\0')) return false;
  if (builtins.has(id) || id.startsWith('node:')) return true;
  return !(id.startsWith('.') || path.isAbsolute(id));
}

/**
 * @param {{ root: string; input: string; outDir: string; name: string; sourcemap: boolean; split?: boolean }} o
 *   `name`: the entry's file name without `.cjs`; `split`: chunks loaded on demand in `<name>-chunks/`.
 */
export function nodeBundleConfig({ root, input, outDir, name, sourcemap, split = false }) {
  return {
    configFile: false,
    root,
    logLevel: 'warn',
    mode: 'production',
    // No .env loading, no public dir copy: this is a Node program, not a web page.
    envDir: false,
    publicDir: false,
    ssr: { target: 'node', noExternal: [] },
    build: {
      ssr: input,
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap,
      reportCompressedSize: false,
      copyPublicDir: false,
      rolldownOptions: {
        external: isExternal,
        output: {
          format: 'cjs',
          entryFileNames: `${name}.cjs`,
          ...(split ? { chunkFileNames: `${name}-chunks/[name]-[hash].cjs` } : { codeSplitting: false }),
        },
      },
    },
  };
}
