/**
 * Issue 23 §3 on loopback: two browser harnesses as workstations of one site server (real TLS
 * WebSocket, real harness HTTP + WebSocket servers, the renderer's wire protocol). A result
 * entered and submitted at one bench reaches the reviewer's workstation as an event and is in
 * their queue; the audit trail names the bench it came from; the bench's serial channels never
 * reach the server; the unreachable server is said and refuses writes at once, nothing written;
 * it recovers on its own. No timers: every wait is on an event or a state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionView, EventPayload } from '../../src/shared/contract';
import { startSiteServer, type SiteServer } from '../../src/main/server/site-server';
import { ContractError, type ContractClient } from '../e2e/contract-client';
import * as plant from '../fixtures/plant';
import { TEST_PEOPLE } from '../fixtures/plant';
import { approveSpec, finishedLot, releaseSample, world, GOOD } from '../helpers/testing-world';
import { harnessWorkstation, siteTls } from '../helpers/site';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const tls = siteTls;
const workstation = (server: { url: string; fingerprint: string }, host: string) =>
  harnessWorkstation(cleanups, server, host);

/** The next `name` event on a connection that satisfies `when`. */
function next<E extends Parameters<ContractClient['onEvent']>[0]>(
  c: ContractClient,
  name: E,
  when: (p: EventPayload<E>) => boolean = () => true,
): Promise<EventPayload<E>> {
  return new Promise((resolve) => {
    const off = c.onEvent(name, (p) => {
      if (!when(p)) return;
      off();
      resolve(p);
    });
  });
}

describe('workstations as clients of a site server', () => {
  it('a result submitted at one bench reaches the reviewer at another workstation as it happens; bench channels stay local; the unreachable server is said, writes are refused, and it recovers', async () => {
    const w = await world();
    cleanups.push(() => w.app.close());
    await approveSpec(w);
    const lot = await finishedLot(w);
    const sample = await releaseSample(w, lot);

    const t = tls();
    let server: SiteServer = await startSiteServer({
      core: w.app.core,
      listen: { host: '127.0.0.1', port: 0 },
      tls: t,
      name: 'QA lab server',
    });
    cleanups.unshift(() => server.close());
    const target = { url: server.url, fingerprint: t.fingerprint };

    const bench = await workstation(target, 'BENCH-01');
    const office = await workstation(target, 'REVIEW-02');
    // Each person signs in at the server through their workstation's harness.
    const tech = await plant.signInAgain(bench.host, TEST_PEOPLE.tech);
    const rev = await plant.signInAgain(office.host, TEST_PEOPLE.reviewer);
    cleanups.unshift(() => {
      tech.close();
      rev.close();
    });

    // Which server: name, address, pinned fingerprint, connected.
    const status = await tech.call('connection.status', {});
    expect(status).toMatchObject({
      mode: 'site',
      state: 'connected',
      server: { url: server.url, name: 'QA lab server', fingerprint: t.fingerprint },
      queued: 0,
    });

    // The bench's serial ports are listed here; the server would refuse the channel.
    const ports = await tech.call('instruments.ports', {});
    expect(Array.isArray(ports.ports)).toBe(true);

    const before = await rev.call('results.reviewQueue', {});
    expect(before.samples.map((s) => s.sampleCode)).not.toContain(sample);

    // The reviewer's workstation hears the bench's submission (ledger.changed), then finds it in the queue.
    const results = (await tech.call('results.forSample', { sampleCode: sample })).results;
    const heardEntry = next(rev.link, 'ledger.changed');
    await tech.call('results.enterMany', { entries: plant.entriesFor(results, GOOD) });
    await heardEntry;
    const heardSubmit = next(rev.link, 'ledger.changed');
    await plant.submit(tech, sample);
    const changed = await heardSubmit;
    expect(changed.headSeq).toBe(w.app.core.need().ledger.head().seq);
    const after = await rev.call('results.reviewQueue', {});
    expect(after.samples.map((s) => s.sampleCode)).toContain(sample);

    // The audit trail names the bench and its zone for the bench's writes.
    const entries = w.app.core
      .need()
      .ledger.db.prepare(
        "SELECT ws, tz, actor FROM audit_entry WHERE entity = 'test_result' AND actor = ? ORDER BY seq DESC LIMIT 1",
      )
      .get(TEST_PEOPLE.tech.userId) as { ws: string; tz: string; actor: string };
    expect(entries).toEqual({ ws: 'harness@BENCH-01', tz: 'Asia/Shanghai', actor: TEST_PEOPLE.tech.userId });

    // The server stops: every workstation is told, writes are refused at once, nothing written.
    const down = next(
      rev.link,
      'connection.changed',
      (v: ConnectionView) => v.mode === 'site' && v.state !== 'connected',
    );
    const port = server.port;
    await server.close();
    const view = await down;
    expect(view).toMatchObject({ mode: 'site', state: 'unreachable' });
    const head = w.app.core.need().ledger.head().seq;
    const ids = (await rev.call('results.forSample', { sampleCode: sample }).catch((e: unknown) => e)) as unknown;
    expect(ids).toBeInstanceOf(ContractError);
    expect((ids as ContractError).error.messageKey).toBe('errors.site_unreachable_read');
    const refused = await rev
      .call('results.review', { ids: ['x'], decision: 'approve', signature: rev.sign('reviewed') })
      .catch((e: unknown) => e);
    expect((refused as ContractError).error.messageKey).toBe('errors.site_unreachable');
    expect(w.app.core.need().ledger.head().seq).toBe(head);
    // The bench's own channels still answer.
    expect((await tech.call('connection.status', {})).mode).toBe('site');
    expect(Array.isArray((await tech.call('instruments.ports', {})).ports)).toBe(true);

    // The server comes back on its address: the workstations reconnect by themselves, the
    // sessions are found again, and the review goes through.
    const up = next(
      rev.link,
      'connection.changed',
      (v: ConnectionView) => v.mode === 'site' && v.state === 'connected',
    );
    server = await startSiteServer({
      core: w.app.core,
      listen: { host: '127.0.0.1', port },
      tls: t,
      name: 'QA lab server',
    });
    await up;
    await plant.reviewSubmitted(rev, sample);
    const reviewed = (await rev.call('results.forSample', { sampleCode: sample })).results.filter(
      (r) => r.status === 'reviewed',
    );
    expect(reviewed.length).toBeGreaterThan(0);
  });
});
