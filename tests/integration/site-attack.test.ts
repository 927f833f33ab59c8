/**
 * An insider's attacks on the site server's controls (issue 23, D-090–D-102; review D-120–D-122),
 * on loopback: a real TLS WebSocket server in this process and SiteClients (or raw sockets) with
 * their own host keys. Each test is a hole that was open, or a control that must keep holding
 * on every path: request ids bound to the person who sent them, a host key retired while its
 * workstation is connected, malformed frames after authentication, enrolment by a non-administrator.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostKey } from '../../src/main/ledger/keys';
import { E } from '../../src/main/ledger/entities';
import { withOrigin } from '../../src/main/ledger/origin';
import { recordRequest } from '../../src/main/ledger/requests';
import type { AppErrorException } from '../../src/shared/contract/errors';
import { SiteClient } from '../../src/main/remote/site-client';
import { startSiteServer, type SiteServer } from '../../src/main/server/site-server';
import { certificateFingerprint, selfSignedCertificate } from '../../src/main/server/tls-cert';
import { authMessage, PROTOCOL_VERSION } from '../../src/shared/site/protocol';
import { FRAME_FORMAT, frameMessage, type FrameBody, type SignedFrame } from '../../src/shared/domain/signed-frame';
import { calibratedMoistureAnalyser, moistureReleaseSample } from '../fixtures/plant';
import { ADMIN_PASSWORD, USER_PASSWORD, createTestApp, type TestApp } from '../helpers/core';
import { memoryHostKey } from '../helpers/site';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const sha = (f: string): string =>
  existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : 'absent';

interface World {
  app: TestApp;
  server: SiteServer;
  /** A connected client of an enrolled host (no one signed in). */
  connected(key: HostKey, session?: string): Promise<SiteClient>;
  enrol(key: HostKey, user?: string, password?: string, name?: string): Promise<void>;
  dbBytes(): string;
  head(): number;
}

async function world(): Promise<World> {
  const app = await createTestApp();
  const c = selfSignedCertificate({
    commonName: 'site-attack',
    altNames: ['localhost', '127.0.0.1'],
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
  });
  const server = await startSiteServer({
    core: app.core,
    listen: { host: '127.0.0.1', port: 0 },
    tls: { ...c, fingerprint: certificateFingerprint(c.cert) },
  });
  cleanups.push(() => app.close());
  cleanups.unshift(() => server.close());
  const client = (key: HostKey, session?: string): SiteClient => {
    const s = new SiteClient({
      url: server.url,
      fingerprint: server.fingerprint,
      key,
      timeZone: 'Asia/Shanghai',
      reconnect: false,
      ...(session ? { session } : {}),
    });
    cleanups.unshift(() => s.close());
    return s;
  };
  return {
    app,
    server,
    async connected(key, session) {
      const s = client(key, session);
      await s.connect();
      return s;
    },
    async enrol(key, user = 'admin', password = ADMIN_PASSWORD, name) {
      await client(key).enrol({ user, password, ...(name ? { name } : {}) });
    },
    dbBytes: () => {
      app.core.need().ledger.db.pragma('wal_checkpoint(TRUNCATE)');
      return `${sha(app.core.dbFile)}/${sha(`${app.core.dbFile}-wal`)}`;
    },
    head: () => app.core.need().ledger.head().seq,
  };
}

const supplier = (code: string) => ({
  fields: {
    code,
    name: `供应商 ${code}`,
    kind: 'ingredient',
    approvalStatus: 'approved',
    approvedOn: null,
    lastAuditOn: null,
    nextAuditDue: null,
    contact: null,
    phone: null,
  },
});

const key = (r: { ok: boolean; error?: { messageKey: string } }): string | null => (r.ok ? null : r.error!.messageKey);

