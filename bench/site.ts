/**
 * The site server's figures (issue 23, bench): calls per second and p50/p95 latency with 1, 5
 * and 30 concurrent clients on loopback for a read (the lot page: `lots.get`), a result entry
 * (`results.enter`) and a sample registration (`samples.register`, which plans the sample's
 * tests in the same transaction); the same calls embedded (the app core's dispatcher in this
 * process, as the desktop and the harness call it), for the ratio.
 *
 * The server is `lotseal serve` as a real process (bin/lotseal.cjs, needs `npm run build:node`);
 * every client is its own workstation: a SiteClient with its own host key, enrolled by the
 * administrator, the technician signed in on it. Figures, not asserts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppCore, type CoreLog } from '../src/main/app/core';
import { passphraseProtector } from '../src/main/ledger/keys';
import { SiteClient } from '../src/main/remote/site-client';
import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload } from '../src/shared/contract';
import * as plant from '../tests/fixtures/plant';
import {
  FILLER_SAMPLE,
  IF1_RELEASE_SPEC,
  inProcessHost,
  PRODUCTS,
  type Link,
  type PlantHost,
} from '../tests/fixtures/plant';
import { memoryHostKey, startServe } from '../tests/helpers/site';

const root = join(__dirname, '..');
const ADMIN = { userId: 'admin.bench', printedName: 'Bench admin', password: 'Admin-bench-2026!' };
const PEOPLE = plant.benchPeople('Bench-password-2026!');
const quiet: CoreLog = {
  refused: () => undefined,
  error: (i) => console.error(i.channel, i.error),
  info: () => undefined,
};

type Op = 'read' | 'entry' | 'registration';
const OPS: Op[] = ['read', 'entry', 'registration'];
const CONCURRENCY = [1, 5, 30];
/** Calls per (operation, concurrency): at least this many in all, at least MIN_PER_CLIENT per client. */
const TOTAL = 120;
const MIN_PER_CLIENT = 8;

interface Figures {
  clients: number;
  calls: number;
  calls_per_s: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** One client's work: a call that does one operation, given the client's own sample. */
interface Worker {
  member: plant.Member;
  sample: string;
  protein: string;
}

/** Lots for the registrations: one per call, so every registration plans the lot's tests as a first sample does. */
async function lotsFor(prod: plant.Member, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push((await plant.makeLot(prod, { line: 'L1', itemCode: 'IF-1' })).code);
  return out;
}

async function prepare(
  host: PlantHost,
  admin: plant.Member,
  clients: number,
  registrations: number,
): Promise<{ lot: string; workers: Worker[]; fresh: string[] }> {
  await plant.enrol(admin, Object.values(PEOPLE));
  const qa = await plant.signIn(host, PEOPLE.qa);
  const prod = await plant.signIn(host, PEOPLE.prod);
  const productId = await plant.product(qa, PRODUCTS.if1);
  await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: IF1_RELEASE_SPEC });
  const lot = (await plant.makeLot(prod, { line: 'L1', itemCode: 'IF-1' })).code;
  const first = await plant.signIn(host, PEOPLE.tech);
  const workers: Worker[] = [];
  // Each workstation enters into its own sample (its own lot): concurrent entries never touch one record.
  const own = await lotsFor(prod, clients);
  for (let k = 0; k < clients; k++) {
    const member = k === 0 ? first : await plant.signInAgain(host, PEOPLE.tech);
    const sample = (await plant.releaseSample(member, own[k]!, FILLER_SAMPLE)).code;
    const ids = await plant.resultIds(member, sample);
    if (!ids['protein']) throw new Error(`sample ${sample} has no protein result`);
    workers.push({ member, sample, protein: ids['protein'] });
  }
  return { lot, workers, fresh: await lotsFor(prod, registrations) };
}

function perClient(clients: number): number {
  return Math.max(MIN_PER_CLIENT, Math.ceil(TOTAL / clients));
}

async function runOp(op: Op, lot: string, workers: Worker[], clients: number, fresh: string[]): Promise<Figures> {
  const per = perClient(clients);
  const latencies: number[] = [];
  const one = async (w: Worker, n: number): Promise<void> => {
    const t0 = performance.now();
    if (op === 'read') await w.member.call('lots.get', { code: lot });
    else if (op === 'entry')
      await w.member.call('results.enter', { id: w.protein, replicates: [n % 2 ? '11.81' : '11.80'] });
    else {
      const lotCode = fresh.pop();
      if (!lotCode) throw new Error('no lot left for a registration');
      await w.member.call('samples.register', {
        ...FILLER_SAMPLE,
        kind: 'finished_release',
        lotCode,
      } as ChannelInput<'samples.register'>);
    }
    latencies.push(performance.now() - t0);
  };
  const started = performance.now();
  await Promise.all(
    workers.slice(0, clients).map(async (w) => {
      for (let n = 0; n < per; n++) await one(w, n);
    }),
  );
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients,
    calls: latencies.length,
    calls_per_s: r2(latencies.length / wall),
    p50_ms: r2(pct(latencies, 50)),
    p95_ms: r2(pct(latencies, 95)),
    max_ms: r2(latencies[latencies.length - 1] ?? 0),
  };
}

