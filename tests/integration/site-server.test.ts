/**
 * Issue 23 §1–2 on loopback: the site server (real TLS WebSocket, in this process) and Node
 * SiteClients with their own host keys. Enrolment by an administrator, host authentication,
 * certificate pinning, per-call origin in the audit entries, exactly-once writes, events to a
 * second workstation, refusals that write nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { WebSocket } from 'ws';
import { authMessage, PROTOCOL_VERSION } from '../../src/shared/site/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../../src/main/ledger/entities';
import { SiteClient, type SiteState } from '../../src/main/remote/site-client';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import { VERIFIER, runPythonAsync } from '../helpers/python';
import { USER_PASSWORD, type TestApp } from '../helpers/core';
import { enrolKey, memoryHostKey, siteWorld, type SiteWorld } from '../helpers/site';
import { channelNames, contract } from '../../src/shared/contract';
import { rolePermissions } from '../../src/shared/domain/roles';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const hostKey = memoryHostKey;
type World = SiteWorld;
const world = (): Promise<World> => siteWorld(cleanups);
const enrol = enrolKey;

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

function entriesOf(
  app: TestApp,
  entity: string,
): Array<{ seq: number; ws: string; tz: string; actor: string; entity_id: string; content: string }> {
  return app.core
    .need()
    .ledger.db.prepare('SELECT seq, ws, tz, actor, entity_id, content FROM audit_entry WHERE entity = ? ORDER BY seq')
    .all(entity) as never;
}

describe('site server on loopback', () => {
  it('an enrolled workstation writes through the server: the entry records its workstation and zone; a second workstation reads it and hears the change', async () => {
    const w = await world();
    const qaConn = await w.app.userWith(['qa_manager'], 'qa.site');
    void qaConn;
    await w.app.userWith(['reviewer'], 'rev.site');
    const bench = hostKey('BENCH-01');
    const office = hostKey('OFFICE-02');
    await enrol(w, bench);
    await enrol(w, office, 'QA office');
    const keys = w.app.core
      .need()
      .ledger.db.prepare('SELECT host, host_kind FROM signing_key WHERE id IN (?, ?) ORDER BY host')
      .all(bench.id, office.id);
    expect(keys).toEqual([
      { host: 'BENCH-01', host_kind: 'harness' },
      { host: 'QA office', host_kind: 'harness' },
    ]);

    const a = await w.online(bench, 'qa.site', USER_PASSWORD, 'Asia/Shanghai');
    const b = await w.online(office, 'rev.site', USER_PASSWORD, 'Europe/Berlin');
    expect(a.state).toBe('online');
    expect(a.welcome?.host.workstation).toBe('harness@BENCH-01');
    expect(b.welcome?.host.workstation).toBe('harness@QA office');

    const heard = new Promise<unknown>((resolve) => {
      const off = b.onEvent((name, payload) => {
        if (name === 'ledger.changed') {
          off();
          resolve(payload);
        }
      });
    });
    const r = await a.call('catalog.suppliers.save', supplier('SUP-SITE-1'));
    expect(r.ok).toBe(true);
    await heard;
    const list = await b.call('catalog.suppliers.list', {});
    expect(list.ok && (list.data as Array<{ code: string }>).map((s) => s.code)).toContain('SUP-SITE-1');

    const e = entriesOf(w.app, 'supplier').filter((x) => x.content.includes('SUP-SITE-1'));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ ws: 'harness@BENCH-01', tz: 'Asia/Shanghai', actor: 'qa.site' });
    // The enrolment was recorded from the enrolling workstation, by the administrator.
    const enrolled = entriesOf(w.app, 'signing_key').find((x) => x.entity_id === office.id);
    expect(enrolled).toMatchObject({ ws: 'harness@QA office', actor: 'admin' });
    // The embedded path is unchanged: the server's own entries keep its workstation.
    expect(w.app.core.need().ledger.workstation).toBe(w.app.core.workstation);

    const report = await verifyFile(w.app.core.dbFile, { skewMs: 5 * 60_000, anchor: null });
    expect(report.findings).toEqual([]);
    // The standalone verifier agrees on a trail written in two zones through the server.
    w.app.core.need().ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const py = await runPythonAsync([
      '-I',
      '-S',
      VERIFIER,
      '--db',
      w.app.core.dbFile,
      '--skew-minutes',
      '5',
      '--no-manifest',
      '--no-anchor',
      '--json',
    ]);
    expect(py.status, py.stderr).toBe(0);
    expect((JSON.parse(py.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('a write retried with the same request id returns the first reply and writes nothing twice', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.once');
    const bench = hostKey('BENCH-03');
    await enrol(w, bench);
    const a = await w.online(bench, 'qa.once', USER_PASSWORD);
    const requestId = randomUUID();
    const first = await a.call('catalog.suppliers.save', supplier('SUP-ONCE'), { requestId });
    expect(first.ok).toBe(true);
    const head = w.app.core.need().ledger.head().seq;
    // Concurrent retries of the same id, and a later one: all answer the first reply.
    const again = await Promise.all(
      [1, 2, 3].map(() => a.call('catalog.suppliers.save', supplier('SUP-ONCE'), { requestId })),
    );
    for (const r of again) expect(r).toEqual(first);
    expect(w.app.core.need().ledger.head().seq).toBe(head);
    const row = w.app.core
      .need()
      .ledger.db.prepare('SELECT * FROM request_log WHERE request_id = ?')
      .get(requestId) as { last_seq: number; reply: string };
    expect(row.last_seq).toBe(head);
    expect(JSON.parse(row.reply)).toEqual(first);
    // The same id for another channel is refused.
    const other = await a.call(
      'catalog.customers.save',
      { fields: { code: 'C-X', name: 'x', contact: null, phone: null, address: null } },
      { requestId },
    );
    expect(!other.ok && other.error.messageKey).toBe('errors.request_id_reused');
    // A crash between the commit and keeping the reply: the retry says it was applied.
    const lost = randomUUID();
    expect((await a.call('catalog.suppliers.save', supplier('SUP-LOST'), { requestId: lost })).ok).toBe(true);
    w.app.core.need().ledger.db.prepare('UPDATE request_log SET reply = NULL WHERE request_id = ?').run(lost);
    const retried = await a.call('catalog.suppliers.save', supplier('SUP-LOST'), { requestId: lost });
    expect(retried.ok).toBe(false);
    expect(!retried.ok && retried.error.code).toBe('already_applied');
    expect(entriesOf(w.app, 'supplier').filter((x) => x.content.includes('SUP-LOST'))).toHaveLength(1);
  });

  it('a write that starts a job (an ERP import in a worker) keeps its reply: the retry gets the same job, the import runs once', async () => {
    const w = await world();
    await w.app.userWith(['production'], 'prod.job');
    const bench = hostKey('BENCH-JOB');
    await enrol(w, bench);
    const a = await w.online(bench, 'prod.job', USER_PASSWORD);
    const up = await a.call('import.upload', {
      file: 'suppliers',
      fileName: 'suppliers.csv',
      chunkBase64: Buffer.from('supplier_code,name,kind,approved\nS-JOB-1,作业供应商,ingredient,no\n').toString(
        'base64',
      ),
      final: true,
    });
    expect(up.ok, JSON.stringify(up)).toBe(true);
    const uploadId = (up as { data: { uploadId: string } }).data.uploadId;
    const finished = new Promise<void>((resolve) => {
      const off = a.onEvent((name, payload) => {
        const p = payload as { kind?: string; finished?: boolean };
        if (name === 'job.progress' && p.kind === 'import' && p.finished) {
          off();
          resolve();
        }
      });
    });
    const requestId = randomUUID();
    const first = await a.call('import.start', { uploadId, dryRun: false }, { requestId });
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const again = await a.call('import.start', { uploadId, dryRun: false }, { requestId });
    expect(again).toEqual(first);
    await finished;
    const runs = w.app.core.need().ledger.db.prepare('SELECT count(*) AS n FROM import_run').get() as { n: number };
    expect(runs.n).toBe(1);
    expect(entriesOf(w.app, 'supplier').filter((x) => x.content.includes('S-JOB-1'))).toHaveLength(1);
  });

  it('an unenrolled host, a retired key and a wrong certificate fingerprint are refused, and nothing is written', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.refuse');
    const before = w.dbBytes();
    const states: SiteState[] = [];
    const stranger = w.client(hostKey('STRANGER'));
    stranger.onState((s) => states.push(s));
    await expect(stranger.connect()).rejects.toMatchObject({ reason: 'unknown_host' });
    expect(stranger.state).toBe('refused');
    expect(states).toEqual(['refused']);
    expect((await stranger.call('catalog.suppliers.save', supplier('SUP-NO'))).ok).toBe(false);

    const bench = hostKey('BENCH-04');
    const wrongFp = w.client(bench, { fingerprint: 'ab'.repeat(32) });
    await expect(wrongFp.connect()).rejects.toMatchObject({ reason: 'fingerprint' });
    expect(wrongFp.error?.error.messageKey).toBe('errors.site_fingerprint_mismatch');
    expect(w.server.connections()).toBe(0);
    expect(w.dbBytes()).toBe(before);

    // A refused enrolment (wrong administrator password) writes nothing either.
    const c = new SiteClient({ url: w.server.url, fingerprint: w.server.fingerprint, key: bench, reconnect: false });
    await expect(c.enrol({ user: 'admin', password: 'not-the-password' })).rejects.toMatchObject({
      reason: 'enrol_refused',
    });
    expect(w.dbBytes()).toBe(before);

    // A retired key.
    await enrol(w, bench);
    const svc = w.app.core.need();
    svc.ledger.write({ id: 'admin', name: 'Admin' }, (wr) => wr.update(E.signingKey, bench.id, { valid_to: wr.at }));
    const afterRetire = w.dbBytes();
    const retired = w.client(bench);
    await expect(retired.connect()).rejects.toMatchObject({ reason: 'key_retired' });
    expect(w.dbBytes()).toBe(afterRetire);
  });

  it('the certificate is refused before anything is sent: a TLS client sees the same fingerprint the server prints', async () => {
    const w = await world();
    const seen = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: w.server.port, rejectUnauthorized: false }, () => {
        resolve(createHash('sha256').update(s.getPeerCertificate().raw).digest('hex'));
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(seen).toBe(w.server.fingerprint);
  });

  it('an inspector session served by the server is read-only: every writing channel is refused and nothing is written', async () => {
    const w = await world();
    await w.app.userWith(['inspector'], 'insp.site');
    const laptop = hostKey('INSPECTOR-LAPTOP');
    await enrol(w, laptop);
    const c = await w.online(laptop, 'insp.site', USER_PASSWORD);
    // The inspector's role holds no permission of a channel that writes (only app.setup is public, and refuses once set up).
    const inspector = new Set<string>(rolePermissions.inspector);
    const open = channelNames.filter(
      (n) => contract[n].writes && (contract[n].access === 'session' || inspector.has(contract[n].access)),
    );
    expect(open).toEqual([]);
    const before = w.dbBytes();
    const writing = channelNames.filter((n) => contract[n].writes);
    expect(writing.length).toBeGreaterThan(50);
    for (const name of writing) {
      const r = await c.call(name, {}, { requestId: randomUUID() });
      expect(r.ok, name).toBe(false);
    }
    expect(w.dbBytes()).toBe(before);
    // Reading works.
    expect((await c.call('ledger.status', {})).ok).toBe(true);
    expect((await c.call('catalog.suppliers.list', {})).ok).toBe(true);
    // The inspector exports the evidence folder on the server (its manifest hash is recorded, by the inspector, from the laptop).
    const done = new Promise<void>((resolve) => {
      const off = c.onEvent((name, payload) => {
        const p = payload as { kind?: string; finished?: boolean };
        if (name === 'job.progress' && p.kind === 'export' && p.finished) {
          off();
          resolve();
        }
      });
    });
    const started = await c.call('evidence.export', {});
    expect(started.ok, JSON.stringify(started)).toBe(true);
    await done;
    const result = await c.call('exports.result', { jobId: (started as { data: { jobId: string } }).data.jobId });
    expect(result).toMatchObject({ ok: true, data: { kind: 'evidence', verification: { ok: true, findings: 0 } } });
    const folder = (result as { data: { path: string } }).data.path;
    expect(existsSync(join(folder, 'manifest.json'))).toBe(true);
    const recorded = entriesOf(w.app, 'backup_event').at(-1);
    expect(recorded).toMatchObject({ ws: 'harness@INSPECTOR-LAPTOP', actor: 'insp.site' });
  });

  it('the server backs up on its schedule into the settings folder: the copy verified, then recorded, and not again before it is due', async () => {
    const w = await world();
    const folder = join(w.app.dir, 'backups');
    mkdirSync(folder);
    const settings = await w.app.ok(w.app.admin, 'settings.get', {});
    await w.app.ok(w.app.admin, 'settings.update', {
      settings: { ...settings, backupFolder: folder, backupEveryHours: 24 },
      reason: 'site backups',
    });
    const finished = new Promise<{ error: string | null }>((resolve) => {
      const off = w.app.core.dispatcher.onEvent((_t, name, payload) => {
        const p = payload as { kind: string; finished: boolean; error: string | null };
        if (name === 'job.progress' && p.kind === 'backup' && p.finished) {
          off();
          resolve(p);
        }
      });
    });
    expect(w.app.core.runScheduledBackup()).not.toBeNull();
    expect((await finished).error).toBeNull();
    const copies = readdirSync(folder).filter((f) => f.endsWith('.db'));
    expect(copies).toHaveLength(1);
    const recorded = w.app.core.need().ledger.db.prepare("SELECT file FROM backup_event WHERE kind = 'backup'").all();
    expect(recorded).toEqual([{ file: copies[0] }]);
    const report = await verifyFile(join(folder, copies[0]!), { skewMs: 5 * 60_000, anchor: null });
    expect(report.findings).toEqual([]);
    // Not due again for 24 hours.
    expect(w.app.core.runScheduledBackup()).toBeNull();
  });

  it('a raw socket: garbage or a call before authentication closes it (4000) and writes nothing; after authentication a write without a request id is refused', async () => {
    const w = await world();
    await w.app.userWith(['qa_manager'], 'qa.raw');
    const key = hostKey('RAW-1');
    await enrol(w, key);
    const before = w.dbBytes();
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${w.server.url}/site`, { rejectUnauthorized: false });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const closed = (ws: WebSocket): Promise<[number, string]> =>
      new Promise((r) => ws.once('close', (c, why) => r([c, why.toString()])));
    const next = (ws: WebSocket): Promise<Record<string, unknown>> =>
      new Promise((r) => ws.once('message', (d) => r(JSON.parse(d.toString()) as Record<string, unknown>)));

    const a = await open();
    const aClosed = closed(a);
    a.send('not json at all');
    expect(await aClosed).toEqual([4000, 'protocol']);

    const b = await open();
    const bClosed = closed(b);
    b.send(
      JSON.stringify({
        t: 'call',
        id: 1,
        channel: 'catalog.suppliers.save',
        input: supplier('SUP-RAW'),
        requestId: randomUUID(),
      }),
    );
    expect(await bClosed).toEqual([4000, 'protocol']);
    expect(w.dbBytes()).toBe(before);

    const c = await open();
    const hello = {
      t: 'hello',
      v: PROTOCOL_VERSION,
      host: key.host,
      kind: key.hostKind,
      publicKey: key.publicKey,
      fingerprint: key.fingerprint,
      tz: 'Asia/Shanghai',
      version: 'test',
    };
    let reply = next(c);
    c.send(JSON.stringify(hello));
    const challenge = await reply;
    expect(challenge['t']).toBe('challenge');
    reply = next(c);
    const message = authMessage({
      nonce: String(challenge['nonce']),
      serverFingerprint: w.server.fingerprint,
      keyId: key.id,
      purpose: 'auth',
    });
    c.send(JSON.stringify({ t: 'auth', signature: key.sign(Buffer.from(message)).toString('base64') }));
    expect((await reply)['t']).toBe('welcome');
    reply = next(c);
    c.send(
      JSON.stringify({
        t: 'call',
        id: 7,
        channel: 'auth.signIn',
        input: { userId: 'qa.raw', password: USER_PASSWORD },
      }),
    );
    expect(await reply).toMatchObject({ t: 'result', id: 7, result: { ok: true } });
    const head = w.app.core.need().ledger.head().seq;
    reply = next(c);
    c.send(JSON.stringify({ t: 'call', id: 8, channel: 'catalog.suppliers.save', input: supplier('SUP-RAW') }));
    expect(await reply).toMatchObject({
      t: 'result',
      id: 8,
      result: { ok: false, error: { messageKey: 'errors.request_id_required' } },
    });
    // A bench-local channel is the workstation's own.
    reply = next(c);
    c.send(JSON.stringify({ t: 'call', id: 9, channel: 'instruments.ports', input: {} }));
    expect(await reply).toMatchObject({
      t: 'result',
      id: 9,
      result: { ok: false, error: { messageKey: 'errors.bench_local_channel' } },
    });
    expect(w.app.core.need().ledger.head().seq).toBe(head);
    const cClosed = closed(c);
    c.close(1000);
    await cClosed;
  });
});
