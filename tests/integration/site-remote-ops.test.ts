/**
 * Issue 23, remote operations (D-103–D-106) on loopback: the hashed, chunked download of what the
 * server makes (a verified backup copy, an evidence folder), attacked (an inspector asking for a
 * backup or another user's transfer, a chunk altered on the way, the staged copy altered on the
 * server, a transfer cut off); request ids kept for the retry window and pruned after it; and the
 * operations commands through `lotseal --server` against a real `lotseal serve` process.
 * No timers: every wait is on an event, a reply or a process exit.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result, TransferView } from '../../src/shared/contract';
import { downloadJob, downloadTransfer, type Call } from '../../src/main/remote/download';
import { SiteClient } from '../../src/main/remote/site-client';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import { REQUEST_RETENTION_MS } from '../../src/shared/site/protocol';
import { ADMIN_PASSWORD, USER_PASSWORD } from '../helpers/core';
import {
  SITE_ADMIN_PW,
  enrolCli,
  enrolKey,
  harnessWorkstation,
  memoryHostKey,
  siteCli,
  siteWorld,
  startSite,
  type Site,
} from '../helpers/site';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Starts a job through `c` and resolves with its id once `job.progress` says it finished (listened for first). */
async function finishedJob(c: SiteClient, channel: string, input: unknown): Promise<string> {
  const done = new Map<string, string | null>();
  let wake: (() => void) | null = null;
  const off = c.onEvent((name, payload) => {
    const p = payload as { jobId: string; finished: boolean; error: string | null };
    if (name === 'job.progress' && p.finished) {
      done.set(p.jobId, p.error);
      wake?.();
    }
  });
  try {
    const r = await c.call(channel, input);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const { jobId } = r.data as { jobId: string };
    while (!done.has(jobId)) await new Promise<void>((resolve) => (wake = resolve));
    expect(done.get(jobId)).toBeNull();
    return jobId;
  } finally {
    off();
  }
}

const callOf =
  (c: SiteClient): Call =>
  (channel, input) =>
    c.call(channel, input);

async function open(c: SiteClient, jobId: string): Promise<TransferView> {
  const r = await c.call('transfer.open', { jobId });
  if (!r.ok || !r.data) throw new Error(`transfer.open: ${JSON.stringify(r)}`);
  return r.data as TransferView;
}

