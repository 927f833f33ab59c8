/**
 * A workstation joins a site server from Administration → Site server (issue 23, D-107), on
 * loopback: an embedded workstation (its own database, its own host key) calls `connection.join`
 * through its dispatcher; the server enrols the key with the administrator's signature, and only
 * then is `<data>/site.json` written. A wrong fingerprint, a server that does not answer, a wrong
 * password, an account that is not an administrator on the server, a person who is not an
 * administrator at the workstation: each a clear typed error, and nothing written on either side.
 * Leaving removes the setting, never while signed readings still wait for the server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import type { ConnectionView } from '../../src/shared/contract';
import { FrameQueue } from '../../src/main/instruments';
import { loadOrCreateHostKey } from '../../src/main/ledger/keys';
import { readSiteSettings, SiteWorkstation } from '../../src/main/remote/workstation';
import { startSiteServer } from '../../src/main/server/site-server';
import {
  ADMIN_PASSWORD,
  createTestApp,
  quietLog,
  testKeyProtector,
  USER_PASSWORD,
  type TestApp,
} from '../helpers/core';
import { deadPort, siteTls } from '../helpers/site';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Host keys registered in a database (the enrolments). */
function hostKeys(app: TestApp): number {
  return app.core
    .need()
    .ledger.db.prepare<
      [],
      { n: number }
    >("SELECT count(*) AS n FROM signing_key WHERE host_kind IN ('desktop', 'harness', 'cli')")
    .get()!.n;
}

async function site() {
  const server = await createTestApp();
  cleanups.push(() => server.close());
  const tls = siteTls();
  const s = await startSiteServer({
    core: server.core,
    listen: { host: '127.0.0.1', port: 0 },
    tls,
    name: 'QA lab server',
  });
  cleanups.unshift(() => s.close());
  return { server, url: s.url, fingerprint: tls.fingerprint };
}

/** An embedded workstation (its own database); its administrator's connection. */
async function embedded() {
  const ws = await createTestApp();
  cleanups.push(() => ws.close());
  return ws;
}