/** A SiteClient session as a plant-fixtures link (the same seeding code as in-process). */
function siteLink(client: SiteClient, session: string): Link {
  return {
    call: async <K extends ChannelName>(name: K, input: ChannelInput<K>) => {
      const r = await client.call(name, input, { session });
      if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r.error)}`);
      return r.data as ChannelOutput<K>;
    },
    onEvent: <E extends EventName>(name: E, handler: (p: EventPayload<E>) => void) =>
      client.onEvent((n, p, s) => {
        if (n === name && s === session) handler(p as EventPayload<E>);
      }),
    close: () => undefined,
  };
}

/** Every connect() a new workstation: its own host key, enrolled by the administrator, its own socket. */
function siteHost(url: string, fingerprint: string, clients: SiteClient[]): PlantHost {
  let n = 0;
  return {
    connect: async () => {
      const key = memoryHostKey(`BENCH-WS-${++n}`);
      await new SiteClient({ url, fingerprint, key, reconnect: false }).enrol({
        user: ADMIN.userId,
        password: ADMIN.password,
      });
      const c = new SiteClient({ url, fingerprint, key });
      await c.connect();
      clients.push(c);
      return siteLink(c, 'bench');
    },
  };
}

function cli(args: string[], dataDir: string): void {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'lotseal.cjs'), '--data-dir', dataDir, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: 'cli-test-passphrase' },
  });
  if (r.status !== 0) throw new Error(`lotseal ${args.join(' ')}: ${r.status}\n${r.stderr}`);
}

async function siteFigures(progress: (m: string) => void): Promise<Record<Op, Figures[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'lotseal-site-bench-'));
  const db = join(dir, 'lotseal.db');
  const pw = join(dir, 'admin.pw');
  writeFileSync(pw, `${ADMIN.password}\n`);
  cli(['--db', db, 'init', '--admin', ADMIN.userId, '--admin-name', ADMIN.printedName, '--password-file', pw], dir);
  cli(['--db', db, 'host', 'enrol', '--kind', 'server', '--user', ADMIN.userId, '--password-file', pw], dir);
  const server = await startServe({ dataDir: dir, db });
  const clients: SiteClient[] = [];
  try {
    const host = siteHost(server.url, server.fingerprint, clients);
    const adminLink = await host.connect();
    await adminLink.call('auth.signIn', { userId: ADMIN.userId, password: ADMIN.password });
    const admin = plant.memberOf(adminLink, ADMIN, ADMIN.password);
    progress('site: seeding 30 workstations');
    const registrations = CONCURRENCY.reduce((a, c) => a + c * perClient(c), 0);
    const { lot, workers, fresh } = await prepare(host, admin, Math.max(...CONCURRENCY), registrations);
    const out = {} as Record<Op, Figures[]>;
    for (const op of OPS) {
      out[op] = [];
      for (const c of CONCURRENCY) {
        progress(`site: ${op} × ${c} clients`);
        out[op].push(await runOp(op, lot, workers, c, fresh));
      }
    }
    return out;
  } finally {
    for (const c of clients) await c.close();
    server.proc.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function embeddedFigures(progress: (m: string) => void): Promise<Record<Op, Figures>> {
  const dir = mkdtempSync(join(tmpdir(), 'lotseal-site-bench-embedded-'));
  const core = new AppCore({
    dataDir: dir,
    hostKind: 'harness',
    protector: passphraseProtector('bench-passphrase-1'),
    log: quiet,
  });
  try {
    const host = inProcessHost(core.dispatcher);
    const admin = await plant.firstRun(host, ADMIN);
    progress('embedded: seeding');
    const { lot, workers, fresh } = await prepare(host, admin, 1, perClient(1));
    const out = {} as Record<Op, Figures>;
    for (const op of OPS) out[op] = await runOp(op, lot, workers, 1, fresh);
    return out;
  } finally {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runSiteBench(o: { onProgress?: (m: string) => void } = {}): Promise<unknown> {
  const progress = o.onProgress ?? (() => undefined);
  const embedded = await embeddedFigures(progress);
  const site = await siteFigures(progress);
  const ratio = Object.fromEntries(
    OPS.map((op) => {
      const one = site[op].find((f) => f.clients === 1)!;
      return [
        op,
        {
          p50_site_over_embedded: r2(one.p50_ms / Math.max(0.01, embedded[op].p50_ms)),
          calls_per_s_embedded_over_site_1: r2(embedded[op].calls_per_s / Math.max(0.01, one.calls_per_s)),
        },
      ];
    }),
  );
  return {
    note: 'loopback, lotseal serve as its own process; clients in the bench process, each its own SiteClient, host key and session; embedded = one connection to an in-process core',
    kdf: process.env['LOTSEAL_TEST_ONLY_CHEAP_KDF'] === '1' ? 'test-only cheap' : 'production',
    embedded,
    site,
    ratio,
  };
}
