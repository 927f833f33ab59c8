#!/usr/bin/env node
/**
 * better-sqlite3 for Electron's ABI, WITHOUT touching node_modules (docs/decisions.md D-015,
 * D-039). node_modules/better-sqlite3 stays the Node build that the CLI, the harness and
 * `npm test` load; rebuilding it in place (electron-rebuild, electron-builder's npmRebuild)
 * breaks them. The package is copied to a temporary folder, the Electron build is made there,
 * and only the .node file is kept:
 *
 *   development (npm start / npm run dev): build/electron-abi/better_sqlite3.node, for this
 *     machine; the desktop shell passes it to better-sqlite3 (setNativeBinding) when unpackaged;
 *   packaging (electron-builder's beforePack hook, scripts/packaging/before-pack.cjs):
 *     build/electron-abi/<os>-<arch>/better_sqlite3.node for the target, shipped as
 *     resources/native/better_sqlite3.node, which the packaged app loads.
 *
 * How the file is made, in order:
 *  1. a prebuilt binary (better-sqlite3 publishes one per Electron ABI, platform and arch)
 *     through prebuild-install. A mirror is respected: npm_config_better_sqlite3_binary_host
 *     (or ..._binary_host_mirror), and the usual proxy settings;
 *  2. only if there is none (or --build-from-source), compiled with node-gyp against
 *     Electron's headers, for this machine's platform only (a Windows build needs Visual
 *     Studio Build Tools on a Windows machine). The headers come from npm_config_disturl when
 *     set (a mirror), else https://electronjs.org/headers; --headers DIR (or
 *     LOTSEAL_ELECTRON_HEADERS) builds offline from unpacked headers.
 *
 *   node scripts/build-electron-sqlite.mjs                      this machine, development file
 *   node scripts/build-electron-sqlite.mjs --if-missing         only if missing or stale
 *   node scripts/build-electron-sqlite.mjs --platform win32 --arch x64   packaging target
 *   node scripts/build-electron-sqlite.mjs --out DIR            write DIR/better_sqlite3.node
 *   node scripts/build-electron-sqlite.mjs --build-from-source  skip the prebuilt binary
 *   node scripts/build-electron-sqlite.mjs --headers DIR        compile against unpacked headers
 *
 * It is not part of `npm test` (it needs the network or a mirror); tests/integration/
 * electron-native.test.ts runs it against a local mirror.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/** electron-builder's ${os} for a Node platform name. */
export function osName(platform) {
  return platform === 'win32' ? 'win' : platform === 'darwin' ? 'mac' : platform;
}

/** Where the file for a target goes (the development file when target = host and no --out). */
export function outputFor({ platform, arch, out, packaging }) {
  if (out) return path.join(out, 'better_sqlite3.node');
  if (!packaging) return path.join(root, 'build', 'electron-abi', 'better_sqlite3.node');
  return path.join(root, 'build', 'electron-abi', `${osName(platform)}-${arch}`, 'better_sqlite3.node');
}

function readVersion(pkg) {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
}

/** The first bytes of a native module for each platform: ELF, PE ("MZ"), Mach-O. */
function looksLike(file, platform) {
  const b = readFileSync(file).subarray(0, 4);
  if (platform === 'win32') return b[0] === 0x4d && b[1] === 0x5a;
  if (platform === 'darwin') return [0xcf, 0xce, 0xca].includes(b[0]) || [0xcf, 0xce, 0xca].includes(b[3]);
  return b[0] === 0x7f && b.toString('latin1', 1, 4) === 'ELF';
}

/**
 * Builds better-sqlite3 for Electron and writes it to `outFile`. Returns how it was made.
 * Never writes inside node_modules.
 */
