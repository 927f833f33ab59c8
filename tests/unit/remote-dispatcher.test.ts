import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result, SessionView } from '../../src/shared/contract';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { generateKeyPairSync } from 'node:crypto';
import { hostKeyFromPkcs8 } from '../../src/main/ledger/keys';
import { FrameQueue } from '../../src/main/instruments';
import { BenchStation } from '../../src/main/remote/bench-station';
import { RemoteDispatcher } from '../../src/main/remote/remote-dispatcher';
import type { SiteLink, SiteLinkState } from '../../src/main/remote/site-link';

/**
 * The RemoteDispatcher's own rules (D-099–D-102), against a scripted link standing in for the
 * server (the loopback test with a real server is tests/integration/site-clients.test.ts):
 * what goes where, what happens while the server is away, which events reach a window.
 */
const FP = 'ab'.repeat(32);
const tech: SessionView = {
  userId: 'tech.li',
  printedName: 'Li',
  roles: ['technician'],
  permissions: ['results.enter', 'results.read', 'instruments.read', 'instruments.use', 'lots.read'],
  locked: false,
  mustChangePassword: false,
  passwordExpiresAt: null,
  idleTimeoutMs: 900_000,
  readOnly: false,
  signedInAt: '2026-12-06T00:00:00.000Z',
  warnings: [],
};

interface Sent {
  session: string;
  channel: string;
  input: unknown;
  requestId?: string;
}

