/**
 * Issue 23 §3–4 at a site workstation: the instrument hangs on this bench's port (a real pty
 * pair, the simulator at the other end); its definition is on the server. The workstation
 * connects the port itself, takes the reading, signs it with its host key and sends it; the
 * server stores value and bytes. With the server stopped, a capture is signed and queued at the
 * bench (the answer says so, nothing is written); when the server is back it is written back by
 * itself, once. No timers: every wait is on an event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionView, EventName } from '../../src/shared/contract';
import { runSimulator } from '../../src/main/instruments/simulator';
import { SiteWorkstation } from '../../src/main/remote/workstation';
import { startSiteServer, type SiteServer } from '../../src/main/server/site-server';
import { certificateFingerprint, selfSignedCertificate } from '../../src/main/server/tls-cert';
import { approveSpec, MOISTURE, moistureAnalyser, product, PRODUCTS, specDocument } from '../fixtures/plant';
import { ADMIN_PASSWORD, USER_PASSWORD, createTestApp, quietLog, testKeyProtector } from '../helpers/core';
import { ptyPair } from '../helpers/pty';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('a capture at a site workstation', () => {
  it('is read from the bench’s port, signed and stored by the server; queued while the server is away and written back once when it returns', async () => {
    const app = await createTestApp();
    cleanups.push(() => app.close());
    const qa = await app.userWith(['qa_manager'], 'qa.chen');
    const prod = await app.userWith(['production'], 'prod.wu');
    await app.userWith(['technician'], 'tech.li');
    const productId = await product(app.member(qa), PRODUCTS.if1);
    await approveSpec(app.member(qa), {
      subjectId: productId,
      code: 'SPEC-IF-1',
      doc: specDocument('IF-1', [MOISTURE]),
    });
    const lot = (
      await app.ok(prod, 'batches.start', { line: 'Line 2', outputKind: 'finished', itemCode: 'IF-1', unit: 'kg' })
    ).output.code;
    const techConn = await app.userWith(['technician'], 'tech.reg');
    const s = await app.ok(techConn, 'samples.register', {
      kind: 'finished_release',
      lotCode: lot,
      samplingPoint: 'filler',
      quantity: '5',
      unit: 'can',
      container: 'can',
      withRetention: false,
      receipt: { condition: 'intact' },
    });
    const [result] = (await app.ok(techConn, 'results.forSample', { sampleCode: s.sample.code })).results;

    // The instrument on this bench's port; its record (and calibration) on the server.
    const dir = mkdtempSync(join(tmpdir(), 'lotseal-site-bench-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const pty = await ptyPair(dir);
    cleanups.unshift(() => pty.unplug());
    const ins = await app.ok(app.admin, 'instruments.save', {
      fields: { ...moistureAnalyser(pty.a), checkIntervalHours: 0 },
    });
    await app.ok(qa, 'instruments.calibration', {
      id: ins.id,
      kind: 'calibration',
      performedOn: '2026-05-20',
      dueOn: '2099-05-20',
      certificateNo: 'CAL-2026-118',
      provider: '宁夏计量院',
    });
    const sim = await runSimulator({
      port: pty.b,
      driver: 'mt-sics',
      scenario: 'stable',
      weight: '2.45',
      unit: '%',
      serial: 'B123456789',
    });
    cleanups.unshift(() => sim.close());

    const c = selfSignedCertificate({
      commonName: 'site-test',
      altNames: ['localhost', '127.0.0.1'],
      notBefore: new Date(Date.now() - 3_600_000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const tls = { ...c, fingerprint: certificateFingerprint(c.cert) };
    let server: SiteServer = await startSiteServer({ core: app.core, listen: { host: '127.0.0.1', port: 0 }, tls });
    cleanups.unshift(() => server.close());

    const wsDir = join(dir, 'bench-ws');
    const station = new SiteWorkstation({
      dataDir: wsDir,
      hostKind: 'desktop',
      protector: testKeyProtector(),
      server: { url: server.url, fingerprint: tls.fingerprint },
      host: 'BENCH-07',
      log: quietLog,
      timeZone: 'Asia/Shanghai',
    });
    cleanups.unshift(() => station.close());
    await station.links.enrol({ user: 'admin', password: ADMIN_PASSWORD });
    const d = station.dispatcher;
    const conn = { id: 'wc-1', locale: 'en' as const };
    const views: ConnectionView[] = [];
    const waiters: Array<{ when: (v: ConnectionView) => boolean; resolve: () => void }> = [];
    d.onEvent((_to, name: EventName, payload) => {
      if (name !== 'connection.changed') return;
      const v = payload as ConnectionView;
      views.push(v);
      for (const w of waiters.splice(0))
        if (w.when(v)) w.resolve();
        else waiters.push(w);
    });
    const until = (when: (v: ConnectionView) => boolean) =>
      new Promise<void>((resolve) => waiters.push({ when, resolve }));
    const ok = async (channel: string, input: unknown) => {
      const r = await d.call(conn, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
      return r.data as never;
    };

    await ok('auth.signIn', { userId: 'tech.li', password: USER_PASSWORD });
    const connected = (await ok('instruments.connect', { id: ins.id })) as { state: string; connectedPort: string };
    expect(connected).toMatchObject({ state: 'connected', connectedPort: pty.a });
    // The server's instrument list shows this bench's connection.
    const list = (await ok('instruments.list', { includeInactive: false })) as Array<{ id: string; state: string }>;
    expect(list.find((i) => i.id === ins.id)?.state).toBe('connected');

    const first = (await ok('instruments.capture', {
      instrumentId: ins.id,
      resultId: result!.id,
      replicateIndex: 0,
    })) as {
      outcome: { ok: boolean; value: string };
      capture: { value: string } | null;
      queued?: unknown;
    };
    expect(first.outcome).toMatchObject({ ok: true, value: '2.45' });
    expect(first.capture?.value).toBe('2.45');
    expect(first.queued).toBeUndefined();
    const frames = () =>
      app.core
        .need()
        .ledger.db.prepare('SELECT host, captured_by, received_by, forwarded, tz FROM signed_frame ORDER BY frame_seq')
        .all() as Array<{ host: string; captured_by: string; received_by: string; forwarded: number; tz: string }>;
    expect(frames()).toEqual([
      { host: 'desktop@BENCH-07', captured_by: 'tech.li', received_by: 'tech.li', forwarded: 0, tz: 'Asia/Shanghai' },
    ]);

    // The server stops: the reading is still taken, signed and kept at the bench.
    const port = server.port;
    const away = until((v) => v.mode === 'site' && v.state === 'unreachable');
    await server.close();
    await away;
    const headAway = app.core.need().ledger.head().seq;
    const second = (await ok('instruments.capture', {
      instrumentId: ins.id,
      resultId: result!.id,
      replicateIndex: 1,
    })) as {
      outcome: { ok: boolean };
      capture: unknown;
      queued?: { seq: number };
    };
    expect(second.outcome.ok).toBe(true);
    expect(second.capture).toBeNull();
    expect(second.queued?.seq).toBeGreaterThan(0);
    expect(app.core.need().ledger.head().seq).toBe(headAway);
    expect(((await ok('connection.status', {})) as ConnectionView & { queued: number }).queued).toBe(1);

    // Back: written back by itself, once, marked as forwarded with its gap.
    const drained = until((v) => v.mode === 'site' && v.state === 'connected' && v.queued === 0);
    server = await startSiteServer({ core: app.core, listen: { host: '127.0.0.1', port }, tls });
    await drained;
    const all = frames();
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ captured_by: 'tech.li', forwarded: 1 });
    const after = (await app.ok(techConn, 'results.forSample', { sampleCode: s.sample.code })).results[0]!;
    expect(after.replicates?.slice(0, 2)).toEqual(['2.45', '2.45']);

    // A daily-check reading takes the same signed path (D-109): read here, signed as a `check`
    // frame, re-parsed and stored by the server as the check capture a daily check may use.
    const check = (await ok('instruments.read', { id: ins.id })) as {
      outcome: { ok: boolean; value: string };
      capture: { id: string; value: string; purpose: string } | null;
    };
    expect(check.outcome).toMatchObject({ ok: true, value: '2.45' });
    expect(check.capture).toMatchObject({ value: '2.45', purpose: 'check' });
    const checkFrame = app.core
      .need()
      .ledger.db.prepare("SELECT purpose, captured_by, capture_ids FROM signed_frame WHERE purpose = 'check'")
      .all() as Array<{ purpose: string; captured_by: string; capture_ids: string }>;
    expect(checkFrame).toEqual([
      { purpose: 'check', captured_by: 'tech.li', capture_ids: JSON.stringify([check.capture!.id]) },
    ]);
    // A check frame sent as a result frame (or the reverse) is refused: each channel its own kind, its own permission.
    const crafted = station.frames.enqueue({
      instrumentId: ins.id,
      port: pty.a,
      driver: 'mt-sics',
      capturedAt: Date.now(),
      clock: 'unknown',
      tz: 'Asia/Shanghai',
      by: 'tech.li',
      purpose: 'check',
      resultId: null,
      sampleCode: null,
      replicateIndex: 0,
      raw: Buffer.from('S S      2.45 %\r\n').toString('base64'),
    });
    const wrong = await d.call(conn, 'instruments.submitFrame', { frame: crafted });
    expect(wrong.ok ? null : wrong.error.messageKey).toBe('errors.frame_purpose');
  });
});