describe('attacks on the site server (review, D-120–D-122)', () => {
  it('a request id answers only the person who sent it: another user on the same workstation gets neither the reply nor a suppressed write', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.alice');
    await w.app.userWith(['qa_manager'], 'qa.bob');
    const bench = memoryHostKey('SHARED-BENCH');
    await w.enrol(bench);
    // Two people at one workstation (two tabs of a harness: two sessions over one socket).
    const c = await w.connected(bench);
    expect(
      (await c.call('auth.signIn', { userId: 'qa.alice', password: USER_PASSWORD }, { session: 'tab-a' })).ok,
    ).toBe(true);
    expect((await c.call('auth.signIn', { userId: 'qa.bob', password: USER_PASSWORD }, { session: 'tab-b' })).ok).toBe(
      true,
    );
    const requestId = randomUUID();
    const alice = await c.call('catalog.suppliers.save', supplier('SUP-ALICE'), { requestId, session: 'tab-a' });
    expect(alice.ok).toBe(true);
    const head = w.head();
    // Bob sends Alice's request id with his own write: refused, Alice's reply is not his to read.
    const bob = await c.call('catalog.suppliers.save', supplier('SUP-BOB'), { requestId, session: 'tab-b' });
    expect(key(bob)).toBe('errors.request_id_reused');
    expect(JSON.stringify(bob)).not.toContain('SUP-ALICE');
    expect(w.head()).toBe(head);
    // Alice's own retry still gets her first reply; Bob's write with an id of his own is saved.
    expect(await c.call('catalog.suppliers.save', supplier('SUP-ALICE'), { requestId, session: 'tab-a' })).toEqual(
      alice,
    );
    expect((await c.call('catalog.suppliers.save', supplier('SUP-BOB'), { session: 'tab-b' })).ok).toBe(true);
    // Another workstation naming Alice's session (or sending her request id) acts as nobody.
    const other = memoryHostKey('OTHER-BENCH');
    await w.enrol(other);
    const o = await w.connected(other);
    expect(key(await o.call('catalog.suppliers.list', {}, { session: 'tab-a' }))).toBe('errors.not_signed_in');
    expect(key(await o.call('catalog.suppliers.save', supplier('SUP-X'), { requestId, session: 'tab-a' }))).toBe(
      'errors.request_id_reused',
    );
  });

  it('the workstation an entry records is the key registry’s, whatever the hello claims; the zone is the hello’s', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.ws');
    const forged = memoryHostKey('QA-OFFICE');
    await w.enrol(forged, 'admin', ADMIN_PASSWORD, 'BENCH-REAL');
    const c = await w.connected(forged);
    expect(c.welcome?.host.workstation).toBe('harness@BENCH-REAL');
    expect((await c.call('auth.signIn', { userId: 'qa.ws', password: USER_PASSWORD })).ok).toBe(true);
    expect((await c.call('catalog.suppliers.save', supplier('SUP-WS'))).ok).toBe(true);
    const e = w.app.core
      .need()
      .ledger.db.prepare("SELECT ws, tz FROM audit_entry WHERE entity = 'supplier' ORDER BY seq DESC LIMIT 1")
      .get();
    expect(e).toEqual({ ws: 'harness@BENCH-REAL', tz: 'Asia/Shanghai' });
    // A zone spelled otherwise (Node takes `asia/shanghai`; Python's verifier would not find it
    // and would compute local dates in UTC) is recorded as the runtime names it.
    const lower = new SiteClient({
      url: w.server.url,
      fingerprint: w.server.fingerprint,
      key: forged,
      timeZone: 'asia/shanghai',
      reconnect: false,
      session: 'lower',
    });
    cleanups.unshift(() => lower.close());
    expect((await lower.connect()).host.tz).toBe('Asia/Shanghai');
    expect((await lower.call('auth.signIn', { userId: 'qa.ws', password: USER_PASSWORD })).ok).toBe(true);
    expect((await lower.call('catalog.suppliers.save', supplier('SUP-TZ'))).ok).toBe(true);
    const tzs = w.app.core.need().ledger.db.prepare('SELECT DISTINCT tz FROM audit_entry').all();
    expect(tzs).not.toContainEqual({ tz: 'asia/shanghai' });
  });

  it('two runs of one request id that race to commit: the second is told whose id it was (reused or already applied)', async () => {
    const w = await world();
    const db = w.app.core.need().ledger.db;
    const id = randomUUID();
    const mark = (userId: string) => ({
      id,
      hostKeyId: 'k1',
      channel: 'catalog.suppliers.save',
      userId,
      recordedSeq: null,
    });
    recordRequest(db, mark('qa.alice'), { at: 1, seq: 1 });
    const codeOf = (f: () => void): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as AppErrorException).error.messageKey;
      }
      return undefined;
    };
    expect(codeOf(() => recordRequest(db, mark('qa.alice'), { at: 2, seq: 2 }))).toBe('errors.already_applied');
    expect(codeOf(() => recordRequest(db, mark('qa.bob'), { at: 2, seq: 2 }))).toBe('errors.request_id_reused');
  });

  it('a host key retired while its workstation is connected: the next call is refused, nothing is written, the socket is closed', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.ret');
    const bench = memoryHostKey('STOLEN-LAPTOP');
    await w.enrol(bench);
    const c = await w.connected(bench);
    expect((await c.call('auth.signIn', { userId: 'qa.ret', password: USER_PASSWORD })).ok).toBe(true);
    expect((await c.call('catalog.suppliers.save', supplier('SUP-BEFORE'))).ok).toBe(true);
    // The administrator retires the laptop's key (it was reported stolen) while it stays connected.
    w.app.core
      .need()
      .ledger.write({ id: 'admin', name: 'Admin' }, (wr) => wr.retire(E.signingKey, bench.id, 'reported stolen'));
    const before = w.dbBytes();
    const refused = new Promise<string>((resolve) =>
      c.onState((s, why) => {
        if (s === 'refused') resolve(why?.reason ?? '');
      }),
    );
    const r = await c.call('catalog.suppliers.save', supplier('SUP-AFTER'));
    expect(r.ok).toBe(false);
    expect(await refused).toBe('key_retired');
    expect((await c.call('catalog.suppliers.list', {})).ok).toBe(false);
    expect(w.dbBytes()).toBe(before);
    // It cannot come back: reconnecting is refused, and the retired key cannot be enrolled again.
    await expect(w.connected(bench)).rejects.toMatchObject({ reason: 'key_retired' });
    await expect(w.enrol(bench)).rejects.toMatchObject({ reason: 'enrol_refused' });
    expect(w.dbBytes()).toBe(before);
  });

  it('a key retired during a call: the write transaction itself refuses it (every write of a call, whatever its channel)', async () => {
    const w = await world();
    const qa = await w.app.userWith(['qa_manager'], 'qa.race');
    const bench = memoryHostKey('RACE-BENCH');
    await w.enrol(bench);
    const core = w.app.core.need();
    core.ledger.write({ id: 'admin', name: 'Admin' }, (wr) => wr.retire(E.signingKey, bench.id, 'reported stolen'));
    const head = w.head();
    // The call passed the door before the key was retired: it runs with that workstation as its origin.
    const origin = { workstation: 'harness@RACE-BENCH', timeZone: 'Asia/Shanghai', hostKeyId: bench.id };
    const r = await withOrigin(origin, () => w.app.call(qa, 'catalog.suppliers.save', supplier('SUP-RACE') as never));
    expect(key(r)).toBe('errors.site_key_retired');
    expect(w.head()).toBe(head);
    // The same call embedded (no origin) is this host's own and is saved.
    expect((await w.app.call(qa, 'catalog.suppliers.save', supplier('SUP-RACE') as never)).ok).toBe(true);
  });

  it('a non-administrator cannot enrol a workstation: refused, nothing written', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.notadmin');
    const before = w.dbBytes();
    const rogue = memoryHostKey('ROGUE');
    await expect(w.enrol(rogue, 'qa.notadmin', USER_PASSWORD)).rejects.toMatchObject({ reason: 'enrol_refused' });
    expect(w.dbBytes()).toBe(before);
  });

  it('a machine that is not enrolled cannot lock a person out by enrolling with their id and wrong passwords', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.victim');
    const before = w.dbBytes();
    // Any machine that reaches the port (no enrolled key, no pinned certificate needed) tries six times.
    for (let i = 0; i < 6; i++)
      await expect(w.enrol(memoryHostKey(`PROBE-${i}`), 'qa.victim', `wrong-${i}-password`)).rejects.toMatchObject({
        reason: 'enrol_refused',
      });
    expect(w.dbBytes()).toBe(before);
    // The QA manager still signs in (from an enrolled bench).
    const bench = memoryHostKey('QA-DESK');
    await w.enrol(bench);
    const c = await w.connected(bench);
    const r = await c.call('auth.signIn', { userId: 'qa.victim', password: USER_PASSWORD });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it('a workstation cannot name a folder on the server’s disk for an export or a backup', async () => {
    const w = await world();
    await w.app.userWith(['inspector'], 'insp.path');
    const laptop = memoryHostKey('INSPECTOR-LAPTOP');
    await w.enrol(laptop);
    const c = await w.connected(laptop);
    expect((await c.call('auth.signIn', { userId: 'insp.path', password: USER_PASSWORD })).ok).toBe(true);
    const elsewhere = mkdtempSync(join(tmpdir(), 'lotseal-not-exports-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    for (const [channel, input] of [
      ['evidence.export', { folder: elsewhere }],
      ['audit.exportCsv', { filter: {}, folder: elsewhere }],
    ] as const) {
      const r = await c.call(channel, input);
      expect(key(r), channel).toBe('errors.site_server_path');
    }
    // The administrator's backup too.
    const admin = await w.connected(laptop, 'admin-tab');
    expect((await admin.call('auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD })).ok).toBe(true);
    expect(key(await admin.call('backup.create', { folder: elsewhere }, { session: 'admin-tab' }))).toBe(
      'errors.site_server_path',
    );
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('malformed frames after authentication are answered or closed; the server writes nothing and keeps serving', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.fuzz');
    const k = memoryHostKey('FUZZ-1');
    await w.enrol(k);
    const ws = new WebSocket(`${w.server.url}/site`, { rejectUnauthorized: false });
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    const next = (): Promise<Record<string, unknown>> =>
      new Promise((r) => ws.once('message', (d) => r(JSON.parse(d.toString()) as Record<string, unknown>)));
    let reply = next();
    ws.send(
      JSON.stringify({
        t: 'hello',
        v: PROTOCOL_VERSION,
        host: k.host,
        kind: k.hostKind,
        publicKey: k.publicKey,
        fingerprint: k.fingerprint,
        tz: 'Asia/Shanghai',
        version: 'test',
      }),
    );
    const nonce = String((await reply)['nonce']);
    reply = next();
    const m = authMessage({ nonce, serverFingerprint: w.server.fingerprint, keyId: k.id, purpose: 'auth' });
    ws.send(JSON.stringify({ t: 'auth', signature: k.sign(Buffer.from(m)).toString('base64') }));
    expect((await reply)['t']).toBe('welcome');
    reply = next();
    ws.send(
      JSON.stringify({
        t: 'call',
        id: 1,
        channel: 'auth.signIn',
        input: { userId: 'qa.fuzz', password: USER_PASSWORD },
      }),
    );
    expect(await reply).toMatchObject({ result: { ok: true } });
    const before = w.dbBytes();
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    const frames: Array<[string, (r: Record<string, unknown>) => void]> = [
      // Unknown frame type, a call without a channel, JSON that is not an object.
      [JSON.stringify({ t: 'nonsense', id: 2 }), (r) => expect(r).toMatchObject({ t: 'error', id: 2 })],
      ['42', (r) => expect(r).toMatchObject({ t: 'error', id: null })],
      [JSON.stringify({ t: 'call', id: 3 }), (r) => expect(r).toMatchObject({ t: 'error', id: 3 })],
      // A channel that does not exist, a prototype name.
      [
        JSON.stringify({ t: 'call', id: 4, channel: '__proto__', input: {} }),
        (r) => expect(r).toMatchObject({ t: 'result', id: 4, result: { ok: false } }),
      ],
      // Deep nesting in a read's and in a write's input.
      [
        `{"t":"call","id":5,"channel":"catalog.suppliers.list","input":${deep(200_000)}}`,
        (r) => expect(r).toMatchObject({ id: 5 }),
      ],
      [
        `{"t":"call","id":6,"channel":"catalog.suppliers.save","requestId":"${randomUUID()}","input":{"fields":${deep(200_000)}}}`,
        (r) => expect(r).toMatchObject({ id: 6, result: { ok: false } }),
      ],
      [
        `{"t":"call","id":7,"channel":"catalog.suppliers.save","requestId":"${randomUUID()}","input":{"fields":{"code":${deep(5000)}}}}`,
        (r) => expect(r).toMatchObject({ id: 7, result: { ok: false } }),
      ],
    ];
    for (const [text, check] of frames) {
      reply = next();
      ws.send(text);
      check(await reply);
    }
    // A frame over the size limit closes the socket (1009), it does not end the server.
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(33 * 1024 * 1024));
    expect(await closed).toBe(1009);
    expect(w.dbBytes()).toBe(before);
    // Still serving.
    const c = await w.connected(k);
    expect((await c.call('auth.signIn', { userId: 'qa.fuzz', password: USER_PASSWORD })).ok).toBe(true);
  });
});

/**
 * The bench's clock (D-122). The record judges an instrument's lock at the frame's capture
 * time (a write-back after an outage is judged as it was taken): a clock set back must not
 * capture on an instrument whose calibration fell due meanwhile.
 */
describe('a signed frame’s clock, as an insider at the bench sets it', () => {
  const T0 = Date.parse('2026-06-01T01:00:00Z');
  const READING = Buffer.from('S S      2.45 %\r\n', 'latin1').toString('base64');

  it('a capture time far behind its receipt is named in the audit trail; one before the bench’s earlier frame is refused; a clock set back opens no locked instrument', async () => {
    const clock = { now: T0 };
    const app = await createTestApp({ clock: () => clock.now, timeZone: 'UTC' });
    cleanups.push(() => app.close());
    const qa = await app.userWith(['qa_manager'], 'qa.chen');
    const tech = await app.userWith(['technician'], 'tech.li');
    const prod = await app.userWith(['production'], 'prod.wu');
    const { resultId } = await moistureReleaseSample({
      qa: app.member(qa),
      prod: app.member(prod),
      tech: app.member(tech),
    });
    // Calibrated, due today: from tomorrow the analyser is locked.
    const instrumentId = await calibratedMoistureAnalyser(
      { admin: app.adminMember, qa: app.member(qa) },
      join(app.dir, 'no-port'),
      '2026-06-01',
    );
    const k = app.core.key;
    const signedIn = async () => {
      const c = app.conn();
      await app.ok(c, 'auth.signIn', { userId: 'tech.li', password: USER_PASSWORD });
      return c;
    };
    const frame = (seq: number, capturedAt: number, replicateIndex = 0): SignedFrame => {
      const b: FrameBody = {
        v: FRAME_FORMAT,
        key: k.id,
        host: app.core.workstation,
        seq,
        instrumentId,
        port: '/dev/ttyUSB0',
        driver: 'mt-sics',
        capturedAt,
        clock: 'local',
        tz: 'UTC',
        by: 'tech.li',
        purpose: 'result',
        resultId,
        sampleCode: null,
        replicateIndex,
        raw: READING,
      };
      return { body: b, signature: k.sign(Buffer.from(frameMessage(b), 'utf8')).toString('base64') };
    };
    const reasonOf = (id: string) =>
      (
        app.core
          .need()
          .ledger.db.prepare("SELECT reason FROM audit_entry WHERE entity = 'signed_frame' AND entity_id = ?")
          .get(id) as { reason: string | null }
      ).reason;
    // A capture on the due date, at once: stored, nothing to say about its time.
    clock.now = T0 + 3_600_000 + 60_000;
    const first = await app.ok(await signedIn(), 'instruments.submitFrame', { frame: frame(1, T0 + 3_600_000) });
    expect(first.status).toBe('captured');
    expect(reasonOf(first.frameId)).toBeNull();
    // The bench's clock set back 8 hours, the frame sent at once (no write-back mark): stored as
    // the bench says, and the audit trail names the gap.
    clock.now = T0 + 10 * 3_600_000;
    const late = await app.ok(await signedIn(), 'instruments.submitFrame', { frame: frame(2, T0 + 2 * 3_600_000, 1) });
    expect(late.status).toBe('captured');
    expect(reasonOf(late.frameId)).toContain('sent at once, not from the workstation');
    expect(reasonOf(late.frameId)).toContain('gap 8 h 00 min 00 s');
    // Taken before the bench's own earlier frame on this analyser (a clock set further back): refused.
    const bench = await signedIn();
    let head = app.core.need().ledger.head().seq;
    const forward = { queuedAt: T0 - 60_000, linkDownSince: T0 - 120_000 };
    const backwards = await app.call(bench, 'instruments.submitFrame', { frame: frame(3, T0 - 60_000, 1), forward });
    expect(key(backwards)).toBe('errors.frame_clock_backwards');
    expect(app.core.need().ledger.head().seq).toBe(head);
    // Two days later the calibration is overdue: a frame with the clock set back to the due date,
    // sent at once or as a write-back, does not open the analyser (the value's instrument guard
    // judges the lock at receipt too).
    clock.now = T0 + 2 * 86_400_000;
    const later = await signedIn();
    head = app.core.need().ledger.head().seq;
    for (const f of [
      { frame: frame(4, clock.now - 1000, 1) },
      { frame: frame(5, T0 + 3 * 3_600_000, 1) },
      {
        frame: frame(6, T0 + 4 * 3_600_000, 1),
        forward: { queuedAt: T0 + 4 * 3_600_000, linkDownSince: T0 + 3 * 3_600_000 },
      },
    ]) {
      const r = await app.call(later, 'instruments.submitFrame', f);
      expect(r.ok && r.data.status, JSON.stringify(r)).not.toBe('captured');
    }
    const standing = (await app.ok(later, 'results.get', { id: resultId })).result.replicates;
    expect(standing).toEqual(['2.45', '2.45']);
  });
});
