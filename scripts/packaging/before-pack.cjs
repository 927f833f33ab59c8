'use strict';
/**
 * electron-builder's beforePack hook (electron-builder.yml): makes better-sqlite3 for the
 * Electron and the target being packed, into build/electron-abi/<os>-<arch>/, which
 * extraResources ships as resources/native/better_sqlite3.node (docs/decisions.md D-039).
 * Prebuilt binary first (a mirror is respected), node-gyp only as a fallback
 * (scripts/build-electron-sqlite.mjs). node_modules is never touched: `npm test` runs right
 * after `npm run dist`. serialport needs nothing: its N-API prebuilds load in any Electron.
 */
const path = require('node:path');
const { pathToFileURL } = require('node:url');

/** electron-builder's Arch enum value → Node's arch name. */
const ARCH = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

module.exports = async function beforePack(context) {
  const platform = context.electronPlatformName;
  const arch = typeof context.arch === 'number' ? ARCH[context.arch] : String(context.arch);
  const script = pathToFileURL(path.join(__dirname, '..', 'build-electron-sqlite.mjs')).href;
  const { buildBetterSqlite3, outputFor, upToDate } = await import(script);
  const outFile = outputFor({ platform, arch, packaging: true });
  if (upToDate(outFile, { platform, arch })) return;
  buildBetterSqlite3({ platform, arch, outFile });
};
