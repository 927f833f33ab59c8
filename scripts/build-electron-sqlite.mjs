#!/usr/bin/env node
/**
 * Builds a second copy of better-sqlite3 for Electron's ABI into
 * build/electron-abi/better_sqlite3.node (docs/decisions.md D-015).
 *
 * node_modules/better-sqlite3 stays the Node build that the CLI, the harness and the tests
 * load; rebuilding it in place (electron-rebuild) would break them. So the package is
 * copied to a temporary folder, built there with node-gyp against Electron's headers, and
 * only the .node file is kept. The Electron shell points better-sqlite3 at it through
 * setNativeBinding() when the app is not packaged. Packaged apps use electron-builder's own
 * rebuild (npmRebuild: true).
 *
 *   node scripts/build-electron-sqlite.mjs               build (always)
 *   node scripts/build-electron-sqlite.mjs --if-missing  build only if missing or stale
 *   node scripts/build-electron-sqlite.mjs --headers DIR build offline against Electron
 *       headers already unpacked in DIR (the node-v<version>-headers.tar.gz from
 *       https://electronjs.org/headers/v<version>/ — its include/node folder must exist)
 *
 * Needs the Electron headers from https://electronjs.org/headers, so it needs the
 * internet (or --headers). It is not part of `npm test` or CI.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const outDir = path.join(root, 'build', 'electron-abi');
const outFile = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'stamp.json');

const args = process.argv.slice(2);
const ifMissing = args.includes('--if-missing');
const headersIdx = args.indexOf('--headers');
const headersDir = headersIdx >= 0 ? args[headersIdx + 1] : process.env['LOTSEAL_ELECTRON_HEADERS'];

function readVersion(pkg) {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
}

const electronVersion = readVersion('electron');
const sqliteVersion = readVersion('better-sqlite3');
const stamp = {
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  arch: process.arch,
  platform: process.platform,
};

if (ifMissing && existsSync(outFile) && existsSync(stampFile)) {
  try {
    const previous = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (JSON.stringify(previous) === JSON.stringify(stamp)) {
      process.exit(0);
    }
    console.log('build-electron-sqlite: existing build is for', previous, '- rebuilding for', stamp);
  } catch {
    // unreadable stamp: rebuild
  }
}

console.log(
  `build-electron-sqlite: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})`,
);

const source = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(path.join(os.tmpdir(), 'lotseal-electron-sqlite-'));
const pkgDir = path.join(work, 'better-sqlite3');
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');

try {
  // The Node build output is not copied: node-gyp must start from a clean tree.
  cpSync(source, pkgDir, { recursive: true, filter: (src) => path.relative(source, src) !== 'build' });

  const gypArgs = [
    nodeGyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
    // The header cache electron-rebuild and electron-builder use, so one download serves all.
    `--devdir=${path.join(os.homedir(), '.electron-gyp')}`,
  ];
  if (headersDir) gypArgs.push(`--nodedir=${path.resolve(headersDir)}`);

  // A `nodedir` from .npmrc (npm exports it as npm_config_nodedir) would silently build
  // against Node's own headers: the result would load in Node and crash Electron with
  // NODE_MODULE_VERSION mismatch. Only --headers may choose the header folder here.
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch)$/i.test(key)) delete env[key];
  }

  const result = spawnSync(process.execPath, gypArgs, { cwd: pkgDir, env, encoding: 'utf8', timeout: 15 * 60_000 });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');

  const built = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  if (result.status !== 0 || !existsSync(built)) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
    const offline =
      /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|network|request to https?:\/\/|403|404/i.test(
        output,
      ) && !headersDir;
    console.error('');
    if (offline) {
      console.error(
        [
          'build-electron-sqlite: FAILED: the Electron headers could not be downloaded.',
          '',
          `  node-gyp needs node-v${electronVersion}-headers.tar.gz from https://electronjs.org/headers/v${electronVersion}/`,
          '  to compile better-sqlite3 for the Electron ABI, and this machine cannot reach it (build machines',
          '  here only reach the npm registry and the Debian mirror).',
          '',
          '  This only affects running the desktop window (`npm start` / `npm run dev`). The CLI, the browser',
          '  harness (`npm run start:web`) and `npm test` use the Node build and do not need this.',
          '',
          '  To fix it, either run this script on a machine with internet access, or download the headers',
          '  tarball elsewhere, unpack it, and run:',
          '      node scripts/build-electron-sqlite.mjs --headers <unpacked folder containing include/node>',
        ].join('\n'),
      );
    } else {
      console.error(
        `build-electron-sqlite: FAILED: node-gyp exited with ${result.status ?? result.signal ?? result.error?.message}. See the output above.`,
      );
    }
    process.exitCode = 1;
  } else {
    mkdirSync(outDir, { recursive: true });
    copyFileSync(built, outFile);
    writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
    console.log(`build-electron-sqlite: wrote ${path.relative(root, outFile)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