describe('a workstation joins a site server from the UI', () => {
  it('refuses a wrong fingerprint, an unreachable server, bad credentials and a non-administrator, writing nothing; then joins, and the workstation works on the server', async () => {
    const { server, url, fingerprint } = await site();
    const ws = await embedded();
    const file = join(ws.dir, 'site.json');
    const before = hostKeys(server);
    const join_ = (
      conn: Connection,
      i: Partial<{ url: string; fingerprint: string; user: string; password: string }>,
    ) => ws.call(conn, 'connection.join', { url, fingerprint, user: 'admin', password: ADMIN_PASSWORD, ...i });
    const refused = async (r: ReturnType<typeof join_>) => {
      const got = await r;
      expect(got.ok).toBe(false);
      expect(existsSync(file)).toBe(false);
      expect(hostKeys(server)).toBe(before);
      return got.ok ? null : got.error;
    };

    // Wrong fingerprint: the TLS certificate differs, nothing is sent.
    const other = siteTls().fingerprint;
    expect((await refused(join_(ws.admin, { fingerprint: other })))?.messageKey).toBe(
      'errors.site_fingerprint_mismatch',
    );
    // Not a fingerprint at all: the screen's own words.
    expect((await refused(join_(ws.admin, { fingerprint: 'abc' })))?.messageKey).toBe('errors.site_fingerprint');
    // Nothing answers at the address.
    const dead = `wss://127.0.0.1:${await deadPort()}`;
    expect((await refused(join_(ws.admin, { url: dead })))?.code).toBe('server_unreachable');
    // The administrator's password is wrong (checked by the server).
    const bad = await refused(join_(ws.admin, { password: 'not-the-password' }));
    expect(bad?.code).not.toBe('forbidden');
    expect(bad?.messageKey).toMatch(/password|credentials/);
    // An account on the server that is not an administrator.
    await server.userWith(['technician'], 'tech.server');
    expect((await refused(join_(ws.admin, { user: 'tech.server', password: USER_PASSWORD })))?.messageKey).toBe(
      'errors.enrol_needs_admin',
    );
    // A person at the workstation who is not an administrator: refused in main before anything is sent.
    const techHere = await ws.userWith(['technician'], 'tech.here');
    expect((await refused(join_(techHere, {})))?.code).toBe('forbidden');

    // The administrator joins: the key is enrolled on the server, site.json written.
    const ok = await ws.ok(ws.admin, 'connection.join', {
      url,
      fingerprint: fingerprint.toUpperCase().match(/.{2}/g)!.join(':'),
      user: 'admin',
      password: ADMIN_PASSWORD,
      name: 'BENCH-7',
    });
    expect(ok).toMatchObject({ next: 'restart', server: { url, fingerprint, name: 'QA lab server' }, file });
    expect(ok.enrolled?.host).toBe('harness@BENCH-7');
    expect(ok.enrolled?.fingerprint).toBe(ws.core.key.fingerprint);
    expect(hostKeys(server)).toBe(before + 1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ server: url, fingerprint });
    expect(readSiteSettings(ws.dir, {})).toEqual({ url, fingerprint });
    // The server's record of it: the administrator's `enrolled` signature on the key.
    const signed = server.core
      .need()
      .ledger.db.prepare<
        [string],
        { meaning: string; signer: string }
      >("SELECT meaning, user_id AS signer FROM signature WHERE entity = 'signing_key' AND entity_id = ?")
      .all(ok.enrolled!.keyId);
    expect(signed).toEqual([{ meaning: 'enrolled', signer: 'admin' }]);

    // A second join (the screen reloaded before the restart) says where it is set already.
    expect((await join_(ws.admin, {})).ok).toBe(false);
    const again = await ws.call(ws.admin, 'connection.join', {
      url,
      fingerprint,
      user: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(again.ok ? null : again.error.messageKey).toBe('errors.site_already_joined');

    // "Restart": the same data folder and key as a workstation of the server, which accepts it.
    ws.core.close();
    const station = new SiteWorkstation({
      dataDir: ws.dir,
      hostKind: 'harness',
      protector: testKeyProtector(),
      server: readSiteSettings(ws.dir, {})!,
      host: 'test-host',
      log: quietLog,
    });
    cleanups.unshift(() => station.close());
    const conn: Connection = { id: 'tab-1', locale: 'en' };
    const signedIn = await station.dispatcher.call(conn, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
    expect(signedIn.ok).toBe(true);
    expect(await station.dispatcher.call(conn, 'connection.status', {})).toMatchObject({
      ok: true,
      data: { mode: 'site', state: 'connected', server: { url, name: 'QA lab server' } },
    });

    // Leaving is refused while a signed reading waits here for the server…
    station.frames.enqueue({
      instrumentId: 'instrument-x',
      port: null,
      driver: 'mt-sics',
      capturedAt: Date.now(),
      clock: 'unknown',
      tz: 'UTC',
      by: 'admin',
      purpose: 'result',
      resultId: 'result-x',
      sampleCode: null,
      replicateIndex: 0,
      raw: Buffer.from('S S      1.0000 g\r\n').toString('base64'),
    });
    const waiting = await station.dispatcher.call(conn, 'connection.leave', { confirm: true });
    expect(waiting.ok ? null : waiting.error.messageKey).toBe('errors.site_leave_queue_waiting');
    expect(existsSync(file)).toBe(true);
  });

  it('leaving removes the setting (back to the own database at the next start); an undone join leaves nothing behind', async () => {
    const { url, fingerprint } = await site();
    const ws = await embedded();
    const file = join(ws.dir, 'site.json');
    const left = await ws.call(ws.admin, 'connection.leave', { confirm: true });
    expect(left.ok ? null : left.error.messageKey).toBe('errors.site_not_joined');
    await ws.ok(ws.admin, 'connection.join', { url, fingerprint, user: 'admin', password: ADMIN_PASSWORD });
    expect(existsSync(file)).toBe(true);
    expect(await ws.ok(ws.admin, 'connection.leave', { confirm: true })).toEqual({ file, next: 'restart' });
    expect(existsSync(file)).toBe(false);
    expect(readSiteSettings(ws.dir, {})).toBeNull();
    // The key stays enrolled on the server: joining again is accepted without a second enrolment.
    const again = await ws.ok(ws.admin, 'connection.join', {
      url,
      fingerprint,
      user: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(again.enrolled).toBeNull();
    expect(existsSync(file)).toBe(true);
  });
});

describe('the bench queue writes itself back (D-108)', () => {
  it('readings left from an earlier run, the server not answering: the workstation tries again by itself with a growing delay, and says when', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotseal-queue-retry-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // An earlier run of this workstation left one signed reading in its queue.
    const key = loadOrCreateHostKey(dir, 'harness', 'BENCH-9', testKeyProtector(), Date.now());
    const earlier = FrameQueue.open(join(dir, 'frame-queue.jsonl'), { signer: key, host: 'harness@BENCH-9' });
    earlier.enqueue({
      instrumentId: 'instrument-x',
      port: '/dev/ttyUSB0',
      driver: 'mt-sics',
      capturedAt: Date.now(),
      clock: 'unknown',
      tz: 'UTC',
      by: 'tech.li',
      purpose: 'result',
      resultId: 'result-x',
      sampleCode: null,
      replicateIndex: 0,
      raw: Buffer.from('S S      1.0000 g\r\n').toString('base64'),
    });
    earlier.close();

    let now = 5_000_000;
    const timers: Array<{ ms: number; fn: () => void }> = [];
    const scheduler = {
      now: () => now,
      set: (fn: () => void, ms: number) => timers.push({ ms, fn }),
      clear: () => undefined,
    };
    const station = new SiteWorkstation({
      dataDir: dir,
      hostKind: 'harness',
      protector: testKeyProtector(),
      server: { url: `wss://127.0.0.1:${await deadPort()}`, fingerprint: siteTls().fingerprint },
      host: 'BENCH-9',
      log: quietLog,
      retry: { scheduler, minMs: 1_000, maxMs: 8_000, random: () => 1 },
    });
    cleanups.unshift(() => station.close());
    const conn: Connection = { id: 'tab-1', locale: 'en' };
    const status = async () => {
      const r = await station.dispatcher.call(conn, 'connection.status', {});
      const v = r.ok ? (r.data as ConnectionView) : null;
      if (!v || v.mode !== 'site') throw new Error(JSON.stringify(r));
      return v;
    };
    // Started with a waiting reading: a retry is scheduled at once, and the screen says when.
    await until(() => timers.length === 1);
    expect(timers.map((t) => t.ms)).toEqual([1_000]);
    expect(await status()).toMatchObject({ queued: 1, retryAt: new Date(now + 1_000).toISOString() });
    // Each attempt that cannot write back schedules the next, doubling to the cap.
    for (const expected of [2_000, 4_000, 8_000, 8_000]) {
      const t = timers.shift()!;
      now += t.ms;
      t.fn();
      await until(() => timers.length === 1);
      expect(timers[0]!.ms).toBe(expected);
    }
    expect((await status()).queued).toBe(1);
  });
});

/** Resolves when `cond` holds, re-checked on each turn of the event loop (no timers). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise<void>((resolve) => setImmediate(resolve));
}
