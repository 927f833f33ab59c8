import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HANG_CAP_MS } from './hang-cap';
import { startServe, type ServeProcess } from './serve-process';
import { ADMIN_PASSWORD, createTestApp, quietLog, tempDir, testKeyProtector, type TestApp } from './core';
import { startHarness, type Harness } from '../../src/main/harness/server';
import { SiteWorkstation } from '../../src/main/remote/workstation';
import { ContractClient } from '../e2e/contract-client';
import { startSiteServer, type SiteServer } from '../../src/main/server/site-server';
import { certificateFingerprint, selfSignedCertificate } from '../../src/main/server/tls-cert';
import { hostKeyFromPkcs8, type HostKey, type HostKind } from '../../src/main/ledger/keys';
import { SiteClient, type SiteState } from '../../src/main/remote/site-client';

const root = join(__dirname, '..', '..');

/** A host key in memory (a workstation of a test), never written to disk. */
export function memoryHostKey(host: string, kind: HostKind = 'harness'): HostKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return hostKeyFromPkcs8(privateKey.export({ format: 'der', type: 'pkcs8' }), {
    host,
    hostKind: kind,
    createdAt: Date.now(),
  });
}

/** Resolves when the client reaches `state` (at once if it is there). */
export function whenState(c: SiteClient, state: SiteState): Promise<void> {
  if (c.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const off = c.onState((s) => {
      if (s === state) {
        off();
        resolve();
      }
    });
  });
}

// ---- A site of real processes (tests/integration/site-serve.test.ts, site-remote-ops.test.ts)

export const SITE_ADMIN_PW = 'admin-password-1';

/**
 * A CLI step of a test's set-up must succeed. Plain Node, not vitest's expect: the e2e journeys
 * (Playwright) use these helpers too, and vitest cannot be loaded there.
 */
function exitedZero(r: SiteCliResult): void {
  if (r.code !== 0) throw new Error(`lotseal exited ${r.code}: ${r.stderr}`);
}

export interface SiteCliResult {
  code: number;
  json: unknown;
  stderr: string;
}

/** `lotseal …` as a person runs it, in its own data folder and time zone. */
export function siteCli(args: string[], o: { dataDir: string; tz?: string }): SiteCliResult {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'lotseal.cjs'), '--data-dir', o.dataDir, ...args], {
    cwd: root,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: 'cli-test-passphrase', TZ: o.tz ?? 'UTC' },
    timeout: HANG_CAP_MS,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = null;
  }
  return { code: r.status ?? -1, json, stderr: r.stderr };
}

export interface Site {
  dir: string;
  srv: string;
  db: string;
  pw: string;
  server: ServeProcess;
  /** What `init` printed (its one-time recovery code). */
  init: { recovery_code: string };
  start(port?: number): Promise<ServeProcess>;
  head(): number;
  /** The replies kept in request_log for the calls of a channel (null: not kept), oldest first. */
  requestReplies(channel: string): Array<string | null>;
  entries(
    entity: string,
  ): Array<{ seq: number; ws: string; tz: string; actor: string; content: string; entity?: string }>;
}

/**
 * A site database (init + the server's own key enrolled) and its server running as a real
 * `lotseal serve` process, killed and removed by `cleanups`. `init` is init's JSON (its recovery code).
 */
export async function startSite(cleanups: Array<() => Promise<void> | void>): Promise<Site> {
  const t = tempDir('lotseal-site-');
  const srv = join(t.dir, 'srv');
  const db = join(srv, 'lotseal.db');
  const pw = join(t.dir, 'admin.pw');
  writeFileSync(pw, `${SITE_ADMIN_PW}\n`);
  const init = siteCli(['--db', db, 'init', '--admin', 'admin', '--password-file', pw, '--json'], { dataDir: srv });
  exitedZero(init);
  const enrolled = siteCli(
    ['--db', db, 'host', 'enrol', '--kind', 'server', '--user', 'admin', '--password-file', pw, '--json'],
    { dataDir: srv },
  );
  exitedZero(enrolled);
  let current: ServeProcess | null = null;
  const s: Site = {
    dir: t.dir,
    srv,
    db,
    pw,
    init: init.json as { recovery_code: string },
    server: null as unknown as ServeProcess,
    async start(port) {
      current = await startServe({ dataDir: srv, db, ...(port ? { port } : {}), env: { TZ: 'UTC' } });
      s.server = current;
      return current;
    },
    requestReplies(channel) {
      const d = new Database(db, { readonly: true });
      try {
        return (
          d.prepare('SELECT reply FROM request_log WHERE channel = ? ORDER BY at').all(channel) as Array<{
            reply: string | null;
          }>
        ).map((r) => r.reply);
      } finally {
        d.close();
      }
    },
    head() {
      const d = new Database(db, { readonly: true });
      try {
        return (d.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number }).s;
      } finally {
        d.close();
      }
    },
    entries(entity) {
      const d = new Database(db, { readonly: true });
      try {
        if (entity === '*')
          return d.prepare('SELECT seq, ws, tz, actor, entity, content FROM audit_entry ORDER BY seq').all() as never;
        return d
          .prepare('SELECT seq, ws, tz, actor, content FROM audit_entry WHERE entity = ? ORDER BY seq')
          .all(entity) as never;
      } finally {
        d.close();
      }
    },
  };
  await s.start();
  cleanups.push(async () => {
    if (current && current.proc.exitCode === null && current.proc.signalCode === null) {
      current.proc.kill('SIGKILL');
      await current.exited;
    }
    t.cleanup();
  });
  return s;
}

