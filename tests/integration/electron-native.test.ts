/**
 * The packaged app's native build and the installer configuration (issue 24 §4, D-039).
 *
 * scripts/build-electron-sqlite.mjs makes better-sqlite3 for Electron apart from
 * node_modules: a prebuilt binary first, through prebuild-install, from a mirror when one is
 * set (here a local HTTP server standing in for the mirror, with the file names and paths of
 * better-sqlite3's GitHub releases); compiling only as a fallback, and never for another
 * platform. node_modules' Node build is byte-identical afterwards, which is what keeps the
 * CLI, the harness and `npm test` working after `npm run dist`.
 *
 * electron-builder.yml is checked for what a plant install depends on: no npmRebuild, the
 * fuses, the CJK font in the deb, one copy of the run-time resources, the icon, the
 * per-machine data folder's installer scripts.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';

const root = resolve(__dirname, '..', '..');
const require = createRequire(import.meta.url);
const tar = require('tar') as {
  c: (opts: { gzip: boolean; cwd: string; file: string; sync: boolean }, files: string[]) => void;
};
const yaml = require('js-yaml') as { load: (s: string) => unknown };

const sqliteVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }
).version;
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version;
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

function digestTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else
        out[p.slice(dir.length)] =
          `${statSync(p).mtimeMs}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

let t: ReturnType<typeof tempDir>;
let server: Server;
let mirror: string;
const served: string[] = [];
let winBinary: Buffer;

beforeAll(async () => {
  t = tempDir('lotseal-native-');
  // The mirror's release files: linux-x64 holds the real (Node-ABI) module, win32-x64 a PE stub.
  winBinary = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
  const abi = '150';
  for (const [plat, bytes] of [
    ['linux-x64', readFileSync(nodeBuild)],
    ['win32-x64', winBinary],
  ] as const) {
    const stage = join(t.dir, 'stage', plat);
    mkdirSync(join(stage, 'build', 'Release'), { recursive: true });
    writeFileSync(join(stage, 'build', 'Release', 'better_sqlite3.node'), bytes);
    mkdirSync(join(t.dir, 'mirror', `v${sqliteVersion}`), { recursive: true });
    tar.c(
      {
        gzip: true,
        cwd: stage,
        file: join(
          t.dir,
          'mirror',
          `v${sqliteVersion}`,
          `better-sqlite3-v${sqliteVersion}-electron-v${abi}-${plat}.tar.gz`,
        ),
        sync: true,
      },
      ['build'],
    );
  }
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    const f = join(t.dir, 'mirror', decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!f.startsWith(join(t.dir, 'mirror')) || !existsSync(f)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip' }).end(readFileSync(f));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  mirror = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  t.cleanup();
});

/** Runs a node script asynchronously: the mirror lives in this process and must keep answering. */
function node(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, npm_config_cache: join(t.dir, 'npm-cache'), HOME: join(t.dir, 'home'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => res({ status, out }));
  });
}

const build = (args: string[], env: Record<string, string> = {}) =>
  node(['scripts/build-electron-sqlite.mjs', ...args], env);

