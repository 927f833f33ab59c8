/**
 * Issue 23 §1–2 with real processes on loopback: `lotseal serve` (a child process, killed and
 * restarted), workstations as `lotseal --server` commands and as SiteClients with their own host
 * keys. No timers: every wait is on a line, a state or a process exit.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HANG_CAP_MS } from '../helpers/hang-cap';
import type { Result } from '../../src/shared/contract';
import { SiteClient } from '../../src/main/remote/site-client';
import {
  SITE_ADMIN_PW as ADMIN_PW,
  enrolCli,
  memoryHostKey,
  siteCli,
  startSite,
  whenState,
  type Site,
} from '../helpers/site';

const INITIAL_PW = 'initial-password-1';
const USER_PW = 'user-password-0001';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const cli = siteCli;
const site = (): Promise<Site> => startSite(cleanups);

const customer = (code: string) => ({
  fields: { code, name: `客户 ${code}`, contact: null, phone: null, address: null },
});

/** A workstation client of the site, enrolled, with `userId` signed in (and, first time, its password changed). */
async function workstation(
  s: Site,
  name: string,
  userId: string,
  tz: string,
  firstSignIn = false,
): Promise<SiteClient> {
  const key = memoryHostKey(name);
  await new SiteClient({ url: s.server.url, fingerprint: s.server.fingerprint, key, reconnect: false }).enrol({
    user: 'admin',
    password: ADMIN_PW,
  });
  const signIn = async (c: SiteClient): Promise<void> => {
    const now = await c.call('auth.session', {});
    if (now.ok && now.data) return;
    await c.call('auth.signIn', { userId, password: USER_PW });
  };
  const c = new SiteClient({
    url: s.server.url,
    fingerprint: s.server.fingerprint,
    key,
    timeZone: tz,
    backoff: { minMs: 50, maxMs: 500 },
    onReconnect: signIn,
  });
  cleanups.unshift(() => c.close());
  await c.connect();
  if (firstSignIn) {
    const r = await c.call('auth.signIn', { userId, password: INITIAL_PW });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const ch = await c.call('auth.changePassword', { currentPassword: INITIAL_PW, newPassword: USER_PW });
    expect(ch.ok, JSON.stringify(ch)).toBe(true);
  } else await signIn(c);
  return c;
}

/** The production user every writer of these tests signs in as (made through the server by the CLI). */
function addProductionUser(s: Site, ws: string, userId: string): void {
  const np = join(s.dir, 'initial.pw');
  writeFileSync(np, `${INITIAL_PW}\n`);
  const r = cli(
    [
      '--server',
      s.server.url,
      '--server-fingerprint',
      s.server.fingerprint,
      'user',
      'add',
      '--user',
      'admin',
      '--password-file',
      s.pw,
      '--new-user',
      userId,
      '--name',
      `生产 ${userId}`,
      '--roles',
      'production',
      '--new-password-file',
      np,
      '--json',
    ],
    { dataDir: ws, tz: 'Asia/Shanghai' },
  );
  expect(r.code, r.stderr).toBe(0);
  expect(r.json).toMatchObject({ ok: true, user: userId, roles: ['production'] });
}

/** Writes one customer until the server acknowledges it: the same request id on every try. */
async function writeOnce(c: SiteClient, code: string): Promise<Result<unknown>> {
  const requestId = randomUUID();
  for (;;) {
    const r = await c.call('catalog.customers.save', customer(code), { requestId });
    if (!r.ok && r.error.code === 'server_unreachable') {
      await whenState(c, 'online');
      continue;
    }
    return r;
  }
}

function verify(s: Site): { code: number; json: { ok: boolean; findings: unknown[]; entries: number } } {
  const r = cli(['--db', s.db, 'verify', '--json'], { dataDir: s.srv });
  return r as never;
}

