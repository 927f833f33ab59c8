import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/main/electron/csp';

/**
 * Desktop build (electron-vite 6, rolldown-based vite 8): out/main, out/preload,
 * out/renderer. The Node-side build of the same services (CLI, harness) is
 * scripts/build-node.mjs; both bundle src/main, neither changes it.
 */

/**
 * Native modules are loaded from node_modules (or app.asar.unpacked) at run time, never
 * bundled: a bundler cannot inline a .node binary, and better-sqlite3 needs the build that
 * matches Electron's ABI (docs/decisions.md D-015).
 */
const nativeDeps = ['better-sqlite3', 'serialport', /^@serialport\//, 'bindings', 'node-gyp-build'];

/**
 * Makes sure the built index.html carries a CSP (build only: in development the Electron
 * session sends the dev variant as a header). This is what protects `file:` loads, which
 * webRequest never sees, and the same bundle served by the browser harness (D-016). When
 * index.html already declares its own policy, that one is kept: two meta policies would
 * both be enforced, and the stricter intersection could block the harness connection.
 */
function cspMeta(): Plugin {
  return {
    name: 'lotseal:csp-meta',
    apply: 'build',
    transformIndexHtml(html) {
      if (/http-equiv=["']?Content-Security-Policy/i.test(html)) return html;
      return [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: contentSecurityPolicy({ kind: 'built' }, 'meta'),
          },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // Every entry in package.json "dependencies" stays external (require()d at run time).
      externalizeDeps: true,
      sourcemap: true,
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/index.ts'),
          // The ledger verifier runs in a worker_thread so a full-chain verification never
          // blocks the window; it must be its own file next to index.js.
          'verify-worker': resolve(__dirname, 'src/main/ledger/verify-worker.ts'),
          // ERP imports apply in a worker_thread for the same reason (docs/import.md).
          'import-worker': resolve(__dirname, 'src/main/app/import-worker.ts'),
          // Evidence folders and audit-trail CSV exports are written in a worker_thread too.
          'evidence-worker': resolve(__dirname, 'src/main/evidence/evidence-worker.ts'),
        },
        external: nativeDeps,
        output: { format: 'cjs', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but 'electron' (and a few polyfilled
      // built-ins): zod and the contract are bundled into one CommonJS file.
      externalizeDeps: false,
      sourcemap: 'inline',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      sourcemap: true,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
  },
});