/** A server as the links see it: signed-in sessions, what was sent, events to push, a state to set. */
function scriptedServer() {
  let state: SiteLinkState = { state: 'connected', since: 0, reason: null, serverName: 'QA lab' };
  const stateListeners = new Set<(s: SiteLinkState) => void>();
  const sessions = new Map<string, SessionView | null>();
  const sent: Sent[] = [];
  const eventListeners = new Map<string, (name: string, payload: unknown) => void>();
  const waiting = new Map<string, () => void>();
  let n = 0;
  const open = (connectionId: string): SiteLink => {
    let session = `${connectionId}.${++n}`;
    return {
      state: () => state,
      onState: (l) => {
        stateListeners.add(l);
        return () => stateListeners.delete(l);
      },
      onEvent: (l) => {
        eventListeners.set(connectionId, l);
        return () => eventListeners.delete(connectionId);
      },
      call: async (channel, input, o): Promise<Result<unknown>> => {
        sent.push({ session, channel, input, ...(o.requestId ? { requestId: o.requestId } : {}) });
        if (channel === 'auth.signIn') sessions.set(session, tech);
        if (channel === 'auth.session') return { ok: true, data: sessions.get(session) ?? null };
        if (channel === 'auth.signIn') return { ok: true, data: tech };
        if (channel === 'auth.lock') {
          const s = sessions.get(session);
          if (s) sessions.set(session, { ...s, locked: true });
        }
        waiting.get(channel)?.();
        return { ok: true, data: { ok: true } };
      },
      rotate: () => {
        session = `${connectionId}.${++n}`;
      },
      close: () => undefined,
    };
  };
  return {
    open,
    sent,
    sessions,
    /** Resolves when the next call of `channel` has reached the server. */
    next: (channel: string) => new Promise<void>((resolve) => waiting.set(channel, resolve)),
    push: (connectionId: string, name: string, payload: unknown) => eventListeners.get(connectionId)?.(name, payload),
    set(s: SiteLinkState['state']) {
      state = { ...state, state: s, reason: s === 'connected' ? null : 'siteLink.reason.network' };
      for (const l of stateListeners) l(state);
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dispatcher() {
  const server = scriptedServer();
  const dir = mkdtempSync(join(tmpdir(), 'lotseal-remote-'));
  dirs.push(dir);
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = hostKeyFromPkcs8(privateKey.export({ format: 'der', type: 'pkcs8' }), {
    host: 'BENCH-1',
    hostKind: 'harness',
    createdAt: 0,
  });
  const events: Array<{ to: string; name: string; payload: unknown }> = [];
  const bench = new BenchStation(
    (name, payload) => void [name, payload],
    async () => ({ ports: [], error: null }),
  );
  const d = new RemoteDispatcher({
    server: { url: 'wss://lab-server:7443', fingerprint: FP },
    openLink: server.open,
    workstation: { dataDir: dir, hostKind: 'harness', fingerprint: key.fingerprint },
    log: { refused: () => undefined, error: () => undefined, info: () => undefined },
    bench,
    frames: {
      queue: FrameQueue.open(join(dir, 'frame-queue.jsonl'), { signer: key, host: 'harness@BENCH-1' }),
      clockSource: () => 'unknown',
      timeZone: 'Asia/Shanghai',
    },
  });
  d.onEvent((target, name, payload, mayReceive) => {
    const to = target === 'all' ? 'all' : target.connectionId;
    if (to === 'all' || mayReceive(to)) events.push({ to, name, payload });
  });
  return { d, server, events };
}

const conn = (id = 'ws-1'): Connection => ({ id, locale: 'en' });

describe('RemoteDispatcher', () => {
  it('forwards server channels in the window’s session, a write with a fresh request id; answers local channels itself', async () => {
    const { d, server } = dispatcher();
    const c = conn();
    expect((await d.call(c, 'auth.signIn', { userId: 'tech.li', password: 'pw-pw-pw-pw-1' })).ok).toBe(true);
    await d.call(c, 'lots.get', { code: 'L-1' });
    await d.call(c, 'results.enter', { id: 'r1', replicates: ['1.0'] });
    await d.call(c, 'results.enter', { id: 'r1', replicates: ['1.1'] });
    const reads = server.sent.filter((s) => s.channel === 'lots.get');
    const writes = server.sent.filter((s) => s.channel === 'results.enter');
    expect(reads[0]!.requestId).toBeUndefined();
    expect(writes.map((w) => w.requestId)).toHaveLength(2);
    expect(new Set(writes.map((w) => w.requestId)).size).toBe(2);
    // Local: never sent.
    const before = server.sent.length;
    const status = await d.call(c, 'connection.status', {});
    expect(status).toMatchObject({
      ok: true,
      data: { mode: 'site', state: 'connected', server: { name: 'QA lab', fingerprint: FP, host: 'lab-server:7443' } },
    });
    const ports = await d.call(c, 'instruments.ports', {});
    expect(ports.ok).toBe(true);
    expect(server.sent.slice(before).map((s) => s.channel)).toEqual(['auth.session']);
  });

  it('checks a local channel’s permission against the session the server confirmed', async () => {
    const { d } = dispatcher();
    const c = conn();
    const r = await d.call(c, 'instruments.connect', { id: 'i1' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('while the server is away: writes and reads refused at once, nothing sent; the window still locks and can sign out', async () => {
    const { d, server, events } = dispatcher();
    const c = conn();
    await d.call(c, 'auth.signIn', { userId: 'tech.li', password: 'pw-pw-pw-pw-1' });
    const old = server.sent.at(-1)!.session;
    server.set('unreachable');
    expect(
      events.some((e) => e.name === 'connection.changed' && (e.payload as { state: string }).state === 'unreachable'),
    ).toBe(true);
    const sentBefore = server.sent.length;
    expect(await d.call(c, 'results.enter', { id: 'r1', replicates: ['1.0'] })).toMatchObject({
      ok: false,
      error: { messageKey: 'errors.site_unreachable' },
    });
    expect(await d.call(c, 'lots.get', { code: 'L-1' })).toMatchObject({
      ok: false,
      error: { messageKey: 'errors.site_unreachable_read' },
    });
    expect(await d.call(c, 'auth.lock', {})).toMatchObject({ ok: true });
    expect(await d.call(c, 'auth.session', {})).toMatchObject({ ok: true, data: { userId: 'tech.li', locked: true } });
    // Unlocking needs the server (the password is checked there).
    expect((await d.call(c, 'auth.unlock', { password: 'pw-pw-pw-pw-1' })).ok).toBe(false);
    expect(server.sent.length).toBe(sentBefore);
    // Back: the lock reaches the server before anything else.
    const lockArrives = server.next('auth.lock');
    server.set('connected');
    await lockArrives;
    expect(server.sessions.get(old)?.locked).toBe(true);
    // Away again: signing out starts a new session name; the next person never finds the old one.
    server.set('unreachable');
    expect(await d.call(c, 'auth.signOut', {})).toMatchObject({ ok: true });
    expect(await d.call(c, 'auth.session', {})).toMatchObject({ ok: true, data: null });
    server.set('connected');
    await d.call(c, 'lots.get', { code: 'L-1' });
    expect(server.sent.at(-1)!.session).not.toBe(old);
  });

  it('re-emits a server event only to the window whose session may receive it', async () => {
    const { d, server, events } = dispatcher();
    const a = conn('ws-a');
    const b = conn('ws-b');
    await d.call(a, 'auth.signIn', { userId: 'tech.li', password: 'pw-pw-pw-pw-1' });
    await d.call(b, 'app.status', {});
    server.push('ws-a', 'ledger.changed', { headSeq: 7 });
    server.push('ws-b', 'ledger.changed', { headSeq: 7 });
    const got = events.filter((e) => e.name === 'ledger.changed').map((e) => e.to);
    // ws-b has no session: `ledger.changed` needs one.
    expect(got).toEqual(['ws-a']);
    // Events of the bench are the workstation's own: one claiming to be from the server is dropped.
    server.push('ws-a', 'instruments.reading', {});
    expect(events.filter((e) => e.name === 'instruments.reading')).toEqual([]);
  });
});