describe('better-sqlite3 for the packaged app', () => {
  it(`takes the prebuilt binary for Electron ${electronVersion} from the mirror, and leaves node_modules alone`, async () => {
    const before = digestTree(join(root, 'node_modules', 'better-sqlite3'));
    const out = join(t.dir, 'out-linux');
    const r = await build(['--platform', 'linux', '--arch', 'x64', '--out', out], {
      npm_config_better_sqlite3_binary_host_mirror: mirror,
    });
    expect(r.status, r.out).toBe(0);
    expect(served).toContain(`/v${sqliteVersion}/better-sqlite3-v${sqliteVersion}-electron-v150-linux-x64.tar.gz`);
    expect(readFileSync(join(out, 'better_sqlite3.node')).equals(readFileSync(nodeBuild))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'stamp.json'), 'utf8'))).toMatchObject({
      how: 'prebuilt',
      electron: electronVersion,
      platform: 'linux',
      arch: 'x64',
    });
    expect(digestTree(join(root, 'node_modules', 'better-sqlite3'))).toEqual(before);
  });

  it('builds for Windows from Linux through the mirror (no compiler needed), checking it is a Windows module', async () => {
    const out = join(t.dir, 'out-win');
    const r = await build(['--platform', 'win32', '--arch', 'x64', '--out', out], {
      npm_config_better_sqlite3_binary_host: mirror,
    });
    expect(r.status, r.out).toBe(0);
    expect(readFileSync(join(out, 'better_sqlite3.node')).equals(winBinary)).toBe(true);
  });

  it('without a prebuilt binary for another platform it says what to do, and writes nothing', async () => {
    const out = join(t.dir, 'out-mac');
    const r = await build(['--platform', 'darwin', '--arch', 'arm64', '--out', out], {
      npm_config_better_sqlite3_binary_host: mirror,
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('npm_config_better_sqlite3_binary_host_mirror');
    expect(existsSync(join(out, 'better_sqlite3.node'))).toBe(false);
  });

  it("electron-builder's beforePack hook makes the target's file where extraResources takes it", async () => {
    const target = join(root, 'build', 'electron-abi', 'win-x64');
    const r = await node(
      [
        '-e',
        "require('./scripts/packaging/before-pack.cjs')({ electronPlatformName: 'win32', arch: 1 }).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })",
      ],
      { npm_config_better_sqlite3_binary_host: mirror },
    );
    try {
      expect(r.status, r.out).toBe(0);
      expect(readFileSync(join(target, 'better_sqlite3.node')).equals(winBinary)).toBe(true);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });
});

describe('electron-builder.yml', () => {
  const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
    files: string[];
    extraResources: Array<{ from: string; to: string; filter?: string[] }>;
    electronFuses: Record<string, boolean>;
    deb: { depends: string[]; afterInstall: string };
    nsis: { include: string; perMachine: boolean };
    win: { icon: string };
    linux: { icon: string };
    beforePack: string;
  };

  it('never rebuilds the project node_modules', () => {
    expect(config['npmRebuild']).toBe(false);
    expect(config['nodeGypRebuild']).toBe(false);
    expect(config['buildDependenciesFromSource']).toBe(false);
    expect(existsSync(join(root, config.beforePack))).toBe(true);
  });

  it('ships the Electron build of better-sqlite3 once, serialport prebuilds as they are, the resources once', () => {
    expect(config.files).toEqual(
      expect.arrayContaining([
        '!**/node_modules/better-sqlite3/build/**',
        '!**/node_modules/@serialport/bindings-cpp/build/**',
      ]),
    );
    expect(config.files.some((f) => f.startsWith('resources'))).toBe(false);
    expect(config.extraResources).toEqual([
      { from: 'resources', to: 'resources' },
      // The ledger format beside the standalone verifier of an evidence folder (issue 18 §9).
      { from: 'docs/ledger.md', to: 'resources/docs/ledger.md' },
      { from: 'build/electron-abi/${os}-${arch}', to: 'native', filter: ['better_sqlite3.node'] },
    ]);
    expect(config['asarUnpack']).toEqual(['**/*.node']);
  });

  it('flips the fuses: no RunAsNode, no --inspect, cookie encryption, asar integrity', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('the deb depends on the CJK font besides Electron’s own libraries, and makes the shared data folder', () => {
    expect(config.deb.depends).toContain('fonts-noto-cjk');
    for (const lib of ['libgtk-3-0', 'libnss3', 'libsecret-1-0', 'xdg-utils'])
      expect(config.deb.depends).toContain(lib);
    expect(readFileSync(join(root, config.deb.afterInstall), 'utf8')).toContain('chmod 2770 /var/lib/lotseal');
  });

  it('has its icons and the per-machine installer script', () => {
    expect(
      readFileSync(join(root, config.win.icon))
        .subarray(0, 4)
        .equals(Buffer.from([0, 0, 1, 0])),
    ).toBe(true);
    expect(readdirSync(join(root, config.linux.icon))).toEqual(expect.arrayContaining(['256x256.png', '512x512.png']));
    expect(config.nsis.perMachine).toBe(true);
    expect(readFileSync(join(root, config.nsis.include), 'utf8')).toContain('$COMMONPROGRAMDATA\\LotSeal');
  });
});