/** `host enrol --server` of a CLI workstation with its own data folder. */
export function enrolCli(s: Site, ws: string, name: string): void {
  const r = siteCli(
    [
      '--server',
      s.server.url,
      '--server-fingerprint',
      s.server.fingerprint,
      'host',
      'enrol',
      '--user',
      'admin',
      '--password-file',
      s.pw,
      '--name',
      name,
      '--json',
    ],
    { dataDir: ws, tz: 'Asia/Shanghai' },
  );
  exitedZero(r);
}

// ---- A site server in this process (tests/integration/site-server.test.ts, site-remote-ops.test.ts)

/** A self-signed certificate for a server in this process, with its fingerprint. */
export function siteTls() {
  const c = selfSignedCertificate({
    commonName: 'site-test',
    altNames: ['localhost', '127.0.0.1'],
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
  });
  return { ...c, fingerprint: certificateFingerprint(c.cert) };
}

const fileSha = (f: string): string =>
  existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : 'absent';

export interface SiteWorld {
  app: TestApp;
  server: SiteServer;
  client(key: HostKey, opts?: { fingerprint?: string; timeZone?: string }): SiteClient;
  /** A client of an enrolled host, online, with `userId` signed in. */
  online(key: HostKey, userId: string, password: string, tz?: string): Promise<SiteClient>;
  dbBytes(): string;
}

/**
 * A site server in this process (real TLS WebSocket on loopback) over a test app; SiteClients
 * with their own host keys. Closed by `cleanups`.
 */
export async function siteWorld(
  cleanups: Array<() => Promise<void> | void>,
  opts: { clock?: () => number } = {},
): Promise<SiteWorld> {
  const app = await createTestApp(opts.clock ? { clock: opts.clock } : {});
  const t = siteTls();
  const server = await startSiteServer({ core: app.core, listen: { host: '127.0.0.1', port: 0 }, tls: t });
  cleanups.push(() => app.close());
  cleanups.unshift(() => server.close());
  const client = (key: HostKey, o: { fingerprint?: string; timeZone?: string } = {}): SiteClient => {
    const c = new SiteClient({
      url: server.url,
      fingerprint: o.fingerprint ?? t.fingerprint,
      key,
      timeZone: o.timeZone ?? 'Asia/Shanghai',
      reconnect: false,
    });
    cleanups.unshift(() => c.close());
    return c;
  };
  return {
    app,
    server,
    client,
    async online(key, userId, password, tz) {
      const c = client(key, tz ? { timeZone: tz } : {});
      await c.connect();
      const r = await c.call('auth.signIn', { userId, password });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return c;
    },
    dbBytes: () => {
      app.core.need().ledger.db.pragma('wal_checkpoint(TRUNCATE)');
      return `${fileSha(app.core.dbFile)}/${fileSha(`${app.core.dbFile}-wal`)}`;
    },
  };
}

/** Enrols `key` with the world's server (the administrator authenticating). */
export async function enrolKey(w: SiteWorld, key: HostKey, name?: string): Promise<void> {
  const c = new SiteClient({ url: w.server.url, fingerprint: w.server.fingerprint, key, reconnect: false });
  await c.enrol({ user: 'admin', password: ADMIN_PASSWORD, ...(name ? { name } : {}) });
}

// ---- A browser-harness workstation of a site server (tests/integration/site-clients.test.ts, site-remote-ops.test.ts)

/** A harness workstation of the site server in its own data folder (its own host key), enrolled by the administrator. */
export async function harnessWorkstation(
  cleanups: Array<() => Promise<void> | void>,
  server: { url: string; fingerprint: string },
  host: string,
) {
  const dir = mkdtempSync(join(tmpdir(), 'lotseal-ws-'));
  const station = new SiteWorkstation({
    dataDir: dir,
    hostKind: 'harness',
    protector: testKeyProtector(),
    server,
    host,
    log: quietLog,
    timeZone: 'Asia/Shanghai',
  });
  await station.links.enrol({ user: 'admin', password: ADMIN_PASSWORD });
  const harness: Harness = await startHarness({ backend: station, rendererDir: dir, port: 0 });
  cleanups.unshift(async () => {
    await harness.close();
    await station.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, station, harness, host: ContractClient.host(harness.url) };
}

/** A port on loopback that nothing listens on (bound, then closed): a server that does not answer. */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export {
  lotsealCli,
  startServe,
  startSiteProcess,
  stopServe,
  type ServeProcess,
  type SiteProcess,
} from './serve-process';
