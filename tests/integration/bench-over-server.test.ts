/**
 * Issue 23 §4–5 over a real site server (TLS WebSocket on loopback, in this process): a bench
 * workstation with its own enrolled host key sends signed frames through its SiteClient; the
 * server verifies them against the registry and re-parses the bytes; while the server cannot be
 * reached the bench's queue keeps them and writes them back once, in order, with the gap; two
 * workstations entering the same result: the second, on a stale screen, is told the record
 * changed and nothing of theirs is written.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameQueue, channelSender } from '../../src/main/instruments';
import type { HostKey } from '../../src/main/ledger/keys';
import { SiteClient } from '../../src/main/remote/site-client';
import { startSiteServer, type SiteServer } from '../../src/main/server/site-server';
import { certificateFingerprint, selfSignedCertificate } from '../../src/main/server/tls-cert';
import { FRAME_FORMAT, frameMessage, type FrameBody } from '../../src/shared/domain/signed-frame';
import { ADMIN_PASSWORD, USER_PASSWORD, createTestApp, type TestApp } from '../helpers/core';
import { memoryHostKey } from '../helpers/site';
import { calibratedMoistureAnalyser, moistureReleaseSample, verifyLedger } from '../fixtures/plant';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

interface World {
  app: TestApp;
  server: SiteServer;
  instrumentId: string;
  resultId: string;
  online(key: HostKey, userId: string): Promise<SiteClient>;
}

async function world(): Promise<World> {
  const app = await createTestApp();
  const c = selfSignedCertificate({
    commonName: 'site-test',
    altNames: ['localhost', '127.0.0.1'],
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
  });
  const t = { ...c, fingerprint: certificateFingerprint(c.cert) };
  const server = await startSiteServer({ core: app.core, listen: { host: '127.0.0.1', port: 0 }, tls: t });
  cleanups.push(() => app.close());
  cleanups.unshift(() => server.close());
  const qa = await app.userWith(['qa_manager'], 'qa.chen');
  await app.userWith(['technician'], 'tech.li');
  await app.userWith(['technician'], 'tech.zhao');
  const prod = await app.userWith(['production'], 'prod.wu');
  const tech = await app.userWith(['technician'], 'tech.wang');
  const { resultId } = await moistureReleaseSample({
    qa: app.member(qa),
    prod: app.member(prod),
    tech: app.member(tech),
  });
  const instrumentId = await calibratedMoistureAnalyser(
    { admin: app.adminMember, qa: app.member(qa) },
    join(app.dir, 'no-port'),
    '2099-05-20',
  );
  const client = (key: HostKey) => {
    const sc = new SiteClient({
      url: server.url,
      fingerprint: t.fingerprint,
      key,
      timeZone: 'Asia/Shanghai',
      reconnect: false,
    });
    cleanups.unshift(() => sc.close());
    return sc;
  };
  return {
    app,
    server,
    instrumentId,
    resultId,
    async online(key, userId) {
      const enrol = new SiteClient({ url: server.url, fingerprint: t.fingerprint, key, reconnect: false });
      await enrol.enrol({ user: 'admin', password: ADMIN_PASSWORD }).catch(() => undefined);
      await enrol.close();
      const sc = client(key);
      await sc.connect();
      const res = await sc.call('auth.signIn', { userId, password: USER_PASSWORD });
      if (!res.ok) throw new Error(JSON.stringify(res.error));
      return sc;
    },
  };
}

const head = (w: World) => w.app.core.need().ledger.head().seq;

function facts(w: World, value: string, replicateIndex = 0): Omit<FrameBody, 'v' | 'key' | 'host' | 'seq'> {
  return {
    instrumentId: w.instrumentId,
    port: 'COM3',
    driver: 'mt-sics',
    capturedAt: Date.now(),
    clock: 'ntp-synchronized',
    tz: 'Asia/Shanghai',
    by: 'tech.li',
    purpose: 'result',
    resultId: w.resultId,
    sampleCode: null,
    replicateIndex,
    raw: Buffer.from(`S S      ${value} %\r\n`, 'latin1').toString('base64'),
  };
}

describe('the bench over a site server (issue 23 §4–5)', () => {
  it('a signed frame from an enrolled bench is stored by the server; a tampered one is refused with nothing written', async () => {
    const w = await world();
    const bench = memoryHostKey('BENCH-01', 'desktop');
    const sc = await w.online(bench, 'tech.li');
    const other = await w.online(memoryHostKey('BENCH-09', 'desktop'), 'tech.zhao');
    const body: FrameBody = { v: FRAME_FORMAT, key: bench.id, host: 'desktop@BENCH-01', seq: 1, ...facts(w, '2.45') };
    const frame = { body, signature: bench.sign(Buffer.from(frameMessage(body))).toString('base64') };
    const before = head(w);
    const bad = { ...frame, body: { ...body, raw: Buffer.from('S S      2.95 %\r\n').toString('base64') } };
    const refused = await sc.call('instruments.submitFrame', { frame: bad });
    expect(refused.ok ? null : refused.error.messageKey).toBe('errors.frame_signature_invalid');
    expect(head(w)).toBe(before);
    // Another enrolled workstation relaying the bench's frame: refused.
    const relayed = await other.call('instruments.submitFrame', { frame });
    expect(relayed.ok ? null : relayed.error.messageKey).toBe('errors.frame_other_workstation');
    expect(head(w)).toBe(before);
    const ok = await sc.call('instruments.submitFrame', { frame });
    expect(ok.ok).toBe(true);
    const row = w.app.core.need().ledger.db.prepare('SELECT host_key_id, outcome FROM signed_frame').get();
    expect(row).toEqual({ host_key_id: bench.id, outcome: 'captured' });
    const entry = w.app.core
      .need()
      .ledger.db.prepare("SELECT ws, tz FROM audit_entry WHERE entity = 'signed_frame'")
      .get() as { ws: string; tz: string };
    expect(entry.tz).toBe('Asia/Shanghai');
    expect(entry.ws).toContain('BENCH-01');
  });

  it('captures queued while the server is unreachable are written back once, in order, when it returns', async () => {
    const w = await world();
    const bench = memoryHostKey('BENCH-02', 'desktop');
    const first = await w.online(bench, 'tech.li');
    await first.close();
    const q = FrameQueue.open(join(w.app.dir, 'bench-queue.jsonl'), { signer: bench, host: 'desktop@BENCH-02' });
    let link: SiteClient = first;
    const send = channelSender((input) => link.call('instruments.submitFrame', input) as never);
    q.enqueue(facts(w, '2.45', 0));
    q.enqueue(facts(w, '2.47', 1));
    const before = head(w);
    const down = await q.flush(send);
    expect(down.pending).toBe(2);
    expect(down.linkDownSince).not.toBeNull();
    expect(head(w)).toBe(before);
    link = await w.online(bench, 'tech.li');
    const back = await q.flush(send);
    expect(back).toMatchObject({ pending: 0, refused: [] });
    expect(back.delivered).toHaveLength(2);
    const r = (await link.call('results.get', { id: w.resultId })) as {
      ok: true;
      data: { result: { replicates: string[] } };
    };
    expect(r.data.result.replicates).toEqual(['2.45', '2.47']);
    const rows = w.app.core.need().ledger.db.prepare('SELECT forwarded FROM signed_frame ORDER BY frame_seq').all();
    expect(rows).toEqual([{ forwarded: 1 }, { forwarded: 1 }]);
    q.close();
    await verifyLedger(w.app.adminMember);
  });

  it('two workstations enter the same result: the stale one is told the record changed; the first value stands', async () => {
    const w = await world();
    const a = await w.online(memoryHostKey('BENCH-A', 'desktop'), 'tech.li');
    const b = await w.online(memoryHostKey('BENCH-B', 'desktop'), 'tech.zhao');
    type Got = { ok: true; data: { result: { rev: number; replicates: string[] } } };
    const seen = ((await b.call('results.get', { id: w.resultId })) as Got).data.result.rev;
    const ra = await a.call('results.enter', { id: w.resultId, replicates: ['2.31'], expectedRev: seen });
    expect(ra.ok).toBe(true);
    const rb = await b.call('results.enter', { id: w.resultId, replicates: ['2.99'], expectedRev: seen });
    expect(rb.ok ? null : rb.error).toMatchObject({ code: 'conflict', messageKey: 'errors.record_changed' });
    const now = ((await b.call('results.get', { id: w.resultId })) as Got).data.result;
    expect(now.replicates).toEqual(['2.31']);
  });
});