describe('lotseal serve (real processes)', () => {
  it('a CLI workstation and a SiteClient workstation: one writes, the other reads; entries carry each workstation and zone; refusals write nothing; SIGTERM stops cleanly', async () => {
    const s = await site();
    const bench = join(s.dir, 'bench');
    enrolCli(s, bench, 'BENCH-1');
    addProductionUser(s, bench, 'prod.a');
    const office = await workstation(s, 'OFFICE-2', 'prod.a', 'Europe/Berlin', true);
    const w = await office.call('catalog.customers.save', customer('C-OFFICE'));
    expect(w.ok, JSON.stringify(w)).toBe(true);
    // The CLI workstation reads through the server what the other wrote.
    /** `lotseal --server … <command> --user admin … --json` at the bench workstation. */
    const asAdminThroughServer = (...command: string[]) =>
      cli(
        [
          '--server',
          s.server.url,
          '--server-fingerprint',
          s.server.fingerprint,
          ...command,
          '--user',
          'admin',
          '--password-file',
          s.pw,
          '--json',
        ],
        { dataDir: bench },
      );
    const listed = asAdminThroughServer('user', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect((listed.json as Array<{ user: string; status: string }>).find((u) => u.user === 'prod.a')).toMatchObject({
      status: 'active',
    });

    // An ERP import through the server, as the production user (files read at the workstation, uploaded).
    const prodPw = join(s.dir, 'prod.pw');
    writeFileSync(prodPw, `${USER_PW}\n`);
    const csv = join(s.dir, 'suppliers.csv');
    writeFileSync(
      csv,
      'supplier_code,name,kind,approved\nS-REMOTE-1,远程供应商一,ingredient,no\nS-REMOTE-2,远程供应商二,packaging,no\n',
    );
    const imported = cli(
      [
        '--server',
        s.server.url,
        '--server-fingerprint',
        s.server.fingerprint,
        'import',
        '--user',
        'prod.a',
        '--password-file',
        prodPw,
        '--suppliers',
        csv,
        '--json',
      ],
      { dataDir: bench, tz: 'Asia/Shanghai' },
    );
    expect(imported.code, JSON.stringify(imported.json)).toBe(0);
    expect(imported.json).toMatchObject({ ok: true, inserted: { suppliers: 2 }, errors: [] });
    // The import ran in a worker thread on the server; its entries still name the workstation and its zone.
    const sup = s.entries('supplier').filter((e) => e.content.includes('S-REMOTE-'));
    expect(sup.map((e) => [e.ws, e.tz, e.actor])).toEqual([
      ['cli@BENCH-1', 'Asia/Shanghai', 'prod.a'],
      ['cli@BENCH-1', 'Asia/Shanghai', 'prod.a'],
    ]);

    // Read commands through the server: verify (a full verification on the server) and trace.
    // The server starts its own scheduled verification 30 s after it starts (none has run yet on
    // a new database); on a loaded machine the test can get here while it runs, and the server
    // rightly refuses a second one ("already running"). Then wait until the server says it is
    // no longer verifying, and ask again — on the server's state, never on time.
    const verifyThroughServer = () => asAdminThroughServer('verify');
    let remoteVerify = verifyThroughServer();
    for (let i = 0; i < 3 && remoteVerify.code !== 0 && remoteVerify.stderr.includes('already running'); i++) {
      await expect
        .poll(
          async () => {
            const st = await office.call('ledger.status', {});
            return st.ok ? (st.data as { state: string }).state : `error: ${JSON.stringify(st)}`;
          },
          { timeout: HANG_CAP_MS, interval: 200 },
        )
        .not.toBe('verifying');
      remoteVerify = verifyThroughServer();
    }
    expect(remoteVerify.code, remoteVerify.stderr).toBe(0);
    expect(remoteVerify.json).toMatchObject({ ok: true, findings: [] });
    const noLot = asAdminThroughServer('trace', '--lot', 'NO-SUCH-LOT');
    expect(noLot.code, noLot.stderr).toBe(1);
    expect(noLot.json).toEqual({ error: 'lot_not_found', lot: 'NO-SUCH-LOT' });

    const user = s.entries('user').filter((e) => e.content.includes('"prod.a"'));
    expect(user[0]).toMatchObject({ ws: 'cli@BENCH-1', tz: 'Asia/Shanghai', actor: 'admin' });
    const cust = s.entries('customer').filter((e) => e.content.includes('C-OFFICE'));
    expect(cust).toHaveLength(1);
    expect(cust[0]).toMatchObject({ ws: 'harness@OFFICE-2', tz: 'Europe/Berlin', actor: 'prod.a' });
    // The server's own key (kind `server`) signed the checkpoint of that write.
    const d = new Database(s.db, { readonly: true });
    try {
      const signer = d
        .prepare('SELECT k.host_kind AS kind FROM checkpoint c JOIN signing_key k ON k.id = c.key_id WHERE c.seq = ?')
        .get(cust[0]!.seq) as { kind: string };
      expect(signer.kind).toBe('server');
    } finally {
      d.close();
    }

    // Refusals: an unenrolled host (its enrolment refused: wrong administrator password), a wrong fingerprint.
    const head = s.head();
    const stranger = join(s.dir, 'stranger');
    const badPw = join(s.dir, 'bad.pw');
    writeFileSync(badPw, 'not-the-password\n');
    const refusedEnrol = cli(
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
        badPw,
        '--json',
      ],
      { dataDir: stranger },
    );
    expect(refusedEnrol.code).toBe(2);
    const unknown = cli(
      [
        '--server',
        s.server.url,
        '--server-fingerprint',
        s.server.fingerprint,
        'user',
        'list',
        '--user',
        'admin',
        '--password-file',
        s.pw,
        '--json',
      ],
      { dataDir: stranger },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.json).toMatchObject({ ok: false, error: 'forbidden', details: { reason: 'unknown_host' } });
    const wrongFp = cli(
      [
        '--server',
        s.server.url,
        '--server-fingerprint',
        'ab'.repeat(32),
        'user',
        'add',
        '--user',
        'admin',
        '--password-file',
        s.pw,
        '--new-user',
        'x.y',
        '--name',
        'x',
        '--roles',
        'technician',
        '--new-password-file',
        s.pw,
        '--json',
      ],
      { dataDir: bench },
    );
    expect(wrongFp.code).toBe(2);
    expect((wrongFp.json as { message: string }).message).toContain('not the pinned');
    // A command that cannot act through a server says so instead of opening a local file.
    const notRemote = cli(
      ['--server', s.server.url, '--server-fingerprint', s.server.fingerprint, 'verify', '--json'],
      { dataDir: bench },
    );
    expect(notRemote.code).toBe(2);
    // Nothing was written by the refusals (the server's scheduled verification may record its run meanwhile).
    const since = s.entries('*').filter((e) => e.seq > head);
    expect(since.filter((e) => !(e.entity === 'verification_run' && e.actor === 'system'))).toEqual([]);

    await office.close();
    s.server.proc.kill('SIGTERM');
    expect(await s.server.exited).toEqual({ code: 0, signal: null });
    const v = verify(s);
    expect(v.json.findings).toEqual([]);
    expect(v.code).toBe(0);
  });

  it('5 workstations × 20 concurrent writes: every one acknowledged once, the chain gapless, verify finds nothing', async () => {
    const s = await site();
    const admin = join(s.dir, 'admin-ws');
    enrolCli(s, admin, 'ADMIN-PC');
    addProductionUser(s, admin, 'prod.b');
    const clients = [await workstation(s, 'WS-0', 'prod.b', 'Asia/Shanghai', true)];
    for (let i = 1; i < 5; i++) clients.push(await workstation(s, `WS-${i}`, 'prod.b', 'Asia/Shanghai'));
    const before = s.head();
    const results = await Promise.all(
      clients.map(async (c, i) => {
        const out: Array<Result<unknown>> = [];
        for (let n = 0; n < 20; n++) out.push(await writeOnce(c, `C-${i}-${n}`));
        return out;
      }),
    );
    expect(results.flat().filter((r) => !r.ok)).toEqual([]);
    const cust = s.entries('customer').filter((e) => e.seq > before);
    expect(cust).toHaveLength(100);
    expect(new Set(cust.map((e) => e.ws)).size).toBe(5);
    for (const c of clients) await c.close();
    s.server.proc.kill('SIGTERM');
    await s.server.exited;
    const v = verify(s);
    expect(v.json.findings).toEqual([]);
    expect(v.code).toBe(0);
  });

  it('the server SIGKILLed 30 times during writes loses no acknowledged write, and retries with the same request id never write twice', async () => {
    const s = await site();
    const admin = join(s.dir, 'admin-ws');
    enrolCli(s, admin, 'ADMIN-PC');
    addProductionUser(s, admin, 'prod.k');
    const clients = [await workstation(s, 'K-0', 'prod.k', 'Asia/Shanghai', true)];
    for (let i = 1; i < 3; i++) clients.push(await workstation(s, `K-${i}`, 'prod.k', 'Asia/Shanghai'));
    const acked = new Map<string, Result<unknown>>();
    let stop = false;
    // Each acknowledgement may wake the killer: it kills after a few more writes were answered.
    let wake: (() => void) | null = null;
    const writers = clients.map(async (c, i) => {
      for (let n = 0; !stop; n++) {
        const code = `K-${i}-${n}`;
        acked.set(code, await writeOnce(c, code));
        wake?.();
      }
    });
    const port = s.server.port;
    let kills = 0;
    let alreadyApplied = 0;
    while (kills < 30) {
      const target = acked.size + 1 + (kills % 4);
      while (acked.size < target) await new Promise<void>((r) => (wake = r));
      s.server.proc.kill('SIGKILL');
      const x = await s.server.exited;
      expect(x.signal).toBe('SIGKILL');
      kills += 1;
      await s.start(port);
    }
    stop = true;
    await Promise.all(writers);
    for (const r of acked.values()) {
      if (!r.ok) {
        expect(r.error.code).toBe('already_applied');
        alreadyApplied += 1;
      }
    }
    for (const c of clients) await c.close();
    s.server.proc.kill('SIGTERM');
    await s.server.exited;
    // Every acknowledged write is in the trail exactly once; nothing else was written.
    const cust = s.entries('customer');
    const codes = cust.map((e) => (JSON.parse(e.content) as { code: string }).code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...acked.keys()].filter((k) => !codes.includes(k))).toEqual([]);
    expect(codes.filter((k) => !acked.has(k))).toEqual([]);
    const v = verify(s);
    expect(v.json.findings).toEqual([]);
    expect(v.code).toBe(0);
    console.log(JSON.stringify({ kills, writes: acked.size, alreadyApplied, entries: v.json.entries }));
  });
});
