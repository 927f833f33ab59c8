/**
 * `npm run dist` leaves the development build alone (issue 24 §4, D-039): electron-builder
 * packs the app with the project's configuration (electron-builder.yml, its beforePack hook)
 * and node_modules' better-sqlite3 is byte-identical afterwards and still loads in Node, so
 * the CLI, the harness and `npm test` work right after a release build.
 *
 * Electron's own binary cannot be downloaded here, so electron-builder is given a stand-in
 * "unpacked Electron" (electronDist: a folder whose `electron` executable is /bin/true) and
 * the fuses, which live in the real binary, are left out of this run (electron-native.test.ts
 * checks their configuration). The better-sqlite3 prebuilt comes from a local mirror
 * (npm_config_better_sqlite3_binary_host), as a plant's build machine behind a firewall does.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const asar = require('@electron/asar') as { listPackage: (archive: string, opts: object) => string[] };
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
const sqliteVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }
).version;
const target = join(root, 'build', 'electron-abi', `linux-${process.arch}`);

let t: ReturnType<typeof tempDir>;
let server: Server;
let mirror: string;

beforeAll(async () => {
  t = tempDir('lotseal-dist-');
  const stage = join(t.dir, 'stage');
  mkdirSync(join(stage, 'build', 'Release'), { recursive: true });
  copyFileSync(nodeBuild, join(stage, 'build', 'Release', 'better_sqlite3.node'));
  mkdirSync(join(t.dir, 'mirror', `v${sqliteVersion}`), { recursive: true });
  tar.c(
    {
      gzip: true,
      cwd: stage,
      file: join(
        t.dir,
        'mirror',
        `v${sqliteVersion}`,
        `better-sqlite3-v${sqliteVersion}-electron-v150-linux-${process.arch}.tar.gz`,
      ),
      sync: true,
    },
    ['build'],
  );
  server = createServer((req, res) => {
    const f = join(t.dir, 'mirror', new URL(req.url ?? '/', 'http://x').pathname);
    if (!existsSync(f)) res.writeHead(404).end();
    else res.writeHead(200).end(readFileSync(f));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  mirror = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  // A stand-in unpacked Electron: what electron-builder copies and renames.
  const fake = join(t.dir, 'electron-dist');
  mkdirSync(join(fake, 'resources'), { recursive: true });
  copyFileSync('/bin/true', join(fake, 'electron'));
  writeFileSync(join(fake, 'version'), 'v45.4.1');
  writeFileSync(join(fake, 'LICENSE'), '');
  writeFileSync(
    join(t.dir, 'eb.json'),
    JSON.stringify({
      extends: join(root, 'electron-builder.yml'),
      electronDist: fake,
      electronVersion: '45.4.1',
      electronFuses: null,
      directories: { output: join(t.dir, 'dist'), buildResources: 'packaging' },
    }),
  );
  rmSync(target, { recursive: true, force: true });
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(target, { recursive: true, force: true });
  t.cleanup();
});

function electronBuilder(): Promise<{ status: number | null; out: string }> {
  return new Promise((res) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--config',
        join(t.dir, 'eb.json'),
        '--dir',
        '--linux',
        `--${process.arch}`,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          npm_config_better_sqlite3_binary_host: mirror,
          npm_config_cache: join(t.dir, 'npm-cache'),
          ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => res({ status, out }));
  });
}

describe('a release build', () => {
  it('packs the app with the Electron build of better-sqlite3 apart, and node_modules still serves Node', async () => {
    const before = sha(nodeBuild);
    const r = await electronBuilder();
    expect(r.status, r.out).toBe(0);
    const app = join(t.dir, 'dist', 'linux-unpacked');
    // The packaged app's better-sqlite3: resources/native, from the beforePack hook.
    expect(sha(join(app, 'resources', 'native', 'better_sqlite3.node'))).toBe(sha(join(target, 'better_sqlite3.node')));
    expect(JSON.parse(readFileSync(join(target, 'stamp.json'), 'utf8'))).toMatchObject({ how: 'prebuilt' });
    // One copy of the resources, outside app.asar; no Node-side build, maps, or Node-ABI module inside.
    expect(existsSync(join(app, 'resources', 'resources', 'spec-packs', 'index.json'))).toBe(true);
    const files = asar.listPackage(join(app, 'resources', 'app.asar'), {});
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/main/verify-worker.js');
    expect(files).toContain('/out/main/import-worker.js');
    expect(files.filter((f) => f.startsWith('/resources') || f.startsWith('/out/node') || f.endsWith('.map'))).toEqual(
      [],
    );
    expect(files.filter((f) => f.includes('/better-sqlite3/build/') || f.includes('/playwright-core/'))).toEqual([]);
    // serialport's N-API prebuilds ship as they are, unpacked for the OS loader.
    expect(
      existsSync(
        join(
          app,
          'resources',
          'app.asar.unpacked',
          'node_modules',
          '@serialport',
          'bindings-cpp',
          'prebuilds',
          'win32-x64',
        ),
      ),
    ).toBe(true);

    // The development build is untouched, and loads in Node as before.
    expect(sha(nodeBuild)).toBe(before);
    const check = await new Promise<string>((res) => {
      const c = spawn(
        process.execPath,
        [
          '-e',
          "const D=require('better-sqlite3');const d=new D(':memory:');process.stdout.write(d.prepare('select 40+2 AS x').get().x+'')",
        ],
        { cwd: root },
      );
      let o = '';
      c.stdout.on('data', (d: Buffer) => (o += d.toString()));
      c.stderr.on('data', (d: Buffer) => (o += d.toString()));
      c.on('close', () => res(o));
    });
    expect(check).toBe('42');
  });
});