export function buildBetterSqlite3({
  platform = process.platform,
  arch = process.arch,
  outFile,
  fromSource = false,
  headersDir = process.env['LOTSEAL_ELECTRON_HEADERS'],
  log = (m) => console.log(`build-electron-sqlite: ${m}`),
  env = process.env,
} = {}) {
  const electronVersion = readVersion('electron');
  const sqliteVersion = readVersion('better-sqlite3');
  const stamp = { electron: electronVersion, betterSqlite3: sqliteVersion, arch, platform };
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'lotseal-electron-sqlite-'));
  const pkgDir = path.join(work, 'better-sqlite3');
  // Settings meant for the Node build must not leak into this one (a `nodedir` from .npmrc
  // would build against Node's headers: the result loads in Node and crashes Electron).
  const clean = { ...env };
  for (const key of Object.keys(clean)) {
    if (/^npm_config_(nodedir|target|runtime|arch|platform|build_from_source)$/i.test(key)) delete clean[key];
  }
  try {
    // The Node build output is not copied: the target is made from a clean tree.
    cpSync(source, pkgDir, { recursive: true, filter: (src) => path.relative(source, src) !== 'build' });
    const built = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
    let how = null;

    if (!fromSource) {
      log(`prebuilt better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${platform}-${arch})`);
      const prebuild = spawnSync(
        process.execPath,
        [
          require.resolve('prebuild-install/bin.js'),
          '--runtime=electron',
          `--target=${electronVersion}`,
          `--arch=${arch}`,
          `--platform=${platform}`,
          '--tag-prefix=v',
          '--verbose',
        ],
        { cwd: pkgDir, env: clean, encoding: 'utf8', timeout: 10 * 60_000 },
      );
      if (prebuild.status === 0 && existsSync(built)) how = 'prebuilt';
      else
        log(
          `no prebuilt binary (${(prebuild.stderr || prebuild.stdout || '').trim().split('\n').slice(-2).join(' ')})`,
        );
    }

    if (!how) {
      if (platform !== process.platform || arch !== process.arch) {
        throw new Error(
          `no prebuilt better-sqlite3 for Electron ${electronVersion} ${platform}-${arch} could be downloaded, and it cannot be compiled on ${process.platform}-${process.arch}. ` +
            'Set npm_config_better_sqlite3_binary_host_mirror to a mirror that has it, or package on a machine of the target platform.',
        );
      }
      const distUrl = env['npm_config_disturl'] || 'https://electronjs.org/headers';
      log(`compiling with node-gyp against Electron ${electronVersion} headers from ${headersDir ?? distUrl}`);
      const gypArgs = [
        require.resolve('node-gyp/bin/node-gyp.js'),
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        `--arch=${arch}`,
        '--runtime=electron',
        `--dist-url=${distUrl}`,
        // The header cache electron-rebuild and electron-builder use, so one download serves all.
        `--devdir=${path.join(os.homedir(), '.electron-gyp')}`,
      ];
      if (headersDir) gypArgs.push(`--nodedir=${path.resolve(headersDir)}`);
      const gyp = spawnSync(process.execPath, gypArgs, {
        cwd: pkgDir,
        env: clean,
        encoding: 'utf8',
        timeout: 20 * 60_000,
      });
      process.stdout.write(gyp.stdout ?? '');
      process.stderr.write(gyp.stderr ?? '');
      if (gyp.status !== 0 || !existsSync(built)) {
        const output = `${gyp.stdout ?? ''}\n${gyp.stderr ?? ''}`;
        const offline =
          /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|network|request to https?:\/\/|403|404/i.test(
            output,
          );
        throw new Error(
          offline && !headersDir
            ? [
                `the Electron headers could not be downloaded from ${distUrl}.`,
                `  Point npm_config_disturl at a mirror of https://electronjs.org/headers, or download`,
                `  node-v${electronVersion}-headers.tar.gz elsewhere, unpack it and pass --headers <folder containing include/node>.`,
                '  (This only affects the desktop build: the CLI, the harness and `npm test` use the Node build.)',
              ].join('\n')
            : `node-gyp exited with ${gyp.status ?? gyp.signal ?? gyp.error?.message}; see the output above`,
        );
      }
      how = 'compiled';
    }

    if (!looksLike(built, platform)) throw new Error(`${built} is not a ${platform} native module`);
    mkdirSync(path.dirname(outFile), { recursive: true });
    copyFileSync(built, outFile);
    writeFileSync(path.join(path.dirname(outFile), 'stamp.json'), `${JSON.stringify({ ...stamp, how }, null, 2)}\n`);
    log(`wrote ${path.relative(root, outFile)} (${how})`);
    return { how, outFile, stamp };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** True when `outFile` exists and was made for these versions and this target. */
export function upToDate(outFile, { platform, arch }) {
  const stampFile = path.join(path.dirname(outFile), 'stamp.json');
  if (!existsSync(outFile) || !existsSync(stampFile)) return false;
  try {
    const s = JSON.parse(readFileSync(stampFile, 'utf8'));
    return (
      s.electron === readVersion('electron') &&
      s.betterSqlite3 === readVersion('better-sqlite3') &&
      s.platform === platform &&
      s.arch === arch
    );
  } catch {
    return false;
  }
}

function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const platform = arg('--platform') ?? process.platform;
  const arch = arg('--arch') ?? process.arch;
  const packaging = argv.includes('--platform') || argv.includes('--arch');
  const outFile = outputFor({ platform, arch, out: arg('--out'), packaging });
  if (argv.includes('--if-missing') && upToDate(outFile, { platform, arch })) return;
  try {
    buildBetterSqlite3({
      platform,
      arch,
      outFile,
      fromSource: argv.includes('--build-from-source'),
      headersDir: arg('--headers') ?? process.env['LOTSEAL_ELECTRON_HEADERS'],
    });
  } catch (e) {
    console.error(`build-electron-sqlite: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