/** The rejection of a promise as the AppError it carries. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; messageKey: string }> {
  try {
    await p;
  } catch (e) {
    return (e as { error: { code: string; messageKey: string } }).error;
  }
  throw new Error('expected a refusal');
}

const partsIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.part-'));

describe('downloads from the site server (in process)', () => {
  it('a verified backup copy reaches the administrator whole; an inspector can neither make one nor read it; an altered chunk, an altered staged copy and a transfer cut off leave nothing under the final name', async () => {
    const w = await siteWorld(cleanups);
    await w.app.userWith(['inspector'], 'insp.site');
    const adminKey = memoryHostKey('OPS-ADMIN');
    const inspKey = memoryHostKey('OPS-INSP');
    await enrolKey(w, adminKey);
    await enrolKey(w, inspKey);
    const admin = await w.online(adminKey, 'admin', ADMIN_PASSWORD);
    const insp = await w.online(inspKey, 'insp.site', USER_PASSWORD);
    const here = join(w.app.dir, 'workstation');
    const events = () =>
      w.app.core
        .need()
        .ledger.db.prepare("SELECT count(*) AS n FROM audit_entry WHERE entity = 'backup_event'")
        .get() as {
        n: number;
      };

    // The administrator: made and verified on the server, recorded, downloaded in 64 KiB chunks, checked here.
    const before = events().n;
    const jobId = await finishedJob(admin, 'backup.stage', {});
    const dest = join(here, 'copy.db');
    let chunks = 0;
    const { view, got } = await downloadJob(callOf(admin), jobId, Promise.resolve({ error: null }), dest, {
      chunkBytes: 64 * 1024,
      onChunk: () => void chunks++,
    });
    expect(view).toMatchObject({ kind: 'backup', shape: 'file' });
    expect(chunks).toBeGreaterThan(1);
    expect(got).toMatchObject({ path: dest, files: 1, bytes: view.files[0]!.bytes });
    expect(readFileSync(dest).length).toBe(view.files[0]!.bytes);
    expect((await verifyFile(dest, { skewMs: 300_000, anchor: null })).ok).toBe(true);
    expect(events().n).toBe(before + 1);
    // Closed: the staged copy is gone from the server.
    expect(readdirSync(join(w.app.dir, 'transfers'))).toEqual([]);

    // The inspector: the dispatcher refuses the backup; another user's transfer is "not found".
    const denied = await insp.call('backup.stage', {});
    expect(denied.ok ? null : denied.error.code).toBe('forbidden');
    const job2 = await finishedJob(admin, 'backup.stage', {});
    const theirs = await insp.call('transfer.open', { jobId: job2 });
    expect(theirs.ok ? null : theirs.error.messageKey).toBe('errors.transfer_not_found');
    const v2 = await open(admin, job2);
    const read = await insp.call('transfer.read', {
      transferId: v2.transferId,
      path: v2.files[0]!.path,
      offset: 0,
      length: 1024,
    });
    expect(read.ok ? null : read.error.messageKey).toBe('errors.transfer_not_found');

    // A chunk altered on the way: refused at that chunk, nothing kept.
    const altered: Call = async (channel, input) => {
      const r = (await admin.call(channel, input)) as Result<{ base64: string; offset: number }>;
      if (channel === 'transfer.read' && r.ok && r.data.offset > 0) {
        const b = Buffer.from(r.data.base64, 'base64');
        b[0] = b[0]! ^ 0xff;
        return { ok: true, data: { ...r.data, base64: b.toString('base64') } };
      }
      return r;
    };
    const d2 = join(here, 'altered.db');
    expect((await refusal(downloadTransfer(altered, v2, d2, { chunkBytes: 64 * 1024 }))).messageKey).toBe(
      'errors.transfer_corrupt',
    );
    expect(existsSync(d2)).toBe(false);
    expect(partsIn(here)).toEqual([]);

    // The staged copy altered on the server after it was offered (an insider at the server): each
    // chunk is what the server read, but the file is not what it offered.
    const staged = join(w.app.dir, 'transfers', readdirSync(join(w.app.dir, 'transfers'))[0]!, v2.files[0]!.path);
    const bytes = readFileSync(staged);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
    writeFileSync(staged, bytes);
    const d3 = join(here, 'tampered.db');
    expect((await refusal(downloadTransfer(callOf(admin), v2, d3, { chunkBytes: 64 * 1024 }))).messageKey).toBe(
      'errors.transfer_corrupt',
    );
    expect(existsSync(d3)).toBe(false);
    expect(partsIn(here)).toEqual([]);

    // A transfer cut off after its first chunk (the workstation's connection ends): nothing kept.
    const job3 = await finishedJob(admin, 'backup.stage', {});
    const v3 = await open(admin, job3);
    const d4 = join(here, 'cut.db');
    const cut = await refusal(
      downloadTransfer(callOf(admin), v3, d4, { chunkBytes: 64 * 1024, onChunk: () => admin.close() }),
    );
    expect(cut.code).toBe('server_unreachable');
    expect(existsSync(d4)).toBe(false);
    expect(partsIn(here)).toEqual([]);
  });

  it('the evidence folder an inspector exported on the server arrives with every file and the manifest checked', async () => {
    const w = await siteWorld(cleanups);
    await w.app.userWith(['inspector'], 'insp.ev');
    const key = memoryHostKey('OPS-EV');
    await enrolKey(w, key);
    const insp = await w.online(key, 'insp.ev', USER_PASSWORD);
    const jobId = await finishedJob(insp, 'evidence.export', {});
    const dest = join(w.app.dir, 'inspector-laptop', 'evidence');
    const { view } = await downloadJob(callOf(insp), jobId, Promise.resolve({ error: null }), dest, {
      chunkBytes: 256 * 1024,
    });
    expect(view).toMatchObject({ kind: 'evidence', shape: 'folder' });
    const recorded = await insp.call('exports.result', { jobId });
    expect(recorded.ok && recorded.data).toMatchObject({ sha256: view.meta['manifest_sha256'] });
    const manifest = JSON.parse(readFileSync(join(dest, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string }>;
    };
    for (const f of manifest.files) expect(existsSync(join(dest, ...f.path.split('/'))), f.path).toBe(true);
    expect(existsSync(join(dest, 'verifier', 'lotseal_verify.py'))).toBe(true);
    // The export folder stays on the server (it is the server's exports/), the transfer is closed.
    expect(existsSync(String(view.meta['out']))).toBe(true);
    const again = await insp.call('transfer.read', {
      transferId: view.transferId,
      path: 'manifest.json',
      offset: 0,
      length: 10,
    });
    expect(again.ok ? null : again.error.messageKey).toBe('errors.transfer_not_found');
  });

  it("the audit screen's download: an inspector at a harness workstation gets the evidence folder made on the server into the workstation's exports folder, checked", async () => {
    const w = await siteWorld(cleanups);
    await w.app.userWith(['inspector'], 'insp.desk');
    const ws = await harnessWorkstation(
      cleanups,
      { url: w.server.url, fingerprint: w.server.fingerprint },
      'AUDIT-LAPTOP',
    );
    const link = await ws.host.connect();
    cleanups.unshift(() => link.close());
    await link.call('auth.signIn', { userId: 'insp.desk', password: USER_PASSWORD });
    const finished = new Promise<{ jobId: string; error: string | null }>((resolve) => {
      const off = link.onEvent('job.progress', (p) => {
        if (p.kind === 'export' && p.finished) {
          off();
          resolve(p);
        }
      });
    });
    const started = await link.call('evidence.export', {});
    const done = await finished;
    expect(done).toMatchObject({ jobId: started.jobId, error: null });
    const got = await link.call('exports.download', { jobId: started.jobId });
    // In the workstation's own exports folder, named as on the server, every file there.
    expect(got.path).toBe(join(ws.dir, 'exports', basename(started.folder)));
    const manifest = JSON.parse(readFileSync(join(got.path, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string }>;
    };
    expect(got.files).toBe(manifest.files.length + 2);
    for (const f of manifest.files) expect(existsSync(join(got.path, ...f.path.split('/')))).toBe(true);
    // Once downloaded the transfer is closed: a second download is refused, nothing written.
    await expect(link.call('exports.download', { jobId: started.jobId })).rejects.toMatchObject({
      error: { messageKey: 'errors.transfer_not_found' },
    });
    expect(readdirSync(join(ws.dir, 'exports'))).toEqual([basename(started.folder)]);
  });

  it('a request id is kept for the retry window: a retry inside it is answered from the log, and after it the id is pruned', async () => {
    let now = Date.now();
    const w = await siteWorld(cleanups, { clock: () => now });
    await w.app.userWith(['production'], 'prod.retry');
    const key = memoryHostKey('OPS-RETRY');
    await enrolKey(w, key);
    const prod = await w.online(key, 'prod.retry', USER_PASSWORD);
    const requestId = randomUUID();
    const input = { fields: { code: 'C-RETRY', name: '客户 重试', contact: null, phone: null, address: null } };
    const first = await prod.call('catalog.customers.save', input, { requestId });
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const db = w.app.core.need().ledger.db;
    const head = () => (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number }).s;
    const logged = () =>
      (db.prepare('SELECT count(*) AS n FROM request_log WHERE request_id = ?').get(requestId) as { n: number }).n;
    const h = head();
    // Just inside the window: pruning keeps it, the retry is the first reply, nothing written.
    now += REQUEST_RETENTION_MS - 60_000;
    expect(w.server.pruneRequests()).toBe(0);
    const retry = await prod.call('catalog.customers.save', input, { requestId });
    expect(retry).toEqual(first);
    expect(head()).toBe(h);
    expect(logged()).toBe(1);
    // Past the window: forgotten.
    now += 120_000;
    expect(w.server.pruneRequests()).toBeGreaterThanOrEqual(1);
    expect(logged()).toBe(0);
  });
});

describe('lotseal --server: the operations commands (real processes)', () => {
  it('backup, export, passwd, recovery unlock and acknowledge-rollback act on the server; init is refused; a wrong fingerprint, an unenrolled host, an inspector and an existing --out write nothing', async () => {
    const s: Site = await startSite(cleanups);
    const ws = join(s.dir, 'ops-ws');
    enrolCli(s, ws, 'OPS-1');
    const remote = (args: string[], o: { dataDir?: string; fingerprint?: string; url?: string } = {}) =>
      siteCli(
        [
          '--server',
          o.url ?? s.server.url,
          '--server-fingerprint',
          o.fingerprint ?? s.server.fingerprint,
          ...args,
          '--json',
        ],
        { dataDir: o.dataDir ?? ws },
      );
    const backupEvents = () => s.entries('backup_event').length;

    // init through a server: refused with what to do instead.
    const init = remote(['init', '--admin', 'someone', '--password-file', s.pw]);
    expect(init.code).toBe(2);
    expect(init.json).toMatchObject({ ok: false, error: 'invalid_input' });
    expect((init.json as { message: string }).message).toContain('created on the server');

    // backup --out: made and verified on the server, written and checked here, the local command's output.
    const out = join(s.dir, 'copies', 'site.db');
    const b = remote(['backup', '--out', out, '--user', 'admin', '--password-file', s.pw]);
    expect(b.code, b.stderr).toBe(0);
    expect(Object.keys(b.json as object).sort()).toEqual(['bytes', 'elapsed_ms', 'entries', 'ok', 'out']);
    expect(b.json).toMatchObject({ ok: true, out });
    expect((b.json as { bytes: number }).bytes).toBe(readFileSync(out).length);
    expect((await verifyFile(out, { skewMs: 300_000, anchor: null })).ok).toBe(true);
    const events = backupEvents();
    expect(events).toBe(1);
    expect(s.entries('backup_event')[0]).toMatchObject({ ws: 'cli@OPS-1', actor: 'admin' });
    expect(readdirSync(join(s.srv, 'transfers'))).toEqual([]);

    // An existing --out: exit 2 before the server is asked (even an address where nothing listens).
    const again = remote(['backup', '--out', out, '--user', 'admin', '--password-file', s.pw], {
      url: 'wss://127.0.0.1:9',
    });
    expect(again.code).toBe(2);
    expect(again.json).toMatchObject({ error: 'database_exists' });
    // A wrong fingerprint and an unenrolled host: exit 2, nothing written anywhere.
    const out2 = join(s.dir, 'copies', 'other.db');
    const wrongFp = remote(['backup', '--out', out2, '--user', 'admin', '--password-file', s.pw], {
      fingerprint: 'ab'.repeat(32),
    });
    expect(wrongFp.code).toBe(2);
    expect(wrongFp.json).toMatchObject({ error: 'key_error' });
    const stranger = join(s.dir, 'stranger');
    const badPw = join(s.dir, 'bad.pw');
    writeFileSync(badPw, 'not-the-password\n');
    expect(remote(['host', 'enrol', '--user', 'admin', '--password-file', badPw], { dataDir: stranger }).code).toBe(2);
    const unknown = remote(['backup', '--out', out2, '--user', 'admin', '--password-file', s.pw], {
      dataDir: stranger,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.json).toMatchObject({ error: 'forbidden', details: { reason: 'unknown_host' } });
    expect(existsSync(out2)).toBe(false);
    expect(backupEvents()).toBe(events);

    // An inspector, added through the server, changes the initial password with `user passwd --server`.
    const initial = join(s.dir, 'initial.pw');
    const inspPw = join(s.dir, 'insp.pw');
    writeFileSync(initial, 'initial-password-1\n');
    writeFileSync(inspPw, 'inspector-password-9\n');
    const added = remote([
      'user',
      'add',
      '--user',
      'admin',
      '--password-file',
      s.pw,
      '--new-user',
      'insp.remote',
      '--name',
      '检查员',
      '--roles',
      'inspector',
      '--new-password-file',
      initial,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const pass = remote([
      'user',
      'passwd',
      '--user',
      'insp.remote',
      '--password-file',
      initial,
      '--new-password-file',
      inspPw,
    ]);
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.json).toMatchObject({ ok: true, user: 'insp.remote' });
    expect((pass.json as { key_fingerprint: string }).key_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // … may not back up (refused by the server's dispatcher, nothing written) …
    const inspBackup = remote(['backup', '--out', out2, '--user', 'insp.remote', '--password-file', inspPw]);
    expect(inspBackup.code).toBe(2);
    expect(inspBackup.json).toMatchObject({ error: 'forbidden' });
    expect(existsSync(out2)).toBe(false);
    expect(backupEvents()).toBe(events);
    // … and exports the evidence folder and the audit trail to this workstation.
    const ev = join(s.dir, 'inspector', 'evidence');
    const e = remote(['export', '--evidence', ev, '--user', 'insp.remote', '--password-file', inspPw]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.json).toMatchObject({ ok: true, out: ev, verification: { ok: true } });
    expect(existsSync(join(ev, 'manifest.json'))).toBe(true);
    const csv = join(s.dir, 'inspector', 'trail.csv');
    const c = remote([
      'export',
      '--audit-csv',
      csv,
      '--actor',
      'admin',
      '--user',
      'insp.remote',
      '--password-file',
      inspPw,
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json).toMatchObject({ out: csv });
    expect(readFileSync(csv, 'utf8').split('\n').length).toBeGreaterThan(2);

    // The last administrator locked out, unlocked with the one-time recovery code through the server.
    const desk = memoryHostKey('OPS-DESK');
    await new SiteClient({ url: s.server.url, fingerprint: s.server.fingerprint, key: desk, reconnect: false }).enrol({
      user: 'admin',
      password: SITE_ADMIN_PW,
    });
    const tries = new SiteClient({ url: s.server.url, fingerprint: s.server.fingerprint, key: desk, reconnect: false });
    cleanups.unshift(() => tries.close());
    await tries.connect();
    for (let i = 0; i < 5; i++) {
      const r = await tries.call('auth.signIn', { userId: 'admin', password: 'wrong-password-000' });
      expect(r.ok).toBe(false);
    }
    await tries.close();
    expect(remote(['user', 'list', '--user', 'admin', '--password-file', s.pw]).code).toBe(2);
    const code = join(s.dir, 'recovery.txt');
    writeFileSync(code, `${s.init.recovery_code}\n`);
    const rec = remote(['user', 'unlock', '--target', 'admin', '--recovery-code-file', code]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.json).toMatchObject({ ok: true, user: 'admin', status: 'active' });
    expect((rec.json as { new_recovery_code: string }).new_recovery_code).not.toBe(s.init.recovery_code);
    expect(remote(['user', 'list', '--user', 'admin', '--password-file', s.pw]).code).toBe(0);
    // The reply with the new code was not kept on the server (D-105).
    expect(s.requestReplies('auth.recover')).toEqual([null]);

    // The server's database replaced by the older copy: the server's anchor is ahead; writes are
    // refused until an administrator acknowledges it through the server, signed.
    s.server.proc.kill('SIGTERM');
    await s.server.exited;
    for (const f of [s.db, `${s.db}-wal`, `${s.db}-shm`]) rmSync(f, { force: true });
    copyFileSync(out, s.db);
    // A copy staged before a restart (the server died mid-download) is gone once it is back.
    mkdirSync(join(s.srv, 'transfers', 'left-from-before'), { recursive: true });
    writeFileSync(join(s.srv, 'transfers', 'left-from-before', 'lotseal-old.db'), 'old');
    await s.start();
    expect(readdirSync(join(s.srv, 'transfers'))).toEqual([]);
    const blocked = remote([
      'user',
      'add',
      '--user',
      'admin',
      '--password-file',
      s.pw,
      '--new-user',
      'x.blocked',
      '--name',
      'x',
      '--roles',
      'technician',
      '--new-password-file',
      initial,
    ]);
    expect(blocked.code).toBe(2);
    const ack = remote([
      'host',
      'acknowledge-rollback',
      '--user',
      'admin',
      '--password-file',
      s.pw,
      '--reason',
      '演练：恢复旧副本',
    ]);
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.json).toMatchObject({ ok: true, finding: 'anchor_behind' });
    const resumed = remote([
      'user',
      'add',
      '--user',
      'admin',
      '--password-file',
      s.pw,
      '--new-user',
      'x.resumed',
      '--name',
      'x',
      '--roles',
      'technician',
      '--new-password-file',
      initial,
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(s.entries('rollback_acknowledgement')[0]).toMatchObject({ ws: 'cli@OPS-1', actor: 'admin' });
  });
});
